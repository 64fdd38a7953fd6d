import json

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import inventory as engine_inventory

# rows of a file that is not migrated kept in the inventory as its rebuild reference
REFERENCE_ROWS = 200
GRADES = [
    ("A", "A - Simple"),
    ("B", "B - Standard"),
    ("C", "C - Moderate"),
    ("D", "D - Hard"),
]


class MigrationReadiness(models.TransientModel):
    """Before the full run: how much maps 1:1, how hard it is, what is still
    unconfirmed or open, what blocks the run, and what will not migrate."""

    _name = "migration.readiness"
    _description = "CRM Migration: readiness report"

    project_id = fields.Many2one("migration.project", required=True, ondelete="cascade")
    system = fields.Selection(related="project_id.system")
    objects_total = fields.Integer(compute="_compute_report", string="Source objects")
    objects_one_to_one = fields.Integer(
        compute="_compute_report",
        string="Objects that map 1:1",
        help="Objects with a target whose columns all go to existing Odoo fields: "
        "no new x_ field and no non-empty column left out.",
    )
    summary = fields.Char(compute="_compute_report")
    new_field_count = fields.Integer(compute="_compute_report")
    dropped_column_count = fields.Integer(
        compute="_compute_report", string="Non-empty columns not migrated"
    )
    unmapped_count = fields.Integer(
        compute="_compute_report", string="Objects not migrated"
    )
    row_count = fields.Integer(compute="_compute_report", string="Rows")
    grade = fields.Selection(GRADES, compute="_compute_report")
    grade_reasons = fields.Text(compute="_compute_report")
    unconfirmed_count = fields.Integer(
        compute="_compute_report", string="Unconfirmed maps"
    )
    unconfirmed_list = fields.Text(compute="_compute_report")
    review_open_count = fields.Integer(
        compute="_compute_report", string="Open review items"
    )
    review_by_kind = fields.Json(compute="_compute_report")
    review_summary = fields.Text(
        compute="_compute_report", string="Open review items by kind"
    )
    blockers = fields.Text(
        compute="_compute_report", help="What stops a full run right now."
    )
    ready = fields.Boolean(compute="_compute_report", string="Ready for a full run")
    inventory_json = fields.Json(compute="_compute_report")
    inventory_html = fields.Html(
        compute="_compute_report", string="Inventory", sanitize=False
    )

    @api.depends("project_id")
    def _compute_report(self):
        for wizard in self:
            project = wizard.project_id
            facts = wizard._facts(project) if project else self._empty_facts()
            verdict = engine_inventory.grade(
                facts["total"],
                facts["one_to_one"],
                new_fields=facts["new_fields"],
                dropped_columns=len(facts["dropped"]),
                unmapped_objects=len(facts["unmapped"]),
                rows=facts["rows"],
                open_reviews=facts["reviews_open"],
            )
            pending = project._unconfirmed_maps() if project else []
            by_kind = facts["reviews_by_kind"]
            inventory = engine_inventory.inventory(
                project.system,
                project=project.name,
                unmapped=facts["unmapped"],
                dropped_columns=facts["dropped"],
            )
            blockers = wizard._blockers(project)
            wizard.update(
                {
                    "objects_total": facts["total"],
                    "objects_one_to_one": facts["one_to_one"],
                    "summary": self.env._(
                        "%(one)s of %(total)s objects map 1:1",
                        one=facts["one_to_one"],
                        total=facts["total"],
                    ),
                    "new_field_count": facts["new_fields"],
                    "dropped_column_count": len(facts["dropped"]),
                    "unmapped_count": len(facts["unmapped"]),
                    "row_count": facts["rows"],
                    "grade": verdict.letter,
                    "grade_reasons": "\n".join(verdict.reasons),
                    "unconfirmed_count": len(pending),
                    "unconfirmed_list": "\n".join(
                        f"- {rec._description}: {rec.display_name}" for rec in pending
                    )
                    or False,
                    "review_open_count": facts["reviews_open"],
                    "review_by_kind": by_kind,
                    "review_summary": "\n".join(
                        f"{label}: {count}" for label, count in by_kind.items()
                    )
                    or False,
                    "blockers": "\n\n".join(blockers) or False,
                    "ready": bool(project) and not blockers,
                    "inventory_json": inventory,
                    "inventory_html": self._inventory_html(inventory),
                }
            )

    @api.model
    def _empty_facts(self):
        return {
            "total": 0,
            "one_to_one": 0,
            "new_fields": 0,
            "dropped": [],
            "unmapped": [],
            "rows": 0,
            "reviews_open": 0,
            "reviews_by_kind": {},
        }

    @api.model
    def _facts(self, project):
        """What the grade and the inventory are made of, from the project's maps."""
        facts = self._empty_facts()
        omaps = project.object_map_ids.sorted(lambda m: (m.sequence, m.id))
        facts["total"] = len(omaps)
        for omap in omaps:
            source = omap.source_id
            facts["rows"] += source.row_count
            if not omap.target:
                facts["unmapped"].append(
                    {
                        "object": omap.object_name,
                        "file": source.name or False,
                        "rows": source.row_count,
                        "columns": list(source.headers or [])
                        if isinstance(source.headers, list)
                        else [],
                        # the rows themselves: what a person rebuilds from
                        # (a source workflow's trigger and steps)
                        "records": source.staging_row_ids[:REFERENCE_ROWS].mapped(
                            "data"
                        ),
                    }
                )
                continue
            new = omap.field_map_ids.filtered(lambda f: f.action == "create")
            # the object's key column is kept in the ledger, not dropped
            key = omap.key_rule == "column" and omap.key_column
            dropped = omap.field_map_ids.filtered(
                lambda f, key=key: (
                    f.action == "ignore" and f.fill_rate > 0 and f.column != key
                )
            )
            unresolved = omap.field_map_ids.filtered(
                lambda f: f.action == "map" and not f.target_field_id
            )
            facts["new_fields"] += len(new)
            facts["dropped"] += [
                {
                    "object": omap.object_name,
                    "column": fmap.column,
                    "fill_rate": fmap.fill_rate,
                }
                for fmap in dropped
            ]
            if not (new or dropped or unresolved):
                facts["one_to_one"] += 1
        Review = self.env["migration.review"]
        labels = dict(Review._fields["kind"]._description_selection(self.env))
        groups = Review._read_group(
            [("project_id", "=", project.id), ("state", "=", "open")],
            ["kind"],
            ["__count"],
        )
        facts["reviews_by_kind"] = {
            labels.get(kind, kind): count
            for kind, count in sorted(groups, key=lambda g: -g[1])
        }
        facts["reviews_open"] = sum(count for _kind, count in groups)
        return facts

    @api.model
    def _blockers(self, project):
        """What stops a full run now: the project's own check, message for message."""
        if not project:
            return [self.env._("Choose a project.")]
        try:
            project._check_can_run("full")
        except (UserError, AccessError) as exc:
            return [str(exc.args[0] if exc.args else exc)]
        return []

    @api.model
    def _inventory_html(self, inventory):
        parts = [Markup("<h3>%s</h3>") % self.env._("Source objects left out")]
        sources = inventory["not_migrated_sources"]
        if sources:
            parts.append(Markup("<ul>"))
            for item in sources:
                parts.append(
                    Markup("<li><b>%s</b> (%s, %s): %s</li>")
                    % (
                        item["object"],
                        item["file"] or "",
                        self.env._("%(rows)s rows", rows=item["rows"]),
                        item["why"],
                    )
                )
            parts.append(Markup("</ul>"))
        else:
            parts.append(
                Markup("<p>%s</p>")
                % self.env._("None: every staged object has a target.")
            )
        if inventory["dropped_columns"]:
            parts.append(
                Markup("<h3>%s</h3><ul>") % self.env._("Non-empty columns not migrated")
            )
            for item in inventory["dropped_columns"]:
                parts.append(
                    Markup("<li>%s / <b>%s</b>: %s</li>")
                    % (
                        item["object"],
                        item["column"],
                        self.env._(
                            "%(rate)s%% of the rows have a value",
                            rate=round(100 * item["fill_rate"]),
                        ),
                    )
                )
            parts.append(Markup("</ul>"))
        parts.append(
            Markup("<h3>%s</h3>")
            % self.env._(
                "Never migrated from %(system)s: rebuild in Odoo",
                system=inventory["system"],
            )
        )
        parts.append(
            Markup(
                '<table class="table table-sm"><thead><tr>'
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>"
            )
            % (
                self.env._("Object"),
                self.env._("Why"),
                self.env._("Rebuild in Odoo"),
            )
        )
        for item in inventory["never_migrated"]:
            parts.append(
                Markup("<tr><td><b>%s</b></td><td>%s</td><td>%s</td></tr>")
                % (item["object"], item["why"], item["rebuild_in_odoo"])
            )
        parts.append(Markup("</tbody></table>"))
        return Markup("").join(escape(part) for part in parts)

    def action_download_inventory(self):
        """The inventory as a JSON file, for the admin who rebuilds what is left."""
        self.ensure_one()
        project = self.project_id
        data = dict(
            self.inventory_json,
            text=engine_inventory.inventory_text(self.inventory_json),
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"inventory-{project.id}-{project.system}.json",
                "raw": json.dumps(data, indent=2, ensure_ascii=False).encode(),
                "mimetype": "application/json",
                "res_model": project._name,
                "res_id": project.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
