"""A full run split into queue_job jobs per object and batch (the project's
*Parallel batches*): a plan job, one job per batch, one per object when its
batches are done, and one that finishes the run (reconciliation, cells,
state). The order and the batches are loader/parallel.py's."""

import logging
import random

from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.delay import DelayableGraph
from odoo.addons.queue_job.exception import RetryableJobError

from ..loader import OUTCOMES, heap, probabilities, statistics
from ..loader.parallel import (
    ParallelRun,
    StaleRegistry,
    check_registry,
    map_dependencies,
    runs_side_by_side,
)
from ..loader.run import ordered_maps
from ..loader.shared import apply_object_effects, batch_effects

_logger = logging.getLogger(__name__)

# another batch wrote the same row first (a review item both batches created,
# a parent): tried again with a fresh snapshot, not counted as one of the
# job's attempts; what every batch of an object writes (review item counts,
# lead scoring frequencies) is written once by its object's job
# (loader/shared.py)
CONCURRENCY_ERRORS = (errors.SerializationFailure, errors.DeadlockDetected)


def concurrency_retry(exc):
    """Another try a few seconds later (spread, so that two batches that met
    do not meet again), not counted as one of the job's attempts."""
    return RetryableJobError(str(exc), seconds=random.randint(1, 4), ignore_retry=True)


def stale_registry_retry(exc):
    """Another try as soon as queue_job can (its eta counts whole seconds),
    not counted as an attempt: this worker reloads its registry before its
    next job. A job that another worker takes the moment the plan commits
    starts before the plan's worker has signalled its new fields; the job
    function's retry pattern made such a batch wait 10 s, the whole run
    with it (the bench's 20k run on two workers: 10 s with no job running)."""
    return RetryableJobError(str(exc), seconds=1, ignore_retry=True)


