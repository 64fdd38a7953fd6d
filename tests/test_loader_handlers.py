"""The record handlers, each on its own: one per target, and the pre hook
(resolve) of the field-mapped and converted targets with a small fixture."""

from types import SimpleNamespace

from odoo.tests import tagged

from ..engine import propose, records
from ..loader.handlers import HANDLERS, RecordHandler, handler_for
from ..loader.handlers.lead import default_lead_type
from ..loader.resolve import Resolver
from ..loader.writer import Writer
from .loader_common import LoaderCase, fake_omap, prep


def converted(row_id, key, **values):
    """A prepared row of a converted target, its Record already made."""
    result = prep(row_id, key)
    result.record = SimpleNamespace(values=values, columns={})
    return result


@tagged("post_install", "-at_install")
class TestLoaderHandlers(LoaderCase):
    def setUp(self):
        super().setUp()
        self.resolver = Resolver(self.env, self.cache, Writer(self.env))
        self.no_maps = self.env["migration.field.map"]

    def handler(self, target):
        return handler_for(target)(self.env, self.cache, self.resolver)

    def test_one_handler_per_target(self):
        targets = set(propose.TARGETS) | set(records.CONVERTED)
        self.assertEqual(set(HANDLERS), targets)
        for target, handler in HANDLERS.items():
            self.assertTrue(issubclass(handler, RecordHandler), target)
            self.assertEqual(handler.target, target)
        self.assertIs(handler_for("nothing"), RecordHandler)

    def test_a_company_without_a_name_is_held(self):
        named, nameless = prep(0, "id:1", name="Acme"), prep(1, "id:2", name="")
        self.handler("company").resolve(
            fake_omap("company", field_map_ids=self.no_maps), [named, nameless]
        )
        self.assertEqual(named.vals, {"name": "Acme", "is_company": True})
        self.assertIsNone(named.held)
        self.assertEqual(nameless.vals, {"is_company": True})
        self.assertEqual(
            nameless.held["reason"], "A company needs a name; this row has none."
        )

    def test_a_contact_named_by_its_email_under_its_company(self):
        acme = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        row = prep(0, "id:1", email="ann@x.example")
        row.extra["company_name"] = ("acme", SimpleNamespace(column="Company"), "acme")
        self.handler("contact").resolve(fake_omap("contact"), [row])
        self.assertEqual(
            row.vals,
            {
                "email": "ann@x.example",
                "name": "ann@x.example",
                "is_company": False,
                "parent_id": acme.id,
            },
        )
        self.assertEqual(row.issues, [])

    def test_the_companies_a_contacts_batch_names_are_made_at_once(self):
        """The companies no file has are made for the batch in one create,
        each at the address of the first contact naming it; a contact living
        elsewhere is an other address; a held row makes nothing."""
        self.project.write(
            {"company_id": self.env.company.id, "create_parent_companies": True}
        )
        acme = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        column = SimpleNamespace(column="Company")
        rows = []
        for i, (company, vals) in enumerate(
            [
                ("Zeta Works", {"name": "Ann", "city": "Ghent"}),
                ("Acme", {"name": "Bob"}),
                ("ZETA WORKS, Inc.", {"name": "Cid", "city": "Paris"}),
                ("Omega Labs", {"name": "Dee", "city": "Lyon"}),
                ("Held Co", {}),  # no name: held before its company is looked for
            ]
        ):
            row = prep(i, f"id:{i}", **vals)
            row.extra["company_name"] = (company, column, company)
            rows.append(row)
        calls = []
        create_values = self.resolver.writer.create_values

        def counted(model, vals_list):
            calls.append([dict(v) for v in vals_list])
            return create_values(model, vals_list)

        self.resolver.writer.create_values = counted
        self.handler("contact").resolve(
            fake_omap("contact", field_map_ids=self.no_maps), rows
        )
        company_id = self.env.company.id
        self.assertEqual(
            calls,
            [
                [
                    {"name": "Zeta Works", "is_company": True,
                     "company_id": company_id, "city": "Ghent"},
                    {"name": "Omega Labs", "is_company": True,
                     "company_id": company_id, "city": "Lyon"},
                ]
            ],
        )  # fmt: skip
        zeta, omega = self.cache.auto_created
        self.assertEqual((zeta.name, zeta.city), ("Zeta Works", "Ghent"))
        self.assertEqual((omega.name, omega.city), ("Omega Labs", "Lyon"))
        self.assertEqual(
            [r.vals.get("parent_id") for r in rows],
            [zeta.id, acme.id, zeta.id, omega.id, None],
        )
        self.assertEqual(
            [r.vals.get("type") for r in rows], [None, None, "other", None, None]
        )
        self.assertEqual(
            [r.key for r in rows if r.held], ["id:4"], "the nameless row is held"
        )
        self.assertFalse(
            self.env["res.partner"].search_count([("name", "=", "Held Co")])
        )

    def test_a_lead_gets_its_name_type_owner_and_company(self):
        self.project.company_id = self.env.company
        row = prep(0, "id:1", partner_name="Acme")
        self.handler("lead").resolve(
            fake_omap("lead", "crm.lead", field_map_ids=self.no_maps), [row]
        )
        self.assertEqual(
            row.vals,
            {
                "partner_name": "Acme",
                "name": "Acme",
                "type": "lead",
                "user_id": self.owner.id,
                "company_id": self.env.company.id,
            },
        )
        self.assertEqual(row.defaults, {"type", "user_id", "company_id"})

    def test_default_lead_type(self):
        self.assertEqual(default_lead_type("Leads 2024", set()), "lead")
        self.assertEqual(default_lead_type("deals", set()), "opportunity")
        self.assertEqual(default_lead_type("export", {"stage_id"}), "opportunity")
        self.assertEqual(default_lead_type("export", {"name"}), "lead")

    def test_a_tag_already_in_odoo_is_linked_quietly(self):
        hot = self.env["crm.tag"].create({"name": "Hot"})
        old, new = converted(0, "id:1", name="HOT"), converted(1, "id:2", name="New")
        self.handler("tag").resolve(fake_omap("tag", "crm.tag"), [old, new])
        self.assertEqual(
            (old.vals, old.dedupe, old.quiet), ({"name": "HOT"}, "hot", True)
        )
        self.assertEqual(old.after, {"link_only": True})
        self.assertEqual(self.cache.dedupe[("tag", "hot")], hot.id)
        self.assertEqual((new.quiet, new.after), (False, {}))

    def test_a_user_is_linked_by_email_or_held(self):
        known = converted(
            0,
            "id:1",
            name="P",
            login="p",
            email="owner@pieces.example.com",
            active=True,
        )
        unknown = converted(
            1, "id:2", name="Zed", login="zed", email="zed@x.example", active=True
        )
        self.handler("user").resolve(fake_omap("user", "res.users"), [known, unknown])
        self.assertEqual(self.cache.dedupe[("user", "p")], self.owner.id)
        self.assertEqual(known.create_only, {"login", "active"})
        self.assertEqual(unknown.held["kind"], "unknown_owner")
        self.assertEqual(unknown.held["value"], "zed@x.example")

    def test_without_accounting_an_invoice_is_held(self):
        row = converted(0, "id:1", ref="INV-1")
        handler = self.handler("invoice")
        handler.accounting_installed = lambda: False
        handler.resolve(fake_omap("invoice", "account.move"), [row])
        self.assertEqual(
            (row.held["kind"], row.held["value"], row.held["reason"]),
            ("not_loaded", "INV-1", "Invoice not loaded: Accounting is not installed."),
        )

    def test_a_stage_of_an_unknown_pipeline_is_held(self):
        row = converted(
            0,
            "id:1",
            name="New",
            team_ref="p-9",
            team_name="",
            is_won=False,
            fold=False,
            sequence=None,
            probability=None,
        )
        self.handler("stage").resolve(fake_omap("stage", "crm.stage"), [row])
        self.assertEqual(
            (row.held["kind"], row.held["value"]), ("missing_parent", "p-9")
        )
