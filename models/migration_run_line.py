from odoo import api, fields, models

# the reconciliation equation's outcomes: defined once, by the loader that counts them
from ..loader import OUTCOMES
from .migration_target_field import target_selection


class MigrationRunLine(models.Model):
    """Counts of one object in one run: the reconciliation equation's terms."""

    _name = "migration.run.line"
    _description = "Migration Run Object Counts"
    _inherit = ["migration.book.mixin"]
    _order = "run_id, sequence, id"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(related="run_id.project_id", store=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    object_map_id = fields.Many2one("migration.object.map", ondelete="set null")
    sequence = fields.Integer()
    object_name = fields.Char(string="Source object")
    target = fields.Selection(selection=lambda self: target_selection())
    planned_count = fields.Integer(
        string="Rows", help="Rows of this object the run loads."
    )
    progress = fields.Float(compute="_compute_progress")
    read_count = fields.Integer(string="Read")
    created_count = fields.Integer(string="Created")
    updated_count = fields.Integer(string="Updated")
    unchanged_count = fields.Integer(
        string="Unchanged",
        help="Already loaded by an earlier run, nothing new to write.",
    )
    merged_count = fields.Integer(string="Merged")
    skipped_count = fields.Integer(string="Skipped")
    review_count = fields.Integer(
        string="To review", help="Rows held back in the review queue."
    )
    invalid_value_count = fields.Integer(
        string="Values to review", help="Loaded rows with a value left out for review."
    )
    balanced = fields.Boolean(compute="_compute_balanced", store=True)
    cell_check_early = fields.Json(
        readonly=True,
        help="A parallel run's cell check of this object, made beside the next "
        "objects' batches, with the digest of what it read (kept by the run's "
        "end when that is unchanged).",
    )
    parallel_done = fields.Boolean(
        readonly=True,
        help="A parallel run's object job added this object's batches up "
        "(done once: a job queued again finds it done).",
    )

    @api.depends("read_count", "planned_count")
    def _compute_progress(self):
        for line in self:
            line.progress = (
                min(100.0, 100.0 * line.read_count / line.planned_count)
                if line.planned_count
                else 100.0 * bool(line.read_count)
            )

    @api.depends(
        "read_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "merged_count",
        "skipped_count",
        "review_count",
    )
    def _compute_balanced(self):
        for line in self:
            line.balanced = line.read_count == sum(
                line[f"{name}_count"] for name in OUTCOMES
            )
