import hashlib

from psycopg2 import errors

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

STATE_ORDER = ("open", "resolved", "ignored", "rolled_back")
# kinds whose value names the same thing in every file of a project (one
# salesperson, however each file spells its owner column): one item per value
# across the files, its occurrences counted per file
CROSS_FILE_KINDS = ("unknown_owner",)


def issue_key(kind, column, value, reason):
    """What makes review rows one item: their kind, column and value; a row
    with no value (a missing name, a row Odoo refused) shares its item with
    the rows of the same kind and column that give the same reason. An owner
    is one item whatever the column (Owner, Sales Rep) and the spelling's case
    and spaces.

    >>> issue_key("unknown_owner", "Owner", "Ann", "r1") == issue_key(
    ...     "unknown_owner", "Sales Rep", " ann ", "r2")
    True
    >>> issue_key("invalid_value", "Phone", "x", "r") == issue_key(
    ...     "invalid_value", "Fax", "x", "r")
    False
    >>> issue_key("orphan", False, False, "a") == issue_key("orphan", False, False, "b")
    False
    """
    if value and kind in CROSS_FILE_KINDS:
        column, value = "", " ".join(str(value).split()).casefold()
    parts = (kind or "", column or "", "v", value) if value else (kind, column, "r")
    text = "\x1f".join(str(part or "") for part in parts)
    if not value:
        text += "\x1f" + (reason or "")
    return hashlib.sha1(text.encode()).hexdigest()


