from odoo import _, fields, models, tools
from odoo.tools import SQL


class MigrationReviewIssue(models.Model):
    """Open review items that share project, kind, column and value, as one
    line with its occurrences: one unknown owner on 700 rows is one decision,
    resolved, corrected or ignored once for all its rows (a database view
    over migration.review; the items stay one per row for the next run)."""

    _name = "migration.review.issue"
    _description = "Migration Review Issue"
    _auto = False
    _order = "occurrence_count desc, kind, value"
    _rec_name = "value"

    project_id = fields.Many2one("migration.project", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(
        selection=lambda self: (
            self.env["migration.review"]
            ._fields["kind"]
            ._description_selection(self.env)
        ),
        readonly=True,
    )
    column = fields.Char(readonly=True)
    value = fields.Char(readonly=True)
    reason = fields.Text(readonly=True, help="The reason of its first row.")
    occurrence_count = fields.Integer(string="Rows", readonly=True)
    record_count = fields.Integer(
        string="Records", readonly=True, help="Odoo records these rows became."
    )
    row_held_count = fields.Integer(
        string="Rows held back", readonly=True, help="Rows waiting in the queue."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT min(r.id) AS id,
                           r.project_id,
                           r.company_id,
                           r.kind,
                           r."column",
                           r.value,
                           (array_agg(r.reason ORDER BY r.id))[1] AS reason,
                           count(*) AS occurrence_count,
                           count(DISTINCT (r.res_model, r.res_id))
                               FILTER (WHERE r.res_id IS NOT NULL) AS record_count,
                           count(*) FILTER (WHERE r.row_held) AS row_held_count
                      FROM migration_review r
                     WHERE r.state = 'open'
                  GROUP BY r.project_id, r.company_id, r.kind, r."column", r.value
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def _items(self):
        """The open review items behind these lines."""
        Review = self.env["migration.review"]
        items = Review.browse()
        for issue in self:
            items |= Review.search(
                [
                    ("state", "=", "open"),
                    ("project_id", "=", issue.project_id.id),
                    ("kind", "=", issue.kind),
                    ("column", "=", issue.column or False),
                    ("value", "=", issue.value or False),
                ]
            )
        return items

    def action_view_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_review"
        )
        action["domain"] = [("id", "in", self._items().ids)]
        action["context"] = {}
        return action

    def action_resolve(self):
        self._items().write({"state": "resolved"})
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_ignore(self):
        return {
            "type": "ir.actions.act_window",
            "name": _(
                "Ignore %(count)s rows", count=sum(self.mapped("occurrence_count"))
            ),
            "res_model": "migration.review.ignore.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_review_ids": self._items().ids},
        }
