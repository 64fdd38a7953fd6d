"""Rolling a run back: the wizard's entry point, the resumable undo of its ledger
newest first, and the notification that sums it up."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..loader.files import KEEPER_KEY, KEPT_FIELD

MANAGER = "crm_migration.group_migration_manager"


class MigrationRun(models.Model):
    _inherit = "migration.run"

    can_roll_back = fields.Boolean(
        compute="_compute_can_roll_back",
        help="A Manager rolls back any run; a Migration User the samples they ran.",
    )
    # the hidden attachments of the run under this field (one per file the
    # run stored again, loader.files.keep_previous) name the replaced content,
    # so that Odoo's filestore cleanup keeps it while the rollback may need it
    replaced_file_content = fields.Binary(
        attachment=True,
        readonly=True,
        groups="base.group_system",
        help="Technical: the previous content of the attachment files this run "
        "stored again, kept until its rollback puts them back.",
    )

    @api.depends_context("uid")
    @api.depends("kind", "user_id")
    def _compute_can_roll_back(self):
        manager = self.env.user.has_group(MANAGER)
        for run in self:
            run.can_roll_back = manager or run._own_sample()

    def _own_sample(self):
        self.ensure_one()
        return self.kind == "sample" and self.user_id == self.env.user

    def _check_may_roll_back(self, force=False):
        """A Manager rolls back any run; a Migration User undoes the samples
        they ran themselves (what they may start, they may undo), without
        forcing over what someone changed since. Returns the runs to roll
        back with: a User's as superuser, since the ledger and the records a
        sample made (partners) are not theirs to delete by hand."""
        if self.env.user.has_group(MANAGER):
            return self
        others = self.filtered(lambda r: not r._own_sample())
        if others:
            raise AccessError(
                _(
                    "Only a Migration Manager can roll back %(run)s: a Migration "
                    "User rolls back only the sample runs they started.",
                    run=others[0].name,
                )
            )
        if force:
            raise AccessError(
                _(
                    "Only a Migration Manager can force a rollback over records "
                    "someone changed after the migration wrote them."
                )
            )
        # sudo: the User's own samples only (checked just above); the ledger
        # says which records they made, and only those are undone
        return self.sudo()

    @api.autovacuum
    def _gc_replaced_file_content(self):
        """Release the kept content that no rollback can put back any more:
        its ledger row rolled back without it (the attachment was deleted) or
        gone (the run or its project deleted). The filestore cleanup then
        removes the file if no attachment names it."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id FROM ir_attachment a
                 WHERE a.res_model = %s AND a.res_field = %s
                   AND NOT EXISTS (
                       SELECT 1 FROM migration_ledger l
                        WHERE l.run_id = a.res_id
                          AND l.res_model = 'ir.attachment'
                          AND NOT coalesce(l.rolled_back, false)
                          AND l.before_values ->> %s = a.id::text)
                """,
                self._name,
                KEPT_FIELD,
                KEEPER_KEY,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # sudo: the runs' own bookkeeping, which no person owns
        self.env["ir.attachment"].sudo().browse(ids).unlink()

    # -------------------------------------------------------------- rollback
    def action_rollback(self):
        """Open the rollback wizard for this run (conflicts are shown first)."""
        self.ensure_one()
        self._check_may_roll_back()
        return {
            "type": "ir.actions.act_window",
            "name": _("Roll back %(run)s", run=self.name),
            "res_model": "migration.rollback.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_run_id": self.id},
        }

    def _rollback(self, force=False, limit=None, commit=False):
        """Undo these runs newest first; returns the totals.

        Logged in each run and on the project; resumable and idempotent.
        """
        totals = {"done": 0, "conflicts": [], "errors": [], "remaining": 0}
        for run in self.sorted("id", reverse=True):
            lease = run._take_lease()
            try:
                result = run._rollback_leased(force, limit, commit)
            finally:
                lease.release()
            for key in ("done", "remaining"):
                totals[key] += result[key]
            totals["conflicts"] += result["conflicts"]
            totals["errors"] += result["errors"]
            run._log(
                _(
                    "Rollback by %(user)s%(forced)s: %(done)s records undone, %(conflicts)s "
                    "conflicts, %(errors)s refused, %(remaining)s left.",
                    user=self.env.user.name,
                    forced=_(" (forced)") if force else "",
                    done=result["done"],
                    conflicts=len(result["conflicts"]),
                    errors=len(result["errors"]),
                    remaining=result["remaining"],
                )
            )
            for entry, reason in result["conflicts"] + result["errors"]:
                run._log(
                    f"  {entry.res_model},{entry.res_id} ({entry.source_key}): {reason}"
                )
            if not self.env["migration.ledger"].search_count(
                [("run_id", "=", run.id), ("rolled_back", "=", False)]
            ):
                run._write_book({"state": "rolled_back"})
                # what the run asked a person about is gone with its records
                run.review_ids.filtered(lambda r: r.state == "open").write(
                    {
                        "state": "rolled_back",
                        "resolution": _("%(run)s was rolled back.", run=run.name),
                    }
                )
            run._write_book({"rollback_pending": False})
            self.env["migration.audit"]._log(
                run.project_id,
                "rollback",
                _(
                    "%(run)s rolled back%(forced)s: %(done)s records undone, %(left)s left.",
                    run=run.name,
                    forced=_(" (forced)") if force else "",
                    done=result["done"],
                    left=result["remaining"],
                ),
                run,
            )
            run.project_id.message_post(
                body=_(
                    "%(user)s rolled back %(run)s: %(done)s records undone, %(left)s left.",
                    user=self.env.user.name,
                    run=run.name,
                    done=result["done"],
                    left=result["remaining"],
                )
            )
        self.project_id._state_after_rollback()
        return totals

    @api.model
    def _rollback_notification(self, totals):
        message = _(
            "%(done)s records undone, %(conflicts)s conflicts, %(errors)s refused.",
            done=totals["done"],
            conflicts=len(totals["conflicts"]),
            errors=len(totals["errors"]),
        )
        trouble = bool(totals["conflicts"] or totals["errors"])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Rollback"),
                "message": message,
                "type": "warning" if trouble else "success",
                "sticky": trouble,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
