from odoo import _, fields, models
from odoo.exceptions import UserError


class MigrationReview(models.Model):
    """A source row or value that needs a person: nothing is dropped silently."""

    _name = "migration.review"
    _description = "Migration Review Item"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "reason"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    run_id = fields.Many2one("migration.run", ondelete="cascade", index=True)
    source_id = fields.Many2one("migration.source", ondelete="set null")
    file_name = fields.Char(related="source_id.name", string="File")
    staging_row_id = fields.Many2one("migration.staging.row", ondelete="set null")
    object_map_id = fields.Many2one("migration.object.map", ondelete="set null")
    kind = fields.Selection(
        [
            ("invalid_value", "Invalid value"),
            ("unknown_owner", "Unknown owner"),
            ("missing_parent", "Missing parent"),
            ("orphan", "Orphan row"),
            ("duplicate", "Duplicate"),
            ("missing_required", "Missing required value"),
            ("error", "Row refused by Odoo"),
            ("removed", "Removed at source"),
            ("external", "External content to check"),
            ("not_loaded", "Not loaded"),
            ("long_text", "Long text kept as attachment"),
        ],
        required=True,
        index=True,
    )
    row_held = fields.Boolean(
        string="Row held back",
        help="The whole row waits here; otherwise the row was loaded without this value.",
    )
    line = fields.Integer()
    column = fields.Char()
    value = fields.Char()
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("ignored", "Ignored")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    res_model = fields.Char(string="Record model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Record")
    corrected_value = fields.Char(
        tracking=True,
        help="Resolve the item and the next run loads this value instead.",
    )
    link_ref = fields.Reference(
        selection=[
            ("res.partner", "Contact"),
            ("crm.lead", "Lead / opportunity"),
        ],
        string="Link to existing",
        tracking=True,
        help="Resolve the item and the next run updates this record with the row.",
    )
    resolution = fields.Text(tracking=True)

    def action_ignore(self):
        if any(not item.resolution for item in self):
            raise UserError(_("Say why in Resolution before ignoring an item."))
        self.state = "ignored"
        return True

    def action_resolve(self):
        self.state = "resolved"
        return True

    def action_reopen(self):
        self.state = "open"
        return True

    def action_open_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            raise UserError(_("This item is not linked to an Odoo record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
