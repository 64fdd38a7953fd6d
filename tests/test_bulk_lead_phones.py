"""The phone state of a new lead that takes its partner's phone
(loader.bulk_computed, LeadComputed._phone_state): the partner's own
sanitised phone when the partner has a country and no mobile (the same parse
with the same country), a parse of the phone otherwise, once per number and
country in a run (the run's E.164 memo, which partners' sanitised phones fill
too); what create() stores either way."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.phone_validation.tools import phone_validation

from ..loader import bulk_computed
from ..loader.bulk_computed import LeadComputed, PartnerComputed
from ..loader.bulk_lead_values import LeadValues
from ..loader.writer import Writer
from .loader_common import prep
from .test_loader_bulk_crm import BulkCrmCase


@tagged("post_install", "-at_install")
class TestBulkLeadPhones(BulkCrmCase):
    def test_a_partner_without_mobile_gives_its_phone_state_unparsed(self):
        Partner = self.env["res.partner"]
        partners = Partner.create(
            [
                {"name": "Br good", "phone": "(11) 5555-0123", "country_id": self.brazil.id},
                {"name": "Br bad", "phone": "123", "country_id": self.brazil.id},
                {"name": "Us of Br", "phone": "+55 11 5555-0124", "country_id": self.us.id},
                {"name": "Us local", "phone": "(11) 5555-0123", "country_id": self.us.id},
                {"name": "No country", "phone": "(11) 5555-0125"},
                {"name": "City only", "phone": "+1 512 555 0199", "city": "Austin"},
                {"name": "Mobile", "phone": "123", "mobile": "+55 11 98888-0002",
                 "country_id": self.brazil.id},
                {"name": "No phone", "country_id": self.brazil.id},
            ]
        )  # fmt: skip
        vals_list = [
            {
                "name": f"Phone of {p.name}",
                "type": "opportunity",
                "partner_id": p.id,
                "user_id": False,
            }
            for p in partners
        ]
        got = self.load_both_ways("crm.lead", vals_list)
        states = [r["phone_state"] for r in got["rows"]]
        # the first four from their partner's sanitised phone
        self.assertIn("correct", states[:4])
        self.assertIn("incorrect", states[:4])
        self.assertEqual((states[6], states[7]), ("incorrect", None))
        # parsed: the partners without a country, or with a mobile
        calls = []
        original = phone_validation.phone_parse

        def counted(number, country_code):
            calls.append(number)
            return original(number, country_code)

        computed = LeadComputed(self.env["crm.lead"])
        self.assertTrue(computed.partner_sanitized)
        rows = [{"partner_id": p.id} for p in partners]
        with (
            patch.dict(bulk_computed._E164, clear=True),
            patch.object(phone_validation, "phone_parse", counted),
        ):
            computed.fill(rows)
        # none of the first four partners' phones ("Br bad"'s 123 is the
        # mobile partner's too: parsed once, for the latter)
        self.assertFalse({"(11) 5555-0123", "+55 11 5555-0124"} & set(calls))
        self.assertEqual(calls.count("123"), 1)
        self.assertIn("(11) 5555-0125", calls)
        self.assertEqual([r["phone_state"] for r in rows], [s or False for s in states])

    def test_a_phone_is_parsed_once_per_country_in_a_run(self):
        """Partners with a mobile (their phone is not their sanitised phone)
        sharing a phone, in two batches: each number is parsed once per
        country in the run, a number a partner's own sanitised phone
        formatted with that country not at all; the leads store what
        create() stores."""
        Partner = self.env["res.partner"]
        shared, own = "(11) 5555-0177", "+55 11 5555-0178"
        partners = Partner.create(
            [
                {"name": "Br A", "phone": shared, "mobile": "+55 11 98888-0101",
                 "country_id": self.brazil.id},
                {"name": "Br B", "phone": shared, "mobile": "+55 11 98888-0102",
                 "country_id": self.brazil.id},
                {"name": "Us C", "phone": shared, "mobile": "+1 512 555 0103",
                 "country_id": self.us.id},
                {"name": "Br D", "phone": own, "mobile": "+55 11 98888-0104",
                 "country_id": self.brazil.id},
                {"name": "Bad E", "phone": "123", "mobile": "+55 11 98888-0105",
                 "country_id": self.brazil.id},
            ]
        )  # fmt: skip
        got = self.load_both_ways(
            "crm.lead",
            [
                {"name": f"Run phone {p.name}", "type": "opportunity",
                 "partner_id": p.id, "user_id": False}
                for p in partners
            ],
        )  # fmt: skip
        states = [r["phone_state"] for r in got["rows"]]
        self.assertEqual(states, ["correct", "correct", "incorrect", "correct",
                                  "incorrect"])  # fmt: skip
        calls = []
        original = phone_validation.phone_parse

        def counted(number, country_code):
            calls.append((number, country_code))
            return original(number, country_code)

        with (
            patch.dict(bulk_computed._E164, clear=True),
            patch.object(phone_validation, "phone_parse", counted),
        ):
            # a partner of the run whose own sanitised phone is ``own``
            PartnerComputed(Partner).fill(
                [{"name": "Own", "phone": own, "country_id": self.brazil.id}]
            )
            calls.clear()
            batches = [partners[:2], partners[1:]]
            filled = []
            for batch in batches:
                rows = [{"partner_id": p.id} for p in batch]
                LeadComputed(self.env["crm.lead"]).fill(rows)
                filled += [r["phone_state"] for r in rows]
        self.assertEqual(sorted(calls), [(shared, "BR"), (shared, "US"), ("123", "BR")])
        self.assertEqual(filled, [s or False for s in states[:2] + states[1:]])

    def test_the_partners_values_are_read_once_for_the_batch(self):
        """What a lead takes from its partner (the address, the phones and
        what they make, its names, job...) is read for the batch's partners
        at once: a column at a time from the cache, no field of them read
        through a record per row; the values are the partners' (all of the
        address or none)."""
        Partner = self.env["res.partner"]
        partners = Partner.create(
            [
                {"name": "Addressed", "street": "Rua B 2", "city": "Santos",
                 "state_id": self.sp.id, "country_id": self.brazil.id,
                 "phone": "(11) 5555-0126"},
                {"name": "Mobile only", "mobile": "+55 11 98888-0003"},
                {"name": "Empty phone", "phone": "", "city": ""},
                {"name": "Ana Lima", "parent_id": self.acme.id, "function": "CTO"},
            ]
        )  # fmt: skip
        # as the bulk writer flushes before it computes a batch
        self.env.flush_all()
        self.env.invalidate_all()
        rows = [{"partner_id": p.id} for p in partners]
        reads = []
        original = fields.Field.__get__

        def counted(field, record, owner=None):
            # the batch's partners (not the company's own, whose country a
            # lead of a partner without one takes)
            if record is not None and set(record._ids) & set(partners._ids):
                reads.append(field.name)
            return original(field, record, owner)

        with patch.object(fields.Field, "__get__", counted):
            LeadComputed(self.env["crm.lead"]).fill(rows)
            LeadValues(self.env["crm.lead"]).fill(rows)
        self.assertEqual(reads, [])
        keys = ("street", "city", "state_id", "country_id", "phone", "mobile")
        self.assertEqual(
            [tuple(row[k] for k in keys) for row in rows],
            [
                ("Rua B 2", "Santos", self.sp.id, self.brazil.id,
                 "(11) 5555-0126", False),
                (False, False, False, False, False, "+55 11 98888-0003"),
                (False, False, False, False, False, False),
                # the company's address, which the contact's creation copies
                ("Rua A 1", "São Paulo", self.sp.id, self.brazil.id, False, False),
            ],
        )  # fmt: skip
        self.assertEqual(rows[0]["phone_sanitized"], "+551155550126")
        self.assertEqual(
            [(r["contact_name"], r["partner_name"], r["function"]) for r in rows],
            [("Addressed", False, False), ("Mobile only", False, False),
             ("Empty phone", False, False), ("Ana Lima", "Acme Brasil", "CTO")],
        )  # fmt: skip

    def test_a_batch_fetches_its_partners_once(self):
        """A batch of leads reads its partners' fields in one query (what
        the leads take from them, crm's email inverse, the company check)
        and their parents' names in another: not a query per reader, nor
        every column of the partners at the email inverse's first read."""
        Partner = self.env["res.partner"]
        partners = Partner.create(
            [
                {"name": "Fetched A", "email": "a@fetched.example.com",
                 "phone": "(11) 5555-0127", "country_id": self.brazil.id},
                {"name": "Fetched B", "email": "b@fetched.example.com",
                 "parent_id": self.acme.id},
            ]
        )  # fmt: skip
        preps = [
            prep(i, f"f{i}", name=f"Fetched deal {i}", type="opportunity",
                 partner_id=p.id, email_from=p.email, user_id=False)
            for i, p in enumerate([*partners, partners[0]])
        ]  # fmt: skip
        self.env.flush_all()
        self.env.invalidate_all()
        fetched = []
        original = type(Partner)._fetch_query

        def counted(records, query, fields_):
            fetched.append(len(fields_))
            return original(records, query, fields_)

        writer = Writer(self.env, bulk=True)
        with patch.object(type(Partner), "_fetch_query", counted):
            ok, bad = writer.create(writer.model("crm.lead"), preps)
        self.assertEqual((len(ok), bad, writer.take_counts()), (3, [], (3, {})))
        self.assertEqual(len(fetched), 2, fetched)
