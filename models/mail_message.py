from odoo import fields, models


class MailMessage(models.Model):
    """A call logged in the source system and migrated as a chatter message
    keeps its duration and outcome in fields, not only in its text."""

    _inherit = "mail.message"

    migration_call_duration = fields.Float(
        string="Call duration (min)", help="The call's duration in the source system."
    )
    migration_call_outcome = fields.Char(
        string="Call outcome", help="The call's outcome in the source system."
    )
