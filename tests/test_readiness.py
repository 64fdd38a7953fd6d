import json

from odoo.tests import Form, new_test_user, tagged

from ..engine.inventory import NOT_MIGRATED
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestReadiness(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.employees = cls._employees_as_new_field()

    def _report(self, user=None):
        Readiness = self.env["migration.readiness"]
        if user:
            Readiness = Readiness.with_user(user)
        return Readiness.create({"project_id": self.project.id})

    def test_before_confirmation_the_unconfirmed_maps_block(self):
        report = self._report()
        pending = self.project._unconfirmed_maps()
        self.assertEqual(report.objects_total, 3)
        # companies need a new x_ field; contacts and deals map 1:1
        self.assertEqual(report.objects_one_to_one, 2)
        self.assertEqual(report.summary, "2 of 3 objects map 1:1")
        self.assertEqual(report.new_field_count, 1)
        self.assertEqual(report.dropped_column_count, 0)
        self.assertEqual(report.unmapped_count, 0)
        self.assertEqual(report.row_count, 3 + 6 + 4)
        self.assertEqual(report.grade, "B")
        self.assertIn("2 of 3 objects map 1:1", report.grade_reasons)
        self.assertIn("1 new custom field (x_) to create.", report.grade_reasons)
        self.assertTrue(pending)
        self.assertEqual(report.unconfirmed_count, len(pending))
        self.assertFalse(report.ready)
        self.assertIn("A full run needs every map confirmed", report.blockers)
        website = self.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Website"
        )
        self.assertIn(f"Migration Field Map: {website.display_name}", report.blockers)
        tags = self.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Tags"
        )
        self.assertIn(tags.display_name, report.unconfirmed_list)
        self.assertEqual(report.review_open_count, 0)
        self.assertFalse(report.review_summary)

    def test_after_confirmation_nothing_blocks(self):
        self.project.action_confirm_maps()
        report = self._report()
        self.assertTrue(report.ready)
        self.assertFalse(report.blockers)
        self.assertEqual(report.unconfirmed_count, 0)
        self.assertFalse(report.unconfirmed_list)
        self.assertEqual((report.objects_one_to_one, report.grade), (2, "B"))

    def test_the_same_rule_as_the_run_for_a_migration_user(self):
        self.project.action_confirm_maps()
        user = new_test_user(
            self.env,
            login="mig-ready-user",
            groups="crm_migration.group_migration_user",
        )
        report = self._report(user)
        self.assertFalse(report.ready)
        self.assertIn("Only a Migration Manager", report.blockers)

    def test_open_review_items_by_kind_raise_the_grade(self):
        self.project.sample_size = 50
        self.project.action_sample_run()
        report = self._report()
        open_items = self.env["migration.review"].search(
            [("project_id", "=", self.project.id), ("state", "=", "open")]
        )
        self.assertTrue(open_items)
        self.assertEqual(report.review_open_count, len(open_items))
        labels = dict(open_items._fields["kind"]._description_selection(self.env))
        expected = {}
        for item in open_items:
            expected[labels[item.kind]] = expected.get(labels[item.kind], 0) + 1
        self.assertEqual(report.review_by_kind, expected)
        self.assertIn(
            f"{labels['invalid_value']}: {expected[labels['invalid_value']]}",
            report.review_summary,
        )
        # more than a fifth of the 13 rows wait in the review queue: +2
        self.assertEqual(report.grade, "D")
        self.assertIn("open review items for 13 rows", report.grade_reasons)

    def test_inventory_lists_unmapped_sources_and_the_system_catalogue(self):
        self.omap["deals.csv"].target = False
        report = self._report()
        self.assertEqual(report.unmapped_count, 1)
        self.assertEqual((report.objects_total, report.objects_one_to_one), (3, 1))
        self.assertEqual(report.grade, "D")
        self.assertIn("1 source object not migrated", report.grade_reasons)
        inventory = report.inventory_json
        self.assertEqual(inventory["system"], "generic")
        self.assertEqual(inventory["project"], self.project.name)
        (deals,) = inventory["not_migrated_sources"]
        self.assertEqual(deals["object"], self.omap["deals.csv"].object_name)
        self.assertEqual((deals["file"], deals["rows"]), ("deals.csv", 4))
        self.assertIn("Deal Name", deals["columns"])
        self.assertEqual(inventory["never_migrated"], NOT_MIGRATED["generic"])
        self.assertIn(NOT_MIGRATED["generic"][0]["object"], report.inventory_html)
        self.assertIn("deals.csv", report.inventory_html)

        action = report.action_download_inventory()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "migration.project"),
                ("res_id", "=", self.project.id),
                ("mimetype", "=", "application/json"),
            ]
        )
        self.assertIn(f"/web/content/{attachment.id}", action["url"])
        data = json.loads(attachment.raw)
        self.assertEqual(data["format"], "crm_migration.inventory/1")
        self.assertEqual(data["not_migrated_sources"][0]["rows"], 4)
        self.assertIn("Workflows and automations", data["text"])

    def test_dropped_non_empty_column_is_not_one_to_one(self):
        self.omap["contacts.csv"].field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        ).action = "ignore"
        report = self._report()
        self.assertEqual(report.objects_one_to_one, 1)
        self.assertEqual(report.dropped_column_count, 1)
        (dropped,) = report.inventory_json["dropped_columns"]
        self.assertEqual(dropped["column"], "Job Title")
        self.assertAlmostEqual(dropped["fill_rate"], 2 / 6, places=2)

    def test_form_opens_from_the_project(self):
        with Form(
            self.env["migration.readiness"].with_context(
                default_project_id=self.project.id
            )
        ) as form:
            self.assertEqual(form.grade, "B")
            self.assertEqual(form.objects_total, 3)
        view = self.env.ref("crm_migration.migration_project_view_form")
        arch = self.env["migration.project"].get_view(view.id)["arch"]
        action = self.env.ref("crm_migration.action_migration_readiness")
        self.assertIn(f'name="{action.id}"', arch)
