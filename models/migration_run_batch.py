from odoo import api, fields, models


class MigrationRunBatch(models.Model):
    """One batch of a run loaded by a queue_job job of its own (a run split
    into parallel batches): its rows, its state and what it did. A batch books
    its counts here, never on the object's run line that its siblings share;
    the object's line adds them up once every batch of the object is done."""

    _name = "migration.run.batch"
    _description = "Migration Run Batch"
    _inherit = ["migration.book.mixin"]
    _order = "run_id, sequence, number"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one(
        "migration.run.line", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    object_name = fields.Char(related="line_id.object_name", string="Object")
    sequence = fields.Integer(help="The object's place in the load order.")
    number = fields.Integer(string="Batch")
    row_ids = fields.Json(string="Staging rows", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("done", "Done"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
    )
    attempts = fields.Integer(
        readonly=True, help="The job attempt that loaded (or gave up on) the batch."
    )
    error = fields.Text(readonly=True)
    read_count = fields.Integer(string="Read", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    merged_count = fields.Integer(string="Merged", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    review_count = fields.Integer(string="To review", readonly=True)
    invalid_value_count = fields.Integer(string="Values to review", readonly=True)
    bulk_rows = fields.Integer(string="Rows written in bulk", readonly=True)
    orm_fallback_rows = fields.Integer(string="Rows through create()", readonly=True)
    deferred_scoring = fields.Json(
        readonly=True,
        help="Lead scoring increments of the batch's won and lost leads, "
        "applied by its object's job (loader/shared.py).",
    )
    fallbacks = fields.Text(
        readonly=True, help="Models that went through create() instead, and why."
    )

    @api.depends("object_name", "number")
    def _compute_display_name(self):
        for batch in self:
            batch.display_name = f"{batch.object_name} #{batch.number}"
