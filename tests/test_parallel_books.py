"""What the loader's conversion of a converted object's row read (its unread
cells, the fields its rule wrote) is booked in the database with the batch
(migration.staging.row read_*), not in the memory of the process that loaded
it: a run resumed in another process, or split across queue_job workers,
counts the same cells as a synchronous run, and no row is converted twice
(once by the loader, never again by the cell check)."""

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from unittest.mock import patch

from odoo.tests import tagged

from ..engine import records
from ..loader import leftovers, prepare
from ..loader.batch import BatchLoader
from .common import MigrationCase
from .queue_worker import row_digest
from .test_parallel import scenario
from .test_parallel_workers import WorkerCase
from .test_resume import Killed, stop_after

MOODS = ("happy", "", "calm", "tired")


def tasks_project(env, name, owner, people, tasks, batch_size):
    """A generic project of ``people`` contacts (Ann{i} Lee, p{i}@c{i % 40})
    and ``tasks`` tasks on them (tasks_csv), profiled, proposed and confirmed."""
    project = env["migration.project"].create(
        {
            "name": name,
            "system": "generic",
            "default_user_id": owner.id,
            "batch_size": batch_size,
        }
    )
    project._add_file(
        "contacts.csv",
        b"First Name,Last Name,Email\n"
        + b"".join(
            f"Ann{i},Lee,p{i}@c{i % 40}.example.com\n".encode() for i in range(people)
        ),
    )
    project._add_file("tasks.csv", tasks_csv(tasks, people))
    project.action_profile()
    project.action_propose()
    project.action_confirm_maps()
    return project


def tasks_csv(n, contacts, owner="alice@example.com"):
    """``n`` activities on the contacts of scenario() (of ``contacts``): a Mood
    column no rule reads (kept in the activity's note), empty on every fourth.
    ``owner`` None: no Owner column (the project's default owner). A row with
    a review item (an unknown owner...) is converted again by the cell check,
    by design: a correction may change what its rule reads."""
    head = "Subject,Due Date,Contact Email" + (",Owner" if owner else "") + ",Mood"
    lines = [head]
    # the contacts scenario() gives an email of their own (not a duplicate's
    # or an invalid one): a task of any other is held for review
    people = [p for p in range(contacts) if p % 25 != 24 and p % 37 != 36]
    for i in range(n):
        person = people[i % len(people)]
        lines.append(
            f"Task {i},2024-05-{i % 28 + 1:02d},p{person}@c{person % 40}.example.com,"
            + (f"{owner}," if owner else "")
            + MOODS[i % 4]
        )
    return ("\n".join(lines) + "\n").encode()


def cell_counts(run, omap):
    return {
        c.column: (c.cell_count, c.written_count, c.review_count, c.unaccounted_count)
        for c in run.cell_check_ids
        if c.object_map_id == omap
    }


class Conversions:
    """Every conversion of a source row by rule in this process: the loader's
    (loader.prepare.convert) and the cell check's (engine.records.read_row),
    by the row's cells."""

    def __init__(self):
        self.rows = Counter()

    def counted(self, real):
        def wrapper(*args, **kwargs):
            self.rows[row_digest(args[1])] += 1
            return real(*args, **kwargs)

        return wrapper

    def __enter__(self):
        self.patches = [
            patch.object(prepare, "convert", self.counted(prepare.convert)),
            patch.object(records, "read_row", self.counted(records.read_row)),
        ]
        for one in self.patches:
            one.start()
        return self

    def __exit__(self, *exc):
        for one in self.patches:
            one.stop()


@tagged("post_install", "-at_install")
class TestBooksOfAResumedRun(MigrationCase):
    ROWS = 12

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = tasks_project(
            cls.env, "Books resumed", cls.owner, 3, cls.ROWS, batch_size=3
        )
        cls.tasks = cls.project.object_map_ids.filtered(
            lambda m: m.source_id.name == "tasks.csv"
        )

    def _synchronous_counts(self):
        """The cells a synchronous run counts, then undone."""
        savepoint = self.env.cr.savepoint()
        run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        counts = cell_counts(run, self.tasks)
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        return counts

    def test_a_resumed_run_counts_the_cells_of_a_synchronous_run_converting_each_row_once(
        self,
    ):
        sync = self._synchronous_counts()
        # Mood: 9 non-empty cells, kept in the activities' notes
        self.assertEqual(sync["Mood"], (9, 9, 0, 0))
        self.assertEqual(sync["Subject"], (12, 12, 0, 0))
        with Conversions() as conversions:
            # the contacts' batch and two of the four task batches, then the
            # process dies
            try:
                with patch.object(BatchLoader, "load", stop_after(3, BatchLoader.load)):
                    self.project.action_full_run()
            except Killed:
                pass
            run = self.project.run_ids.sorted("id")[-1]
            self.assertEqual((run.state, run.done_rows), ("running", 9))
            booked = self.tasks.source_id.staging_row_ids.filtered("read_setup")
            self.assertEqual(len(booked), 6)
            self.assertEqual(set(booked.mapped("read_run_id")), {run.id})
            # another process resumes it: nothing of the first one's memory
            getattr(leftovers, "_BOOKS", {}).clear()
            self.project.action_full_run()
        self.assertEqual(self.project.run_ids, run, "resumed, not a new run")
        self.assertEqual((run.state, run.balanced), ("done", True), run.log)
        self.assertEqual(cell_counts(run, self.tasks), sync)
        # each task row converted once: by the batch that loaded it
        self.assertEqual(sum(conversions.rows.values()), self.ROWS)
        self.assertEqual(set(conversions.rows.values()), {1})

    def test_a_row_whose_book_is_of_another_run_or_setup_is_converted_again(self):
        run = self.project._start_run("full", commit=False)
        rows = self.tasks.source_id.staging_row_ids
        rows[:2].write({"read_setup": "other"})
        rows[2:4].write({"read_run_id": run.id + 1000})
        with Conversions() as conversions:
            self.env["migration.cell.check"]._build_for_run(run)
        self.assertEqual(sum(conversions.rows.values()), 4)
        self.assertEqual(cell_counts(run, self.tasks)["Mood"], (9, 9, 0, 0))

    def test_homes_keep_dates_and_decimals(self):
        homes = {
            "Date": ("date_order", dt.datetime(2024, 5, 1, 9, 30)),
            "Valid": ("validity_date", dt.date(2024, 6, 1)),
            "Amount": ("amount_untaxed", Decimal("12.50")),
            "Qty": ("product_uom_qty", 2.0),
            "Name": ("name", "Widget"),
        }
        text = leftovers.encode_homes(homes)
        self.assertEqual(leftovers.decode_homes(json.loads(text)), homes)
        self.assertIsNone(leftovers.encode_homes({"X": ("name", object())}))


