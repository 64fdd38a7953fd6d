import base64
import io
import zipfile
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestIngestAndPropose(MigrationCase):
    def test_sources_staged_and_profiled(self):
        sources = {s.name: s for s in self.project.source_ids}
        self.assertEqual(set(sources), {"companies.csv", "contacts.csv", "deals.csv"})
        self.assertEqual(sources["contacts.csv"].row_count, 6)
        self.assertEqual(sources["deals.csv"].row_count, 4)
        rows = sources["contacts.csv"].staging_row_ids.sorted("line")
        self.assertEqual(rows.mapped("line"), [2, 3, 4, 5, 6, 7])
        self.assertEqual(rows[0].data["First Name"], "Ana")
        self.assertEqual(rows[1].data["Email"], "BOB@globex.example.com")
        self.assertTrue(all(len(r.row_hash) >= 32 for r in rows))
        profile = sources["contacts.csv"].profile
        self.assertEqual(profile["rows"], 6)
        email = next(c for c in profile["columns"] if c["name"] == "Email")
        self.assertEqual(email["type"], "email")
        self.assertEqual(email["nulls"], 1)
        dups = profile["duplicate_emails"]
        self.assertEqual([d["email"] for d in dups], ["ana@acme.example.com"])
        self.assertEqual(dups[0]["lines"], [2, 5])
        self.assertIn("Email", sources["contacts.csv"].profile_html)

    def test_object_targets_proposed(self):
        self.assertEqual(self.omap["companies.csv"].target, "company")
        self.assertEqual(self.omap["contacts.csv"].target, "contact")
        self.assertEqual(self.omap["deals.csv"].target, "lead")
        for omap in self.omap.values():
            self.assertTrue(omap.reason)
            self.assertGreater(omap.confidence, 0.5)
            self.assertFalse(omap.confirmed)

    def test_field_maps_proposed_with_reasons(self):
        fmaps = {f.column: f for f in self.omap["contacts.csv"].field_map_ids}
        self.assertEqual(fmaps["Email"].target_field_id.name, "email")
        self.assertEqual(fmaps["Email"].transform, "email")
        self.assertEqual(fmaps["First Name"].target_field_id.name, "first_name")
        self.assertEqual(fmaps["Job Title"].target_field_id.name, "function")
        for fmap in fmaps.values():
            self.assertTrue(0 <= fmap.confidence <= 1)
            self.assertTrue(fmap.reason, fmap.column)
        deals = {f.column: f for f in self.omap["deals.csv"].field_map_ids}
        self.assertEqual(deals["Amount"].target_field_id.name, "expected_revenue")
        self.assertEqual(deals["Stage"].target_field_id.name, "stage_id")

    def test_value_maps_proposed(self):
        self._fix_maps()
        vmaps = {
            v.source_value: v
            for v in self.omap["deals.csv"].value_map_ids
            if v.kind == "stage"
        }
        proposition = self.env["crm.stage"].search(
            [("name", "=", "Proposition")], limit=1
        )
        self.assertEqual(vmaps["Proposition"].target_ref, proposition)
        self.assertFalse(vmaps["Negotiation Phase"].target_ref)
        self.assertTrue(vmaps["Negotiation Phase"].create_new)
        owners = {
            v.source_value: v
            for v in self.omap["deals.csv"].value_map_ids
            if v.kind == "owner"
        }
        self.assertEqual(owners["alice@example.com"].target_ref, self.alice)

    def test_refused_files_are_kept_with_reason(self):
        for name in ("empty.csv", "logo.csv", "brochure.pdf"):
            source = self.project._add_file(name, read_data(name))
            self.assertEqual(source.state, "error", name)
            self.assertIn(name, source.error)
            self.assertFalse(source.staging_row_ids)
        self.assertIn(
            "empty",
            self.project.source_ids.filtered(
                lambda s: s.name == "empty.csv"
            ).error.lower(),
        )

    def test_wizard_uploads_zip_into_new_project(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("companies.csv", read_data("companies.csv"))
            archive.writestr("deals.csv", read_data("deals.csv"))
        attachment = self.env["ir.attachment"].create(
            {"name": "export.zip", "datas": base64.b64encode(buf.getvalue())}
        )
        with Form(self.env["migration.import.wizard"]) as wizard:
            wizard.project_name = "Zip upload"
            wizard.attachment_ids.add(attachment)
        action = wizard.save().action_import()
        project = self.env["migration.project"].browse(action["res_id"])
        self.assertEqual(project.name, "Zip upload")
        self.assertEqual(sorted(project.source_ids.mapped("row_count")), [3, 4])
        self.assertEqual(project.state, "mapped")
        self.assertEqual(
            sorted(project.object_map_ids.mapped("target")), ["company", "lead"]
        )

    def test_learned_template_raises_confidence(self):
        """A consultant's confirmed choice comes back first, and surer, next time."""
        proposed = self.omap["contacts.csv"].field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        self.assertEqual(proposed.target_field_id.name, "function")
        fmap = self._map("contacts.csv", "Job Title", "comment")
        self.assertFalse(fmap.confirmed)
        self.omap["contacts.csv"].action_confirm()
        template = self.env["migration.map.template"].search(
            [
                ("system", "=", "generic"),
                ("target", "=", "contact"),
                ("field_name", "=", "comment"),
            ]
        )
        self.assertEqual((template.header, template.times), ("job title", 1))
        other = self.env["migration.project"].create(
            {"name": "Second", "system": "generic"}
        )
        other._add_file("contacts.csv", read_data("contacts.csv"))
        other.action_propose()
        again = other.object_map_ids.field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        self.assertEqual(again.target_field_id.name, "comment")
        self.assertGreaterEqual(again.confidence, 0.95)
        self.assertIn("confirmed", again.reason)


@tagged("post_install", "-at_install")
class TestRun(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.employees = cls._employees_as_new_field()
        cls.project.action_confirm_maps()

    def _ledger(self, run, target):
        return self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("target", "=", target)]
        )

    def test_full_run_writes_exact_values(self):
        run = self._full_run()
        self.assertEqual(run.state, "done", run.log)
        self.assertTrue(run.balanced)
        lines = {line.target: line for line in run.line_ids}
        self.assertEqual(
            [line.target for line in run.line_ids.sorted("sequence")],
            ["company", "contact", "lead"],
        )
        self.assertEqual(
            (
                lines["company"].read_count,
                lines["company"].created_count,
                lines["company"].review_count,
            ),
            (3, 3, 0),
        )
        self.assertEqual(lines["company"].invalid_value_count, 1)
        self.assertEqual(
            (
                lines["contact"].read_count,
                lines["contact"].created_count,
                lines["contact"].merged_count,
                lines["contact"].review_count,
            ),
            (6, 4, 1, 1),
        )
        self.assertEqual(
            (
                lines["lead"].read_count,
                lines["lead"].created_count,
                lines["lead"].review_count,
            ),
            (4, 3, 1),
        )

        acme = self._record("company", "id:C1")
        self.assertEqual(acme.name, "Acme Corp")
        self.assertTrue(acme.is_company)
        self.assertEqual(acme.website, "https://acme.example.com")
        self.assertEqual(acme.phone, "+12125550100")
        self.assertEqual(acme.country_id.code, "US")
        self.assertEqual(
            sorted(acme.category_id.mapped("name")), ["Manufacturing", "VIP"]
        )
        self.assertEqual(acme.x_employees, 250)
        self.assertEqual(acme.create_date, datetime(2021, 3, 15))
        globex = self._record("company", "id:C2")
        self.assertEqual(globex.country_id.code, "BR")
        self.assertEqual(globex.create_date, datetime(2020, 12, 1))

        ana = self._record("contact", "id:P1")
        self.assertEqual(ana.name, "Ana Souza")
        self.assertEqual(ana.email, "ana@acme.example.com")
        self.assertEqual(ana.parent_id, acme)
        self.assertEqual(ana.function, "CEO")
        self.assertEqual(ana.user_id, self.alice)
        self.assertFalse(ana.is_company)
        bob = self._record("contact", "id:P2")
        self.assertEqual(bob.email, "bob@globex.example.com")
        self.assertEqual(bob.parent_id, globex)
        carla = self._record("contact", "id:P3")
        self.assertFalse(carla.email)
        self.assertEqual(carla.user_id, self.owner)
        self.assertEqual(carla.parent_id, self._record("company", "id:C3"))
        eve = self._record("contact", "id:P6")
        self.assertFalse(eve.parent_id)
        self.assertEqual(eve.company_name, "Umbrella")
        merge = self._ledger(run, "contact").filtered(
            lambda entry: entry.operation == "merge"
        )
        self.assertEqual(merge.source_key, "id:P4")
        self.assertEqual(merge.res_id, ana.id)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email", "=ilike", "ana@acme.example.com")]
            ),
            1,
        )

        renewal = self._record("lead", "id:D1")
        self.assertEqual(renewal.name, "Acme renewal")
        self.assertEqual(renewal.type, "opportunity")
        self.assertEqual(renewal.expected_revenue, 12500.5)
        self.assertEqual(renewal.stage_id.name, "Proposition")
        self.assertEqual(renewal.partner_id, ana)
        self.assertEqual(renewal.user_id, self.alice)
        self.assertEqual(renewal.tag_ids.mapped("name"), ["Renewal"])
        self.assertEqual(renewal.date_deadline, date(2021, 6, 30))
        self.assertEqual(renewal.create_date, datetime(2021, 3, 20))
        self.assertEqual(renewal.company_id, self.project.company_id)
        expansion = self._record("lead", "id:D2")
        self.assertTrue(expansion.stage_id.is_won)
        self.assertEqual(expansion.probability, 100)
        self.assertEqual(expansion.expected_revenue, 8000)
        self.assertEqual(
            sorted(expansion.tag_ids.mapped("name")), ["Renewal", "Upsell"]
        )
        self.assertEqual(
            expansion.tag_ids.filtered(lambda t: t.name == "Renewal"), renewal.tag_ids
        )
        self.assertEqual(expansion.user_id, self.bob)
        pilot = self._record("lead", "id:D3")
        self.assertFalse(pilot.active)
        self.assertEqual(pilot.probability, 0)
        self.assertEqual(pilot.expected_revenue, 0)
        self.assertTrue(
            self.env["crm.stage"].search([("name", "=", "Negotiation Phase")])
        )

        self.assertEqual(len(self._ledger(run, "company")), 3)
        self.assertEqual(len(self._ledger(run, "lead")), 3)
        self.assertEqual(
            self._ledger(run, "company").mapped("operation"), ["create"] * 3
        )
        self.assertEqual(self.project.state, "loaded")

    def test_review_items_for_bad_rows(self):
        run = self._full_run()
        items = run.review_ids
        got = sorted(
            (i.file_name, i.line, i.kind, i.column or "", i.value or "", i.row_held)
            for i in items
        )
        self.assertEqual(
            got,
            sorted(
                [
                    (
                        "companies.csv",
                        4,
                        "invalid_value",
                        "Created",
                        "not a date",
                        False,
                    ),
                    (
                        "contacts.csv",
                        4,
                        "invalid_value",
                        "Email",
                        "not-an-email",
                        False,
                    ),
                    (
                        "contacts.csv",
                        4,
                        "unknown_owner",
                        "Owner",
                        "ghost@example.com",
                        False,
                    ),
                    ("contacts.csv", 5, "duplicate", "", "ana@acme.example.com", False),
                    ("contacts.csv", 6, "missing_required", "First Name", "", True),
                    ("contacts.csv", 7, "missing_parent", "Company", "Umbrella", False),
                    ("deals.csv", 4, "invalid_value", "Amount", "abc", False),
                    ("deals.csv", 5, "missing_required", "Deal Name", "", True),
                ]
            ),
        )
        for item in items:
            self.assertTrue(item.reason)
        duplicate = items.filtered(lambda i: i.kind == "duplicate")
        self.assertEqual(
            duplicate.reason, "Merged into Acme Corp, Ana Souza (line 2): same email."
        )
        self.assertIn(
            "not a date", items.filtered(lambda i: i.column == "Created").reason
        )

    def test_rerun_updates_instead_of_duplicating(self):
        first = self._full_run()
        partners = self.env["res.partner"].search_count([])
        leads = self.env["crm.lead"].with_context(active_test=False).search_count([])
        second = self._full_run()
        self.assertEqual(second.state, "done", second.log)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(
            self.env["crm.lead"].with_context(active_test=False).search_count([]), leads
        )
        self.assertEqual(second.created_count, 0)
        self.assertEqual(second.read_count, first.read_count)
        self.assertEqual(
            second.unchanged_count, first.created_count + first.merged_count
        )
        self.assertEqual(second.merged_count, 0)
        self.assertTrue(second.balanced)
        # the source changes: the re-run writes the change and keeps the old value
        data = read_data("companies.csv").replace(
            b"+1 212 555 0100", b"+1 212 555 0199"
        )
        self.project._add_file("companies.csv", data)
        third = self._full_run()
        acme = self._record("company", "id:C1")
        self.assertEqual(acme.phone, "+12125550199")
        update = self._ledger(third, "company").filtered(
            lambda entry: entry.operation == "update"
        )
        self.assertEqual(update.res_id, acme.id)
        self.assertEqual(update.before_values, {"phone": "+12125550100"})
        self.assertEqual(
            third.line_ids.filtered(
                lambda line: line.target == "company"
            ).updated_count,
            1,
        )

    def test_full_run_refused_while_a_map_is_unconfirmed(self):
        fmap = self.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Tags"
        )
        fmap.write({"transform": "text"})
        self.assertFalse(fmap.confirmed)
        with self.assertRaisesRegex(UserError, "Tags"):
            self.project.action_full_run()
        self.assertFalse(self.project.run_ids)
        self.project.action_sample_run()  # a sample still runs, to try the change
        self.assertEqual(self.project.run_ids.kind, "sample")

    def test_sample_run_limits_rows(self):
        self.project.sample_size = 2
        self.project.action_sample_run()
        run = self.project.run_ids
        self.assertEqual(run.kind, "sample")
        self.assertEqual(run.line_ids.mapped("read_count"), [2, 2, 2])
        self.assertEqual(run.total_rows, 6)
        self.assertEqual(run.done_rows, 6)
        self.assertEqual(run.progress, 100)

    def test_custom_field_created_once_with_its_type(self):
        self._full_run()
        field = self.env["ir.model.fields"]._get("res.partner", "x_employees")
        self.assertEqual(field.ttype, "integer")
        self.assertEqual(field.state, "manual")
        self.assertEqual(self._record("company", "id:C3").x_employees, 12)
        self.assertTrue(
            self.env["migration.target.field"]._get("company", "x_employees").custom
        )
        self._full_run()
        self.assertEqual(
            self.env["ir.model.fields"].search_count(
                [("model", "=", "res.partner"), ("name", "=", "x_employees")]
            ),
            1,
        )

    def test_failing_rows_are_isolated(self):
        """A row Odoo refuses goes to review; its batch neighbours load."""
        fmap = self._map("companies.csv", "Employees", "vat")
        fmap.confirmed = True
        self.env["res.partner"].flush_model()
        self.env.cr.execute(
            "ALTER TABLE res_partner ADD CONSTRAINT test_no_vat_40 CHECK (vat IS NULL OR vat != '40')"
        )
        run = self._full_run()
        line = run.line_ids.filtered(lambda item: item.target == "company")
        self.assertEqual(
            (line.read_count, line.created_count, line.review_count), (3, 2, 1)
        )
        refused = run.review_ids.filtered(lambda i: i.kind == "error")
        self.assertEqual(refused.line, 3)
        self.assertIn("test_no_vat_40", refused.reason)
        self.assertTrue(run.balanced)
