"""The values of a new partner that the bulk path computes itself instead of
Odoo's compute at the flush (loader.bulk_peppol: the company registry and the
Peppol address) are the values create() stores: the same rows loaded once
through the ORM writer and once through the bulk writer, rolled back in
between, compared column by column (ids and timestamps aside)."""

import functools
import random
from unittest.mock import patch

from odoo import tools
from odoo.models import BaseModel
from odoo.tests import tagged

from ..loader import bulk_computed, bulk_email
from ..loader.book import Book
from ..loader.bulk_partner import PartnerBulk
from ..loader.bulk_peppol import RegistryComputed
from ..loader.writer import Writer
from .loader_common import LoaderCase, prep
from .test_loader_bulk import StoredRows, both_ways


@tagged("post_install", "-at_install")
class TestLoaderBulkPartner(LoaderCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.be = cls.env.ref("base.be")
        cls.fr = cls.env.ref("base.fr")
        cls.us = cls.env.ref("base.us")
        cls.belgian = cls.env["res.partner"].create(
            {
                "name": "Belgian Parent",
                "is_company": True,
                "vat": "BE0477472701",
                "company_registry": "0477472701",
                "country_id": cls.be.id,
            }
        )

    def load_both_ways(self, vals_list):
        """The stored rows of ``vals_list`` created by both writers; every
        row written in bulk."""
        stored = StoredRows(self.env)

        def load(writer):
            preps = [prep(i, f"k{i}", **dict(v)) for i, v in enumerate(vals_list)]
            ok, bad = writer.create(writer.model("res.partner"), preps)
            self.assertEqual(bad, [])
            return [record.id for _prep, record in ok]

        got = both_ways(self.env, load, lambda ids: stored.rows("res.partner", ids))
        (orm, orm_counts), (bulk, bulk_counts) = got[False], got[True]
        self.assertEqual(len(orm), len(vals_list))
        for i, (orm_row, bulk_row) in enumerate(zip(orm, bulk, strict=True)):
            self.assertEqual(bulk_row, orm_row, f"res.partner row {i}")
        self.assertEqual((orm_counts[0], bulk_counts), (0, (len(vals_list), {})))
        return orm

    def test_the_registry_and_peppol_address_are_stored_as_create_stores_them(self):
        company = {"is_company": True}
        vals_list = [
            # Belgium: a valid company registry wins (EAS 0208), else the VAT
            {**company, "name": "Reg BE", "company_registry": "0477472701",
             "vat": "BE0477472701", "country_id": self.be.id},
            {**company, "name": "Vat BE", "vat": "BE0477472701",
             "country_id": self.be.id},
            # a registry that is not valid for 0208 and no VAT: the first EAS
            {**company, "name": "Bad reg BE", "company_registry": "12",
             "country_id": self.be.id},
            # the VAT's prefix says Belgium, the country France
            {**company, "name": "Prefixed", "vat": "BE0477472701",
             "country_id": self.fr.id},
            # a country without a Peppol mapping; no country at all
            {**company, "name": "US Co", "vat": "12-3456789",
             "country_id": self.us.id},
            {**company, "name": "Nowhere"},
            # given values are kept (create() protects them)
            {**company, "name": "Given EAS", "vat": "BE0477472701",
             "country_id": self.be.id, "peppol_eas": "9925"},
            {**company, "name": "Given endpoint", "country_id": self.be.id,
             "vat": "BE0477472701", "peppol_endpoint": "0477472701"},
            # a person of a Belgian company: its VAT and registry by the sync
            {"name": "Person BE", "is_company": False,
             "parent_id": self.belgian.id},
        ]  # fmt: skip
        rows = self.load_both_ways(vals_list)
        got = [
            (r["name"], r["peppol_eas"], r["peppol_endpoint"], r["company_registry"])
            for r in rows
        ]
        self.assertEqual(
            got,
            [
                ("Reg BE", "0208", "0477472701", "0477472701"),
                ("Vat BE", "9925", "BE0477472701", None),
                ("Bad reg BE", "0208", None, "12"),
                ("Prefixed", "9925", "BE0477472701", None),
                ("US Co", None, None, None),
                ("Nowhere", None, None, None),
                ("Given EAS", "9925", "BE0477472701", None),
                ("Given endpoint", "9925", "0477472701", None),
                ("Person BE", "0208", "0477472701", "0477472701"),
            ],
        )
        computed = RegistryComputed(self.env["res.partner"])
        self.assertEqual(
            (computed.taken, computed.left),
            (["company_registry", "peppol_eas", "peppol_endpoint"], {}),
            "the bulk path computes these itself: the comparison above covers them",
        )

    def test_company_dependent_values_of_a_batch_are_stored_each_its_own(self):
        """A batch's company-dependent columns (a contact's fiscal position
        and payment term, copied from its company by the commercial sync)
        are converted once per distinct value: each row still stores its own."""
        Position = self.env["account.fiscal.position"]
        term = self.env.ref("account.account_payment_term_30days")
        parents = self.env["res.partner"].create(
            [
                {"name": "Export Co", "is_company": True,
                 "property_account_position_id": Position.create({"name": "Exp"}).id,
                 "property_payment_term_id": term.id},
                {"name": "Intra Co", "is_company": True,
                 "property_account_position_id": Position.create({"name": "Intra"}).id},
                {"name": "Plain Co", "is_company": True},
            ]
        )  # fmt: skip
        vals_list = [
            {"name": f"Person {i}", "is_company": False, "parent_id": parent.id}
            for i, parent in enumerate([*parents, *parents])
        ]
        rows = self.load_both_ways(vals_list)
        company = str(self.env.company.id)

        def value(row, fname):  # (model, {company: id}) or None
            return row[fname] and row[fname][1].get(company)

        self.assertEqual(
            [
                (
                    value(r, "property_account_position_id"),
                    value(r, "property_payment_term_id"),
                )
                for r in rows
            ],
            [
                (parents[0].property_account_position_id.id, term.id),
                (parents[1].property_account_position_id.id, None),
                (None, None),
            ]
            * 2,
        )

    def test_nothing_of_a_new_partner_is_left_to_compute_at_the_flush(self):
        """Every stored compute of a new partner is a value of the INSERT:
        after it, the flush has no compute (and no UPDATE of the new rows)."""
        writer = Writer(self.env, bulk=True)
        preps = [
            prep(0, "k0", name="Flat BE", is_company=True, vat="BE0477472701",
                 country_id=self.be.id, phone="+32 2 555 01 01"),
            prep(1, "k1", name="Flat person", is_company=False,
                 parent_id=self.belgian.id, email="p@flat.example.com"),
        ]  # fmt: skip
        left = {}
        original = PartnerBulk.after

        def after(spec, model, records, vals_list):
            tocompute = model.env.transaction.tocompute
            left.update({f.name: len(ids) for f, ids in tocompute.items() if ids})
            return original(spec, model, records, vals_list)

        with patch.object(PartnerBulk, "after", after):
            _ok, bad = writer.create(writer.model("res.partner"), preps)
        self.assertEqual((bad, writer.take_counts()[0]), ([], 2))
        self.assertEqual(left, {})

    def test_the_batch_and_its_parents_are_read_back_narrowly(self):
        """After the INSERT, the checks (the Peppol constraint, the record
        rules, the company check), the first-contact rule, the pricelist of
        the parents and the ledger's after-values read the rows from the
        database: each only the fields it needs. A field read alone fetches
        every column of its model for the batch (about a hundred for a
        partner): that was a fetch of every column per check."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        last = Partner.search([], order="id desc", limit=1).id
        parent = self.belgian.id
        writer = Writer(self.env, bulk=True)
        book = Book(self.env, self.mig_run, self.env["migration.object.map"], True)
        preps = [
            prep(0, "k0", name="Narrow BE", is_company=True, vat="BE0477472701",
                 country_id=self.be.id, email="a@narrow.example.com"),
            prep(1, "k1", name="Narrow US", is_company=True, country_id=self.us.id),
            prep(2, "k2", name="Narrow person", is_company=False, parent_id=parent,
                 email="p@narrow.example.com", city="Gent"),
        ]  # fmt: skip
        widths = []
        original = BaseModel.fetch

        def fetch(records, field_names):
            ids = set(records._ids)
            if records._name == "res.partner" and (
                parent in ids or any(i > last for i in ids)
            ):
                widths.append(len(field_names))
            return original(records, field_names)

        self.env.invalidate_all()
        with patch.object(BaseModel, "fetch", fetch):
            ok, bad = writer.create(writer.model("res.partner"), preps)
            after = book.after(ok)
        self.assertEqual((bad, len(ok)), ([], 3))
        self.assertEqual(after[0][0]["email"], "a@narrow.example.com")
        self.assertTrue(widths)
        self.assertLess(max(widths), 40, f"fields fetched per read: {widths}")

    def test_a_number_is_sanitised_once_per_country_for_the_run(self):
        """The sanitised phone of a number repeated across batches (a
        company's phone on its contacts) is formatted once per country, not
        once per batch; every row stores it."""
        Partner = type(self.env["res.partner"])
        original, calls = Partner._phone_format_number, []

        @functools.wraps(original)  # still Odoo's own to the bulk path's check
        def counted(model, number, *args, **kwargs):
            calls.append(number)
            return original(model, number, *args, **kwargs)

        writer = Writer(self.env, bulk=True)
        number = "+1 415 555 0199"
        batches = [
            [prep(0, "s0", name="Sane 0", is_company=True, phone=number,
                  country_id=self.us.id),
             prep(1, "s1", name="Sane 1", is_company=True, phone=number,
                  country_id=self.us.id)],
            [prep(2, "s2", name="Sane 2", is_company=True, phone=number,
                  country_id=self.us.id),
             prep(3, "s3", name="Sane 3", is_company=True, phone=number,
                  country_id=self.be.id)],
        ]  # fmt: skip
        records = self.env["res.partner"]
        with (
            patch.dict(bulk_computed._E164, clear=True),
            patch.object(Partner, "_phone_format_number", counted),
        ):
            for preps in batches:
                ok, bad = writer.create(writer.model("res.partner"), preps)
                self.assertEqual(bad, [])
                records |= records.concat(*(record for _prep, record in ok))
        self.assertEqual(calls, [number, number])  # the US, then Belgium
        self.assertEqual(set(records.mapped("phone_sanitized")), {"+14155550199"})
        self.assertEqual(writer.take_counts()[0], 4)

    def test_a_plain_email_is_normalised_as_odoo_normalises_it(self):
        """email_normalized of a plain address (bulk_email.PLAIN) is Odoo's
        email_normalize without its address-header parse: the same result
        for every text, checked on random texts of the characters that
        matter (dots, @, quotes, brackets, spaces, accents) and on a
        batch, where Odoo's parser is asked only for the other texts."""
        rnd = random.Random(18)
        chars = ["aZ09_%+-.@", "aZ09_%+-.@ <>\"(),;:[]é\\'!#$&*/=?^`{|}~"]
        texts = [False, "", "A@B.CO", "Ann <ann@x.example.com>", "a..b@x.com"]
        for i in range(20000):
            alphabet = chars[i % 2]
            local = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 8)))
            domain = "".join(rnd.choice("ab-.9Z") for _ in range(rnd.randint(1, 8)))
            texts.append(f"{local}@{domain}" if i % 3 else local + domain)
        plain = [t for t in texts if t and bulk_email.PLAIN.fullmatch(t)]
        self.assertGreater(len(plain), 500)
        self.assertEqual(
            [bulk_computed.email_normalized(t) for t in texts],
            [tools.email_normalize(t, strict=False) for t in texts],
        )
        calls = []
        original = tools.email_split

        def counted(text):
            calls.append(text)
            return original(text)

        writer = Writer(self.env, bulk=True)
        preps = [
            prep(0, "e0", name="Plain", email="Ann.Lee+crm@Mail.Example.com"),
            prep(1, "e1", name="Named", email="Bo <bo@x.example.com>"),
        ]
        with patch.object(bulk_email.tools, "email_split", counted):
            ok, bad = writer.create(writer.model("res.partner"), preps)
        self.assertEqual(bad, [])
        self.assertEqual(calls, ["Bo <bo@x.example.com>"])
        self.assertEqual(
            [record.email_normalized for _prep, record in ok],
            ["ann.lee+crm@mail.example.com", "bo@x.example.com"],
        )
