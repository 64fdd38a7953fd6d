"""The run's books (issue 18): each ledger row inserted updates every index
of the ledger, so the ledger has the indexes its lookups use and no other
(and so have the staging rows, each of which writes every index when staged);
each staging row a run loads is rewritten (its state, key and runs) without
writing an index (a HOT update); and every query a run, a delta, a re-run
and a rollback make of either table is still served by an index when the
tables hold many rows of other projects."""

import json
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import make_index_name

from ..engine import records
from ..loader.leftovers import Leftovers
from ..models.migration_ledger import KEY_INDEX
from .common import MigrationCase, read_data, upgrade_script
from .test_parallel_books import cell_counts, tasks_project

# {index: (columns, predicate)} of the ledger
LEDGER_INDEXES = {
    "migration_ledger_pkey": (("id",), None),
    "migration_ledger__run_id_index": (("run_id",), None),
    "migration_ledger__company_id_index": (("company_id",), None),
    KEY_INDEX: (("project_id", "target", "source_key"), None),
    "migration_ledger__staging_row_id_index": (
        ("staging_row_id",),
        "(staging_row_id IS NOT NULL)",
    ),
    "migration_ledger__res_id_index": (("res_id",), None),
}
# not object_name nor row_hash (on the old code): no query looks rows up by them
STAGING_INDEXED = {"id", "project_id", "source_id", "company_id"}
OTHER_ROWS = 30000  # ledger and staging rows of another project (history)
BOOKS = ("migration_ledger", "migration_staging_row")


def index_columns(cr, table):
    """{index name: (its columns or expressions, its predicate or None)}."""
    cr.execute(
        """
        SELECT i.relname,
               array(SELECT pg_get_indexdef(x.indexrelid, k, true)
                       FROM generate_series(1, x.indnkeyatts) k),
               pg_get_expr(x.indpred, x.indrelid)
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = %s::regclass
        """,
        [table],
    )
    return {name: (tuple(columns), where) for name, columns, where in cr.fetchall()}


