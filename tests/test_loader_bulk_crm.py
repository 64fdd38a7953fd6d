"""The bulk path of res.partner and crm.lead (loader.bulk_partner,
loader.bulk_lead) stores what Odoo's create() stores: the same rows loaded
once through the ORM writer and once through the bulk writer, in savepoints
rolled back in between, compared column by column (ids and timestamps aside)
with their tags, the parents the contacts' creation changes, the partners a
lead's email changes and the lead scoring frequencies."""

import datetime as dt
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..loader.book import Book
from ..loader.bulk import BulkWriter
from ..loader.bulk_computed import PartnerComputed
from ..loader.partners import PartnerFinder
from ..loader.writer import Writer
from .loader_common import LoaderCase, prep
from .test_loader_bulk import StoredRows, both_ways

X_FIELDS = (("x_legacy_ref", "char"), ("x_legacy_score", "integer"))


class BulkCrmCase(LoaderCase):
    """Partners, stages, tags the ORM-against-bulk comparisons load against,
    and the comparison itself (load_both_ways); the leads' tests are in
    test_loader_bulk_leads.py."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        for model_name in ("res.partner", "crm.lead"):
            model_id = env["ir.model"]._get_id(model_name)
            for name, ttype in X_FIELDS:
                env["ir.model.fields"].create(
                    {
                        "name": name,
                        "model_id": model_id,
                        "ttype": ttype,
                        "field_description": name,
                    }
                )
        # lead scoring counts the leads created after its start date
        env["ir.config_parameter"].sudo().set_param("crm.pls_start_date", "2000-01-01")
        cls.brazil = env.ref("base.br")
        cls.us = env.ref("base.us")
        cls.sp = env["res.country.state"].search(
            [("country_id", "=", cls.brazil.id), ("code", "=", "SP")], limit=1
        )
        # a pricelist for Brazil (country group): the pricelist inverse of the
        # commercial sync compares the company's pricelist with the contact's country's
        group = env["res.country.group"].create(
            {"name": "Brazil group", "country_ids": [Command.set(cls.brazil.ids)]}
        )
        cls.br_list = env["product.pricelist"].create(
            {"name": "BR list", "country_group_ids": [Command.set(group.ids)]}
        )
        cls.position = env["account.fiscal.position"].create({"name": "Export"})
        cls.industry = env["res.partner.industry"].create({"name": "Bulk industry"})
        cls.vip = env["res.partner.category"].create({"name": "VIP"})
        cls.gold = env["res.partner.category"].create({"name": "Gold"})
        Partner = env["res.partner"]
        cls.acme = Partner.create(
            {
                "name": "Acme Brasil",
                "is_company": True,
                "vat": "11.222.333/0001-81",
                "company_registry": "REG-1",
                "industry_id": cls.industry.id,
                "street": "Rua A 1",
                "city": "São Paulo",
                "state_id": cls.sp.id,
                "country_id": cls.brazil.id,
                "lang": "en_US",
                "property_account_position_id": cls.position.id,
                "specific_property_product_pricelist": cls.br_list.id,
            }
        )
        cls.bare = Partner.create(
            {"name": "Bare Inc", "is_company": True, "vat": "BARE-9"}
        )
        cls.empty = Partner.create({"name": "Empty Ltd", "is_company": True})
        # a company with a salesperson: its people without one take it
        cls.owned = Partner.create(
            {"name": "Owned SA", "is_company": True, "user_id": cls.owner.id}
        )
        cls.won = env["crm.stage"].create(
            {"name": "Bulk won", "is_won": True, "sequence": 70}
        )
        cls.mid = env["crm.stage"].create({"name": "Bulk proposal", "sequence": 20})
        cls.hot = env["crm.tag"].create({"name": "Hot"})
        cls.cold = env["crm.tag"].create({"name": "Cold"})
        cls.reason = env["crm.lost.reason"].create({"name": "Too expensive"})

    def setUp(self):
        super().setUp()
        self.stored = StoredRows(self.env)

    # ------------------------------------------------------------ helpers
    def relations(self, model_name, ids):
        """The many2many values of the records, by name."""
        model = self.env[model_name]
        names = [
            f.name for f in model._fields.values() if f.type == "many2many" and f.store
        ]
        self.env.invalidate_all()
        return [
            {n: sorted(record[n].mapped("display_name")) for n in names}
            for record in model.browse(sorted(ids))
        ]

    def create_dates(self, model_name, ids):
        """The creation dates of the records in id order, the transaction's
        now as None (both writers give it)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT nullif(create_date, now() AT TIME ZONE 'UTC') FROM %s "
                "WHERE id = ANY(%s) ORDER BY id",
                SQL.identifier(self.env[model_name]._table),
                list(ids),
            )
        )
        return [date for (date,) in self.env.cr.fetchall()]

    def frequencies(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT variable, value, won_count, lost_count, team_id "
            "FROM crm_lead_scoring_frequency ORDER BY 1, 2, 5"
        )
        return self.env.cr.fetchall()

    def attachments(self):
        """The attachments of partners and leads (image sizes...)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT res_model, res_field, count(*) FROM ir_attachment "
            "WHERE res_model IN ('res.partner', 'crm.lead') GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return self.env.cr.fetchall()

    def load_both_ways(self, model_name, vals_list, watched=(), dates=None):
        """Both writers: the stored rows, relations and caller keys of the new
        records, the rows of ``watched`` partners and the scoring
        frequencies; the bulk writer wrote every row in bulk. ``dates``: the
        source's creation date of each row, written after the batch as the
        loader writes them (book.original_dates), and compared too."""

        def load(writer):
            preps = [prep(i, f"k{i}", **dict(v)) for i, v in enumerate(vals_list)]
            for one, date in zip(preps, dates or (), strict=False):
                one.create_date = date
            ok, bad = writer.create(writer.model(model_name), preps)
            self.assertEqual(bad, [])
            book = Book(self.env, self.mig_run, self.env["migration.object.map"])
            book.original_dates(ok)
            return [r.id for _p, r in ok], [
                sorted(p.vals.items(), key=str) for p in preps
            ]

        def read(loaded):
            ids, keys = loaded
            return {
                "rows": self.stored.rows(model_name, ids),
                "create_dates": self.create_dates(model_name, ids),
                "relations": self.relations(model_name, ids),
                "keys": keys,
                "watched": self.stored.rows("res.partner", [p.id for p in watched]),
                "frequencies": self.frequencies(),
                "followers": self.stored.followers(),
                "attachments": self.attachments(),
            }

        got = both_ways(self.env, load, read)
        orm, orm_counts = got[False]
        bulk, bulk_counts = got[True]
        self.assertEqual(len(orm["rows"]), len(vals_list))
        for i, (orm_row, bulk_row) in enumerate(
            zip(orm["rows"], bulk["rows"], strict=True)
        ):
            self.assertEqual(bulk_row, orm_row, f"{model_name} row {i}")
        for key in (
            "create_dates",
            "relations",
            "keys",
            "watched",
            "frequencies",
            "followers",
            "attachments",
        ):
            self.assertEqual(bulk[key], orm[key], key)
        self.assertEqual(orm_counts[0], 0)
        self.assertEqual(bulk_counts, (len(vals_list), {}))
        return orm


@tagged("post_install", "-at_install")
class TestLoaderBulkCrm(BulkCrmCase):
    # ------------------------------------------------------------ partners
    def test_companies_are_stored_as_create_stores_them(self):
        vals_list = [
            {
                "name": "Globex",
                "is_company": True,
                "vat": "99.888.777/0001-66",
                "website": "globex.example.com",
                "email": "Info@Globex.example.com",
                "phone": "+55 11 5555-0100",
                "street": "Av. Paulista 1000",
                "city": "São Paulo",
                "state_id": self.sp.id,
                "country_id": self.brazil.id,
                "user_id": self.owner.id,
                "category_id": [Command.link(self.vip.id), Command.link(self.gold.id)],
                "comment": "<p>Key account</p>",
                "x_legacy_ref": "C-1",
                "x_legacy_score": 12,
            },
            {
                "name": "Initech",
                "is_company": True,
                "category_id": [Command.set([self.gold.id])],
            },
        ]
        got = self.load_both_ways("res.partner", vals_list)
        rows = got["rows"]
        self.assertEqual(rows[0]["website"], "http://globex.example.com")
        self.assertEqual(rows[0]["commercial_partner_id"], ("res.partner", "Globex"))
        self.assertEqual(rows[0]["complete_name"], "Globex")
        self.assertEqual(rows[0]["email_normalized"], "info@globex.example.com")
        self.assertEqual(
            (rows[0]["x_legacy_ref"], rows[0]["x_legacy_score"]), ("C-1", 12)
        )
        self.assertEqual(got["relations"][0]["category_id"], ["Gold", "VIP"])

    def test_new_records_tags_are_written_without_reading_their_relation(self):
        """A new record's tags (many2many) are empty before the batch writes
        them, as create() caches them: the relation table is not read for the
        batch first (the equality of what is stored: the test above)."""
        reads = []
        original = fields.Many2many.read

        def counted(field, records):
            reads.append(field.name)
            return original(field, records)

        writer = Writer(self.env, bulk=True)
        preps = [
            prep(i, f"t{i}", name=f"Tagged {i}", is_company=True,
                 category_id=[Command.link(self.vip.id)])
            for i in range(3)
        ]  # fmt: skip
        with patch.object(fields.Many2many, "read", counted):
            ok, bad = writer.create(writer.model("res.partner"), preps)
        self.assertEqual((len(ok), bad, writer.take_counts()), (3, [], (3, {})))
        self.assertNotIn("category_id", reads)
        records = self.env["res.partner"].browse([r.id for _p, r in ok])
        self.assertEqual(records.category_id, self.vip)
        self.assertEqual([r.category_id for r in records], [self.vip] * 3)

    def test_what_a_rows_field_names_decide_is_decided_once_per_names(self):
        """The fields create() protects and the inverses it collects depend on
        the names a row gives: decided once for the rows giving the same ones
        (the equality of what is stored: the tests above and below)."""
        calls = []
        original = BulkWriter._protected

        def counted(model, vals):
            calls.append(sorted(vals))
            return original(model, vals)

        writer = Writer(self.env, bulk=True)
        preps = [prep(i, f"n{i}", name=f"Named {i}", is_company=True) for i in range(4)]
        preps.append(prep(4, "n4", name="Phoned", is_company=True, phone="+1 512"))
        with patch.object(BulkWriter, "_protected", staticmethod(counted)):
            ok, bad = writer.create(writer.model("res.partner"), preps)
        self.assertEqual((len(ok), bad, writer.take_counts()), (5, [], (5, {})))
        self.assertEqual(len(calls), 2)
        self.assertEqual(len([c for c in calls if "phone" in c]), 1)

    def test_contacts_with_parents_are_synced_as_create_syncs_them(self):
        vals_list = [
            {  # a contact of a company with an address: its address, vat, lang...
                "name": "Ana Souza",
                "is_company": False,
                "parent_id": self.acme.id,
                "email": "ana@acme.example.com",
                "phone": "+55 11 5555-0101",
                "function": "Buyer",
                "company_name": "Acme Brasil",
                "vat": "123.456.789-09",  # replaced by the company's (commercial field)
                "category_id": [Command.link(self.vip.id)],
                "x_legacy_ref": "P-1",
            },
            {  # living elsewhere: keeps its own address, pricelist by its country
                "name": "Bruno Lima",
                "is_company": False,
                "parent_id": self.acme.id,
                "type": "other",
                "city": "Austin",
                "country_id": self.us.id,
                "lang": "fr_FR",
                "phone": "not a phone",
                "mobile": "(512) 555-0134",  # the first number that formats
            },
            {  # the first contact of a company without an address gives it one
                "name": "Carla Dias",
                "is_company": False,
                "parent_id": self.bare.id,
                "street": "Rua B 2",
                "city": "Campinas",
                "country_id": self.brazil.id,
            },
            {  # two contacts of another company without an address: none does
                "name": "Davi Reis",
                "is_company": False,
                "parent_id": self.empty.id,
                "city": "Recife",
                "phone": "(81) 3222-0000",  # no country: the company's
            },
            {"name": "Eva Melo", "is_company": False, "parent_id": self.empty.id},
            {  # living in the country of the company's pricelist: none of its own
                "name": "Gabi Rocha",
                "is_company": False,
                "parent_id": self.acme.id,
                "type": "other",
                "city": "Santos",
                "country_id": self.brazil.id,
            },
            {  # a person of a company with a salesperson: the company's
                "name": "Hugo Alves",
                "is_company": False,
                "parent_id": self.owned.id,
            },
            {  # its own salesperson stays
                "name": "Iris Prado",
                "is_company": False,
                "parent_id": self.owned.id,
                "user_id": self.env.ref("base.user_admin").id,
            },
            {  # a company under it is no person: none
                "name": "Owned Branch",
                "is_company": True,
                "parent_id": self.owned.id,
            },
            {  # no parent: nothing synced
                "name": "Fabio Nunes",
                "is_company": False,
                "email": '"Fabio N." <Fabio@Example.com>',
                "website": "fabio.example.com",
                "x_legacy_score": 3,
                "company_name": "Freelance Ltd",  # its complete name says so
                "mobile": "+55 11 98888-7777",
            },
            {  # an address without a name: its type names it
                "name": "",
                "is_company": False,
                "parent_id": self.empty.id,
                "type": "other",
            },
        ]
        self.env["res.lang"]._activate_lang("fr_FR")
        got = self.load_both_ways(
            "res.partner", vals_list, watched=(self.acme, self.bare, self.empty)
        )
        rows = got["rows"]
        # what the comparison covers: the syncs of create()
        self.assertEqual(rows[0]["vat"], "11.222.333/0001-81")
        self.assertEqual(
            rows[0]["industry_id"], ("res.partner.industry", "Bulk industry")
        )
        self.assertEqual(rows[0]["city"], "São Paulo")
        self.assertEqual(rows[0]["company_name"], None)
        self.assertTrue(rows[0]["property_account_position_id"])
        self.assertEqual(
            rows[0]["commercial_partner_id"], ("res.partner", "Acme Brasil")
        )
        self.assertEqual(rows[0]["complete_name"], "Acme Brasil, Ana Souza")
        self.assertEqual(rows[1]["city"], "Austin")
        self.assertEqual(rows[1]["lang"], "fr_FR")
        self.assertEqual(
            rows[1]["specific_property_product_pricelist"],
            ("product.pricelist", {str(self.env.company.id): self.br_list.id}),
        )
        self.assertIsNone(rows[5]["specific_property_product_pricelist"])
        self.assertEqual(got["watched"][1]["city"], "Campinas")
        self.assertFalse(got["watched"][2]["city"])
        self.assertEqual(
            [rows[i]["user_id"] for i in (6, 7, 8, 9)],
            [
                ("res.users", self.owner.display_name),
                ("res.users", self.env.ref("base.user_admin").display_name),
                None,
                None,
            ],
        )
        self.assertEqual(rows[9]["website"], "http://fabio.example.com")
        # the stored computes the bulk path makes itself (loader.bulk_computed)
        self.assertEqual(rows[0]["phone_sanitized"], "+551155550101")
        self.assertEqual(rows[1]["phone_sanitized"], "+15125550134")
        self.assertEqual(rows[3]["commercial_company_name"], "Empty Ltd")
        self.assertEqual(rows[8]["complete_name"], "Owned Branch")
        self.assertEqual(
            rows[8]["commercial_partner_id"], ("res.partner", "Owned Branch")
        )
        self.assertEqual(
            (rows[9]["complete_name"], rows[9]["commercial_company_name"]),
            ("Freelance Ltd, Fabio Nunes", "Freelance Ltd"),
        )
        self.assertEqual(rows[9]["email_normalized"], "fabio@example.com")
        self.assertEqual(rows[9]["phone_sanitized"], "+5511988887777")
        self.assertEqual(rows[10]["complete_name"], "Empty Ltd, Other Address")
        self.assertTrue(all(row["partner_share"] for row in rows))
        computed = PartnerComputed(self.env["res.partner"])
        self.assertEqual(
            (sorted(computed.taken), computed.left),
            (
                [
                    "commercial_company_name",
                    "commercial_partner_id",
                    "complete_name",
                    "email_normalized",
                    "partner_share",
                    "phone_sanitized",
                ],
                {},
            ),
            "the bulk path computes these itself: the comparison above covers them",
        )

    def test_the_companies_contacts_name_are_made_as_create_makes_them(self):
        """The companies a contacts batch names that no file has (made for
        the batch at once by PartnerFinder.parent_companies) are stored alike
        by the bulk path and by create()."""
        self.project.company_id = self.env.company
        wanted = [
            ("Zeta Works", {"street": "Rue 1", "city": "Ghent", "zip": "9000"}),
            ("ZETA WORKS, Inc.", {"city": "Paris"}),  # the same company
            (" Omega Labs ", {"city": "Recife", "country_id": self.brazil.id,
                              "state_id": self.sp.id}),
            ("Acme Brasil", {"city": "Lyon"}),  # in Odoo already
        ]  # fmt: skip

        def load(writer):
            finder = PartnerFinder(self.env, self.cache, writer)
            self.cache.companies.clear()
            self.cache.auto_created = []
            ids = finder.parent_companies(wanted)
            return ids, [r.id for r in self.cache.auto_created]

        def read(loaded):
            ids, made = loaded
            return {
                "ids": [ids.index(i) for i in ids],
                "made": [ids.index(i) for i in made],
                "rows": self.stored.rows("res.partner", made),
            }

        got = both_ways(self.env, load, read)
        (orm, orm_counts), (bulk, bulk_counts) = got[False], got[True]
        self.assertEqual(bulk, orm)
        self.assertEqual((orm_counts, bulk_counts), ((0, {}), (0, {})))
        self.assertEqual(orm["ids"], [0, 0, 2, 3])
        self.assertEqual(orm["made"], [0, 2])
        rows = orm["rows"]
        self.assertEqual(
            [(r["name"], r["city"], r["zip"], r["is_company"]) for r in rows],
            [
                ("Zeta Works", "Ghent", "9000", True),
                ("Omega Labs", "Recife", None, True),
            ],
        )
        self.assertEqual(
            rows[1]["state_id"], ("res.country.state", self.sp.display_name)
        )
        self.assertEqual(rows[0]["company_id"], ("res.company", self.env.company.name))

    def test_a_partner_is_inserted_with_its_source_creation_date(self):
        """The bulk path inserts a partner with the source's creation date
        (the loader's UPDATE of every row then finds nothing to change) and a
        company with its own id as its commercial partner, the batch's ids
        drawn in row order."""
        writer = Writer(self.env, bulk=True)
        created = dt.datetime(2021, 6, 29, 12, 53)
        rows = [
            prep(0, "k0", name="Dated Co", is_company=True),
            prep(1, "k1", name="Undated", is_company=False, parent_id=self.acme.id),
        ]
        rows[0].create_date = created
        ok, bad = writer.create(writer.model("res.partner"), rows)
        self.assertEqual((bad, writer.take_counts()), ([], (2, {})))
        ids = [record.id for _prep, record in ok]
        self.env.cr.execute(
            "SELECT id, create_date, commercial_partner_id FROM res_partner "
            "WHERE id = ANY(%s) ORDER BY id",
            [ids],
        )
        dated, undated = self.env.cr.fetchall()
        self.assertEqual(dated, (ids[0], created, ids[0]))
        self.assertEqual((undated[0], undated[2]), (ids[1], self.acme.id))
        self.assertEqual(undated[1], self.env.cr.now())

    def test_a_compute_a_module_overrides_is_left_to_odoo_and_said(self):
        """A stored compute another module overrides is not taken over: Odoo
        computes it (its override) and the writer says which and why."""
        Partner = self.env["res.partner"]

        def custom(partners):  # another module's complete name
            for partner in partners:
                partner.complete_name = f"[{partner.name}]"

        custom.__module__ = "odoo.addons.other_module.models.res_partner"
        with patch.object(type(Partner), "_compute_complete_name", custom):
            writer = Writer(self.env, bulk=True)
            ok, _bad = writer.create(
                writer.model("res.partner"),
                [prep(0, "k0", name="Solo", is_company=True)],
            )
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT complete_name, commercial_company_name FROM res_partner "
                "WHERE id = %s",
                [ok[0][1].id],
            )
            self.assertEqual(self.env.cr.fetchone(), ("[Solo]", "Solo"))
        self.assertEqual(writer.take_counts(), (1, {}))
        self.assertEqual(
            writer.take_left(),
            {
                ("res.partner", "complete_name"): "_compute_complete_name is "
                "overridden (odoo.addons.other_module.models.res_partner)"
            },
        )

    # ------------------------------------------------------------ refusals
    def test_what_the_partner_bulk_path_cannot_reproduce_goes_through_create(self):
        writer = Writer(self.env, bulk=True)
        Partner = writer.model("res.partner")
        # an archived contact with a parent
        ok, bad = writer.create(
            Partner,
            [prep(1, "k1", name="Old", parent_id=self.acme.id, active=False)],
        )
        self.assertEqual((len(ok), bad), (1, []))
        self.assertEqual(ok[0][1].city, "São Paulo", "create() synced it")
        # a contact whose parent has a parent
        child = self.env["res.partner"].create(
            {"name": "Branch", "parent_id": self.acme.id}
        )
        writer.create(Partner, [prep(2, "k2", name="Deep", parent_id=child.id)])
        # a context that changes the defaults
        writer.create(
            Partner.with_context(default_type="invoice"), [prep(3, "k3", name="Inv")]
        )
        # a second company: company-dependent commercial fields sync per company
        self.env["res.company"].create({"name": "Second company"})
        writer.create(Partner, [prep(4, "k4", name="Two", parent_id=self.acme.id)])
        writer.create(Partner, [prep(5, "k5", name="No parent")])
        self.assertEqual(
            writer.take_counts(),
            (
                1,
                {
                    ("res.partner", "an archived contact with a parent"): 1,
                    ("res.partner", "a parent that has a parent"): 1,
                    ("res.partner", "context default_type"): 1,
                    (
                        "res.partner",
                        "several companies (company-dependent commercial fields)",
                    ): 1,
                },
            ),
        )

    def test_a_parent_that_no_longer_exists_goes_through_create_row_by_row(self):
        """A batch naming a deleted parent is not an error of the whole batch
        (MissingError): create() isolates the one row the database refuses."""
        gone = self.env["res.partner"].create({"name": "Gone Ltd", "is_company": True})
        gone_id = gone.id
        gone.unlink()
        writer = Writer(self.env, bulk=True)
        Partner = writer.model("res.partner")
        ok, bad = writer.create(
            Partner,
            [
                prep(1, "k1", name="Orphan", parent_id=gone_id),
                prep(2, "k2", name="Kept", parent_id=self.acme.id),
            ],
        )
        self.assertEqual([rec.name for _p, rec in ok], ["Kept"])
        self.assertEqual(ok[0][1].parent_id, self.acme)
        self.assertEqual([p.row_id for p, _err in bad], [1])
        self.assertEqual(
            writer.take_counts()[1],
            {("res.partner", "a parent that does not exist"): 2},
        )
