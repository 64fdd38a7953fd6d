from odoo import fields, models


class MigrationStagingRow(models.Model):
    """A raw source row, kept as read (jsonb). Inserted in bulk by
    migration.source._stage(), never one ORM create per row."""

    _name = "migration.staging.row"
    _description = "Migration Staging Row"
    _order = "source_id, line"
    _rec_name = "line"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    source_id = fields.Many2one(
        "migration.source", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", index=True)
    object_name = fields.Char(index=True)
    line = fields.Integer(help="Line of the file where the record starts (header = 1).")
    data = fields.Json()
    row_hash = fields.Char(index=True)
    source_key = fields.Char(index=True)
    source_write_date = fields.Datetime(
        string="Updated at source",
        help="The source's own last-update date of the row, if mapped.",
    )
    state = fields.Selection(
        [
            ("staged", "Staged"),
            ("loaded", "Loaded"),
            ("merged", "Merged"),
            ("skipped", "Skipped"),
            ("review", "In review"),
            ("removed", "Removed at source"),
        ],
        default="staged",
        index=True,
    )
    first_run_id = fields.Many2one("migration.run", ondelete="set null")
    last_run_id = fields.Many2one("migration.run", ondelete="set null")
