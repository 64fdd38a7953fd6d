"""Products of leads: a link row adds a product to the products of the lead
it names (crm.lead.source_product_ids); the lead is written, never created."""

from odoo import _
from odoo.fields import Command

from ..common import issue
from .base import RecordHandler


def escape_like(text):
    """``text`` matched literally by =ilike (case-insensitive, no wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ProductLinkHandler(RecordHandler):
    target = "product_link"

    def __init__(self, env, cache, resolver):
        super().__init__(env, cache, resolver)
        self._found = {}

    def resolve(self, omap, prepared):
        for prep in self.ready(prepared):
            found, _problem = self.partners.find_record(prep)
            if not found or found[0] != "crm.lead":
                prep.held = self._no_lead(prep)
                continue
            product_id = self._product(prep.record)
            if not product_id:
                prep.held = self._no_product(prep.record)
                continue
            lead_id = found[1]
            prep.model = "crm.lead"
            prep.vals = {"source_product_ids": [Command.link(product_id)]}
            # the row merges into its lead: the writer adds the link, the
            # ledger keeps the lead's products before (a rollback restores them)
            prep.dedupe = f"lead:{lead_id}"
            self.cache.dedupe[(omap.target, prep.dedupe)] = lead_id
            prep.quiet = True

    def _product(self, record):
        """The product a link names: its source id, code, else its name (one
        query per distinct value: the products of this run are new)."""
        values = record.values
        code = (values.get("product_code") or "").strip()
        name = (values.get("product_name") or "").strip()
        found = self.cache.key_res("product", code) if code else None
        if not found and code:
            found = self._one([("default_code", "=ilike", escape_like(code))])
        if not found and name:
            found = self._one([("name", "=ilike", escape_like(name))])
        if not found and code:
            # a link that names its product by name in the id column
            found = self._one([("name", "=ilike", escape_like(code))])
        return found

    def _one(self, domain):
        key = str(domain)
        if key not in self._found:
            hits = self.env["product.product"].search(domain, limit=2)
            self._found[key] = hits.id if len(hits) == 1 else None
        return self._found[key]

    def _no_lead(self, prep):
        rec = prep.record
        return issue(
            "orphan",
            rec.columns.get("lead_ref"),
            rec.lead_ref or rec.contact_email,
            _(
                "No migrated lead is named %(ref)s.",
                ref=rec.lead_ref or rec.contact_email,
            ),
        )

    def _no_product(self, record):
        ref = record.values.get("product_code") or record.values.get("product_name")
        return issue(
            "missing_parent",
            record.columns.get("product"),
            ref,
            _("No product %(ref)s in the products file or in Odoo.", ref=ref),
        )
