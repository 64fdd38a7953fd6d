from odoo.exceptions import UserError
from odoo.tests import tagged

from ..engine import propose
from ..models.migration_cell_check import VIRTUAL_READS
from ..models.migration_project import ACCEPT_CONFIDENCE
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestCellConservation(MigrationCase):
    """Nothing silently wrong: one target per column, a writer for every target,
    and every non-empty source cell accounted for after a run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()

    def _cells(self, run, source, column):
        return self.env["migration.cell.check"].search(
            [
                ("run_id", "=", run.id),
                ("object_map_id", "=", self.omap[source].id),
                ("column", "=", column),
            ]
        )

    # ------------------------------------------------- one target, one column
    def test_two_columns_for_one_field_are_refused_at_confirm(self):
        self._map("contacts.csv", "Job Title", "email")
        with self.assertRaises(UserError) as caught:
            self.omap["contacts.csv"].action_confirm()
        message = str(caught.exception)
        self.assertIn("'Email'", message)
        self.assertIn("'Job Title'", message)
        with self.assertRaises(UserError):
            self.project.action_full_run()

    def test_a_full_name_beside_first_and_last_name_is_refused(self):
        self._map("contacts.csv", "Job Title", "name")
        fmap = self.omap["contacts.csv"].field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        with self.assertRaises(UserError) as caught:
            fmap.action_confirm()
        self.assertIn("'First Name'", str(caught.exception))
        self.assertIn("'Last Name'", str(caught.exception))

    def test_accepting_proposals_skips_unsure_and_conflicting_ones(self):
        self._map("contacts.csv", "Job Title", "email")
        contacts = self.omap["contacts.csv"].field_map_ids
        unsure = contacts.filtered(lambda f: f.column == "Phone")
        unsure.confidence = ACCEPT_CONFIDENCE - 0.1
        sure = contacts.filtered(lambda f: f.column == "Last Name")
        sure.confidence = ACCEPT_CONFIDENCE
        self.project._accept_proposals()
        for column in ("Email", "Job Title"):
            fmap = contacts.filtered(lambda f, c=column: f.column == c)
            self.assertFalse(fmap.confirmed, column)
        self.assertFalse(unsure.confirmed)
        self.assertTrue(sure.confirmed)

    # ----------------------------------------------- every target has a writer
    def test_every_target_in_the_catalogue_has_a_writer(self):
        for target, spec in propose.TARGETS.items():
            model = self.env[spec["model"]]
            for tfield in spec["fields"]:
                if tfield.virtual:
                    self.assertIn(
                        tfield.name,
                        VIRTUAL_READS,
                        f"{target}.{tfield.name} is resolved by no one",
                    )
                    reads = [
                        n for n in VIRTUAL_READS[tfield.name] if n in model._fields
                    ]
                    self.assertTrue(reads, (target, tfield.name))
                else:
                    self.assertIn(tfield.name, model._fields, (target, tfield.name))
        contact = {f.name for f in propose.TARGETS["contact"]["fields"]}
        self.assertNotIn("source_id", contact)  # res.partner has no source

    # ---------------------------------------------------------- conservation
    def test_every_cell_of_a_full_run_is_accounted_for(self):
        self.project.action_confirm_maps()
        run = self._full_run()
        self.assertEqual(run.state, "done", run.log)
        checks = run.cell_check_ids
        self.assertTrue(checks)
        self.assertEqual(run.unaccounted_cell_count, 0, checks.mapped("example"))
        for check in checks:
            self.assertEqual(
                check.cell_count,
                check.written_count
                + check.ignored_count
                + check.review_count
                + check.unaccounted_count,
            )
        email = self._cells(run, "contacts.csv", "Email")
        # six contacts, one email blank, one invalid (a review item), one a
        # duplicate merged into the first (written there, or reviewed)
        self.assertEqual(email.cell_count, 5)
        self.assertGreaterEqual(email.review_count, 1)
        self.assertEqual(email.written_count + email.review_count, 5)
        data = run._report_data()
        self.assertEqual(data["unaccounted_cells"], 0)
        self.assertIn("Email", {c["column"] for c in data["cells"]})

    def test_a_value_lost_after_the_write_is_caught_by_reading_back(self):
        self.project.action_confirm_maps()
        run = self._full_run()
        partner = self._record("contact", "id:P1")
        self.assertEqual(partner.function, "CEO")
        partner.function = False  # what a silent loss looks like in Odoo
        self.env["migration.cell.check"]._build_for_run(run)
        title = self._cells(run, "contacts.csv", "Job Title")
        self.assertEqual(title.unaccounted_count, 1)
        self.assertIn("CEO", title.example)
        self.assertEqual(run.unaccounted_cell_count, 1)
