"""A parallel run on real workers (issue 18): a few thousand rows loaded by
queue_job jobs performed by two worker processes of their own (their own
registry, cursors and transactions, queue_job's own controller code, see
queue_worker.py), one of them killed with SIGKILL in the middle of a batch and
replaced; the records, ledger, review items and reconciliation are those of a
synchronous run of the same files.

The workers see only committed data, so this class is not a TransactionCase:
it commits the project, and undoes everything it made at the end (the run's
own rollback, then the project, its jobs and the scoring counts)."""

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import config

from .common import FIXTURE_MAPS, map_columns
from .test_parallel import books, scenario

_logger = logging.getLogger(__name__)

CHANNEL = "root.crm_migration"
COMPANIES, CONTACTS, DEALS = 240, 1200, 960
WORKER = os.path.join(os.path.dirname(__file__), "queue_worker.py")


def odoo_args():
    """This process's database and addons options, for a worker process."""
    args = ["-d", get_db_name(), "--addons-path", config["addons_path"]]
    for option in ("db_host", "db_port", "db_user", "db_password", "data_dir"):
        if config.get(option):
            args += [f"--{option.replace('_', '-') if option == 'data_dir' else option}",
                     str(config[option])]  # fmt: skip
    return args


class WorkerCase(BaseCase):
    """Committed projects run by worker processes (no test of its own)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    # ------------------------------------------------------------ set up
    @staticmethod
    def scoring(env):
        env.cr.execute(
            "SELECT variable, value, won_count, lost_count, team_id "
            "FROM crm_lead_scoring_frequency ORDER BY 1, 2, 5"
        )
        return env.cr.fetchall()

    def committed_project(self, name, batch_size, files, maps=True):
        """A project of ``files`` ({file name: CSV bytes}), staged, profiled,
        proposed and confirmed, committed for the workers: its id. ``maps``:
        the fixture files' column choices applied (FIXTURE_MAPS). No custom
        field: a synchronous run, rolled back, would leave one in the registry
        that the database does not have."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            self.frequencies = self.scoring(env)
            project = env["migration.project"].create(
                {
                    "name": name,
                    "system": "generic",
                    "default_user_id": env.ref("base.user_admin").id,
                    "create_parent_companies": True,
                    "batch_size": batch_size,
                }
            )
            for file_name, data in files.items():
                project._add_file(file_name, data)
            project.action_profile()
            project.action_propose()
            if maps:
                map_columns(env, project.object_map_ids)
            project.object_map_ids.field_map_ids.filtered(
                lambda f: f.action == "create"
            ).write({"action": "ignore"})
            project.action_confirm_maps()
            return project.id

    def queue_parallel_run(self, project_id):
        """The project's full run queued as parallel batch jobs (committed,
        for the workers; the runner taken as available): the run's id."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            project = env["migration.project"].browse(project_id)
            project.write({"run_in_background": True, "parallel_batches": True})
            Project = type(project)
            with patch.object(Project, "_job_runner_available", return_value=True):
                project.action_full_run()
            return project.run_ids.sorted("id")[-1].id

    def undo(self, project_id):
        """Everything the test committed, undone: the records its runs made
        (the ledger says which; deleted per model, newest model first, not
        one by one as a consultant's rollback does), the project, its jobs
        and the scoring counts the won deals added."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            project = env["migration.project"].browse(project_id).exists()
            if not project:
                return
            entries = env["migration.ledger"].search(
                [("project_id", "=", project_id), ("operation", "=", "create")],
                order="id desc",
            )
            made = {}
            for entry in entries:
                made.setdefault(entry.res_model, []).append(entry.res_id)
            for model_name, ids in made.items():
                env[model_name].with_context(active_test=False).browse(
                    ids
                ).exists().unlink()
            project.unlink()
            # the only committed jobs of the channel are this test's
            env["queue.job"].search([("channel", "=", CHANNEL)]).unlink()
            cr.execute("DELETE FROM crm_lead_scoring_frequency")
            for row in self.frequencies:
                cr.execute(
                    "INSERT INTO crm_lead_scoring_frequency "
                    "(variable, value, won_count, lost_count, team_id) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    row,
                )

    def synchronous_books(self, project_id):
        """What a synchronous run of the files writes, then rolled back."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            run = env["migration.project"].browse(project_id)._start_run("full")
            out = books(env, run)
            cr.rollback()
        return out

    # ------------------------------------------------------------ workers
    def start_worker(self, kill=None, count=False, pause=0):
        conf = {
            "args": odoo_args(),
            "db": get_db_name(),
            "channel": CHANNEL,
            "kill": kill,
            "count": count,
            "pause": pause,
            "timeout": 900,
        }
        # the workers' own log: a failed query names its statement there
        with open(self.worker_log(), "a") as err:
            return subprocess.Popen(
                [sys.executable, WORKER, json.dumps(conf)],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )

    @staticmethod
    def worker_log():
        return os.path.join(
            tempfile.gettempdir(), f"crm_migration_workers_{os.getpid()}.log"
        )

    def log_failed_queries(self):
        """The statements the workers' PostgreSQL refused (a serialization
        failure names what two batches both wrote), into the test's log."""
        if not os.path.exists(self.worker_log()):
            return []
        with open(self.worker_log()) as log:
            text = log.read()
        queries = [
            " ".join(part.split("\nERROR:")[0].split())[:300]
            for part in text.split("bad query: ")[1:]
        ]
        for query in queries:
            _logger.info("worker query refused: %s", query)
        return queries

    def run_workers(self, kill="contacts", count=False, pause=0):
        """Two workers until the channel is idle; the first one kills itself
        in its first batch of ``kill`` and is replaced, as a process manager
        replaces a dead worker. Returns (outcomes of every job, exit codes)."""
        if os.path.exists(self.worker_log()):
            os.remove(self.worker_log())
        workers = [
            self.start_worker(kill=kill, count=count, pause=pause),
            self.start_worker(count=count, pause=pause),
        ]
        lines, codes = [], []
        deadline = time.monotonic() + 1200
        while workers and time.monotonic() < deadline:
            for worker in list(workers):
                if worker.poll() is None:
                    continue
                out = worker.stdout.read()
                lines += out.splitlines()
                codes.append(worker.returncode)
                workers.remove(worker)
                if worker.returncode < 0:
                    workers.append(self.start_worker(count=count, pause=pause))
            time.sleep(0.5)
        for worker in workers:
            worker.kill()
        self.assertFalse(workers, "the workers did not finish")
        _logger.info(
            "workers: %s",
            Counter(
                word
                for line in lines
                if (word := line.split(" ", 1)[0])
                in ("done", "retry", "failed", "killed")
            ),
        )
        for line in lines:
            if line.startswith(("retry", "depfail")):
                _logger.info("worker %s", line)
        self.refused = self.log_failed_queries()
        return lines, codes