class MigrationReviewIssue(models.Model):
    """One review item as a person decides it: the rows that share a kind,
    column and value (one unknown owner on 700 rows) are its occurrences,
    resolved, corrected or ignored once for all of them. The rows
    (migration.review) stay one per source row: what the next run reads to
    apply the decision, and what cell conservation counts."""

    _name = "migration.review.issue"
    _description = "Migration Review Issue"
    _order = "occurrence_count desc, kind, value, id"
    _rec_name = "value"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    key = fields.Char(required=True, readonly=True, index=True, copy=False)
    kind = fields.Selection(
        selection=lambda self: (
            self.env["migration.review"]
            ._fields["kind"]
            ._description_selection(self.env)
        ),
        required=True,
        readonly=True,
        index=True,
    )
    column = fields.Char(readonly=True)
    value = fields.Char(readonly=True)
    reason = fields.Text(readonly=True, help="The reason of its first row.")
    review_ids = fields.One2many("migration.review", "issue_id", string="Rows")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("resolved", "Resolved"),
            ("ignored", "Ignored"),
            ("rolled_back", "Run rolled back"),
        ],
        compute="_compute_counts",
        store=True,
        index=True,
        help="Open while one of its rows is open.",
    )
    occurrence_count = fields.Integer(
        string="Rows", compute="_compute_counts", store=True
    )
    open_count = fields.Integer(
        string="Open rows", compute="_compute_counts", store=True
    )
    record_count = fields.Integer(
        string="Records",
        compute="_compute_counts",
        store=True,
        help="Odoo records these rows became.",
    )
    row_held_count = fields.Integer(
        string="Rows held back",
        compute="_compute_counts",
        store=True,
        help="Rows waiting in the queue: the run did not load them.",
    )
    corrected_value = fields.Char(
        help="The value every row of this item is loaded with by the next run."
    )
    link_ref = fields.Reference(
        selection=[("res.partner", "Contact"), ("crm.lead", "Lead / opportunity")],
        string="Link to existing",
        help="The next run updates this record with the item's rows.",
    )
    resolution = fields.Text(help="What was decided, and why.")
    summary = fields.Char(compute="_compute_summary")
    file_summary = fields.Char(
        compute="_compute_file_summary",
        string="Files",
        help="Where its rows are: each file and column, with its rows.",
    )

    _sql_constraints = [
        (
            "key_uniq",
            "unique(project_id, key)",
            "One review item per kind, column and value in a project.",
        )
    ]

    def _auto_init(self):
        # this model was a database view over migration.review before its
        # items became records: the view makes way for the table
        tools.drop_view_if_exists(self.env.cr, self._table)
        return super()._auto_init()

    def init(self):
        # rows reviewed before items existed join theirs (an upgraded database)
        Review = self.env["migration.review"].with_context(active_test=False)
        orphans = Review.search([("issue_id", "=", False)])
        if orphans:
            vals_list = [
                {
                    "project_id": row.project_id.id,
                    "kind": row.kind,
                    "column": row.column,
                    "value": row.value,
                    "reason": row.reason,
                }
                for row in orphans
            ]
            self._for_rows(vals_list)
            for row, vals in zip(orphans, vals_list, strict=True):
                row.issue_id = vals["issue_id"]

    @api.depends("review_ids.state", "review_ids.row_held", "review_ids.res_id")
    def _compute_counts(self):
        # counted in SQL: one unknown owner may be on 100,000 rows
        Review = self.env["migration.review"]
        real = [issue.id for issue in self if isinstance(issue.id, int)]
        domain = [("issue_id", "in", real)]
        by_state = {}
        for issue, state, count in Review._read_group(
            domain, ["issue_id", "state"], ["__count"]
        ):
            by_state.setdefault(issue.id, {})[state] = count
        held = dict(
            Review._read_group(
                domain + [("row_held", "=", True)], ["issue_id"], ["__count"]
            )
        )
        records = {}
        for issue, _model, count in Review._read_group(
            domain + [("res_id", "!=", False)],
            ["issue_id", "res_model"],
            ["res_id:count_distinct"],
        ):
            records[issue.id] = records.get(issue.id, 0) + count
        for issue in self:
            states = by_state.get(issue.id, {})
            # no row left: they went with their run (deleted or rolled back)
            issue.state = next((s for s in STATE_ORDER if s in states), "rolled_back")
            issue.occurrence_count = sum(states.values())
            issue.open_count = states.get("open", 0)
            issue.record_count = records.get(issue.id, 0)
            issue.row_held_count = held.get(issue, 0)

    @api.depends("occurrence_count", "record_count", "open_count")
    def _compute_summary(self):
        for issue in self:
            issue.summary = _(
                "%(rows)s rows (%(open)s open), %(records)s records",
                rows=issue.occurrence_count,
                open=issue.open_count,
                records=issue.record_count,
            )

    def _compute_file_summary(self):
        Review = self.env["migration.review"]
        real = [issue.id for issue in self if isinstance(issue.id, int)]
        per_issue = {}
        for issue, source, column, count in Review._read_group(
            [("issue_id", "in", real)],
            ["issue_id", "source_id", "column"],
            ["__count"],
            order="source_id, column",
        ):
            per_issue.setdefault(issue.id, []).append(
                _(
                    "%(file)s (%(column)s): %(rows)s rows",
                    file=source.name or _("no file"),
                    column=column or "-",
                    rows=count,
                )
            )
        for issue in self:
            issue.file_summary = "; ".join(per_issue.get(issue.id, []))

    # ------------------------------------------------------------ grouping
    @api.model
    def _for_rows(self, vals_list):
        """The item of each review row about to be created (``issue_id``
        set in place), creating the items not yet in the queue."""
        wanted = {}
        for vals in vals_list:
            if vals.get("issue_id") or not vals.get("project_id"):
                continue
            vals["_key"] = issue_key(
                vals.get("kind"),
                vals.get("column"),
                vals.get("value"),
                vals.get("reason"),
            )
            wanted.setdefault((vals["project_id"], vals["_key"]), vals)
        found = self._find(wanted)
        missing = [key for key in wanted if key not in found]
        if missing:
            found.update(self._create_missing(missing, wanted))
        for vals in vals_list:
            key = vals.pop("_key", None)
            if key:
                vals["issue_id"] = found[(vals["project_id"], key)]
        return vals_list

    def _find(self, wanted):
        projects = {project for project, _key in wanted}
        keys = [key for _project, key in wanted]
        # sudo: the item of a row a person may see; rules are on its project
        issues = self.sudo().search(
            [("project_id", "in", list(projects)), ("key", "in", keys)]
        )
        return {(i.project_id.id, i.key): i.id for i in issues}

    def _create_missing(self, missing, wanted):
        vals_list = [
            {
                "project_id": project,
                "key": key,
                "kind": wanted[(project, key)].get("kind"),
                "column": wanted[(project, key)].get("column") or False,
                "value": wanted[(project, key)].get("value") or False,
                "reason": wanted[(project, key)].get("reason"),
            }
            for project, key in missing
        ]
        try:
            with self.env.cr.savepoint():
                issues = self.create(vals_list)
        except errors.UniqueViolation as exc:
            # a parallel batch created the same item and committed after this
            # transaction began: a serialization conflict, which queue_job
            # tries again with a fresh snapshot (that sees the item to join)
            raise errors.SerializationFailure(str(exc)) from exc
        return {(i.project_id.id, i.key): i.id for i in issues}

    # ------------------------------------------------------------ actions
    def _open_rows(self):
        return self.review_ids.filtered(lambda r: r.state == "open")

    def _items(self):
        """The open review rows behind these items (their occurrences)."""
        return self._open_rows()

    def action_view_items(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_review"
        )
        action["domain"] = [("issue_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_resolve(self):
        """Resolve every open row of these items at once."""
        for issue in self:
            rows = issue._open_rows()
            vals = {"state": "resolved"}
            if issue.corrected_value:
                vals["corrected_value"] = issue.corrected_value
            if issue.link_ref:
                vals["link_ref"] = issue.link_ref
            if issue.resolution:
                vals["resolution"] = issue.resolution
            rows.with_context(review_alike=True).write(vals)
        return True

    def action_ignore(self):
        """Ignore every open row of these items, with one reason (asked for)."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Ignore %(count)s rows", count=sum(self.mapped("open_count"))),
            "res_model": "migration.review.ignore.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_review_ids": self._open_rows().ids},
        }

    def action_open_correct(self):
        """The item in a dialog: one corrected value or link for all its rows."""
        self.ensure_one()
        if not self.value and len(self._open_rows()) > 1:
            raise UserError(
                _(
                    "These rows have no value to correct once for all of them: "
                    "correct them row by row (Rows), or resolve or ignore the item."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Correct %(value)s", value=self.value or self.reason),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "crm_migration.migration_review_issue_view_form_correct"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_correct(self):
        """Resolve with the corrected value or link: the next run loads every
        row of the item with it."""
        for issue in self:
            if not issue.corrected_value and not issue.link_ref:
                raise UserError(
                    _("Give the corrected value or the record to link first.")
                )
        self.action_resolve()
        return {"type": "ir.actions.act_window_close"}

    def action_reopen(self):
        self.review_ids.filtered(lambda r: r.state in ("resolved", "ignored")).write(
            {"state": "open"}
        )
        return True
