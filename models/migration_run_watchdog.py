"""The watchdog of parallel runs: a run whose remaining jobs are gone is found
and its remaining work queued again.

queue_job enqueues a job's dependents after the job is committed done
(``RunJobController._enqueue_dependent_jobs``); under load that update meets
concurrent ones, and after five tries queue_job gives up and logs an error:
the job is done, its dependents wait for it forever, and the run with them.
A job deleted by hand (or by a cleanup) does the same. The scheduled action
finds such a run (running in parallel, none of its jobs pending, enqueued or
started for a while) and queues what is left of it as a new graph: the
batches still pending, the objects not added up yet, the finish. Every job is
idempotent (a batch loads only rows this run has not booked and is done in the
transaction that writes them; an object is added up once, ``parallel_done``;
the finish only ends a running run), so queuing one twice writes nothing
twice."""

import json
import logging
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.job import WAIT_DEPENDENCIES, Job

from ..loader.run import ordered_maps

_logger = logging.getLogger(__name__)

# a job done this recently may still be enqueuing its dependents
STALL_SECONDS = 300
# a run requeued this often is stuck for a reason requeuing does not cure
MAX_REQUEUES = 3
ACTIVE = ("pending", "enqueued", "started")


class MigrationRun(models.Model):
    _inherit = "migration.run"

    parallel_requeues = fields.Integer(
        readonly=True,
        help="How many times the watchdog queued this parallel run's "
        "remaining jobs again (their jobs were lost).",
    )

    @api.model
    def _cron_parallel_watchdog(self, stall_seconds=STALL_SECONDS):
        """Scheduled action: requeue the parallel runs whose jobs are lost;
        the runs requeued."""
        requeued = self.browse()
        for run in self.search([("parallel", "=", True), ("state", "=", "running")]):
            if run._parallel_requeue_if_stalled(stall_seconds):
                requeued |= run
        return requeued

    def _parallel_jobs(self):
        """[(uuid, state, latest date)] of this run's queue jobs."""
        self.ensure_one()
        self.env["queue.job"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT uuid, state, greatest(date_created, date_enqueued, "
                "date_started, date_done, date_cancelled) FROM queue_job "
                # queue_job stores the records' JSON as a JSON string
                "WHERE model_name = %s AND (CASE jsonb_typeof(records) "
                "WHEN 'string' THEN (records #>> '{}')::jsonb ELSE records END)"
                "->'ids' @> %s::jsonb",
                self._name,
                json.dumps([self.id]),
            )
        )
        return self.env.cr.fetchall()

    def _parallel_requeue_if_stalled(self, stall_seconds=STALL_SECONDS):
        """Queue this run's remaining jobs again if none is alive (pending,
        enqueued, started) and none moved for ``stall_seconds``; whether it did."""
        self.ensure_one()
        jobs = self._parallel_jobs()
        if any(state in ACTIVE for _uuid, state, _at in jobs):
            return False
        latest = max((at for _uuid, _state, at in jobs if at), default=None)
        # queue_job dates its jobs with datetime.now(), microseconds included
        if latest and datetime.now() - latest < timedelta(seconds=stall_seconds):
            return False
        # the jobs left waiting for a job that will never enqueue them
        waiting = [uuid for uuid, state, _at in jobs if state == WAIT_DEPENDENCIES]
        for job in Job.load_many(self.env, waiting):
            job.set_cancelled(
                result=_("Replaced by the migration watchdog's requeued jobs.")
            )
            job.store()
        if self.parallel_requeues >= MAX_REQUEUES:
            self._write_book({"state": "failed", "date_end": fields.Datetime.now()})
            self._log(
                _(
                    "Run failed: its jobs were lost %(count)s times and queued again "
                    "each time; it is not queued a further time.",
                    count=self.parallel_requeues,
                )
            )
            self._notify_progress()
            return False
        self._parallel_requeue()
        return True

    def _parallel_requeue(self):
        """A new job graph of what is left: the objects not added up yet with
        their pending batches, then the finish."""
        left = self.line_ids.filtered(lambda ln: not ln.parallel_done)
        omaps = ordered_maps(self.project_id).filtered(
            lambda m: m in left.object_map_id
        )
        pending = self.batch_ids.filtered(lambda b: b.state == "pending")
        batches = {
            omap.id: pending.filtered(lambda b, m=omap: b.line_id.object_map_id == m)
            for omap in omaps
        }
        self._parallel_graph(omaps, batches).delay()
        self._write_book({"parallel_requeues": self.parallel_requeues + 1})
        self._log(
            _(
                "No job of the run was alive: %(batches)s batches of %(objects)s "
                "objects and the finish queued again by the watchdog.",
                batches=len(pending),
                objects=len(omaps),
            )
        )
        _logger.warning(
            "migration run %s: jobs lost, %s batches of %s objects queued again",
            self.id,
            len(pending),
            len(omaps),
        )
