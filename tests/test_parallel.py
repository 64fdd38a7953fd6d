"""A full run in parallel batches (issue 18): real queue_job jobs, stored by
queue_job and performed here the way its runner and controller perform them,
by two workers taking the ready jobs from both ends; the same records, ledger,
review items and counts as a synchronous run of the same files."""

from collections import Counter
from unittest.mock import patch

from psycopg2 import errors

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.sql import index_exists

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import CANCELLED, DONE, PENDING, WAIT_DEPENDENCIES, Job

from ..loader.book import Book
from ..loader.parallel import Partitioner
from .common import MigrationCase, job_runner_on

CHANNEL = "root.crm_migration"
COMPANIES, CONTACTS, DEALS = 40, 200, 160


class Killed(BaseException):
    """A worker killed mid-batch: nothing of its transaction survives, and
    queue_job's runner requeues the job it had started (requeue_dead_jobs)."""


class Rollback(Exception):
    """Undoes the synchronous run the parallel one is compared with."""


def scenario(n_companies=COMPANIES, n_contacts=CONTACTS, n_deals=DEALS):
    """(companies.csv, contacts.csv, deals.csv) with the fixture's headers:
    contacts of one company, duplicate emails merged, bad emails reviewed,
    companies no file has (made from a contact's company name), deals of one
    customer, a bad amount."""
    companies = ["Company ID,Company Name,Website,Phone,Country,Tags,Created"]
    for i in range(n_companies):
        tag = ("VIP", "Partner", "")[i % 3]
        companies.append(
            f"C{i},Company {i} Corp,https://c{i}.example.com,+1 212 555 {i:04d},US,"
            f"{tag},03/15/2021"
        )
    contacts = [
        "Contact ID,First Name,Last Name,Email,Phone,Company,Job Title,Owner,Created"
    ]
    for i in range(n_contacts):
        company = f"Newco {i % 3}" if i % 30 == 7 else f"Company {i % n_companies} Corp"
        email = f"p{i}@c{i % n_companies}.example.com"
        if i % 25 == 24:
            email = f"p{i - 24}@c{(i - 24) % n_companies}.example.com"  # a duplicate
        if i % 37 == 36:
            email = f"person {i} at nowhere"
        owner = ("alice@example.com", "bob@example.com")[i % 2]
        contacts.append(
            f"P{i},First{i},Last{i},{email},,{company},Buyer,{owner},04/01/2021"
        )
    deals = [
        "Deal ID,Deal Name,Account Name,Contact Email,Amount,Stage,Owner,Status,"
        "Close Date,Tags,Created"
    ]
    for i in range(n_deals):
        contact = i % n_companies + n_companies * (i % 4)
        amount = "abc" if i % 50 == 49 else str(1000 + i)
        stage = ("Proposition", "Qualified", "Negotiation Phase")[i % 3]
        status = ("Open", "Won", "Lost", "Open")[i % 4]
        deals.append(
            f"D{i},Deal {i},Company {i % n_companies} Corp,p{contact}@c{contact % n_companies}"
            f".example.com,{amount},{stage},alice@example.com,{status},06/30/2021,"
            f"Renewal,03/20/2021"
        )
    return ("\n".join(rows).encode() + b"\n" for rows in (companies, contacts, deals))


