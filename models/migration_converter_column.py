from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import columns as engine_columns
from .migration_field_map import INFERRED_TYPE_LABELS

# how many staging rows a proposal (and a person's pick) is checked against
SAMPLE_ROWS = engine_columns.SAMPLE_ROWS
KIND_LABELS = [
    ("date", "Dates"),
    ("bool", "Yes/No"),
    ("number", "Numbers"),
    ("money", "Amounts of money"),
    ("email", "Email addresses"),
    ("id", "Identifiers (ids, codes, numbers)"),
    ("text", "Text"),
]


class MigrationConverterColumn(models.Model):
    """Which source column feeds one input of a converted object (a task's due
    date, its done flag, a note's date...): proposed from the headers and the
    values' type, shown on the object map, and what the run reads."""

    _name = "migration.converter.column"
    _description = "Migration Converter Column"
    _inherit = ["migration.map.choice.mixin", "mail.thread"]
    _order = "object_map_id, sequence, id"

    confirmed = fields.Boolean(tracking=True)
    sequence = fields.Integer(default=10)
    role = fields.Char(
        required=True, readonly=True, help="The converter's name for this input."
    )
    name = fields.Char(string="Input", required=True, readonly=True)
    kind = fields.Selection(
        KIND_LABELS,
        string="Reads",
        required=True,
        default="text",
        readonly=True,
        help="What this input's values must be; a proposed column is checked "
        "against it.",
    )
    column = fields.Char(
        string="Source column",
        tracking=True,
        help="The column of the file this input is read from; empty: none.",
    )
    fallback_columns = fields.Json(
        readonly=True,
        help="Columns read, in this order, on a row where the chosen column is "
        "empty (proposed; cleared when a person picks the column).",
    )
    fallback_text = fields.Char(
        string="Then, when empty", compute="_compute_texts", readonly=True
    )
    candidate_columns = fields.Json(readonly=True)
    candidate_text = fields.Char(
        string="Columns spelled like it", compute="_compute_texts", readonly=True
    )
    values_type = fields.Char(readonly=True)
    values_type_label = fields.Selection(
        list(INFERRED_TYPE_LABELS.items()),
        string="Values look like",
        compute="_compute_texts",
    )
    samples = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "role_uniq",
            "unique(object_map_id, role)",
            "An input is read from one column choice per object.",
        ),
    ]

    @api.depends("fallback_columns", "candidate_columns", "values_type")
    def _compute_texts(self):
        for rec in self:
            rec.fallback_text = ", ".join(rec.fallback_columns or []) or False
            rec.candidate_text = ", ".join(rec.candidate_columns or []) or False
            rec.values_type_label = (
                rec.values_type if rec.values_type in INFERRED_TYPE_LABELS else False
            )

    @api.depends("name", "column")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.column or _('no column')} → {rec.name}"

    @api.constrains("column")
    def _check_column(self):
        for rec in self:
            headers = rec._headers()
            if rec.column and headers and rec.column not in headers:
                raise ValidationError(
                    _(
                        "%(input)s: the file has no column %(column)s (its columns: "
                        "%(columns)s).",
                        input=rec.name,
                        column=rec.column,
                        columns=", ".join(headers),
                    )
                )

    def write(self, vals):
        picked = "column" in vals and "reason" not in vals  # a person's choice
        if picked:
            vals = dict(vals, fallback_columns=False)
        result = super().write(vals)
        if picked:
            for rec in self:
                rec._describe_pick()
        return result

    # ------------------------------------------------------------ helpers
    def _headers(self):
        self.ensure_one()
        profile = self.object_map_id.source_id.profile or {}
        return [c["name"] for c in profile.get("columns", []) if c.get("name")]

    def _sample_rows(self, omap):
        source = omap.source_id
        if not source:
            return []
        rows = self.env["migration.staging.row"].search(
            [("source_id", "=", source.id)], order="line, id", limit=SAMPLE_ROWS
        )
        return [row.data or {} for row in rows]

    def _describe_pick(self):
        """What the column a person picked holds, said in the reason."""
        if not self.column:
            reason = _("No column: a person chose that this input is not read.")
            super().write({"reason": reason, "values_type": False, "samples": False})
            return
        values = [row.get(self.column) for row in self._sample_rows(self.object_map_id)]
        fits, looks = engine_columns.values_fit(self.kind, values)
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        if fits is False:
            reason = _(
                "Chosen by a person. Warning: the values of %(column)s do not look "
                "like %(kind)s; rows whose value cannot be read go to review.",
                column=self.column,
                kind=kind.lower(),
            )
        else:
            reason = _("Chosen by a person.")
        texts = [str(v).strip() for v in values if str(v or "").strip()]
        super().write(
            {
                "reason": reason,
                "values_type": looks,
                "samples": ", ".join(list(dict.fromkeys(texts))[:3]) or False,
            }
        )

    @api.model
    def _binding(self, omap):
        """``{role: (column, fallbacks...)}`` the run reads ``omap``'s rows by;
        None when nothing was proposed (the converter's own alias order)."""
        choices = omap.converter_column_ids
        if not choices:
            return None
        return engine_columns.column_binding(
            {"role": c.role, "column": c.column, "fallbacks": c.fallback_columns}
            for c in choices
        )

    @api.model
    def _retarget(self, omaps):
        """Object maps whose target changed: their unconfirmed column choices
        go, and a converted one gets those of its new rule."""
        for omap in omaps.filtered(lambda m: m.source_id):
            omap.converter_column_ids.filtered(lambda c: not c.confirmed).unlink()
            if omap.converted:
                self._propose_for_object(omap)

    @api.model
    def _propose_for_object(self, omap):
        """Propose (or refresh the unconfirmed) column choices of a converted
        object from a sample of its rows."""
        project = omap.project_id
        choices = engine_columns.propose_columns(
            project.system or "generic",
            omap.target,
            self._sample_rows(omap),
            project.source_tz or "UTC",
        )
        existing = {c.role: c for c in omap.converter_column_ids}
        kept = {r for r, c in existing.items() if c.confirmed}
        stale = omap.converter_column_ids.filtered(
            lambda c: not c.confirmed and c.role not in {x.role for x in choices}
        )
        stale.unlink()
        for choice in choices:
            if choice.role in kept:
                continue
            vals = self._proposal_values(choice)
            if choice.role in existing:
                existing[choice.role].write(vals)
            else:
                self.create(dict(vals, object_map_id=omap.id, role=choice.role))

    def _proposal_values(self, choice):
        return {
            "sequence": choice.sequence,
            "name": choice.label,
            "kind": choice.kind,
            "column": choice.column or False,
            "fallback_columns": list(choice.fallbacks),
            "candidate_columns": list(choice.candidates),
            "values_type": choice.values_type or False,
            "samples": ", ".join(choice.samples) or False,
            "confidence": choice.confidence,
            "reason": self._proposal_reason(choice),
        }

    def _proposal_reason(self, choice):
        kinds = dict(KIND_LABELS)
        lines = []
        if choice.column and choice.match == "exact":
            lines.append(_("The column is spelled as this input is named."))
        elif choice.column and choice.match == "spelling":
            lines.append(_("The column is this input's name spelled differently."))
        elif choice.column:
            lines.append(_("The column is this input's name after the row's noun."))
        else:
            lines.append(_("No column of the file is spelled like this input."))
        if choice.column and not choice.values_type:
            lines.append(_("Its values could not be checked (empty in the sample)."))
        for header, looks in choice.rejected.items():
            lines.append(
                _(
                    "Not %(column)s: its values look like %(looks)s, not %(kind)s.",
                    column=header,
                    looks=INFERRED_TYPE_LABELS.get(looks, looks).lower(),
                    kind=kinds.get(choice.kind, choice.kind).lower(),
                )
            )
        if choice.fallbacks:
            lines.append(
                _(
                    "Where it is empty: %(columns)s.",
                    columns=", ".join(choice.fallbacks),
                )
            )
        return "\n".join(lines)
