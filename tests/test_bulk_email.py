"""loader.bulk_email: a new lead's normalised email, domain criterion and
email state from one parse of its email (none for a plain address) are the
values Odoo's own computes store, for every kind of email."""

import random
import string
from unittest.mock import patch

from odoo import tools
from odoo.tests import TransactionCase, tagged

from ..loader import bulk_email
from ..loader.bulk_computed import LeadComputed

EMAILS = [
    "gil@new.example.com",
    "Gil.Costa@New.Example.COM",
    "ANN@GMAIL.COM",
    "joe@odoo.com",
    "a+tag_1@sub-domain.example.co",
    "x@localhost",
    "Ann Bell <ann@bell.example.com>",
    '"Bell, Ann" <Ann@Bell.example.com>',
    "ann@bell.example.com, bob@bell.example.com",
    "bad email",
    "not an email, bob@bell.example.com",
    "name email@domain.com",
    "@gmail.com junk",
    "a@",
    "@x.com",
    "a@b@c.com",
    "<a@x.com>",
    "a@x.com (comment)",
    " a@x.com ",
    "a..b@x.com",
    ".a@x.com",
    "a.@x.com",
    "a@x..com",
    "a@-x.com",
    "a@x.com.",
    "jöe@exämple.com",
    "Jöe <JOE@EXAMPLE.COM>",
    '"a b"@x.com',
    "a@[127.0.0.1]",
    "a@x.com;b@y.com",
    "a\n@x.com",
    "-",
    "@",
]


@tagged("post_install", "-at_install")
class TestBulkEmail(TransactionCase):
    def odoo_values(self, email):
        """What Odoo's computes give a new lead of ``email``."""
        lead = self.env["crm.lead"].new({"name": "Email", "email_from": email})
        return (
            lead.email_normalized,
            lead.email_domain_criterion,
            lead.email_state,
        )

    def test_email_values_are_odoos_for_every_kind_of_email(self):
        for email in [*EMAILS, False, ""]:
            with self.subTest(email=email):
                self.assertEqual(
                    bulk_email.email_values(email or False), self.odoo_values(email)
                )

    def test_a_plain_address_is_what_the_parser_finds_in_it(self):
        """PLAIN's promise, checked against the parser on generated
        addresses: the split of a plain address is the address itself, and
        a plain normalised address normalises to itself."""
        rng = random.Random(18)
        chars = string.ascii_letters + string.digits + "_+-"

        def atoms():
            return ".".join(
                "".join(rng.choice(chars) for _i in range(rng.randint(1, 6)))
                for _j in range(rng.randint(1, 3))
            )

        checked = 0
        for _i in range(3000):
            email = f"{atoms()}@{atoms()}"
            self.assertTrue(bulk_email.PLAIN.fullmatch(email))
            self.assertEqual(tools.email_split(email), [email], email)
            normalized = tools.email_normalize(email, strict=False)
            if bulk_email.PLAIN.fullmatch(normalized):
                self.assertEqual(
                    bulk_email.domain_criterion(normalized),
                    bulk_email.iap_tools.mail_prepare_for_domain_search(normalized),
                )
                self.assertEqual(
                    tools.email_normalize(normalized, strict=False), normalized
                )
                checked += 1
        self.assertEqual(checked, 3000)

    def test_a_lead_email_is_parsed_once_and_a_plain_one_never(self):
        """LeadComputed fills the three fields with one email_split per row
        given an email that is not plain (Odoo's helpers make four), none
        for a plain one."""
        calls = []
        original = tools.email_split

        def counted(text):
            calls.append(text)
            return original(text)

        rows = [
            {"email_from": "gil@new.example.com"},
            {"email_from": "Ann Bell <ann@bell.example.com>"},
            {"email_from": "bad email"},
            {"email_from": False},
        ]
        # both names: Odoo's helpers call the module's own
        with (
            patch.object(tools, "email_split", counted),
            patch.object(tools.mail, "email_split", counted),
        ):
            LeadComputed(self.env["crm.lead"]).fill(rows)
        # the bad email's one address found ("bad email" is not one) is none
        self.assertEqual(calls, ["Ann Bell <ann@bell.example.com>", "bad email"])
        self.assertEqual(
            [
                (r["email_normalized"], r["email_domain_criterion"], r["email_state"])
                for r in rows
            ],
            [self.odoo_values(r["email_from"]) for r in rows],
        )
