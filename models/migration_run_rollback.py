"""Rolling a run back: the wizard's entry point, the resumable undo of its ledger
newest first, and the notification that sums it up."""

from odoo import _, api, models


class MigrationRun(models.Model):
    _inherit = "migration.run"

    # -------------------------------------------------------------- rollback
    def action_rollback(self):
        """Open the rollback wizard for this run (conflicts are shown first)."""
        self.ensure_one()
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
                run.state = "rolled_back"
                # what the run asked a person about is gone with its records
                run.review_ids.filtered(lambda r: r.state == "open").write(
                    {
                        "state": "rolled_back",
                        "resolution": _("%(run)s was rolled back.", run=run.name),
                    }
                )
            run.rollback_pending = False
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
