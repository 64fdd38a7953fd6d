from types import SimpleNamespace

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import propose, transform
from ..engine.sources.base import get_source
from ..loader.custom_fields import field_owner

NEW_FIELD_TYPES = [
    ("char", "Text"),
    ("text", "Long text"),
    ("integer", "Whole number"),
    ("float", "Decimal number"),
    ("date", "Date"),
    ("datetime", "Date and time"),
    ("boolean", "Yes/No"),
    ("selection", "Selection"),
    ("many2many", "Tags (several choices)"),
]
# transform used to read a column into a new x_ field of that type (the
# engine's, for the types a new field can have)
NEW_FIELD_TRANSFORM = {
    ftype: propose.TYPE_TRANSFORM[ftype] for ftype, _label in NEW_FIELD_TYPES
}
# the transforms a person picks from (engine.transform also knows aliases),
# with the words the dropdown shows instead of the engine's codes
TRANSFORM_LABELS = {
    "text": "Text as written",
    "html": "Formatted text (HTML)",
    "date": "Date",
    "datetime": "Date and time",
    "int": "Whole number",
    "float": "Decimal number",
    "money": "Amount of money",
    "bool": "Yes/No",
    "email": "Email address",
    "phone": "Phone number",
    "vat_br": "Brazilian tax number (CPF/CNPJ)",
    "list": "List of choices",
    "lead_status": "Lead status (won, lost, open)",
}
TRANSFORM_NAMES = list(TRANSFORM_LABELS)
# what the profile found in a column (engine.infer.TYPES), in words
INFERRED_TYPE_LABELS = {
    "empty": "Empty",
    "text": "Text",
    "email": "Email addresses",
    "phone": "Phone numbers",
    "url": "Web addresses",
    "date": "Dates",
    "datetime": "Dates and times",
    "integer": "Whole numbers",
    "float": "Decimal numbers",
    "money": "Amounts of money",
    "boolean": "Yes/No",
    "picklist": "A few values, repeated (a picklist)",
}

# transform that reads a column into a target field of that type
FIELD_TYPE_TRANSFORM = {
    "date": "date",
    "datetime": "datetime",
    "float": "money",
    "monetary": "money",
    "integer": "int",
    "boolean": "bool",
    "email": "email",
    "phone": "phone",
    "many2many": "list",
    "html": "html",
}
FIELD_NAME_TRANSFORM = {"status": "lead_status"}


def default_transform(target_field):
    return FIELD_NAME_TRANSFORM.get(target_field.name) or FIELD_TYPE_TRANSFORM.get(
        target_field.ttype, "text"
    )


