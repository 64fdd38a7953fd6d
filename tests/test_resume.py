import time
from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.sql_db import connection_info_for
from odoo.tests import tagged

from ..loader.batch import BatchLoader
from ..loader.lease import Lease
from ..models.migration_rollback import MigrationRollback
from .common import MigrationCase


class Killed(BaseException):
    """What SIGKILL does to a run: it stops between two statements, no except
    clause of the run sees it (the batch's savepoint is undone, as PostgreSQL
    undoes an uncommitted transaction)."""


def close_and_wait(connection, cr):
    """Close ``connection`` as a dying process does and wait until its server
    process is gone: PostgreSQL frees the session's advisory locks when that
    process exits, a moment after the client closes."""
    pid = connection.get_backend_pid()
    connection.close()
    for _attempt in range(200):
        # the statistics views keep one snapshot per transaction unless cleared
        cr.execute("SELECT pg_stat_clear_snapshot()")
        cr.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        if not cr.fetchone():
            return
        time.sleep(0.05)
    raise AssertionError(f"the server process {pid} did not end in 10 s")


def stop_after(count, real):
    calls = []

    def wrapper(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > count:
            raise Killed
        return real(self, *args, **kwargs)

    return wrapper


@tagged("post_install", "-at_install")
class TestResume(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.batch_size = 1

    def _counts(self, run):
        return {
            line.object_name: (
                line.read_count,
                line.created_count,
                line.updated_count,
                line.unchanged_count,
                line.merged_count,
                line.skipped_count,
                line.review_count,
            )
            for line in run.line_ids
        }

    # what the same full run gives when nothing stops it (test_rollback and
    # test_migration_flow check these records one by one): read, created,
    # updated, unchanged, merged, skipped, review per object
    UNINTERRUPTED = {
        "companies": (3, 3, 0, 0, 0, 0, 0),
        "contacts": (6, 4, 0, 0, 1, 0, 1),
        "deals": (4, 3, 0, 0, 0, 0, 1),
    }

    def _check_books(self, run):
        """Each row booked once: one ledger row per created record, one review
        item per problem, every staging row with this run as its last."""
        creates = self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("operation", "=", "create")]
        )
        keys = [(e.target, e.source_key) for e in creates]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(
            len(creates.filtered(lambda e: e.target != "lookup")), run.created_count
        )
        reviews = self.env["migration.review"].search([("run_id", "=", run.id)])
        problems = [(r.staging_row_id.id, r.kind, r.column, r.value) for r in reviews]
        self.assertEqual(len(problems), len(set(problems)))
        self.assertEqual(len(reviews.filtered("row_held")), run.review_count)
        rows = self.project.source_ids.staging_row_ids
        self.assertEqual(rows.last_run_id, run)

    def _interrupted(self, batches):
        real = BatchLoader.load
        # not assertRaises: Odoo's undoes its block in a savepoint, and a
        # killed process leaves what it committed
        try:
            with patch.object(BatchLoader, "load", stop_after(batches, real)):
                self.project.action_full_run()
        except Killed:
            pass
        else:
            self.fail("the run was not stopped")
        return self.project.run_ids.sorted("id")[-1]

    def test_a_killed_run_is_resumed_by_the_next_run(self):
        run = self._interrupted(5)  # the companies and some contacts
        self.assertEqual(run.state, "running")
        self.assertEqual(run.done_rows, 5)
        self.assertTrue(run.interrupted)
        self.assertEqual(self.project.interrupted_run_id, run)
        self.project.action_full_run()
        self.assertEqual(self.project.run_ids, run, "the run resumed, no new run")
        self.assertEqual(run.state, "done")
        self.assertFalse(run.interrupted)
        self.assertEqual(self._counts(run), self.UNINTERRUPTED)
        self._check_books(run)
        self.assertEqual(run.done_rows, 13)
        self.assertEqual(self.project.state, "loaded")
        self.assertIn("Run resumed by", run.log)
        partners = self.env["res.partner"].search(
            [("email", "in", ["ana@acme.com", "ben@globex.com"])]
        )
        self.assertEqual(len(partners), len(set(partners.mapped("email"))))

    def test_the_resume_button(self):
        run = self._interrupted(10)  # into the deals
        self.assertEqual(
            run.line_ids.mapped("object_name"), ["companies", "contacts", "deals"]
        )
        self.project.action_resume_interrupted()
        self.assertEqual(run.state, "done")
        self.assertEqual(self._counts(run), self.UNINTERRUPTED)
        self._check_books(run)
        with self.assertRaisesRegex(UserError, "not interrupted"):
            run.action_resume()

    def test_a_live_run_is_not_taken_for_dead(self):
        run = self._interrupted(2)
        # another process works on it: it holds the run's lease
        _name, info = connection_info_for(self.env.cr.dbname)
        other = psycopg2.connect(**info)
        try:
            with other.cursor() as cr:
                cr.execute("SELECT pg_advisory_lock(%s, %s)", Lease("x", run.id).key)
            run.invalidate_recordset(["interrupted"])
            self.assertFalse(run.interrupted)
            with self.assertRaisesRegex(UserError, "still running"):
                self.project.action_full_run()
            with self.assertRaisesRegex(UserError, "worked on by another process"):
                run._rollback()
        finally:
            close_and_wait(
                other, self.env.cr
            )  # the process dies: its lock goes with it
        run.invalidate_recordset(["interrupted"])
        self.assertTrue(run.interrupted)
        with self.assertRaisesRegex(UserError, "interrupted"):
            self.project.action_delta_run()

    def test_a_killed_rollback_is_finished(self):
        run = self._full_run()
        created = self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("operation", "=", "create")]
        )
        records = [
            self.env[e.res_model].with_context(active_test=False).browse(e.res_id)
            for e in created
        ]
        real = MigrationRollback._undo
        try:
            with patch.object(MigrationRollback, "_undo", stop_after(6, real)):
                run._rollback()
        except Killed:
            pass
        self.assertTrue(run.rollback_pending)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.interrupted)
        undone = self.env["migration.ledger"].search_count(
            [("run_id", "=", run.id), ("rolled_back", "=", True)]
        )
        self.assertEqual(undone, 6)
        # the next run of the project finishes the rollback first
        self.project.action_full_run()
        self.assertEqual(run.state, "rolled_back")
        self.assertFalse(run.rollback_pending)
        self.assertEqual(len(self.project.run_ids), 2)
        self.assertIn("Interrupted rollback resumed", run.log)
        # and the new run made the records again, once
        new = self.project.run_ids.sorted("id")[-1]
        self.assertEqual(new.state, "done")
        self.assertEqual(new.created_count, run.created_count)
        self.assertFalse([r for r in records if r.exists()])
