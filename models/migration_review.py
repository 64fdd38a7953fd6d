from odoo import _, api, fields, models
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
    # indexed: the cell check reads each staging row's review items by it
    staging_row_id = fields.Many2one(
        "migration.staging.row", ondelete="set null", index="btree_not_null"
    )
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

    issue_id = fields.Many2one(
        "migration.review.issue",
        string="Review item",
        ondelete="cascade",
        index=True,
        readonly=True,
        help="The item this row is an occurrence of: the rows that share its kind, "
        "column and value, decided once for all of them.",
    )
    occurrence_count = fields.Integer(
        related="issue_id.occurrence_count",
        string="Rows alike",
        help="Rows of the project with the same kind, column and value: "
        "resolving, correcting or ignoring this one does it for all of them.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._join_issues(vals_list)
        return super().create(vals_list)

    @api.model
    def _join_issues(self, vals_list):
        """Every row joins its item (created with the first row); a row of an
        item a person ignored is ignored too, with the same reason: the
        decision was about the value, wherever it comes back. In place: what
        create() does before storing the rows (the loader's bulk path of
        review rows does it too)."""
        Issue = self.env["migration.review.issue"]
        Issue._for_rows(vals_list)
        ignored = {
            issue.id: issue
            for issue in Issue.browse(
                {vals["issue_id"] for vals in vals_list if vals.get("issue_id")}
            )
            if issue.state == "ignored"
        }
        for vals in vals_list:
            issue = ignored.get(vals.get("issue_id"))
            if issue and vals.get("state", "open") == "open":
                vals["state"] = "ignored"
                vals["resolution"] = issue.resolution or _(
                    "Ignored with its review item."
                )

    def _with_alike(self):
        """These rows and the open ones of their items (one unknown owner on
        700 rows is one decision, not 700). A row without a value is its own
        decision: its item only groups it for reading."""
        valued = self.filtered("value")
        alike = valued.issue_id.review_ids.filtered(lambda r: r.state == "open")
        return self | alike

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
            if not item.issue_id.resolution:
                item.issue_id.resolution = item.resolution
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
