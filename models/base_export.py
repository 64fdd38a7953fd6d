"""Formula injection: what a list's Export button writes from this addon's
records (review items, audit log, ledger, sample diff...) holds source values,
and a spreadsheet must never run one as a formula."""

from odoo import models

from ..engine.export import escape_cell


class Base(models.AbstractModel):
    # on "base" rather than a mixin in each model: the one place Odoo's CSV and
    # XLSX exports (web/export/csv|xlsx, grouped or not) read rows from; only
    # the records of this addon's own models are touched
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Rows as Odoo exports them, with every text cell that starts with
        = + - @, a tab or a carriage return quoted (OWASP: CSV injection), for
        this addon's models. Odoo's own CSV export quotes = + - only, and its
        XLSX export writes a text starting with = as a formula."""
        result = super().export_data(fields_to_export)
        if self._original_module == "crm_migration":
            result["datas"] = [
                [escape_cell(value) for value in row] for row in result["datas"]
            ]
        return result
