from odoo import _, fields, models
from odoo.exceptions import UserError


class MigrationReviewIgnoreWizard(models.TransientModel):
    """Ignore several review items at once, with the one reason they share."""

    _name = "migration.review.ignore.wizard"
    _description = "CRM Migration: ignore review items"

    review_ids = fields.Many2many(
        "migration.review",
        default=lambda self: self.env.context.get("active_ids") or [],
    )
    resolution = fields.Text(string="Reason", required=True)

    def action_ignore(self):
        self.ensure_one()
        items = self.review_ids.filtered(lambda item: item.state == "open")
        if not items:
            raise UserError(_("None of the selected items is open."))
        items.write({"resolution": self.resolution})
        items.action_ignore()
        return {"type": "ir.actions.act_window_close"}
