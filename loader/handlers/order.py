"""Quotations and sales orders: sale.order for their customer (the source's
company or contact id, else the contact's email, else the company's name), on
the opportunity the source names, in the state the source gives; their lines
come as rows of their own (see order_line)."""

from odoo import _

from ...engine.match import norm_company
from ..common import issue
from .base import RecordHandler


class OrderHandler(RecordHandler):
    target = "order"

    def resolve(self, omap, prepared):
        ready = self.ready(prepared)
        emails = [p.record.contact_email for p in ready if p.record.contact_email]
        self.partners.lookup_contacts(emails)
        self.partners.lookup_companies([p.record.company_name for p in ready])
        for prep in ready:
            partner_id = self.customer(prep)
            if not partner_id:
                continue
            values = prep.record.values
            vals = {
                "partner_id": partner_id,
                "client_order_ref": values["client_order_ref"],
                "state": values["state"] or "draft",
                "company_id": self.project.company_id.id,
                "user_id": self.resolver.owner(
                    prep, prep.record.user, prep.record.columns.get("user") or False
                ),
            }
            prep.defaults.add("company_id")
            for fname in ("date_order", "validity_date", "note"):
                if values.get(fname):
                    vals[fname] = values[fname]
            if values.get("title"):
                vals["origin"] = values["title"]
            self._opportunity(prep, vals)
            prep.vals = vals

    def customer(self, prep):
        """The order's partner; the row is held when there is none (Odoo's
        quotations need a customer)."""
        rec = prep.record
        partner_id = self.cache.key_res("company", rec.contact_ref) or (
            self.cache.key_res("contact", rec.contact_ref)
        )
        if not partner_id and rec.contact_email:
            partner_id = self.cache.contacts.get(rec.contact_email)
        if not partner_id and rec.company_name:
            partner_id = self.cache.companies.get(norm_company(rec.company_name))
        if partner_id:
            return partner_id
        column = rec.columns.get("contact_ref") or rec.columns.get("contact_email")
        prep.held = issue(
            "missing_parent",
            column or False,
            rec.contact_ref or rec.contact_email or rec.company_name or False,
            _(
                "No customer for quotation %(ref)s among the migrated companies and "
                "contacts: a quotation needs one.",
                ref=rec.values["client_order_ref"],
            ),
        )
        return None

    def _opportunity(self, prep, vals):
        ref = prep.record.lead_ref
        if not ref or "opportunity_id" not in self.env["sale.order"]._fields:
            return
        lead_id = self.cache.key_res("lead", ref)
        if lead_id:
            vals["opportunity_id"] = lead_id
            lead = self.env["crm.lead"].browse(lead_id)
            if lead.team_id:
                vals["team_id"] = lead.team_id.id
            return
        prep.issues.append(
            issue(
                "orphan",
                False,
                ref,
                _(
                    "Opportunity %(ref)s is not among the migrated opportunities: "
                    "the quotation is loaded without it.",
                    ref=ref,
                ),
            )
        )
