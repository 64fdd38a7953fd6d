"""Companies: res.partner with is_company, named by their rows."""

from odoo import _

from ...engine.match import norm_company
from ..common import issue
from ..resolve import name_column
from .base import RecordHandler


class CompanyHandler(RecordHandler):
    target = "company"

    def resolve(self, omap, prepared):
        for prep in prepared:
            self.resolver.state(prep)
            prep.vals["is_company"] = True
            if not prep.vals.get("name"):
                prep.vals.pop("name", None)
                prep.held = issue(
                    "missing_required",
                    name_column(omap),
                    False,
                    _("A company needs a name; this row has none."),
                )

    def remember(self, prep, record):
        self.cache.companies.setdefault(norm_company(record.name), record.id)