@tagged("post_install", "-at_install")
class TestBooksOnWorkers(WorkerCase):
    """Activities with a column no rule reads, loaded by two worker processes:
    the run's end (in one of them) reads the books of the rows the other
    converted, and every row is converted once."""

    COMPANIES, CONTACTS, TASKS = 40, 80, 300

    def make_project(self):
        companies, contacts, _deals = scenario(self.COMPANIES, self.CONTACTS, 0)
        files = {
            "companies.csv": companies,
            "contacts.csv": contacts,
            # no owner column: this database knows no alice, and an unknown
            # owner's review item would have the check convert each row again
            "tasks.csv": tasks_csv(self.TASKS, self.CONTACTS, owner=None),
        }
        return self.committed_project("Books on workers", 40, files, maps=False)

    def synchronous_cells(self, project_id):
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            project = env["migration.project"].browse(project_id)
            run = project._start_run("full")
            tasks = project.object_map_ids.filtered(
                lambda m: m.source_id.name == "tasks.csv"
            )
            out = (run.state, run.balanced, cell_counts(run, tasks))
            cr.rollback()
        return out

    def test_workers_count_the_cells_of_a_synchronous_run_converting_each_row_once(
        self,
    ):
        project_id = self.make_project()
        self.addCleanup(self.undo, project_id)
        state, balanced, sync = self.synchronous_cells(project_id)
        self.assertEqual((state, balanced), ("done", True))
        cells, written, review, unaccounted = sync["Mood"]
        self.assertEqual((cells, written + review, unaccounted), (225, 225, 0))
        self.assertGreater(written, 200)
        run_id = self.queue_parallel_run(project_id)
        # a worker pauses after each job: the other one takes the next batch
        lines, codes = self.run_workers(kill=None, count=True, pause=0.6)
        self.assertEqual(codes, [0, 0])
        self.assertFalse([line for line in lines if line.startswith("failed")])
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            run = env["migration.run"].browse(run_id)
            self.assertEqual(
                (run.state, run.parallel, run.balanced), ("done", True, True)
            )
            tasks = run.project_id.object_map_ids.filtered(
                lambda m: m.source_id.name == "tasks.csv"
            )
            task_batches = set(
                run.batch_ids.filtered(lambda b: b.line_id.object_map_id == tasks).ids
            )
            self.assertEqual(cell_counts(run, tasks), sync)
            # each row's book: this run's, of the conversion's settings
            setup = leftovers.Leftovers(tasks, run).setup_key
            cr.execute(
                "SELECT read_run_id, read_setup, count(*) FROM migration_staging_row "
                "WHERE source_id = %s GROUP BY 1, 2",
                [tasks.source_id.id],
            )
            self.assertEqual(cr.fetchall(), [(run_id, setup, self.TASKS)])
        # the task batches ran in both workers, the check in one of them
        pids = {
            line.split()[1]
            for line in lines
            if "_parallel_batch" in line
            and json.loads(line.split(" ", 3)[3].split(" ")[0])[0] in task_batches
        }
        self.assertEqual(len(pids), 2, lines)
        converted = Counter(
            line.split()[2] for line in lines if line.startswith("convert ")
        )
        self.assertEqual(
            sum(converted.values()),
            self.TASKS,
            (
                self.conversions_by_job(lines),
                [x for x in lines if x.startswith("books")],
            ),
        )
        self.assertEqual(set(converted.values()), {1})

    @staticmethod
    def conversions_by_job(lines):
        """{(job method, loader|check): conversions} (a worker prints a job's
        conversions before the job's outcome line)."""
        out, pending = Counter(), Counter()
        for line in lines:
            if line.startswith("convert "):
                pending[line.split()[3]] += 1
            elif line.split()[:1] in (["done"], ["retry"]):
                for kind, count in pending.items():
                    out[(line.split()[2], kind)] += count
                pending = Counter()
        return dict(out)