def seq_scans(plan, table):
    """The nodes of an EXPLAIN (FORMAT JSON) plan reading ``table`` whole."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == table:
        found.append(plan)
    for child in plan.get("Plans", ()):
        found += seq_scans(child, table)
    return found


@tagged("post_install", "-at_install")
class TestBookIndexes(MigrationCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def test_the_ledger_has_the_indexes_of_its_lookups(self):
        """(project, target, source key) is one index, the rows not rolled
        back are not indexed (every query asks for nearly all of them): six
        indexes written per row instead of nine (the nine on the old code)."""
        self.assertEqual(index_columns(self.env.cr, "migration_ledger"), LEDGER_INDEXES)

    def test_the_staging_rows_have_no_index_on_what_a_run_writes(self):
        """Neither a row's state nor its key is indexed (both on the old
        code), and half of each page is left for the rows' new versions."""
        self.assertEqual(self._staging_indexed(), STAGING_INDEXED)
        self.assertEqual(self._staging_options(), ["fillfactor=50"])

    def _staging_indexed(self):
        return {
            column
            for columns, _where in index_columns(
                self.env.cr, "migration_staging_row"
            ).values()
            for column in columns
        }

    def _staging_options(self):
        self.env.cr.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'migration_staging_row'"
        )
        return self.env.cr.fetchone()[0]

    def test_an_upgraded_database_gets_the_same_books(self):
        """A database of 18.0.1.2.0 (the old indexes, staging pages packed
        full), upgraded as Odoo does it (each model's init(), then the
        migration scripts): the same indexes and fill factor as a new one."""
        cr = self.env.cr
        old = {
            "migration_ledger": ("project_id", "target", "source_key", "rolled_back"),
            "migration_staging_row": ("state", "source_key", "object_name", "row_hash"),
        }
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(KEY_INDEX)))
        for table, columns in old.items():
            for column in columns:
                cr.execute(
                    SQL(
                        "CREATE INDEX %s ON %s (%s)",
                        SQL.identifier(make_index_name(table, column)),
                        SQL.identifier(table),
                        SQL.identifier(column),
                    )
                )
        cr.execute("ALTER TABLE migration_staging_row RESET (fillfactor)")
        self.assertEqual(len(index_columns(cr, "migration_ledger")), 9)
        self.assertIn("state", self._staging_indexed())
        self.assertIsNone(self._staging_options())
        for model in ("migration.ledger", "migration.staging.row"):
            self.env[model].init()
        upgrade_script("18.0.1.3.0")(cr, "18.0.1.2.0")
        upgrade_script("18.0.1.4.0")(cr, "18.0.1.2.0")
        self.assertEqual(index_columns(cr, "migration_ledger"), LEDGER_INDEXES)
        self.assertEqual(self._staging_indexed(), STAGING_INDEXED)
        self.assertEqual(self._staging_options(), ["fillfactor=50"])

    def _xact_updates(self, table):
        """(rows updated, of which HOT) of ``table`` in this transaction."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
            "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
            [table, table],
        )
        return self.env.cr.fetchone()

    def test_a_run_rewrites_its_staging_rows_without_their_indexes(self):
        """600 contacts of about the bench's width staged and loaded: the run
        rewrites each staging row once (state, key, runs), and (nearly) every
        rewrite is a HOT update, none of the table's indexes written (none
        on the old code: state and key were indexed, and every page full)."""
        rows = 600
        project = self.env["migration.project"].create(
            {"name": "Wide contacts", "system": "generic"}
        )
        lines = ["Contact ID,First Name,Last Name,Email,City,Notes"] + [
            f"P{i},Ann{i},Lee{i},ann{i}@example.com,Campinas,"
            + " ".join(f"note{i}-{w}" for w in range(30))
            for i in range(rows)
        ]
        project._add_file("contacts.csv", "\n".join(lines).encode())
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        updated, hot = self._xact_updates("migration_staging_row")
        run = project._start_run("full", commit=False)
        self.assertEqual((run.state, run.created_count), ("done", rows), run.log)
        after = self._xact_updates("migration_staging_row")
        updated, hot = after[0] - updated, after[1] - hot
        self.assertEqual(updated, rows)
        self.assertGreaterEqual(hot, rows * 0.95)
        staged = self.env["migration.staging.row"].search(
            [("source_id", "in", project.source_ids.ids)]
        )
        self.assertEqual(set(staged.mapped("state")), {"loaded"})
        self.assertEqual(set(staged.mapped("last_run_id")), {run})
        self.assertEqual(len(set(staged.mapped("source_key"))), rows)

    def test_a_converted_object_rewrites_each_staging_row_once(self):
        """Activities (a converted object): what each row's conversion read
        (read_*, for the cell check) is booked in the same UPDATE as the
        row's state, key and runs: 12 task rows and 3 contacts rewritten 15
        times (27 on the old code: the conversions' book was an UPDATE of
        its own), the books as before (the check converts no row again)."""
        project = tasks_project(self.env, "Tasks", self.owner, 3, 12, batch_size=5)
        tasks = project.object_map_ids.filtered(
            lambda m: m.source_id.name == "tasks.csv"
        )
        before = self._xact_updates("migration_staging_row")
        with patch.object(records, "read_row", side_effect=AssertionError) as again:
            run = project._start_run("full", commit=False)
        self.assertEqual((run.state, run.created_count), ("done", 15), run.log)
        self.assertEqual(again.call_count, 0)
        after = self._xact_updates("migration_staging_row")
        self.assertEqual(after[0] - before[0], 15)
        self.assertEqual(cell_counts(run, tasks)["Mood"], (9, 9, 0, 0))
        rows = tasks.source_id.staging_row_ids
        self.assertEqual(set(rows.mapped("state")), {"loaded"})
        self.assertEqual(set(rows.mapped("read_run_id")), {run.id})
        self.assertEqual(
            set(rows.mapped("read_setup")), {Leftovers(tasks, run).setup_key}
        )
        # Mood: no rule reads it (kept in the note), empty on every fourth row
        self.assertEqual(sorted(rows.mapped("read_unread")), [[]] * 3 + [["Mood"]] * 9)

    def _other_project(self, rows):
        """A project of ``rows`` staging and ledger rows of its own (records
        of ids no record has: no lookup of this project finds them)."""
        other = self.env["migration.project"].create(
            {"name": "Earlier CRM", "system": "generic"}
        )
        (source,) = other._add_file("old.csv", b"Old ID\n1\n")
        run = self.env["migration.run"].create({"project_id": other.id})
        self.env.flush_all()
        values = {
            "run": run.id,
            "project": other.id,
            "source": source.id,
            "company": other.company_id.id,
            "uid": self.env.uid,
            "rows": rows,
        }
        self.env.cr.execute(
            """
            INSERT INTO migration_staging_row (project_id, source_id, company_id,
                   object_name, line, data, row_hash, source_key, state,
                   last_run_id, create_uid, write_uid, create_date, write_date)
            SELECT %(project)s, %(source)s, %(company)s, 'old', g + 2,
                   jsonb_build_object('Old ID', g), md5(g::text), 'id:' || g,
                   (ARRAY['loaded', 'review', 'staged'])[1 + g %% 3], %(run)s,
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(rows)s) g
            """,
            values,
        )
        self.env.cr.execute(
            """
            INSERT INTO migration_ledger (run_id, project_id, company_id, target,
                   source_key, line, res_model, res_id, operation, rolled_back,
                   create_uid, write_uid, create_date, write_date)
            SELECT %(run)s, %(project)s, %(company)s,
                   (ARRAY['company', 'contact', 'lead'])[1 + g %% 3], 'id:' || g, g,
                   (ARRAY['res.partner', 'res.partner', 'crm.lead'])[1 + g %% 3],
                   -g, 'create', g %% 10 = 0, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(rows)s) g
            """,
            values,
        )
        self.env.cr.execute("ANALYZE migration_staging_row, migration_ledger")

    def _book_queries(self, action):
        """The statements ``action`` runs that read or change the books."""
        queries = []
        real = Cursor.execute

        def execute(cr, query, params=None, log_exceptions=True):
            result = real(cr, query, params, log_exceptions)
            text = (cr._obj.query or b"").decode()
            head = text.split(None, 1)[0].upper() if text.strip() else ""
            if head in ("SELECT", "WITH", "UPDATE", "DELETE") and any(
                table in text for table in BOOKS
            ):
                queries.append(text)
            return result

        with patch.object(Cursor, "execute", execute):
            action()
        return queries

    def _migrate(self):
        """A full run, a delta of one changed company, a re-run, the rollback
        wizard and the rollback of the three runs."""
        run = self.project._start_run("full", commit=False)
        self.assertEqual((run.state, run.created_count), ("done", 10), run.log)
        data = read_data("companies.csv").replace(
            b"+1 212 555 0100", b"+1 212 555 0177"
        )
        self.project._add_file("companies.csv", data)
        delta = self.project._start_run("delta", commit=False)
        self.assertEqual((delta.state, delta.updated_count), ("done", 1), delta.log)
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual((rerun.state, rerun.created_count), ("done", 0))
        wizard = self.env["migration.rollback.wizard"].create(
            {"project_id": self.project.id}
        )
        self.assertEqual(wizard.conflict_count, 0)
        totals = self.project.run_ids._rollback(force=False)
        self.assertEqual((totals["errors"], totals["remaining"]), ([], 0))

    def test_every_book_query_of_a_migration_uses_an_index(self):
        """Next to 30,000 staging and ledger rows of another project, fresh
        statistics: no query of a full run, a delta, a re-run or a rollback
        reads the whole ledger or all staging rows (on the old code as on
        the new: the books lost no index a query used)."""
        self._other_project(OTHER_ROWS)
        queries = self._book_queries(self._migrate)
        self.assertGreater(len(queries), 50)
        self.env.cr.execute("ANALYZE migration_staging_row, migration_ledger")
        read_whole = []
        for query in queries:
            self.env.cr._obj.execute("EXPLAIN (FORMAT JSON) " + query)
            plan = self.env.cr._obj.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for table in BOOKS:
                if seq_scans(plan[0]["Plan"], table):
                    read_whole.append((table, " ".join(query.split())[:300]))
        self.assertEqual(read_whole, [])