class MigrationRun(models.Model):
    _inherit = "migration.run"

    parallel = fields.Boolean(
        string="Parallel batches",
        readonly=True,
        help="Loaded by queue_job jobs, one per batch, on the crm_migration channel.",
    )
    batch_ids = fields.One2many("migration.run.batch", "run_id", string="Batches")
    batch_count = fields.Integer(
        compute="_compute_batch_counts", string="Batches planned"
    )
    batch_done_count = fields.Integer(
        compute="_compute_batch_counts", string="Batches done"
    )
    batch_failed_count = fields.Integer(
        compute="_compute_batch_counts", string="Batches failed"
    )

    @api.depends("batch_ids.state")
    def _compute_batch_counts(self):
        for run in self:
            states = run.batch_ids.mapped("state")
            run.batch_count = len(states)
            run.batch_done_count = states.count("done")
            run.batch_failed_count = states.count("failed")

    @api.depends("state", "rollback_pending", "parallel")
    def _compute_interrupted(self):
        # a parallel run has no process of its own: queue_job requeues a job
        # whose worker died, so such a run is never taken for dead
        parallel = self.filtered(lambda r: r.parallel and not r.rollback_pending)
        parallel.interrupted = False
        return super(MigrationRun, self - parallel)._compute_interrupted()

    def _take_lease(self):
        # no process holds a parallel run's lease: its jobs do the work, so a
        # rollback (or another run) must not start while it loads
        if self.parallel and self.state == "running":
            raise UserError(
                _(
                    "%(run)s is being loaded by its queue_job jobs right now.",
                    run=self.name,
                )
            )
        return super()._take_lease()

    # ------------------------------------------------------------ the jobs
    def _parallel_plan(self):
        """Job: plan a queued run (object lines, batches) and queue its jobs."""
        self.ensure_one()
        if self.state != "queued":
            _logger.info("migration run %s is no longer queued: skipped", self.id)
            return False
        try:
            self.project_id._check_can_run(self.kind, run_id=self.id)
        except (AccessError, UserError) as exc:
            self._write_book({"state": "failed", "log": str(exc)})
            self._notify_progress()
            return False
        self._write_book(
            {"state": "running", "parallel": True, "date_start": fields.Datetime.now()}
        )
        self._log(
            _(
                "%(kind)s run started by %(user)s, in parallel batches",
                kind=self.kind,
                user=self.env.user.name,
            )
        )
        try:
            with self.env.cr.savepoint():
                omaps, batches = ParallelRun(self.env, self).plan()
                self._parallel_graph(omaps, batches).delay()
        except Exception as exc:  # noqa: BLE001 - a run records why it failed
            _logger.exception("planning migration run %s failed", self.id)
            self.env.invalidate_all()
            self._write_book({"state": "failed", "date_end": fields.Datetime.now()})
            self._log(_("Run failed: %(error)s", error=exc))
            self._notify_progress()
            return False
        self._log(
            _(
                "%(batches)s batches of %(objects)s objects queued.",
                batches=sum(len(b) for b in batches.values()),
                objects=len(omaps),
            )
        )
        self._notify_progress()
        return True

    def _parallel_graph(self, omaps, batches):
        """The run's jobs: an object's first batch once the objects it depends
        on are done, its other batches after that one (side by side, or one at
        a time for converted objects), its object job after its batches, the
        finishing job after every object."""
        graph = DelayableGraph()
        finish = self.delayable(
            description=_("%(run)s: finish", run=self.name)
        )._parallel_finish()
        graph.add_vertex(finish)
        deps = map_dependencies(omaps)
        object_done = {}
        for omap in omaps:
            line = batches[omap.id].line_id[:1] or self.line_ids.filtered(
                lambda ln, m=omap: ln.object_map_id == m
            )
            done = self.delayable(
                description=_(
                    "%(run)s: %(object)s done", run=self.name, object=omap.object_name
                )
            )._parallel_object_done(line.id)
            jobs = [
                self.delayable(
                    description=_(
                        "%(run)s: %(object)s batch %(number)s",
                        run=self.name,
                        object=omap.object_name,
                        number=batch.number,
                    )
                )._parallel_batch(batch.id)
                for batch in batches[omap.id]
            ]
            first = jobs[0] if jobs else done
            for dep in deps[omap.id]:
                graph.add_edge(object_done[dep], first)
            previous = first
            for job in jobs[1:]:
                graph.add_edge(first if runs_side_by_side(omap) else previous, job)
                graph.add_edge(job, done)
                previous = job
            if first is not done:
                graph.add_edge(first, done)
            last = omap == omaps[-1]
            graph.add_edge(
                done if last else self._parallel_check_job(graph, omap, line, done),
                finish,
            )
            object_done[omap.id] = done
        return graph

    def _parallel_check_job(self, graph, omap, line, done):
        """The job after ``done`` that checks the cells of a field-mapped
        object beside the next objects' batches (``done`` itself for the
        others: the finish checks them, as it checks the last object, beside
        which nothing runs: a job of its own would only add two digests)."""
        if omap.converted:
            return done
        check = self.delayable(
            description=_(
                "%(run)s: %(object)s cells", run=self.name, object=omap.object_name
            )
        )._parallel_object_check(line.id)
        graph.add_edge(done, check)
        return check

    def _parallel_ready(self, line):
        """Whether the objects ``line``'s object depends on are added up."""
        omaps = ordered_maps(self.project_id)
        needs = map_dependencies(omaps).get(line.object_map_id.id, [])
        return all(
            self.line_ids.filtered(lambda ln: ln.object_map_id.id in needs).mapped(
                "parallel_done"
            )
        )

    def _job_attempt(self):
        """(this attempt's number, whether it is the job's last) of the
        queue_job job running this method; (1, True) outside a job."""
        uuid = self.env.context.get("job_uuid")
        # sudo: the job's own queue row, which a Migration Manager cannot read
        job = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)])
        if not job:
            return 1, True
        attempt = job.retry + 1
        return attempt, bool(job.max_retries) and attempt >= job.max_retries

    def _parallel_batch(self, batch_id):
        """Job: load one batch. An error undoes the batch and asks queue_job
        for another attempt; the last attempt's error marks the batch failed
        (the run then ends failed, naming it) so that the rest of the run goes
        on. A batch that met another one on a shared row (serialization
        failure, deadlock) is tried again without counting an attempt."""
        self.ensure_one()
        batch = self.env["migration.run.batch"].browse(batch_id).exists()
        if not batch or batch.state != "pending" or self.state != "running":
            return False
        if not self._parallel_ready(batch.line_id):
            # an object it depends on is not added up: its jobs were lost and
            # queue_job let this one start; the watchdog queues it again
            _logger.warning("batch %s started before its objects: left", batch_id)
            return False
        attempt, last = self._job_attempt()
        try:
            with (
                # the registry out of the collector's full collections while
                # the batch loads, as a synchronous run's (loader/heap.py)
                heap.frozen(),
                self.env.cr.savepoint(),
                batch_effects(self.env, self, batch) as env,
            ):
                ParallelRun(env, self).load_batch(batch)
                batch._write_book({"attempts": attempt})
        except CONCURRENCY_ERRORS as exc:
            raise concurrency_retry(exc) from exc
        except StaleRegistry as exc:
            raise stale_registry_retry(exc) from exc
        except Exception as exc:
            if not last:
                # the wait comes from the job function's retry pattern
                raise RetryableJobError(str(exc)) from exc
            # a warning: the run records it and ends failed (see _load_problems)
            _logger.warning(
                "batch %s of migration run %s failed: %r", batch_id, self.id, exc
            )
            self.env.invalidate_all()
            batch._write_book(
                {"state": "failed", "attempts": attempt, "error": f"{exc!r}"[:2000]}
            )
        return batch.state

    def _parallel_object_done(self, line_id):
        """Job: add the object's batches up on its run line."""
        self.ensure_one()
        line = self.env["migration.run.line"].browse(line_id).exists()
        if not line or line.parallel_done or self.state != "running":
            # a job queued again (the watchdog) after the object was added up
            return False
        batches = self.batch_ids.filtered(lambda b: b.line_id == line)
        if "pending" in batches.mapped("state"):
            # a batch job was lost: not added up until it is loaded (watchdog)
            return False
        done = batches.filtered(lambda b: b.state == "done")
        try:
            with self.env.cr.savepoint():
                # first, before this job holds a row another one may wait for:
                # the planner's statistics of what the object wrote
                # (loader/statistics.py), as a synchronous run refreshes them
                statistics.refresh(
                    self.env,
                    [line.object_map_id.model_name],
                    sum(batches.mapped("row_count")),
                )
                # what its batches share, written once (loader/shared.py)
                apply_object_effects(self.env, self, done)
                # its leads scored as a synchronous run scores them
                probabilities.settle(self.env, self, line.object_map_id)
        except CONCURRENCY_ERRORS as exc:
            raise concurrency_retry(exc) from exc
        names = [f"{n}_count" for n in ("read", *OUTCOMES, "invalid_value")]
        line._write_book(
            {name: sum(done.mapped(name)) for name in names} | {"parallel_done": True}
        )
        self._write_book(
            {
                "done_rows": self.done_rows + sum(batches.mapped("row_count")),
                "bulk_rows": self.bulk_rows + sum(done.mapped("bulk_rows")),
                "orm_fallback_rows": self.orm_fallback_rows
                + sum(done.mapped("orm_fallback_rows")),
            }
        )
        for reason in sorted(
            set("\n".join(done.mapped("fallbacks")).split("\n")) - {""}
        ):
            self._log(
                _(
                    "A batch went through create() instead of the bulk path: %(why)s",
                    why=reason,
                )
            )
        self._log(
            _(
                "%(object)s loaded: %(done)s of %(count)s batches.",
                object=line.object_name,
                done=len(done),
                count=len(batches),
            )
        )
        self._notify_progress(line.object_name)
        return True

    def _parallel_object_check(self, line_id):
        """Job: the cell conservation of an object added up, checked beside
        the next objects' batches (migration.cell.check._check_early); the
        finish keeps it unless what it read changed since. Never fails the
        run: an object not checked here is checked by the finish."""
        self.ensure_one()
        line = self.env["migration.run.line"].browse(line_id).exists()
        if not line or not line.parallel_done or self.state != "running":
            return False
        try:
            # the check reads the run's x_ fields back
            check_registry(self.env, [line.object_map_id.model_name])
        except StaleRegistry as exc:
            raise stale_registry_retry(exc) from exc
        try:
            with heap.frozen(), self.env.cr.savepoint():
                return self._cell_checks()._check_early(self, line)
        except CONCURRENCY_ERRORS as exc:
            raise concurrency_retry(exc) from exc
        except Exception:  # noqa: BLE001 - the finish checks the object itself
            _logger.exception(
                "early cell check of %s in migration run %s failed", line_id, self.id
            )
            self.env.invalidate_all()
            return False

    def _parallel_finish(self):
        """Job: the run's end, as a synchronous run's (fill rates, cell
        conservation, reconciliation, state)."""
        self.ensure_one()
        if self.state != "running" or not all(self.line_ids.mapped("parallel_done")):
            return False  # an object's jobs were lost: see the watchdog
        try:
            # the cell check reads the run's x_ fields back
            check_registry(self.env, self.line_ids.object_map_id.mapped("model_name"))
        except StaleRegistry as exc:
            raise stale_registry_retry(exc) from exc
        end = fields.Datetime.now()
        with heap.frozen():  # as a synchronous run's end (loader/heap.py)
            self._finish(end, (end - self.date_start).total_seconds())
        self.project_id._after_run(self)
        return True

    def _load_problems(self):
        problems = super()._load_problems()
        for batch in self.batch_ids.filtered(lambda b: b.state == "failed"):
            problems.append(
                _(
                    "Batch %(batch)s (%(rows)s rows) failed after %(attempts)s "
                    "attempts: %(error)s",
                    batch=batch.display_name,
                    rows=batch.row_count,
                    attempts=batch.attempts,
                    error=batch.error,
                )
            )
        return problems
