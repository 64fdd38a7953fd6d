"""Review noise (issue 17): an unknown owner is one review item across the
files of a project, whatever each file calls its owner column."""

from odoo.tests import tagged

from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestOwnerItemsAcrossFiles(MigrationCase):
    """An unknown owner is one review item across the files of a project,
    whatever each file calls its owner column (issue 17, review noise)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contacts = read_data("contacts.csv") + (
            b"P7,Gus,Grey,gus@example.org,,Initech,,ghost@example.com,04/06/2021\n"
            b"P8,Hal,Hill,hal@example.org,,Initech,,ghost@example.com,04/07/2021\n"
        )
        # the deals file calls its owner column "Sales Rep", and spells the
        # same salesperson in capitals
        deals = read_data("deals.csv").replace(b",Owner,", b",Sales Rep,", 1)
        deals = deals.replace(b"bob@example.com,Won", b"GHOST@example.com ,Won")
        cls.project._add_file("contacts.csv", contacts)
        cls.project._add_file("deals.csv", deals)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls._map("deals.csv", "Sales Rep", "user_id")
        # the map of the column the file had before keeps its place, unused
        cls.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Owner"
        ).action = "ignore"
        cls.env["migration.value.map"]._propose_for_object(cls.omap["deals.csv"])
        cls.project.action_confirm_maps()

    def test_one_item_per_owner_with_its_rows_per_file(self):
        run = self._full_run()
        rows = run.review_ids.filtered(lambda r: r.kind == "unknown_owner")
        self.assertEqual(
            sorted(set(rows.mapped("column"))),
            ["Owner", "Sales Rep"],
            [
                (f.column, f.action, f.target_field_id.name)
                for f in self.omap["deals.csv"].field_map_ids
            ],
        )
        issues = self.env["migration.review.issue"].search(
            [("project_id", "=", self.project.id), ("kind", "=", "unknown_owner")]
        )
        ghost = issues.filtered(lambda i: i.value.casefold() == "ghost@example.com")
        self.assertEqual(len(ghost), 1)
        ghosts = rows.filtered(
            lambda r: r.value.strip().casefold() == "ghost@example.com"
        )
        per_file = {
            (name, column): len(ghosts.filtered(lambda r, n=name: r.file_name == n))
            for name, column in (("contacts.csv", "Owner"), ("deals.csv", "Sales Rep"))
        }
        # two contacts, one deal (and the records made of their rows, such
        # as the company a contact names)
        self.assertGreaterEqual(per_file[("contacts.csv", "Owner")], 2)
        self.assertGreaterEqual(per_file[("deals.csv", "Sales Rep")], 1)
        self.assertEqual(ghost.review_ids, ghosts)
        self.assertEqual(ghost.occurrence_count, len(ghosts))
        self.assertEqual(
            ghost.file_summary,
            "; ".join(
                f"{name} ({column}): {count} rows"
                for (name, column), count in per_file.items()
            ),
        )
        self.assertEqual(
            len(issues), len(set(rows.mapped(lambda r: r.value.strip().casefold())))
        )
        # one decision for the rows of both files
        ghost.corrected_value = "alice@example.com"
        ghost.action_resolve()
        self.assertEqual(set(ghost.review_ids.mapped("state")), {"resolved"})
        self.assertEqual(
            set(ghost.review_ids.mapped("corrected_value")), {"alice@example.com"}
        )
