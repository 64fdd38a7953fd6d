from odoo import fields, models


class MailActivity(models.Model):
    """A migrated call keeps its duration and outcome in fields, not only in
    its note (a source's call log)."""

    _inherit = "mail.activity"

    migration_call_duration = fields.Float(
        string="Call duration (min)", help="The call's duration in the source system."
    )
    migration_call_outcome = fields.Char(
        string="Call outcome", help="The call's outcome in the source system."
    )
