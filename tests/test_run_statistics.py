"""The planner's statistics of what a run wrote (loader/statistics.py): once an
object's batches are in, PostgreSQL knows its rows before the run's end reads
them back, whenever autovacuum last came by."""

import json

from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from ..loader import statistics


@tagged("post_install", "-at_install")
class TestRunStatistics(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))

    def _reltuples(self, table):
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table]
        )
        return self.env.cr.fetchone()[0]

    def _estimate(self, query, params):
        """The rows the planner expects ``query`` to return."""
        self.env.cr.execute(f"EXPLAIN (FORMAT JSON) {query}", params)
        plan = self.env.cr.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Plan"]["Plan Rows"]

    def _project(self, rows):
        project = self.env["migration.project"].create(
            {"name": f"{rows} contacts", "system": "generic"}
        )
        lines = ["Contact ID,First Name,Last Name,Email"] + [
            f"P{i},Ann{i},Lee{i},ann{i}@example.com" for i in range(rows)
        ]
        project._add_file("contacts.csv", "\n".join(lines).encode())
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        return project

    def test_an_objects_rows_are_in_the_statistics_before_the_run_ends(self):
        """A run's contacts, never committed (autovacuum cannot see them): the
        planner expects about as many ledger and staging rows of the object
        as there are, not the one row of a value its statistics never saw
        (which made it join a page of 5,000 rows to them by a nested loop)."""
        biggest = max(
            max(self._reltuples(t), 0)
            for t in ("migration_ledger", "migration_staging_row")
        )
        # past autovacuum's threshold whatever this database already holds
        rows = int(statistics.THRESHOLD + statistics.SCALE * biggest) + 60
        project = self._project(rows)
        omap = project.object_map_ids
        run = project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(run.created_count, rows)
        ledger = self._estimate(
            "SELECT id FROM migration_ledger WHERE object_map_id = %s", [omap.id]
        )
        staging = self._estimate(
            "SELECT id FROM migration_staging_row WHERE source_id = %s",
            [omap.source_id.id],
        )
        self.assertGreater(ledger, rows * 0.8)
        self.assertGreater(staging, rows * 0.8)
        self.assertGreaterEqual(self._reltuples("migration_ledger"), rows)

    def test_a_few_rows_analyse_nothing(self):
        """Autovacuum's rule: 50 rows, or fewer than a tenth of what the table
        is believed to hold, leave the statistics as they are."""
        self.assertEqual(statistics.refresh(self.env, ["res.partner"], 50), [])
        # a table never analysed (-1 rows believed) is stale at any change
        self.env.cr.execute("ANALYZE migration_ledger (id)")
        held = self._reltuples("migration_ledger")
        self.assertGreaterEqual(held, 0)
        few = int(statistics.THRESHOLD + statistics.SCALE * held)
        self.assertNotIn(
            "migration_ledger",
            statistics.stale_tables(self.env, ["migration_ledger"], few),
        )
        self.assertEqual(
            statistics.stale_tables(self.env, ["migration_ledger"], few + 1),
            ["migration_ledger"],
        )

    def test_the_tables_analysed_are_the_books_and_the_objects(self):
        """The run's books and the object's own table, each once, in name
        order; only the columns the run's queries use (see COLUMNS)."""
        analysed = statistics.refresh(self.env, ["crm.lead"], 10**9)
        self.assertEqual(
            analysed,
            [
                "crm_lead",
                "migration_ledger",
                "migration_review",
                "migration_staging_row",
            ],
        )

    def test_a_table_another_transaction_analyses_is_skipped_not_awaited(self):
        """ANALYZE holds its lock until its transaction ends (a synchronous
        run's, in the web client, at the end of the request): another run's
        end does not wait for it (the lock timeout here would fail the test)."""
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("ANALYZE migration_ledger (id)")  # not committed
            self.env.cr.execute("SET LOCAL lock_timeout = '3s'")
            analysed = statistics.refresh(self.env, ["res.partner"], 10**9)
            other.rollback()
        self.assertIn("migration_ledger", analysed)
        self.assertIn("res_partner", analysed)
