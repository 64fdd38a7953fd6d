from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MigrationAudit(models.Model):
    """Who did what to a migration, and when: created, edited and confirmed
    maps, ran, rolled back. Append-only: only the superuser may change or
    delete an entry (map edits are also tracked in each map's chatter)."""

    _name = "migration.audit"
    _description = "Migration Audit Log"
    _order = "id desc"
    _rec_name = "description"

    project_id = fields.Many2one(
        "migration.project",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, index=True)
    action = fields.Selection(
        [
            ("create", "Created"),
            ("upload", "Uploaded"),
            ("edit", "Edited"),
            ("confirm", "Confirmed"),
            ("run", "Ran"),
            ("rollback", "Rolled back"),
            ("import", "Imported maps"),
            ("schedule", "Scheduled"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    res_model = fields.Char(string="Record model", readonly=True)
    res_id = fields.Many2oneReference(
        model_field="res_model", string="Record", readonly=True
    )
    description = fields.Text(required=True, readonly=True)

    @api.model
    def _log(self, project, action, description, records=None):
        """Append one entry per project (records: what it was about)."""
        records = records or self.env["migration.project"].browse()
        # sudo: an entry is written for whoever acted, including Migration Users
        # who may not create audit rows by hand (the access rights say read only)
        return self.sudo().create(
            [
                {
                    "project_id": prj.id,
                    "user_id": self.env.uid,
                    "date": fields.Datetime.now(),
                    "action": action,
                    "res_model": records._name if records else False,
                    "res_id": records[:1].id if records else False,
                    "description": description,
                }
                for prj in project
            ]
        )

    def write(self, vals):
        if not self.env.su:
            raise UserError(_("The migration audit log cannot be edited."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(_("The migration audit log cannot be deleted."))
        return super().unlink()
