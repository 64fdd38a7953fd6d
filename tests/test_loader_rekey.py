"""The key upgrade (loader.rekey), piece by piece on a hand-built project whose
ledger an older version wrote: the key a row is booked under, the rows whose
stored key is no longer today's (read page by page), and the rewrite of the
staging and ledger rows booked under them (other projects untouched)."""

from unittest.mock import patch

from odoo.tests import tagged

from ..loader import rekey
from ..loader.rekey import KEY_VERSION, KeyUpgrade, row_key
from .common import calls_of
from .loader_common import LoaderCase

PEOPLE = [
    {"ID": "1", "Name": "Ann"},
    {"ID": "2", "Name": "Bob"},
    {"ID": "", "Name": "Cy"},  # no id: keyed by its line
    {"ID": "4", "Name": "Dee"},  # never booked by a run
]


@tagged("post_install", "-at_install")
class TestLoaderRekey(LoaderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omap, cls.rows = cls._staged(
            "people.csv", "contact", PEOPLE, {"Name": ("name", "text")}
        )
        # keys of the older version: Bob's and Cy's differ from today's
        for row, key in zip(cls.rows, ("id:1", "old:2", "old:3", False), strict=True):
            row.source_key = key
        cls.project.key_version = 1
        cls.other = cls.env["migration.project"].create({"name": "Other"})
        cls.partner = cls.env["res.partner"].create({"name": "Bob"})

    def _ledger(self, key, project=None, **extra):
        project = project or self.project
        return (
            self.env["migration.ledger"]
            .sudo()
            .create(
                {
                    "run_id": self.mig_run.id,
                    "project_id": project.id,
                    "object_map_id": self.omap.id if project == self.project else False,
                    "target": "contact",
                    "source_key": key,
                    "res_model": "res.partner",
                    "res_id": self.partner.id,
                    "operation": "create",
                    **extra,
                }
            )
        )

    def test_row_key(self):
        self.assertEqual(row_key(self.omap, {"ID": " 7 "}, 2), "id:7")
        self.assertEqual(row_key(self.omap, {"ID": ""}, 4), "line:people.csv:4")
        self.assertEqual(row_key(self.omap, None, 5), "line:people.csv:5")
        self.omap.extends_only = True  # a custom object keys its own ids
        self.assertEqual(row_key(self.omap, {"ID": "7"}, 2), "people.csv:id:7")

    def test_renames_are_the_booked_rows_whose_key_changed(self):
        expected = [
            (self.rows[1].id, "old:2", "id:2"),
            (self.rows[2].id, "old:3", "line:people.csv:4"),
        ]
        upgrade = KeyUpgrade(self.env, self.project)
        self.assertEqual(upgrade.renames(self.omap), expected)
        with patch.object(rekey, "CHUNK", 1):  # read one row a page
            self.assertEqual(upgrade.renames(self.omap), expected)

    def test_renames_read_the_key_rule_once_per_map(self):
        """One key function per object map for all its rows (it was built
        again for every booked row: the map's rule and columns read per row)."""
        with calls_of(self.env["migration.object.map"], "_key_function") as calls:
            KeyUpgrade(self.env, self.project).renames(self.omap)
        self.assertEqual(calls, [self.omap.id])

    def test_rewrite_follows_the_staging_rows_keys(self):
        bob, cy = self.rows[1], self.rows[2]
        booked = self._ledger("old:2", staging_row_id=bob.id)
        orphan = self._ledger("old:3")  # its staging row was removed
        added = self._ledger("old:2>crm.tag:5", operation="add")
        kept = self._ledger("id:1", staging_row_id=self.rows[0].id)
        elsewhere = self._ledger("old:2", project=self.other)
        prefix = self._ledger("old:22", staging_row_id=False)
        upgrade = KeyUpgrade(self.env, self.project)
        with patch.object(rekey, "CHUNK", 1):  # two chunks
            upgrade.rewrite(self.omap, upgrade.renames(self.omap))
        self.env.invalidate_all()
        self.assertEqual(
            [r.source_key for r in (booked, orphan, added, kept, elsewhere, prefix)],
            [
                "id:2",
                "line:people.csv:4",
                "id:2>crm.tag:5",
                "id:1",
                "old:2",
                "old:22",
            ],
        )
        self.assertEqual((bob.source_key, cy.source_key), ("id:2", "line:people.csv:4"))

    def test_run_upgrades_once_and_says_how_many_rows_changed(self):
        self._ledger("old:2", staging_row_id=self.rows[1].id)
        self.assertEqual(KeyUpgrade(self.env, self.project).run(), 2)
        self.assertEqual(self.project.key_version, KEY_VERSION)
        self.assertEqual(
            self.rows.mapped("source_key"),
            ["id:1", "id:2", "line:people.csv:4", False],
        )
        self.rows[1].source_key = "old:2"  # not read again: the project is current
        self.assertEqual(KeyUpgrade(self.env, self.project).run(), 0)
        self.assertEqual(self.rows[1].source_key, "old:2")
