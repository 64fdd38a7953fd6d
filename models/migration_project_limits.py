from odoo import fields, models


class MigrationProject(models.Model):
    """The project's limits: what a file or a run may be before it is refused,
    with the reason, before anything is staged or the schema changes."""

    _inherit = "migration.project"

    max_new_fields = fields.Integer(
        string="New fields per object",
        default=100,
        help="At most this many new x_ fields for one object (contacts, deals...): "
        "a run that would add more is refused before the database changes. "
        "PostgreSQL allows 1,600 columns per table, the standard ones included.",
    )
    max_columns = fields.Integer(
        string="Columns per file",
        default=1000,
        help="A file with more columns than this is refused at upload, before "
        "anything is staged or proposed.",
    )
    max_file_mb = fields.Integer(
        string="File size (MB)",
        default=200,
        help="A file larger than this (a zip: its content) is refused at upload, "
        "before it is read.",
    )
    max_rows = fields.Integer(
        string="Rows per file",
        default=0,
        help="A table with more data rows than this is refused at upload, before "
        "anything is staged (0: no limit; a limit reads each file once more "
        "to count its rows).",
    )
