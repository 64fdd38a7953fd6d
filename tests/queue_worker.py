"""A queue_job worker in a process of its own, for tests/test_parallel_workers.py.

What queue_job's runner and its ``/queue_job/runjob`` controller do for one
database and one channel, without the HTTP hop between them: the runner's part
takes a ready (pending) job of the channel and marks it enqueued, and requeues
dead jobs with the runner's own query (``Database._query_requeue_dead_jobs``); the
controller's part acquires, performs and commits the job with queue_job's own
code (``RunJobController._acquire_job`` and ``_runjob``) on a registry and a
cursor of this process. Not a test module (the test loader imports ``test_*``).

    python queue_worker.py '{"args": [...odoo options...], "db": ..., "channel": ...,
                            "kill": "contacts" | null, "timeout": seconds}'

``count``: the process prints ``convert <pid> <digest>`` for each source row
it converts by rule (the loader's conversion, loader.prepare.convert, and the
cell check's, engine.records.read_row), the digest naming the row's cells:
``convert <pid> <digest> loader|check``.

``pause``: seconds the process waits after each job (another worker then
takes the next one: jobs that wait for each other alternate between workers).

``kill``: the process kills itself with SIGKILL in the middle of its first
batch of that object (its records written, its ledger not yet), as a worker
whose machine dies: PostgreSQL rolls its transaction back and releases its
locks, and the job stays 'started' until the runner's requeue finds it dead.
Prints one line per job performed: ``done|retry|failed <pid> <method> <args>``
(``depfail``: the job is done, but queue_job's update of the jobs waiting
for it met a concurrent update five times and gave up).

``profile``: a folder: the process runs its jobs under cProfile and writes
``worker-<pid>.pstats`` there at its end (where a job's time goes).

``timing``: at its end the process prints ``timing <pid> <first> <last>
<cpu> <jobs>``: the wall clock (``time.time()``) when it took its first job
and when it finished its last one, and the CPU seconds it used after its
registry was loaded (bench/bench_parallel.py: a server's workers are up
before a run is queued); and one line per job taken, ``span <pid> <start>
<end> <description>`` (the wall clock around acquiring, performing and
committing it): where the run's time goes, job by job.

Between jobs the process waits as queue_job's runner does: it LISTENs to
the ``queue_job`` channel (queue_job's trigger notifies every change of a
job's state), so that a job made ready by another one's end is taken at
once, not at the next poll.

While the channel has open jobs but none to take, the process does what the
addon's scheduled watchdog does on a server (``_cron_parallel_watchdog``), with
a stall of ``WATCH_STALL`` seconds instead of minutes, at most every
``WATCH_EVERY`` seconds: a run whose jobs wait
for a ``depfail`` job is queued again (``watchdog <pid> <run ids>``) instead of
waiting until the test's timeout.
"""

import hashlib
import json
import os
import select
import signal
import sys
import time

TAKE = """
UPDATE queue_job SET state = 'enqueued',
       date_enqueued = date_trunc('seconds', now() at time zone 'utc')
 WHERE id = (SELECT id FROM queue_job
              WHERE state = 'pending' AND channel = %s
                AND (eta IS NULL OR eta <= now() at time zone 'utc')
              ORDER BY priority, date_created, id
              LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING uuid
"""
# longer than queue_job's own tries at enqueuing the waiting jobs (1+2+4+8+16 s)
WATCH_STALL = 40
# at most once in this many seconds (a server's cron runs it every few
# minutes; at each 0.3 s poll its queries were counted in the workers' CPU)
WATCH_EVERY = 5
# one worker at a time plays the scheduled action (ir.cron locks its row)
WATCH_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('crm_migration watchdog'))"
OPEN = """
SELECT count(*) FROM queue_job WHERE channel = %s
   AND state IN ('wait_dependencies', 'pending', 'enqueued', 'started')
"""


def kill_in(object_name):
    """Book.write_ledger kills this process in its first batch of ``object_name``."""
    from odoo.addons.crm_migration.loader.book import Book

    real = Book.write_ledger

    def write_ledger(self, vals_list):
        if self.omap.object_name == object_name:
            sys.stdout.write(f"killed {object_name}\n")
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, vals_list)

    Book.write_ledger = write_ledger


