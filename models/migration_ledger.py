from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

# the run's lookups of a row's record: (project, target, source key), or a
# prefix of it (loader.cache, read_back, fill rates, the handlers); it also
# serves the project's ledger (its count, a project deleted)
KEY_INDEX = "migration_ledger_project_target_key_index"


class MigrationLedger(models.Model):
    """What a run did to one Odoo record: the memory behind idempotent re-runs,
    reconciliation and rollback. Written by the loader only."""

    _name = "migration.ledger"
    _description = "Migration Ledger"
    _order = "id desc"
    _rec_name = "source_key"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    # project_id, target and source_key: indexed together (KEY_INDEX, init)
    project_id = fields.Many2one("migration.project", required=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    object_map_id = fields.Many2one("migration.object.map", ondelete="set null")
    target = fields.Char(
        required=True, help="Target object (company, contact, lead...)."
    )
    source_key = fields.Char(required=True)
    # indexed: the run's end reads each staging row's ledger entry by it
    staging_row_id = fields.Many2one(
        "migration.staging.row", ondelete="set null", index="btree_not_null"
    )
    line = fields.Integer()
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(
        model_field="res_model", required=True, index=True
    )
    operation = fields.Selection(
        [
            ("create", "Created"),
            ("update", "Updated"),
            ("merge", "Merged into"),
            ("link", "Linked"),
            ("add", "Added to (many2many)"),
        ],
        required=True,
    )
    before_values = fields.Json(help="Values of the updated fields before the run.")
    after_values = fields.Json(
        help="What the run wrote, to tell a later edit by someone else (a conflict)."
    )
    link_keys = fields.Json(
        string="Links by key",
        help="The links rebuilt by compound keys for a source without parent ids "
        '({parent: key that matched}, e.g. {"company": "company name"}).',
    )
    written_at = fields.Datetime(
        help="The record's write date right after the run wrote it."
    )
    # not indexed: every query asks for the rows not rolled back (nearly all)
    rolled_back = fields.Boolean(readonly=True)
    rollback_date = fields.Datetime(readonly=True)
    rollback_uid = fields.Many2one("res.users", string="Rolled back by", readonly=True)
    rollback_written_at = fields.Datetime(
        readonly=True, help="The record's write date right after the rollback wrote it."
    )
    original_create_date = fields.Datetime()
    original_write_date = fields.Datetime()
    row_hash = fields.Char()

    def init(self):
        create_index(
            self.env.cr,
            KEY_INDEX,
            self._table,
            ["project_id", "target", "source_key"],
        )

    @api.depends("res_model", "res_id", "source_key")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.source_key} → {rec.res_model},{rec.res_id}"

    # the only change a ledger row accepts: being marked rolled back
    ROLLBACK_FIELDS = frozenset(
        {"rolled_back", "rollback_date", "rollback_uid", "rollback_written_at"}
    )

    def write(self, vals):
        if set(vals) - self.ROLLBACK_FIELDS:
            raise UserError(_("The migration ledger cannot be edited."))
        return super().write(vals)

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