class Workers:
    """queue_job's runner and controller, as far as one test transaction
    allows: the ready (pending) jobs of the channel, taken by two workers from
    both ends of the queue; each job performed in a savepoint standing for the
    controller's transaction, marked done and its dependents enqueued, or
    postponed on RetryableJobError, or requeued when its worker is killed."""

    def __init__(self, env, gives_up=None, first=None):
        self.env = env
        self.performed = []  # (method, args, outcome) in order
        # jobs after which queue_job's enqueuing of their dependents gives up
        # (serialization failures five times): done, dependents left waiting
        self.gives_up = gives_up or (lambda job: False)
        # the method whose ready jobs the workers take before any other
        self.first = first

    def run(self, limit=2000):
        Queue = self.env["queue.job"]
        for _turn in range(limit):
            ready = Queue.search([("state", "=", PENDING), ("channel", "=", CHANNEL)])
            if not ready:
                return self.performed
            ready = ready.filtered(lambda j: j.method_name == self.first) or ready
            for record in {ready[0], ready[-1]}:  # worker 1, worker 2
                self.perform(record.uuid)
        raise AssertionError("the jobs never ended")

    def perform(self, uuid):
        job = Job.load(self.env, uuid)
        job.set_started()
        job.store()
        try:
            with self.env.cr.savepoint():
                job.perform()
                self.env.flush_all()
        except RetryableJobError as err:
            self.env.invalidate_all()
            job.postpone(result=str(err), seconds=err.seconds)
            job.set_pending(reset_retry=False)
            job.store()
            self.performed.append((job.method_name, job.args, "retry"))
            return
        except Killed:
            self.env.invalidate_all()
            # requeue_dead_jobs: a started job whose lock is free is pending
            # again, its try counted (perform counted it)
            job.set_pending(reset_retry=False)
            job.store()
            self.performed.append((job.method_name, job.args, "killed"))
            return
        job.set_done()
        job.store()
        self.env.flush_all()
        if job.should_check_dependents() and not self.gives_up(job):
            job.enqueue_waiting()
        self.performed.append((job.method_name, job.args, "done"))


def books(env, run):
    """The run's records, ledger, review items and counts, by content."""
    entries = env["migration.ledger"].search([("run_id", "=", run.id)])
    partners = env["res.partner"].browse(
        entries.filtered(lambda e: e.res_model == "res.partner").mapped("res_id")
    )
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .browse(entries.filtered(lambda e: e.res_model == "crm.lead").mapped("res_id"))
    )
    return {
        "state": (run.state, run.balanced, run.unaccounted_cell_count),
        "lines": {
            line.object_name: tuple(
                line[f"{name}_count"]
                for name in (
                    "read",
                    "created",
                    "updated",
                    "unchanged",
                    "merged",
                    "skipped",
                    "review",
                    "invalid_value",
                )
            )  # fmt: skip
            for line in run.line_ids
        },
        "ledger": sorted(
            (e.target, e.source_key or "", e.operation, e.res_model) for e in entries
        ),
        "partners": sorted(
            (
                p.name or "",
                p.email or "",
                p.is_company,
                p.parent_id.name or "",
                p.ref or "",
                p.user_id.login or "",
                ",".join(sorted(p.category_id.mapped("name"))),
            )
            for p in partners
        ),
        "leads": sorted(
            (
                lead.name or "",
                lead.partner_id.name or "",
                lead.email_from or "",
                lead.expected_revenue,
                lead.stage_id.name or "",
                lead.active,
                ",".join(sorted(lead.tag_ids.mapped("name"))),
                # scored from the frequencies of the whole object's won and
                # lost deals, whatever the batches (loader/probabilities.py)
                lead.probability,
                lead.automated_probability,
                lead.prorated_revenue,
            )
            for lead in leads
        ),
        # the cell conservation, column by column (a parallel run checks an
        # object beside the next objects' batches)
        "cells": sorted(
            (
                c.object_name,
                c.column,
                c.field_name or "",
                c.cell_count,
                c.written_count,
                c.ignored_count,
                c.review_count,
                c.unaccounted_count,
                c.example or "",
            )
            for c in run.cell_check_ids
        ),
        "reviews": sorted(
            (
                r.kind,
                r.file_name or "",
                r.line,
                r.column or "",
                r.value or "",
                r.row_held,
            )
            for r in run.review_ids
        ),
    }


def fail_batches(rules):
    """Book.write_ledger raising in some batches, after the batch's records
    were written (the middle of a batch): ``rules`` {(object, batch number):
    (times, exception class)}; returns (the patch, {(object, number): calls})."""
    real = Book.write_ledger
    calls = {slot: 0 for slot in rules}

    def write_ledger(self, vals_list):
        slot = (self.omap.object_name, self.env.context.get("test_batch"))
        if slot in rules and calls[slot] < rules[slot][0]:
            calls[slot] += 1
            raise rules[slot][1]("the worker stopped here")
        return real(self, vals_list)

    return patch.object(Book, "write_ledger", write_ledger), calls