def row_digest(data):
    text = json.dumps(dict(data), sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def count_conversions():
    """Print a line per conversion of a source row by rule (see ``count``)."""
    from odoo.addons.crm_migration.engine import records
    from odoo.addons.crm_migration.loader import prepare

    def counted(real, name):
        def wrapper(*args, **kwargs):
            print(f"convert {os.getpid()} {row_digest(args[1])} {name}", flush=True)
            return real(*args, **kwargs)

        return wrapper

    prepare.convert = counted(prepare.convert, "loader")
    records.read_row = counted(records.read_row, "check")

    from odoo.addons.crm_migration.loader.leftovers import Leftovers

    real_load, real_book = Leftovers.load, Leftovers.book

    def load(self, row_ids):
        real_load(self, row_ids)
        print(
            f"books {os.getpid()} read run={self.run.id} setup={self.setup_key} "
            f"rows={len(row_ids)} booked={len(self._page)}",
            flush=True,
        )

    def book(self, booked):
        real_book(self, booked)
        print(
            f"books {os.getpid()} wrote run={self.run.id} setup={self.setup_key} "
            f"rows={len(booked)} setup_of={self.setup!r}"[:400],
            flush=True,
        )

    Leftovers.load, Leftovers.book = load, book


def watchdog(registry):
    """The addon's scheduled watchdog, once (see the module's docstring)."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        cr.execute(WATCH_LOCK)
        if not cr.fetchone()[0]:
            return
        env = api.Environment(cr, SUPERUSER_ID, {})
        runs = env["migration.run"]._cron_parallel_watchdog(stall_seconds=WATCH_STALL)
        if runs:
            print(f"watchdog {os.getpid()} {runs.ids}", flush=True)


class Timing:
    """When this worker took its first job and finished its last, and its
    CPU seconds from its creation (after the registry is loaded)."""

    def __init__(self):
        self.cpu = time.process_time()
        self.first = self.last = None
        self.jobs = 0

    def start(self):
        if self.first is None:
            self.first = time.time()

    def end(self):
        self.last = time.time()
        self.jobs += 1

    def line(self):
        cpu = time.process_time() - self.cpu
        return f"timing {os.getpid()} {self.first} {self.last} {cpu:.3f} {self.jobs}"


def perform(registry, uuid):
    """Acquire, perform and commit one job (queue_job's controller code), in
    Odoo's request around it: the registry reloaded first if another process
    changed it (a job's new x_ fields), this job's changes signalled after
    its commit, or undone in this process if it did not commit; prints its
    outcome. Returns the registry, reloaded or not."""
    registry = registry.check_signaling()
    done = False
    try:
        done = perform_job(registry, uuid)
    finally:
        if done:
            registry.signal_changes()
        else:
            registry.reset_changes()
    return registry


class Spans:
    """conf "timing": a span line per job (see module doc)."""

    on = False
    last = None  # (start, description) of the job perform_job took last


def perform_job(registry, uuid):
    """The job's outcome printed; whether it is done (committed)."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.queue_job.controllers.main import RunJobController

    started = time.time()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        job = RunJobController._acquire_job(env, uuid)
        if job is None:
            return False
        if Spans.on:
            Spans.last = (started, job.description or job.method_name)
        try:
            RunJobController._runjob(env, job)
        except Exception as exc:  # noqa: BLE001 - stored failed by _runjob
            if job.state == "done":
                # done and committed; queue_job's own update of the jobs
                # that wait for it was refused (its 5 tries spent)
                print(f"depfail {os.getpid()} {job.method_name} {exc!r}")
            else:
                print(f"failed {os.getpid()} {job.method_name} {exc!r}")
            sys.stdout.flush()
            return job.state == "done"
        if job.state == "done":
            print(f"done {os.getpid()} {job.method_name} {list(job.args)}")
        else:  # postponed: why (a serialization failure names its table)
            why = " ".join(str(job.result or "").split())[:200]
            print(f"retry {os.getpid()} {job.method_name} {list(job.args)} {why}")
        sys.stdout.flush()
        return job.state == "done"


def print_span():
    """The span of the job perform_job took last (its commit included)."""
    if Spans.last:
        (started, description), Spans.last = Spans.last, None
        print(f"span {os.getpid()} {started} {time.time()} {description}", flush=True)


def wait_for_news(runner, seconds):
    """Sleep until queue_job notifies a change of a job (or ``seconds``)."""
    if select.select([runner], [], [], seconds)[0]:
        runner.poll()
        runner.notifies.clear()


def main(conf):
    import odoo
    from odoo.tools import config

    # Odoo's logging, at the options' --log-level: a job's warning or error
    # (a batch failed, a run's log line) is printed on stderr as a server's
    config.parse_config(conf["args"], setup_logging=True)
    import psycopg2

    from odoo.modules.registry import Registry
    from odoo.sql_db import connection_info_for

    from odoo.addons.queue_job.jobrunner.runner import Database

    registry = Registry(conf["db"])
    timing = Timing()
    if conf.get("count"):
        count_conversions()
    if conf.get("kill"):
        kill_in(conf["kill"])
    # the runner's own connection (autocommit); not its Database object, whose
    # master lock lets one runner per database live (here: one per worker)
    runner = psycopg2.connect(**connection_info_for(conf["db"])[1])
    runner.autocommit = True
    with runner.cursor() as cr:
        cr.execute("LISTEN queue_job")
    Spans.on = bool(conf.get("timing"))
    requeue = Database._query_requeue_dead_jobs(None)
    deadline = time.monotonic() + conf.get("timeout", 600)
    idle = 0
    watched = time.monotonic()
    profiler = None
    if conf.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
    while time.monotonic() < deadline:
        with runner.cursor() as cr:
            cr.execute(requeue)
            cr.execute(TAKE, (conf["channel"],))
            row = cr.fetchone()
            if row is None:
                cr.execute(OPEN, (conf["channel"],))
                idle = idle + 1 if not cr.fetchone()[0] else 0
        if row is None:
            if idle >= 3:
                break
            # open jobs, none to take: lost ones?
            if not idle and time.monotonic() - watched >= WATCH_EVERY:
                watchdog(registry)
                watched = time.monotonic()
            wait_for_news(runner, 0.3)
            continue
        timing.start()
        if profiler:
            profiler.enable()
        registry = perform(registry, row[0])
        if profiler:
            profiler.disable()
        timing.end()
        print_span()
        time.sleep(conf.get("pause") or 0)
    if conf.get("timing"):
        print(timing.line(), flush=True)
    if profiler:
        profiler.dump_stats(
            os.path.join(conf["profile"], f"worker-{os.getpid()}.pstats")
        )
    runner.close()
    odoo.sql_db.close_all()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
