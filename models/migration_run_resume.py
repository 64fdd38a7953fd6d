"""A run's lease and its resumption: which process works on a run (an advisory
lock, loader/lease.py), and how a run or rollback whose process died is
finished from the ledger."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..loader import can_commit
from ..loader.lease import Lease


class MigrationRun(models.Model):
    _inherit = "migration.run"

    rollback_pending = fields.Boolean(
        readonly=True,
        help="A rollback of this run started and has not finished yet.",
    )
    rollback_force = fields.Boolean(readonly=True)
    interrupted = fields.Boolean(
        compute="_compute_interrupted",
        help="Running (or rolling back) with no live process working on it: the "
        "process was killed. Resume finishes it from the ledger.",
    )

    @api.depends("state", "rollback_pending")
    def _compute_interrupted(self):
        for run in self:
            busy = run.state == "running" or run.rollback_pending
            saved = isinstance(run.id, int)
            run.interrupted = bool(busy and saved and not run._lease().held())

    def _lease(self):
        self.ensure_one()
        return Lease(self.env.cr.dbname, self.id)

    def _take_lease(self):
        """The run's lease, or a UserError when a live process holds it."""
        lease = self._lease()
        if not lease.acquire():
            raise UserError(
                _(
                    "%(run)s is being worked on by another process right now.",
                    run=self.name,
                )
            )
        return lease

    def action_resume(self):
        """Finish an interrupted run (or rollback) from the ledger."""
        self.ensure_one()
        if not self.interrupted:
            raise UserError(
                _("%(run)s is not interrupted: nothing to resume.", run=self.name)
            )
        run = self
        if self.rollback_pending:
            run = self._check_may_roll_back(self.rollback_force)
        else:
            self.project_id._check_can_run(self.kind, interrupted_ok=True)
        run._resume()
        return self._action_open()

    def _resume(self, commit=False):
        """Resume this interrupted run or rollback; the run."""
        self.ensure_one()
        if self.rollback_pending:
            self._rollback(force=self.rollback_force, commit=commit)
        else:
            self._execute(commit=commit, resume=True)
            self.project_id._after_run(self)
        return self

    def _rollback_leased(self, force, limit, commit):
        """Undo this run's ledger under its lease. Marked pending (and committed
        so) first: a rollback whose process dies is seen as interrupted, and the
        next run, rollback or Resume finishes it."""
        self.ensure_one()
        if self.rollback_pending:
            self._log(
                _("Interrupted rollback resumed by %(user)s.", user=self.env.user.name)
            )
        self._write_book({"rollback_pending": True, "rollback_force": force})
        if can_commit(self.env, commit):
            self.env.cr.commit()
        entries = self.env["migration.ledger"].search([("run_id", "=", self.id)])
        return self.env["migration.rollback"]._rollback(
            entries, force=force, limit=limit, commit=commit
        )
