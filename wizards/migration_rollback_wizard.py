from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class MigrationRollbackWizard(models.TransientModel):
    """One click: undo a run, or every run of a project, from the ledger."""

    _name = "migration.rollback.wizard"
    _description = "CRM Migration: roll back"

    run_id = fields.Many2one("migration.run", readonly=True)
    project_id = fields.Many2one("migration.project", readonly=True)
    force = fields.Boolean(
        help="Also undo records that someone changed after the migration wrote them."
    )
    entry_count = fields.Integer(compute="_compute_preview", string="Changes to undo")
    conflict_count = fields.Integer(
        compute="_compute_preview",
        string="Records changed since",
        help="Records someone changed after the migration wrote them (one each, "
        "however many times the migration wrote it).",
    )
    conflict_html = fields.Html(compute="_compute_preview", sanitize=False)

    def _entries(self):
        self.ensure_one()
        domain = [("rolled_back", "=", False)]
        if self.run_id:
            domain.append(("run_id", "=", self.run_id.id))
        elif self.project_id:
            domain.append(("project_id", "=", self.project_id.id))
        else:
            raise UserError(_("Choose a run or a project to roll back."))
        return self.env["migration.ledger"].search(domain)

    @api.depends("run_id", "project_id")
    def _compute_preview(self):
        Rollback = self.env["migration.rollback"]
        for wizard in self:
            if not (wizard.run_id or wizard.project_id):
                wizard.entry_count = wizard.conflict_count = 0
                wizard.conflict_html = False
                continue
            entries = wizard._entries()
            conflicts = Rollback._conflicts(entries)
            wizard.entry_count = len(entries)
            changed = entries.filtered(lambda e, found=conflicts: e.id in found)
            wizard.conflict_count = len({(e.res_model, e.res_id) for e in changed})
            wizard.conflict_html = (
                Markup("<ul>%s</ul>")
                % Markup("").join(
                    Markup("<li>%s</li>") % reason
                    for reason in sorted(set(conflicts.values()))
                )
                if conflicts
                else False
            )

    def action_rollback(self):
        self.ensure_one()
        if self.project_id and not self.env.user.has_group(
            "crm_migration.group_migration_manager"
        ):
            raise AccessError(_("Only a Migration Manager can roll a project back."))
        runs = (self.run_id or self.project_id.run_ids)._check_may_roll_back(self.force)
        totals = runs._rollback(force=self.force)
        return runs._rollback_notification(totals)
