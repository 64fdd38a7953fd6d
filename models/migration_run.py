import logging
import time
import traceback

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..loader import can_commit
from ..loader.heap import frozen
from .migration_run_line import OUTCOMES

_logger = logging.getLogger(__name__)


class MigrationRun(models.Model):
    """One execution of a project's maps: a sample, a full load or a delta."""

    _name = "migration.run"
    _description = "Migration Run"
    _inherit = ["mail.thread", "migration.book.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    kind = fields.Selection(
        [("sample", "Sample"), ("full", "Full"), ("delta", "Delta")],
        required=True,
        default="sample",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("rolled_back", "Rolled back"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    sample_size = fields.Integer(readonly=True)
    date_start = fields.Datetime(readonly=True)
    date_end = fields.Datetime(readonly=True)
    duration = fields.Float(readonly=True, help="Seconds.")
    total_rows = fields.Integer(readonly=True)
    done_rows = fields.Integer(readonly=True)
    bulk_rows = fields.Integer(
        string="Rows written in bulk",
        readonly=True,
        help="Records created by the bulk SQL path (the project's Bulk write).",
    )
    orm_fallback_rows = fields.Integer(
        string="Rows through create()",
        readonly=True,
        help="Records of a model with a bulk path that went through Odoo's create() "
        "instead (the run log says why).",
    )
    progress = fields.Float(compute="_compute_progress")
    rate = fields.Float(compute="_compute_progress", string="Rows per second")
    time_left = fields.Char(
        compute="_compute_progress",
        string="Time left",
        help="Estimated from the rows per second so far.",
    )
    current_object = fields.Char(
        string="Now loading", readonly=True, help="The object the run is loading."
    )
    line_ids = fields.One2many("migration.run.line", "run_id", string="Objects")
    ledger_ids = fields.One2many("migration.ledger", "run_id")
    review_ids = fields.One2many("migration.review", "run_id")
    fill_rate_ids = fields.One2many(
        "migration.fill.rate", "run_id", string="Fill rates"
    )
    cell_check_ids = fields.One2many(
        "migration.cell.check", "run_id", string="Cell conservation"
    )
    unaccounted_cell_count = fields.Integer(
        compute="_compute_unaccounted_cell_count",
        string="Unaccounted cells",
        help="Non-empty source cells neither written (read back), nor left out on "
        "purpose, nor reviewed.",
    )
    read_count = fields.Integer(compute="_compute_totals", string="Read")
    created_count = fields.Integer(compute="_compute_totals", string="Created")
    updated_count = fields.Integer(compute="_compute_totals", string="Updated")
    unchanged_count = fields.Integer(compute="_compute_totals", string="Unchanged")
    merged_count = fields.Integer(compute="_compute_totals", string="Merged")
    skipped_count = fields.Integer(compute="_compute_totals", string="Skipped")
    review_count = fields.Integer(compute="_compute_totals", string="To review")
    balanced = fields.Boolean(
        compute="_compute_totals",
        help="read = created + updated + unchanged + merged + skipped + to review, "
        "for every object.",
    )
    log = fields.Text(readonly=True)

    @api.depends("project_id.name", "kind")
    def _compute_name(self):
        kinds = dict(self._fields["kind"].selection)
        for run in self:
            run.name = (
                f"{run.project_id.name} / {kinds.get(run.kind)} #{run.id or ''}".strip()
            )

    @api.depends("total_rows", "done_rows", "duration", "state", "date_start")
    def _compute_progress(self):
        now = fields.Datetime.now()
        for run in self:
            run.progress = (
                100.0 * run.done_rows / run.total_rows if run.total_rows else 0.0
            )
            if run.state == "done" and not run.total_rows:
                run.progress = 100.0
            elapsed = run.duration
            if run.state == "running" and run.date_start:
                elapsed = (now - run.date_start).total_seconds()
            run.rate = run.done_rows / elapsed if elapsed else 0.0
            run.time_left = run._time_left_text(elapsed)

    def _time_left_text(self, elapsed):
        """Rows left at the rate so far, in words ("" when not running)."""
        if self.state == "queued":
            return _("waiting for a job worker")
        if self.state != "running":
            return ""
        if not self.done_rows or not elapsed:
            return _("estimating...")
        seconds = (self.total_rows - self.done_rows) * elapsed / self.done_rows
        if seconds < 60:
            return _("less than a minute")
        if seconds < 3600:
            return _("about %(minutes)s min", minutes=round(seconds / 60))
        return _(
            "about %(hours)s h %(minutes)s min",
            hours=int(seconds // 3600),
            minutes=round(seconds % 3600 / 60),
        )

    def _notify_progress(self, object_name=None):
        """Tell the run's page how far the run is: its user's bus channel gets
        the counts (the page reloads the run at once; without a bus it polls)."""
        self.ensure_one()
        if object_name and object_name != self.current_object:
            self._write_book({"current_object": object_name})
        self.env["bus.bus"]._sendone(
            self.user_id.partner_id,
            "crm_migration/run_progress",
            {
                "run_id": self.id,
                "state": self.state,
                "object": self.current_object or "",
                "done_rows": self.done_rows,
                "total_rows": self.total_rows,
            },
        )

    @api.depends(
        "line_ids.read_count",
        "line_ids.created_count",
        "line_ids.updated_count",
        "line_ids.unchanged_count",
        "line_ids.merged_count",
        "line_ids.skipped_count",
        "line_ids.review_count",
    )
    def _compute_totals(self):
        for run in self:
            lines = run.line_ids
            for name in ("read", *OUTCOMES):
                run[f"{name}_count"] = sum(lines.mapped(f"{name}_count"))
            run.balanced = all(lines.mapped("balanced"))

    @api.depends("cell_check_ids.unaccounted_count")
    def _compute_unaccounted_cell_count(self):
        for run in self:
            run.unaccounted_cell_count = sum(
                run.cell_check_ids.mapped("unaccounted_count")
            )

    def _log(self, message):
        self.ensure_one()
        stamp = fields.Datetime.now().strftime("%H:%M:%S")
        self._write_book({"log": f"{self.log or ''}{stamp} {message}\n"})
        _logger.info("migration run %s: %s", self.id, message)

    def _execute(self, commit=False, resume=False):
        """Load the project's mapped objects; never raises for bad data.

        ``commit`` asks the loader to commit after each batch (command line,
        background job); the UI and tests run in one transaction. The run's
        lease (an advisory lock) tells every other process it is alive for as
        long as this one works on it; ``resume`` finishes a run whose process
        died, from what its committed batches booked.
        """
        self.ensure_one()
        lease = self._take_lease()
        try:
            # the collector skips the registry's objects (loader/heap.py)
            with frozen():
                return self._execute_leased(commit, resume)
        finally:
            lease.release()

    def _execute_leased(self, commit, resume):
        started = time.monotonic()
        if resume:
            self._log(
                _(
                    "Run resumed by %(user)s: its process had stopped; the rows its "
                    "committed batches booked are kept, the others are loaded now.",
                    user=self.env.user.name,
                )
            )
        else:
            self._write_book({"state": "running", "date_start": fields.Datetime.now()})
            self._log(
                _(
                    "%(kind)s run started by %(user)s",
                    kind=self.kind,
                    user=self.env.user.name,
                )
            )
        if can_commit(self.env, commit):
            self.env.cr.commit()  # others see it running (and its lease) now
        try:
            self.env["migration.loader"]._run(self, commit=commit, resume=resume)
        except Exception as exc:  # noqa: BLE001 - a run records why it failed
            if can_commit(self.env, commit):
                self.env.cr.rollback()
            _logger.exception("migration run %s failed", self.id)
            self._write_book(
                {
                    "state": "failed",
                    "date_end": fields.Datetime.now(),
                    "duration": time.monotonic() - started,
                }
            )
            self._log(_("Run failed: %(error)s", error=exc))
            self._log(traceback.format_exc(limit=5))
            self._notify_progress()
            return False
        end = fields.Datetime.now()
        self._finish(
            end,
            (end - self.date_start).total_seconds()
            if resume and self.date_start
            else time.monotonic() - started,
        )
        return True

    def _load_problems(self):
        """What went wrong in loading beyond the equations (texts for the log):
        none in one process, whose errors fail the run at once."""
        return []

    def _finish(self, end, duration):
        """The end of a loaded run: sample diff, fill rates, cell conservation,
        reconciliation, state; logged, audited and posted on the project."""
        self._write_book({"date_end": end, "duration": duration})
        if self.kind == "sample":
            self.env["migration.sample.diff"]._build_for_run(self)
        self.env["migration.fill.rate"]._build_for_run(self)
        lost = self._check_cells()
        problems = self._load_problems()
        if self.balanced and not lost and not problems:
            self._write_book({"state": "done"})
            self._log(
                _(
                    "Run finished: %(read)s rows read, %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(merged)s merged, %(skipped)s skipped, %(review)s to review.",
                    read=self.read_count,
                    created=self.created_count,
                    updated=self.updated_count,
                    unchanged=self.unchanged_count,
                    merged=self.merged_count,
                    skipped=self.skipped_count,
                    review=self.review_count,
                )
            )
        else:
            self._write_book({"state": "failed"})
            if not self.balanced:
                self._log(
                    _(
                        "Reconciliation failed: rows read do not equal rows loaded, "
                        "merged, skipped and sent to review."
                    )
                )
            if lost:
                self._log(
                    _(
                        "Cell conservation failed: source values neither written, "
                        "left out on purpose nor reviewed in %(columns)s.",
                        columns=lost,
                    )
                )
            for problem in problems:
                self._log(problem)
        self.env["migration.audit"]._log(
            self.project_id,
            "run",
            _(
                "%(run)s: %(state)s, %(read)s rows read, %(created)s created, %(updated)s updated.",
                run=self.name,
                state=self.state,
                read=self.read_count,
                created=self.created_count,
                updated=self.updated_count,
            ),
            self,
        )
        self._write_book({"current_object": False})
        self._notify_progress()
        self.project_id.message_post(
            body=_(
                "Run %(run)s: %(state)s",
                run=self.name,
                state=dict(self._fields["state"].selection)[self.state],
            )
        )
        return True

    def _cell_checks(self):
        """The cell conservation model as this run checks its cells."""
        return self.env["migration.cell.check"].with_context(
            cell_check_sample=self.kind == "sample"
        )

    def _check_cells(self):
        """Build the run's cell conservation; the columns with unaccounted cells
        as text ("" when every cell is accounted for)."""
        try:
            with self.env.cr.savepoint():
                checks = self._cell_checks()._build_for_run(self)
        except Exception as exc:  # noqa: BLE001 - an unchecked run is not done
            _logger.exception("cell conservation of migration run %s failed", self.id)
            return _("(the check itself failed: %(error)s)", error=exc)
        return ", ".join(
            f"{c.object_name}.{c.column} ({c.unaccounted_count})"
            for c in checks
            if c.unaccounted_count
        )

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "migration.run",
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_ledger(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_ledger"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    def action_view_reviews(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_review"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    def action_export_reconciliation(self):
        """Download the reconciliation, fill rates and review items as XLSX."""
        self.ensure_one()
        return self.env["migration.fill.rate"]._export_reconciliation(self)

    def action_run_now(self):
        """Run a queued run here and now, waiting for it (when no job worker
        picks it up); its job then finds it no longer queued."""
        self.ensure_one()
        self._check_may_start()
        if self.state == "queued" and self.kind == "delta":
            self.project_id._delta_pickup(run_id=self.id)
        elif self.state == "queued":
            self.project_id._start_run(self.kind, run_id=self.id)
        return self._action_open()

    def action_cancel(self):
        """Take a queued run off the queue (its job then skips it); a
        Migration User only a sample."""
        manager = self.env.user.has_group("crm_migration.group_migration_manager")
        if not manager and self.filtered(lambda r: r.kind != "sample"):
            raise AccessError(
                _("Only a Migration Manager can cancel a full or delta run.")
            )
        for run in self.filtered(lambda r: r.state == "queued"):
            run._write_book({"state": "failed"})
            run._log(
                _("Cancelled by %(user)s before it started.", user=self.env.user.name)
            )
            run._notify_progress()
        return True

    def _check_may_start(self):
        """Starting or cancelling a run other than a sample is a Manager's, as
        the button is (a queued run would otherwise fail by a User's click)."""
        if self.filtered(lambda r: r.kind != "sample") and not self.env.user.has_group(
            "crm_migration.group_migration_manager"
        ):
            raise AccessError(
                _("Only a Migration Manager can start or cancel a full or delta run.")
            )

    def action_rerun_sample(self):
        """Run the project's sample again (after its maps changed)."""
        self.ensure_one()
        return self.project_id.action_sample_run()

    # -------------------------------------------------------------- reports
