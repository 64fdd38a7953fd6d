"""Companies: res.partner with is_company, named by their rows."""

from odoo import _

from ...engine.match import norm_company
from ..common import issue
from ..partners import own_vats, restore_vats
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

    def pre_write(self, omap, res_ids):
        """The people of these companies whose tax id is their own, before the
        batch writes the companies (see loader.partners.own_vats)."""
        self._own_vats = own_vats(self.env, res_ids)

    def post_write(self, omap, updated):
        """A person's own CPF is never replaced by the company's CNPJ through
        Odoo's commercial-field sync: each goes back where the write replaced it."""
        own, self._own_vats = getattr(self, "_own_vats", {}), {}
        if own:
            self.complete(
                [prep for prep, _record, _before in updated],
                restore_vats,
                self.writer.model("res.partner"),
                own,
            )
