"""Staging rows streamed by a server-side cursor (loader/stream.py): a pass
over a file's rows holds a page at a time, sees what the transaction wrote,
and lets other queries run while it reads; a re-uploaded file is matched
against its staged rows read that way."""

from odoo.tests import tagged
from odoo.tools import SQL

from ..loader.stream import stream
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestStagingStream(MigrationCase):
    CSV = "Contact ID,First Name,Email\n" + "".join(
        f"P{i},Ann{i},ann{i}@example.com\n" for i in range(250)
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {"name": "Stream", "system": "generic", "default_user_id": cls.owner.id}
        )
        cls.source = cls.project._add_file("people.csv", cls.CSV.encode())

    def test_rows_come_a_page_at_a_time_beside_other_queries(self):
        self.env.cr.execute(
            "UPDATE migration_staging_row SET state = 'review' WHERE line = 2 "
            "AND source_id = %s",
            [self.source.id],
        )  # not committed: the stream is of this transaction
        query = SQL(
            "SELECT line, data->>'Email', state FROM migration_staging_row "
            "WHERE source_id = %s ORDER BY line",
            self.source.id,
        )
        seen, fetches = [], 0
        before = self.env.cr.sql_log_count
        for line, email, state in stream(self.env, query, itersize=100):
            if line % 100 == 2:  # another query of the transaction meanwhile
                self.env.cr.execute("SELECT count(*) FROM res_partner")
                fetches += 1
            seen.append((line, email, state))
        self.assertEqual(len(seen), 250)
        self.assertEqual(seen[0], (2, "ann0@example.com", "review"))
        self.assertEqual(seen[-1], (251, "ann249@example.com", "staged"))
        self.assertEqual(fetches, 3)
        # the stream's own fetches go through psycopg2, not Odoo's cursor
        self.assertEqual(self.env.cr.sql_log_count - before, fetches)

    def test_a_reuploaded_file_matches_its_staged_rows(self):
        changed = self.CSV.replace("ann7@example.com", "ann7@new.example.com")
        changed += "P250,Ann250,ann250@example.com\n"
        source = self.project._add_file("people.csv", changed.encode())
        self.assertEqual(source, self.source)
        self.assertEqual(
            source.last_stage_counts,
            {"new": 1, "changed": 1, "unchanged": 249, "removed": 0},
        )
        self.assertEqual(source.row_count, 251)
