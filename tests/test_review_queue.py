from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestReviewQueue(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def _item(self, run, file_name, line, kind):
        return run.review_ids.filtered(
            lambda i: i.file_name == file_name and i.line == line and i.kind == kind
        )

    def test_corrected_value_applied_by_next_run(self):
        run = self._full_run()
        item = self._item(run, "contacts.csv", 4, "invalid_value")
        self.assertEqual(item.value, "not-an-email")
        item.corrected_value = "Carla@Initech.example.com"
        item.action_resolve()
        again = self._full_run()
        self.assertEqual(
            self._record("contact", "id:P3").email, "carla@initech.example.com"
        )
        self.assertEqual(
            again.line_ids.filtered(
                lambda line: line.target == "contact"
            ).updated_count,
            1,
        )
        self.assertFalse(
            again.review_ids.filtered(
                lambda i: i.kind == "invalid_value" and i.line == 4
            )
        )

    def test_held_row_loaded_once_corrected(self):
        run = self._full_run()
        item = self._item(run, "contacts.csv", 6, "missing_required")
        self.assertEqual(item.column, "First Name")
        self.assertTrue(item.row_held)
        item.write({"corrected_value": "Paula"})
        item.action_resolve()
        again = self._full_run()
        line = again.line_ids.filtered(lambda x: x.target == "contact")
        self.assertEqual((line.created_count, line.review_count), (1, 0))
        self.assertEqual(self._record("contact", "id:P5").name, "Paula")
        self.assertTrue(again.balanced)

    def test_ignored_row_is_skipped_and_counted(self):
        run = self._full_run()
        item = self._item(run, "deals.csv", 5, "missing_required")
        with self.assertRaises(UserError):
            item.action_ignore()
        item.resolution = "Test deal left in the export by mistake"
        item.action_ignore()
        again = self._full_run()
        line = again.line_ids.filtered(lambda x: x.target == "lead")
        self.assertEqual(
            (line.read_count, line.skipped_count, line.review_count), (4, 1, 0)
        )
        self.assertTrue(again.balanced)
        self.assertEqual(item.state, "ignored")

    def test_link_held_row_to_existing_record(self):
        run = self._full_run()
        lead = self.env["crm.lead"].create(
            {"name": "Existing pipeline deal", "type": "opportunity"}
        )
        item = self._item(run, "deals.csv", 5, "missing_required")
        item.link_ref = f"crm.lead,{lead.id}"
        item.action_resolve()
        again = self._full_run()
        self.assertEqual(lead.expected_revenue, 100)
        update = self.env["migration.ledger"].search(
            [
                ("run_id", "=", again.id),
                ("res_id", "=", lead.id),
                ("res_model", "=", "crm.lead"),
            ]
        )
        self.assertEqual(update.operation, "update")
        self.assertEqual(update.before_values["expected_revenue"], 0.0)
        self.assertEqual(update.source_key, "id:D4")

    def test_rerun_does_not_repeat_review_items(self):
        self._full_run()
        count = self.env["migration.review"].search_count(
            [("project_id", "=", self.project.id)]
        )
        again = self._full_run()
        self.assertEqual(
            self.env["migration.review"].search_count(
                [("project_id", "=", self.project.id)]
            ),
            count,
        )
        self.assertEqual(again.review_count, 2)
        self.assertTrue(again.balanced)

    def test_bulk_ignore_wizard(self):
        run = self._full_run()
        items = run.review_ids.filtered(lambda i: i.kind == "invalid_value")
        wizard = (
            self.env["migration.review.ignore.wizard"]
            .with_context(active_ids=items.ids)
            .create({"resolution": "known bad values in the old CRM"})
        )
        wizard.action_ignore()
        self.assertEqual(set(items.mapped("state")), {"ignored"})
        self.assertEqual(
            set(items.mapped("resolution")), {"known bad values in the old CRM"}
        )

    def test_bulk_actions(self):
        run = self._full_run()
        items = run.review_ids.filtered(lambda i: i.kind == "invalid_value")
        items.write({"resolution": "checked with the customer"})
        items.action_ignore()
        self.assertEqual(set(items.mapped("state")), {"ignored"})
