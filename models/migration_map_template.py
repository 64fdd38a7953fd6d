from odoo import api, fields, models

from ..engine.match import norm_text
from .migration_target_field import target_selection


class MigrationMapTemplate(models.Model):
    """Confirmed column -> field choices, remembered per source system.

    Every confirmation adds one to ``times``; the proposer reads these rows as
    its ``learned`` input, so a choice confirmed before comes back with a higher
    confidence on the next project of the same system.
    """

    _name = "migration.map.template"
    _description = "Migration Map Template"
    _order = "system, target, header"

    system = fields.Char(required=True, index=True)
    target = fields.Selection(selection=lambda self: target_selection(), required=True)
    header = fields.Char(required=True, help="Normalised source column header.")
    field_name = fields.Char(required=True)
    times = fields.Integer(default=1, help="How many times this choice was confirmed.")

    _sql_constraints = [
        (
            "choice_uniq",
            "unique(system, target, header, field_name)",
            "A choice is remembered once per system.",
        ),
    ]

    @api.model
    def _learned(self, system):
        learned = {}
        for rec in self.search([("system", "=", system)]):
            learned.setdefault((rec.target, rec.header), {})[rec.field_name] = rec.times
        return learned

    @api.model
    def _remember(self, system, target, column, field_name):
        header = norm_text(column)
        rec = self.search(
            [
                ("system", "=", system),
                ("target", "=", target),
                ("header", "=", header),
                ("field_name", "=", field_name),
            ],
            limit=1,
        )
        if rec:
            rec.times += 1
        else:
            self.create(
                {
                    "system": system,
                    "target": target,
                    "header": header,
                    "field_name": field_name,
                }
            )
