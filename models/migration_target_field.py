from odoo import api, fields, models

from ..engine import propose, records

TYPE_SELECTION = [
    ("char", "Text"),
    ("text", "Long text"),
    ("html", "HTML"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("date", "Date"),
    ("datetime", "Date and time"),
    ("float", "Decimal number"),
    ("monetary", "Amount"),
    ("integer", "Whole number"),
    ("boolean", "Yes/No"),
    ("selection", "Selection"),
    ("many2one", "Link to a record"),
    ("many2many", "Tags / several records"),
]


def target_selection():
    """Field-mapped targets (companies, contacts, leads), then the objects the
    source system converts itself (engine.records)."""
    return [(key, spec["label"]) for key, spec in propose.TARGETS.items()] + list(
        records.LABELS.items()
    )


def target_model(target):
    if target in propose.TARGETS:
        return propose.TARGETS[target]["model"]
    return records.FIELDS[target][0]


class MigrationTargetField(models.Model):
    """The catalogue of fields a source column can be mapped to.

    Mirrors engine.propose.TARGETS (real Odoo fields plus the virtual fields the
    loader resolves, such as a contact's company name) and the x_ custom fields
    the migration created, so that a consultant picks a target in a normal
    many2one instead of typing a technical name.
    """

    _name = "migration.target.field"
    _description = "Migration Target Field"
    _order = "target, custom, label"
    _rec_name = "label"

    target = fields.Selection(selection=lambda self: target_selection(), required=True)
    model_name = fields.Char(required=True)
    name = fields.Char(string="Technical name", required=True)
    label = fields.Char(required=True, translate=True)
    ttype = fields.Selection(TYPE_SELECTION, string="Type", required=True)
    relation = fields.Char(string="Related model")
    virtual = fields.Boolean(
        help="Resolved by the loader (for example a contact's company name becomes "
        "its parent company); not a column of the Odoo model."
    )
    custom = fields.Boolean(help="An x_ field created by a migration.")

    _sql_constraints = [
        ("target_name_uniq", "unique(target, name)", "A target field is listed once."),
    ]

    @api.depends("label", "name")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.label} ({rec.name})"

    @api.model
    def _sync_catalogue(self):
        """Create the catalogue rows missing for the engine's target fields."""
        existing = {(r.target, r.name): r for r in self.search([])}
        to_create = []
        wanted = set()
        for target, spec in propose.TARGETS.items():
            for tfield in spec["fields"]:
                wanted.add((target, tfield.name))
                vals = {
                    "ttype": tfield.type,
                    "relation": tfield.relation or False,
                    "virtual": bool(tfield.virtual),
                }
                row = existing.get((target, tfield.name))
                if row is None:
                    to_create.append(
                        dict(
                            vals,
                            target=target,
                            model_name=spec["model"],
                            name=tfield.name,
                            label=tfield.label,
                        )
                    )
                elif any(row[k] != v for k, v in vals.items()):
                    # sudo: see below; the engine's catalogue changed (an upgrade)
                    row.sudo().write(vals)
        # sudo: the catalogue mirrors engine.propose.TARGETS (code, not user
        # data); any Migration User proposing maps may need it refreshed
        if to_create:
            self.sudo().create(to_create)
        stale = self.browse(
            r.id for k, r in existing.items() if k not in wanted and not r.custom
        )
        used = (
            self.env["migration.field.map"]
            .sudo()
            .search([("target_field_id", "in", stale.ids)])
        )
        # a field the engine no longer writes may not be picked again; one still
        # named by a map stays so the map can be read and changed
        (stale - used.target_field_id).sudo().unlink()
        return True

    @api.model
    def _get(self, target, name):
        return self.search([("target", "=", target), ("name", "=", name)], limit=1)