@tagged("post_install", "-at_install")
class TestParallelRun(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Parallel CRM",
                "system": "generic",
                "default_user_id": cls.owner.id,
            }
        )
        for name, data in zip(
            ("companies.csv", "contacts.csv", "deals.csv"), scenario(), strict=True
        ):
            cls.project._add_file(name, data)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.write(
            {"batch_size": 10, "run_in_background": True, "parallel_batches": True}
        )
        cls.sync = cls._synchronous_books()

    def setUp(self):
        super().setUp()
        job_runner_on(self)
        # which batch a job loads, for fail_batch
        real = type(self.env["migration.run"])._parallel_batch

        def tagged_batch(run, batch_id):
            number = run.env["migration.run.batch"].browse(batch_id).number
            return real(run.with_context(test_batch=number), batch_id)

        patcher = patch.object(
            type(self.env["migration.run"]), "_parallel_batch", tagged_batch
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    @classmethod
    def _synchronous_books(cls):
        """What a synchronous run of the same files writes (then undone)."""
        try:
            with cls.env.cr.savepoint():
                run = cls.project._start_run("full")
                books = cls._books(run)
                raise Rollback
        except Rollback:
            cls.env.invalidate_all()
        return books

    @classmethod
    def _books(cls, run):
        return books(cls.env, run)

    def _parallel_run(self):
        self.project.action_full_run()
        run = self.project.run_ids.sorted("id")[-1]
        self.assertEqual(run.state, "queued")
        return run

    # ------------------------------------------------------------ tests
    def test_the_synchronous_run_books(self):
        """The run the parallel ones are compared with, number by number:
        read, created, updated, unchanged, merged, skipped, review, values to
        review."""
        self.assertEqual(self.sync["state"], ("done", True, 0))
        self.assertEqual(
            self.sync["lines"],
            {
                "companies": (40, 40, 0, 0, 0, 0, 0, 0),
                # 8 duplicate emails merged; 5 bad emails and 7 unknown
                # companies are values to review
                "contacts": (200, 192, 0, 0, 8, 0, 0, 12),
                "deals": (160, 160, 0, 0, 0, 0, 0, 27),
            },
        )
        kinds = Counter((r[0], r[1], r[3]) for r in self.sync["reviews"])
        self.assertEqual(
            kinds,
            {
                ("duplicate", "contacts.csv", ""): 8,
                ("invalid_value", "contacts.csv", "Email"): 5,
                # Newco 0..2: no file has them (no parent companies made)
                ("missing_parent", "contacts.csv", "Company"): 7,
                ("invalid_value", "deals.csv", "Amount"): 3,
                # the deals naming an email no contact row gives (merged or bad)
                ("missing_parent", "deals.csv", "Contact Email"): 24,
            },
        )
        self.assertEqual(len([p for p in self.sync["partners"] if p[2]]), 40)

    def test_parallel_run_books_what_a_synchronous_run_books(self):
        run = self._parallel_run()
        plan = self.env["queue.job"].search([("channel", "=", CHANNEL)])
        self.assertEqual(plan.mapped("method_name"), ["_parallel_plan"])
        performed = Workers(self.env).run()
        self.assertEqual(self._books(run), self.sync)
        self.assertEqual(
            (run.state, run.parallel, run.interrupted), ("done", True, False)
        )
        batches = run.batch_ids
        self.assertEqual(
            [(b.object_name, b.state) for b in batches].count(("contacts", "done")),
            len(batches.filtered(lambda b: b.object_name == "contacts")),
        )
        self.assertEqual(set(batches.mapped("state")), {"done"})
        self.assertEqual(sum(batches.mapped("row_count")), 400)
        self.assertEqual((run.done_rows, run.total_rows), (400, 400))
        jobs = self.env["queue.job"].search([("channel", "=", CHANNEL)])
        # one plan, a job per batch, one per object, one to check the cells
        # of each object but the last (the finish checks it), one to finish:
        # all done
        self.assertEqual(len(jobs), 1 + len(batches) + 3 + 2 + 1)
        self.assertTrue(self.sync["cells"])
        # checked beside the next objects' batches, and kept by the finish
        self.assertIn("kept: companies, contacts;", run.log)
        deals = run.line_ids.filtered(lambda ln: ln.object_name == "deals")
        self.assertFalse(deals.cell_check_early)
        self.assertEqual(set(jobs.mapped("state")), {DONE})
        # every job of the run on the migration channel
        run_jobs = self.env["queue.job"].search([("model_name", "=", "migration.run")])
        self.assertEqual(set(run_jobs.mapped("channel")), {CHANNEL})
        self.assertEqual(len(run_jobs), len(jobs))
        # dependency order: no contact before the companies are done, no
        # deal before the contacts are
        order = [
            self.env["migration.run.batch"].browse(args[0]).object_name
            if method == "_parallel_batch"
            else method
            for method, args, _outcome in performed
        ]
        self.assertEqual(order[0], "_parallel_plan")
        self.assertEqual(order[-1], "_parallel_finish")
        done_at = [i for i, name in enumerate(order) if name == "_parallel_object_done"]
        self.assertLess(
            max(i for i, n in enumerate(order) if n == "companies"), done_at[0]
        )
        self.assertLess(
            done_at[0], min(i for i, n in enumerate(order) if n == "contacts")
        )
        self.assertLess(
            max(i for i, n in enumerate(order) if n == "contacts"), done_at[1]
        )
        self.assertLess(done_at[1], min(i for i, n in enumerate(order) if n == "deals"))
        # the two workers took batches of one object out of their order
        contacts = [
            self.env["migration.run.batch"].browse(args[0]).number
            for method, args, _o in performed
            if method == "_parallel_batch"
            and self.env["migration.run.batch"].browse(args[0]).object_name
            == "contacts"
        ]
        self.assertNotEqual(contacts, sorted(contacts))

    def test_cells_a_later_object_changed_after_their_check_are_checked_again(self):
        """The contacts' cells checked beside the deals' batches (their job
        taken first), then a deal's batch writes on a contact: the finish
        finds the contacts' rows or records changed and checks them again; the
        same cell conservation as a synchronous run in which the deals wrote
        the same."""
        real = Book.write_ledger

        def write_ledger(book, vals_list):
            if book.omap.object_name == "deals":
                book.env["res.partner"].flush_model()
                book.env.cr.execute(
                    "UPDATE res_partner SET function = 'Changed' "
                    "WHERE email = 'p1@c1.example.com'"
                )
            return real(book, vals_list)

        with patch.object(Book, "write_ledger", write_ledger):
            sync = self._synchronous_books()
            run = self._parallel_run()
            Workers(self.env, first="_parallel_object_check").run()
        self.assertEqual(sync["state"], ("failed", True, 1))
        self.assertIn(
            ("contacts", "Job Title", "function", 200, 191, 0, 8, 1),
            [c[:8] for c in sync["cells"]],
        )
        self.assertEqual(self._books(run), sync)
        self.assertEqual(
            [bool(ln.cell_check_early) for ln in run.line_ids.sorted("sequence")],
            [True, True, False],
        )
        self.assertIn("checked again at the end", run.log)
        self.assertRegex(run.log, r"kept: [^;]*companies[^;]*;")
        self.assertRegex(run.log, r"checked again at the end [^:]*: [^\n]*contacts")

    def test_a_batch_killed_or_failing_once_is_retried_without_a_double(self):
        failing, calls = fail_batches(
            {
                ("contacts", 3): (1, Killed),
                ("deals", 2): (1, RuntimeError),
                # another worker's batch wrote a shared row first, twice
                ("deals", 4): (2, errors.SerializationFailure),
            }
        )
        run = self._parallel_run()
        with failing:
            performed = Workers(self.env).run()
        self.assertEqual(calls, {("contacts", 3): 1, ("deals", 2): 1, ("deals", 4): 2})
        outcomes = [outcome for _m, _a, outcome in performed]
        self.assertEqual((outcomes.count("killed"), outcomes.count("retry")), (1, 3))
        # no duplicate, no missing record: the books of an uninterrupted run
        self.assertEqual(self._books(run), self.sync)
        self.assertEqual(run.state, "done")
        by_number = {(b.object_name, b.number): b for b in run.batch_ids}
        self.assertEqual(by_number[("contacts", 3)].attempts, 2)
        self.assertEqual(by_number[("deals", 2)].attempts, 2)
        self.assertEqual(by_number[("deals", 1)].attempts, 1)
        # a concurrency error is not one of the job's attempts
        self.assertEqual(by_number[("deals", 4)].attempts, 1)

    def test_a_batch_failing_every_time_is_reported_on_the_run(self):
        failing, calls = fail_batches({("deals", 2): (100, RuntimeError)})
        run = self._parallel_run()
        with failing:
            Workers(self.env).run()
        batch = run.batch_ids.filtered(
            lambda b: b.object_name == "deals" and b.number == 2
        )
        # queue_job's five attempts, then the batch is failed, not the run's jobs
        self.assertEqual(calls[("deals", 2)], 5)
        self.assertEqual((batch.state, batch.attempts), ("failed", 5))
        self.assertIn("the worker stopped here", batch.error)
        jobs = self.env["queue.job"].search([("channel", "=", CHANNEL)])
        self.assertEqual(set(jobs.mapped("state")), {DONE})
        # the others loaded; the run says which batch failed and ends failed
        self.assertEqual(run.state, "failed")
        self.assertIn(
            f"Batch {batch.display_name} ({batch.row_count} rows) failed", run.log
        )
        deals = run.line_ids.filtered(lambda ln: ln.object_name == "deals")
        self.assertEqual(deals.read_count, 160 - batch.row_count)
        self.assertTrue(run.balanced)
        self.assertEqual(run.batch_failed_count, 1)

    def test_rows_that_meet_in_one_record_share_a_batch(self):
        """Contacts of one company, and rows of one email, are never split
        between two batches running side by side."""
        omap = self.omap["contacts.csv"]
        rows = self.env["migration.staging.row"].search(
            [("source_id", "=", omap.source_id.id)], order="line, id"
        )
        batches = Partitioner(self.env, omap).batches(rows.ids, 10)
        self.assertEqual(sorted(i for b in batches for i in b), sorted(rows.ids))
        where = {row_id: n for n, batch in enumerate(batches) for row_id in batch}
        by_company, by_email = {}, {}
        for row in rows:
            by_company.setdefault(row.data["Company"], set()).add(where[row.id])
            by_email.setdefault(row.data["Email"].lower(), set()).add(where[row.id])
        self.assertEqual({len(b) for b in by_company.values()}, {1})
        self.assertEqual({len(b) for b in by_email.values()}, {1})
        self.assertGreater(len(batches), 3)

    def test_a_run_in_one_job_may_commit_batch_by_batch(self):
        """queue_job forbids commits in a job unless its function allows them:
        the one-job run commits per batch, its function says so."""
        job = Job(self.project._start_run, args=("full",))
        self.assertTrue(job.job_config.allow_commit)
        batch_job = Job(self.env["migration.run"]._parallel_batch, args=(1,))
        self.assertFalse(batch_job.job_config.allow_commit)

    def test_partner_lookups_read_an_index(self):
        """A batch looks partners up by normalised email and by lower(name):
        the addon indexes both, so a lookup does not read every partner (at a
        million rows that read grows with each batch)."""
        for name in (
            "res_partner_crm_migration_email_index",
            "res_partner_crm_migration_lower_name_index",
        ):
            self.assertTrue(index_exists(self.env.cr, name), name)

    def test_a_loading_parallel_run_cannot_be_rolled_back(self):
        """No process holds a parallel run's lease while its jobs load it:
        a rollback then is refused instead of racing the jobs."""
        run = self._parallel_run()
        Workers(self.env).perform(
            self.env["queue.job"].search([("method_name", "=", "_parallel_plan")]).uuid
        )
        self.assertEqual((run.state, run.parallel), ("running", True))
        with self.assertRaisesRegex(UserError, "being loaded by its queue_job jobs"):
            run._rollback()
        self.assertFalse(run.interrupted)

    # ------------------------------------------------------------ lost jobs
    def _batch_jobs(self, object_name, state=PENDING):
        return (
            self.env["queue.job"]
            .search([("method_name", "=", "_parallel_batch"), ("state", "=", state)])
            .filtered(
                lambda j: (
                    self.env["migration.run.batch"].browse(j.args[0]).object_name
                    == object_name
                )
            )
        )

    def _requeued_books(self, run, workers):
        """The stalled run requeued by the watchdog and loaded to its end."""
        Run = self.env["migration.run"]
        self.assertEqual(run.state, "running")
        self.assertFalse(
            self.env["queue.job"].search(
                [("channel", "=", CHANNEL), ("state", "in", (PENDING, "started"))]
            )
        )
        # its jobs moved a moment ago: queue_job may still be enqueuing
        self.assertFalse(Run._cron_parallel_watchdog())
        self.assertEqual(Run._cron_parallel_watchdog(stall_seconds=0), run)
        workers.run()
        self.assertEqual(self._books(run), self.sync)
        self.assertEqual((run.state, run.parallel_requeues), ("done", 1))
        self.assertEqual(set(run.batch_ids.mapped("state")), {"done"})
        self.assertEqual((run.done_rows, run.total_rows), (400, 400))
        self.assertFalse(Run._cron_parallel_watchdog(stall_seconds=0))
        self.assertIn("queued again by the watchdog", run.log)

    def test_a_deleted_batch_job_is_queued_again_by_the_watchdog(self):
        """A pending batch job deleted: the jobs after it find its object not
        added up and leave their work; the watchdog queues what is left, and
        the run books what a synchronous run books."""
        run = self._parallel_run()
        workers = Workers(self.env)
        while len(contacts := self._batch_jobs("contacts")) < 2:
            workers.perform(
                self.env["queue.job"]
                .search([("state", "=", PENDING), ("channel", "=", CHANNEL)])[0]
                .uuid
            )
        lost = self.env["migration.run.batch"].browse(contacts[-1].args[0])
        contacts[-1].unlink()
        workers.run()
        # every job ran and nothing after the lost batch was booked
        self.assertEqual(lost.state, "pending")
        lines = {ln.object_name: ln for ln in run.line_ids}
        self.assertEqual(
            [lines[name].parallel_done for name in ("companies", "contacts", "deals")],
            [True, False, False],
        )
        self.assertEqual(lines["deals"].read_count, 0)
        self.assertEqual(
            set(run.batch_ids.filtered(lambda b: b.object_name == "deals").mapped(
                "state"
            )),
            {"pending"},
        )  # fmt: skip
        self._requeued_books(run, workers)
        self.assertEqual(lost.state, "done")

    def test_dependents_left_waiting_by_queue_job_are_queued_again(self):
        """queue_job's enqueuing of a done job's dependents gave up (five
        serialization failures): they wait forever; the watchdog cancels
        them and queues the run's remaining work again."""
        run = self._parallel_run()
        gave_up = []

        def gives_up(job):
            if job.method_name == "_parallel_object_done" and not gave_up:
                gave_up.append(job.uuid)
                return True
            return False

        workers = Workers(self.env, gives_up=gives_up)
        workers.run()
        waiting = self.env["queue.job"].search([("state", "=", WAIT_DEPENDENCIES)])
        self.assertTrue(waiting)
        self._requeued_books(run, workers)
        self.assertEqual(set(waiting.mapped("state")), {CANCELLED})
