from odoo import _, api, fields, models


class MigrationGoLiveWizard(models.TransientModel):
    """Going live while review items are open is a choice a manager makes
    knowingly: this dialog names what is still open, and the audit log keeps
    who went live with how many items open."""

    _name = "migration.go.live.wizard"
    _description = "CRM Migration: go live with review items open"

    project_id = fields.Many2one("migration.project", required=True)
    issue_count = fields.Integer(compute="_compute_message", string="Open items")
    row_count = fields.Integer(compute="_compute_message", string="Open rows")
    message = fields.Text(compute="_compute_message")

    @api.depends("project_id")
    def _compute_message(self):
        for wizard in self:
            project = wizard.project_id
            wizard.issue_count = project.review_issue_count
            wizard.row_count = project.review_open_count
            wizard.message = _(
                "%(count)s review items (%(rows)s rows) of %(project)s are still "
                "open: %(summary)s. Going live schedules the delta pickup now; "
                "what a person has not decided stays in the queue, and each delta "
                "adds the rows it meets to the same items.",
                count=wizard.issue_count,
                rows=wizard.row_count,
                project=project.display_name,
                summary=project.review_summary,
            )

    def action_go_live(self):
        self.ensure_one()
        project = self.project_id
        project.action_go_live()
        self.env["migration.audit"]._log(
            project,
            "schedule",
            _(
                "%(user)s went live with %(count)s review items (%(rows)s rows) open.",
                user=self.env.user.name,
                count=self.issue_count,
                rows=self.row_count,
            ),
            project,
        )
        return {"type": "ir.actions.act_window_close"}