@tagged("post_install", "-at_install")
class TestParallelWorkers(WorkerCase):
    # ------------------------------------------------------------ set up
    def make_project(self):
        """The project, staged, profiled, mapped and confirmed: committed."""
        files = scenario(COMPANIES, CONTACTS, DEALS)
        return self.committed_project(
            "Parallel workers CRM", 100, dict(zip(FIXTURE_MAPS, files, strict=True))
        )

    # ------------------------------------------------------------ test
    def test_two_workers_and_a_killed_batch_book_what_a_synchronous_run_books(self):
        project_id = self.make_project()
        self.addCleanup(self.undo, project_id)
        sync = self.synchronous_books(project_id)
        self.assertEqual(sync["state"], ("done", True, 0))
        self.assertEqual(
            {name: line[:2] for name, line in sync["lines"].items()},
            {
                "companies": (COMPANIES, COMPANIES),
                "contacts": (CONTACTS, sync["lines"]["contacts"][1]),
                "deals": (DEALS, DEALS),
            },
        )
        run_id = self.queue_parallel_run(project_id)
        lines, codes = self.run_workers()
        # the killed worker, its replacement and the other one ended
        self.assertEqual(sorted(codes), [-9, 0, 0])
        self.assertIn("killed contacts", lines)
        self.assertFalse([line for line in lines if line.startswith("failed")])
        # batches of one object ran in two processes
        batch_pids = {line.split()[1] for line in lines if "_parallel_batch" in line}
        self.assertGreaterEqual(len(batch_pids), 2)
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            run = env["migration.run"].browse(run_id)
            # no duplicate, no missing record: the books of the synchronous run
            self.assertEqual(books(env, run), sync)
            self.assertEqual(
                (run.state, run.parallel, run.balanced), ("done", True, True)
            )
            self.assertEqual(set(run.batch_ids.mapped("state")), {"done"})
            self.assertEqual(run.done_rows, COMPANIES + CONTACTS + DEALS)
            # the killed batch was performed twice: queue_job counted the
            # dead attempt; every other batch once
            attempts = Counter(run.batch_ids.mapped("attempts"))
            self.assertEqual(attempts, {1: len(run.batch_ids) - 1, 2: 1})
            killed = run.batch_ids.filtered(lambda b: b.attempts == 2)
            self.assertEqual(killed.object_name, "contacts")
            jobs = env["queue.job"].search([("channel", "=", CHANNEL)])
            self.assertEqual(set(jobs.mapped("state")), {"done"})
            self.assertGreater(len(run.batch_ids), 20)
            cr.execute(
                "SELECT ref, count(*) FROM res_partner WHERE ref LIKE 'P%%' "
                "OR ref LIKE 'C%%' GROUP BY ref HAVING count(*) > 1"
            )
            self.assertEqual(cr.fetchall(), [])
