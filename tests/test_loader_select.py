"""Row selection, on its own: a full run's rows in line order without the
removed ones, a delta's new and changed rows and the decided held ones."""

from odoo.tests import tagged

from ..loader.select import RowSelector, field_columns
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestLoaderSelect(MigrationCase):
    def setUp(self):
        super().setUp()
        self.selector = RowSelector(self.env)
        self.contacts = self.omap["contacts.csv"]
        self.rows = self.contacts.source_id.staging_row_ids.sorted("line")

    def _run(self, kind):
        return self.env["migration.run"].create(
            {"project_id": self.project.id, "kind": kind}
        )

    def test_a_full_run_takes_every_row_but_the_removed(self):
        self.rows[1].state = "removed"
        selected = self.selector.select(self._run("full"), self.contacts)
        self.assertEqual(selected, {self.contacts.id: (self.rows - self.rows[1]).ids})

    def test_a_delta_takes_staged_rows_and_decided_held_rows(self):
        self.rows.write({"state": "loaded"})
        self.rows[0].state = "staged"
        self.rows[2].state = "review"
        self.env["migration.review"].create(
            {
                "project_id": self.project.id,
                "staging_row_id": self.rows[2].id,
                "kind": "orphan",
                "reason": "held",
                "state": "resolved",
            }
        )
        selected = self.selector.select(self._run("delta"), self.contacts)
        self.assertEqual(
            selected, {self.contacts.id: [self.rows[0].id, self.rows[2].id]}
        )

    def test_values_in_line_order(self):
        self._fix_maps()
        self.assertEqual(field_columns(self.contacts)["email"], ["Email"])
        values = self.selector.values(self.rows[:2].ids, ["Email"])
        self.assertEqual(
            values, [r.data["Email"] for r in self.rows[:2] if r.data["Email"]]
        )
        self.assertEqual(self.selector.values([], ["Email"]), [])

    def test_field_mapped_rows_keep_their_order(self):
        ids = self.rows.ids
        self.assertEqual(
            self.selector.oldest_first(self.contacts, ids, self.project), ids
        )
