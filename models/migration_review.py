from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


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
        [
            ("open", "Open"),
            ("resolved", "Resolved"),
            ("ignored", "Ignored"),
            ("rolled_back", "Run rolled back"),
        ],
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

    occurrence_count = fields.Integer(
        compute="_compute_occurrence_count",
        string="Rows alike",
        help="Open items of the project with the same kind, column and value: "
        "resolving, correcting or ignoring this one does it for all of them.",
    )

    def _alike_key(self):
        return (self.project_id.id, self.kind, self.column or False, self.value)

    def _alike_domain(self):
        keys = {item._alike_key() for item in self if item.value}
        if not keys:
            return expression.FALSE_DOMAIN
        return expression.AND(
            [
                [("state", "=", "open")],
                expression.OR(
                    [
                        [
                            ("project_id", "=", project),
                            ("kind", "=", kind),
                            ("column", "=", column),
                            ("value", "=", value),
                        ]
                        for project, kind, column, value in keys
                    ]
                ),
            ]
        )

    def _with_alike(self):
        """These items and the open ones that share their kind, column and
        value (one unknown owner on 700 rows is one decision, not 700)."""
        return self | self.search(self._alike_domain())

    def _compute_occurrence_count(self):
        groups = self._read_group(
            self._alike_domain(), ["project_id", "kind", "column", "value"], ["__count"]
        )
        counts = {
            (project.id, kind, column or False, value): count
            for project, kind, column, value, count in groups
        }
        for item in self:
            item.occurrence_count = (
                counts.get(item._alike_key(), 0) if item.value else 0
            ) or 1

    def write(self, vals):
        if "corrected_value" in vals and not self.env.context.get("review_alike"):
            # a correction of a value holds wherever that value is
            others = self._with_alike() - self
            if others:
                others.with_context(review_alike=True).write(
                    {"corrected_value": vals["corrected_value"]}
                )
        return super().write(vals)

    def action_ignore(self):
        if any(not item.resolution for item in self):
            raise UserError(_("Say why in Resolution before ignoring an item."))
        for item in self:
            others = item._with_alike() - self
            others.write({"resolution": item.resolution, "state": "ignored"})
        self.state = "ignored"
        return True

    def action_resolve(self):
        self._with_alike().state = "resolved"
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