class MigrationFieldMap(models.Model):
    """Source column -> target field (or a new x_ field), with the proposal's
    confidence and reason; a consultant edits and confirms it."""

    _name = "migration.field.map"
    _description = "Migration Field Map"
    _inherit = ["migration.map.choice.mixin", "mail.thread"]
    _order = "object_map_id, sequence, id"
    # editing where a column goes withdraws its confirmation
    _unconfirmed_by = frozenset(
        {
            "empty_clears",
            "action",
            "target_field_id",
            "new_field_name",
            "new_field_type",
            "transform",
        }
    )

    confirmed = fields.Boolean(tracking=True)
    target = fields.Selection(related="object_map_id.target")
    sequence = fields.Integer(default=10)
    column = fields.Char(required=True, help="Source column header.")
    action = fields.Selection(
        [
            ("map", "Map to a field"),
            ("create", "Create a new custom field"),
            ("ignore", "Do not migrate"),
        ],
        default="map",
        required=True,
        tracking=True,
    )
    target_field_id = fields.Many2one(
        "migration.target.field",
        string="Target field",
        domain="[('target', '=', target)]",
        tracking=True,
        ondelete="restrict",
    )
    target_field_type = fields.Selection(
        related="target_field_id.ttype", string="Field type"
    )
    new_field_name = fields.Char(tracking=True, help="Technical name, starts with x_.")
    new_field_label = fields.Char()
    new_field_type = fields.Selection(NEW_FIELD_TYPES, tracking=True)
    transform = fields.Selection(
        selection=[
            (name, label)
            for name, label in TRANSFORM_LABELS.items()
            if name in transform.TRANSFORMS
        ],
        string="Read as",
        default="text",
        tracking=True,
    )
    transform_options = fields.Json(
        help="For example the date order (DMY) or decimal sign."
    )
    inferred_type = fields.Char(readonly=True)
    inferred_type_label = fields.Selection(
        list(INFERRED_TYPE_LABELS.items()),
        compute="_compute_inferred_type_label",
        string="Values look like",
    )
    fill_rate = fields.Float(
        readonly=True, digits=(3, 2), help="Share of rows with a value."
    )
    samples = fields.Char(readonly=True)
    empty_clears = fields.Boolean(
        string="Empty clears",
        tracking=True,
        help="When a run updates a record that exists, an empty cell of this column "
        "clears the Odoo value. By default an empty cell keeps what Odoo has.",
    )
    value_map_ids = fields.One2many("migration.value.map", "field_map_id")

    _sql_constraints = [
        (
            "column_uniq",
            'unique(object_map_id, "column")',
            "A column is mapped once per object.",
        ),
    ]

    @api.depends("inferred_type")
    def _compute_inferred_type_label(self):
        for fmap in self:
            fmap.inferred_type_label = (
                fmap.inferred_type
                if fmap.inferred_type in INFERRED_TYPE_LABELS
                else "text"
                if fmap.inferred_type
                else False
            )

    @api.depends("column", "target_field_id", "action", "new_field_name")
    def _compute_display_name(self):
        for fmap in self:
            if fmap.action == "map" and fmap.target_field_id:
                dest = fmap.target_field_id.name
            elif fmap.action == "create":
                dest = _("new field %(name)s", name=fmap.new_field_name or "?")
            else:
                dest = _("not migrated")
            fmap.display_name = f"{fmap.column} → {dest}"

    @api.constrains("action", "target_field_id", "new_field_name", "new_field_type")
    def _check_destination(self):
        for fmap in self:
            if fmap.action == "map" and not fmap.target_field_id and fmap.confirmed:
                raise ValidationError(
                    _(
                        "Column %(col)s: choose a target field, a new field or 'Do not migrate'.",
                        col=fmap.column,
                    )
                )
            if fmap.action == "create":
                name = fmap.new_field_name or ""
                if (
                    not name.startswith("x_")
                    or not name.replace("_", "").isalnum()
                    or name != name.lower()
                ):
                    raise ValidationError(
                        _(
                            "Column %(col)s: a new field name starts with x_ and has only "
                            "lower-case letters, digits and underscores (got %(name)s).",
                            col=fmap.column,
                            name=name or "nothing",
                        )
                    )
                if not fmap.new_field_type:
                    raise ValidationError(
                        _(
                            "Column %(col)s: choose the new field's type.",
                            col=fmap.column,
                        )
                    )

    @api.onchange("action", "new_field_type", "target_field_id")
    def _onchange_action(self):
        if self.action == "create" and self.new_field_type:
            self.transform = NEW_FIELD_TRANSFORM[self.new_field_type]
        elif self.action == "map" and self.target_field_id:
            self.transform = default_transform(self.target_field_id)

    def write(self, vals):
        edited = self._edited_by_person(vals)
        if edited - {"empty_clears"}:
            # a person's choice replaces the proposal's words and its doubt
            vals = dict(vals, **self._chosen_by_person())
        if "transform" not in vals:
            if vals.get("action") == "create" and vals.get("new_field_type"):
                vals["transform"] = NEW_FIELD_TRANSFORM[vals["new_field_type"]]
            elif vals.get("target_field_id"):
                tfield = self.env["migration.target.field"].browse(
                    vals["target_field_id"]
                )
                vals["transform"] = default_transform(tfield)
        result = super().write(vals)
        if edited:
            for fmap in self:
                self.env["migration.audit"]._log(
                    fmap.project_id,
                    "edit",
                    _(
                        "Field map %(map)s of %(object)s edited (%(fields)s).",
                        map=fmap.display_name,
                        object=fmap.object_map_id.object_name,
                        fields=", ".join(sorted(self._unconfirmed_by & set(vals))),
                    ),
                    fmap,
                )
        return result

    # ------------------------------------------------------------ confirm
    def _check_confirmable(self):
        self.object_map_id._check_target_conflicts(self.mapped("column"))

    def _after_confirm(self):
        templates = self.env["migration.map.template"]
        for fmap in self.filtered(lambda f: f.action == "map" and f.target_field_id):
            omap = fmap.object_map_id
            templates._remember(
                omap.project_id.system,
                omap.target,
                fmap.column,
                fmap.target_field_id.name,
            )

    def _confirm_message(self):
        return _(
            "%(count)s field maps confirmed: %(maps)s",
            count=len(self),
            maps=", ".join(self.mapped("display_name")),
        )

    def action_set_create(self):
        """Switch the column to 'create a new custom field' with the proposed name."""
        for fmap in self:
            proposal = propose.new_field_for(fmap.column, fmap.inferred_type)
            fmap.write(
                {
                    "action": "create",
                    "new_field_name": fmap.new_field_name or proposal["name"],
                    "new_field_label": fmap.new_field_label or proposal["label"],
                    "new_field_type": fmap.new_field_type or proposal["type"],
                }
            )
        return True

    # --------------------------------------------------------------- propose
    @api.model
    def _multi_value_columns(self, omap, columns):
        """{column: reason} of the columns whose cells hold several choices, as
        the project's source system tells them (Source.choice_columns)."""
        return get_source(omap.project_id.system).choice_columns(omap.target, columns)

    @api.model
    def _propose_fields(self, omap, columns, learned):
        """The engine's proposals, read on the system's own spellings of the
        headers (a system's own name for its tags), given back under the headers as
        written (a column kept in a field of its own is named after them)."""
        names = get_source(omap.project_id.system).canonical_headers(
            [c["name"] for c in columns], omap.target
        )
        renamed = [dict(c, name=names.get(c["name"], c["name"])) for c in columns]
        proposals = propose.propose_fields(omap.target, renamed, learned=learned)
        written = {names.get(c["name"], c["name"]): c["name"] for c in columns}
        taken = {p.new_field["name"] for p in proposals if p.new_field}
        for prop in proposals:
            header = written.get(prop.column, prop.column)
            if header != prop.column and prop.new_field:
                # kept in a field of its own: named after the header as written
                name = propose.make_field_name(header, taken)
                taken.add(name)
                prop.reason = prop.reason.replace(prop.new_field["name"], name)
                prop.new_field = dict(prop.new_field, name=name, label=header)
            elif header != prop.column:
                prop.reason = _(
                    "%(header)s is %(system)s's %(name)s: %(reason)s",
                    header=header,
                    system=omap.project_id.system,
                    name=prop.column,
                    reason=prop.reason,
                )
            prop.column = header
        return proposals

    @api.model
    def _declared_field(self, omap, prop, declared, taken):
        """A custom field of the source (its type declared by the system, from
        its own catalogue of fields): kept in an x_ field of that type and
        label, never guessed onto a standard field."""
        name = (prop.new_field or {}).get("name")
        if not name:
            name = propose.make_field_name(prop.column, taken)
            taken.add(name)
        ftype = declared["type"]
        return {
            "action": "create",
            "target_field_id": False,
            "new_field_name": name,
            "new_field_label": prop.column,
            "new_field_type": ftype,
            "transform": NEW_FIELD_TRANSFORM[ftype],
            "confidence": 0.95,
            "reason": _(
                "%(column)s is a custom field of %(system)s (%(type)s): kept in a "
                "new field of that type.",
                column=prop.column,
                system=omap.project_id.system,
                type=ftype,
            ),
        }

    @api.model
    def _propose_declared(self, omap, columns):
        """A converted object's custom columns, whose type the source system
        declares from its own catalogue of fields (custom fields of products,
        quotations, orders): each kept in an x_ field of that type, as those
        of partners and leads are; the object's converter reads the others."""
        declared = omap.source_id.column_types or {}
        profile = {c["name"]: c for c in columns}
        by_column = {f.column: f for f in omap.field_map_ids}
        taken = {n for n in omap.field_map_ids.mapped("new_field_name") if n}
        for seq, (column, spec) in enumerate(declared.items(), start=1):
            if spec.get("type") not in NEW_FIELD_TRANSFORM or column not in profile:
                continue
            existing = by_column.get(column)
            if existing and existing.confirmed:
                continue
            col = profile[column]
            vals = {
                "object_map_id": omap.id,
                "sequence": seq,
                "column": column,
                "inferred_type": col.get("type"),
                "fill_rate": 1 - (col.get("null_rate") or 0),
                "samples": ", ".join(str(v) for v in col.get("samples", [])[:5])[:250],
                "transform_options": False,
                "confirmed": False,
                **self._declared_field(
                    omap, SimpleNamespace(column=column, new_field=None), spec, taken
                ),
            }
            self._avoid_type_clash(omap, vals, taken)
            if existing:
                existing.write(vals)
            else:
                self.create(vals)

    @api.model
    def _propose_for_object(self, omap, columns, learned):
        by_column = {f.column: f for f in omap.field_map_ids}
        proposals = self._propose_fields(omap, columns, learned)
        profile_by_name = {c["name"]: c for c in columns}
        multi = self._multi_value_columns(omap, columns)
        taken = {p.new_field["name"] for p in proposals if p.new_field}
        new = []
        for seq, prop in enumerate(proposals, start=1):
            existing = by_column.get(prop.column)
            if existing and existing.confirmed:
                continue
            col = profile_by_name.get(prop.column, {})
            vals = {
                "object_map_id": omap.id,
                "sequence": seq,
                "column": prop.column,
                "confidence": prop.confidence,
                "reason": prop.reason,
                "transform": prop.transform or "text",
                "transform_options": self._proposed_options(omap.project_id, col)
                or False,
                "inferred_type": col.get("type"),
                "fill_rate": 1 - (col.get("null_rate") or 0) if col else 0,
                "samples": ", ".join(str(s) for s in col.get("samples", [])[:5])[:250],
                "confirmed": False,
            }
            vals.update(self._proposed_action(omap, prop, multi, taken))
            self._avoid_type_clash(omap, vals, taken)
            if existing:
                existing.write(vals)
            else:
                new.append(vals)
        # one create for the new maps (one per column was most of the phase)
        self.create(new)
        return True

    @api.model
    def _proposed_options(self, project, col):
        """The transform options the profile found (date order, decimal mark);
        the project's date order, when set, wins."""
        options = {}
        details = col.get("details") or {}
        if details.get("order"):
            options["order"] = details["order"]
        if project.date_order and project.date_order != "auto":
            options["order"] = project.date_order
        if details.get("decimal"):
            options["decimal"] = details["decimal"]
        return options

    @api.model
    def _avoid_type_clash(self, omap, vals, taken):
        """A new field proposed under the name of a field the model has with
        another type (another project's run made it, or a person) is named
        the next free way (x_foo_2): a run makes only missing fields, and
        wrote the column's values into the other type's field (a date into a
        char field: every cell unaccounted, the run failed). A field of the
        same type is the column's field again (a re-run)."""
        name, ftype = vals.get("new_field_name"), vals.get("new_field_type")
        if vals.get("action") != "create" or not name:
            return
        IrField = self.env["ir.model.fields"]
        model = field_owner(self.env, omap.model_name)
        free, clash = name, set(taken) | {name}
        while (field := IrField._get(model, free)) and field.ttype != ftype:
            free = propose.make_field_name(name, clash)
            clash.add(free)
        if free == name:
            return
        taken.add(free)
        vals["new_field_name"] = free
        vals["reason"] = _(
            "%(reason)s (%(name)s is already a %(type)s field of %(model)s)",
            reason=(vals.get("reason") or "").replace(name, free),
            name=name,
            type=IrField._get(model, name).ttype,
            model=model,
        )

    @api.model
    def _proposed_action(self, omap, prop, multi, taken):
        """What a proposal does with its column: a field declared by the source,
        a standard field, a new tags field (several choices per cell), a new
        field, or nothing."""
        declared = (omap.source_id.column_types or {}).get(prop.column)
        if declared and declared.get("type") in NEW_FIELD_TRANSFORM:
            return self._declared_field(omap, prop, declared, taken)
        if prop.field:
            field = self.env["migration.target.field"]._get(omap.target, prop.field)
            return {"action": "map", "target_field_id": field.id}
        if not prop.new_field:
            return {"action": "ignore", "target_field_id": False}
        vals = {
            "action": "create",
            "target_field_id": False,
            "new_field_name": prop.new_field["name"],
            "new_field_label": prop.new_field.get("label") or prop.column,
        }
        if prop.column in multi:  # a checkbox group: several choices per cell -> tags
            vals.update(
                new_field_type="many2many", transform="list", reason=multi[prop.column]
            )
        else:
            vals.update(
                new_field_type=prop.new_field["type"],
                # the engine reads the column's values (money, email...);
                # the field type alone would say float or char
                transform=prop.transform
                if prop.transform and prop.transform != "text"
                else NEW_FIELD_TRANSFORM.get(prop.new_field["type"], "text"),
            )
        return vals
