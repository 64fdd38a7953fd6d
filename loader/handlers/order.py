"""Quotations and sales orders: sale.order for their customer (the source's
company or contact id, else the contact's email, else the company's name), on
the opportunity the source names, in the state the source gives; their lines
come as rows of their own (see order_line)."""

from odoo import _

from ...engine.match import norm_company
from ..common import issue
from .base import RecordHandler
from .order_line import apply_discount


class OrderHandler(RecordHandler):
    target = "order"

    def resolve(self, omap, prepared):
        ready = self.ready(prepared)
        self.ready_orders = ready
        emails = [p.record.contact_email for p in ready if p.record.contact_email]
        self.partners.lookup_contacts(emails)
        self.partners.lookup_companies([p.record.company_name for p in ready])
        for prep in ready:
            partner_id = self.customer(prep)
            if not partner_id:
                continue
            partner_id = self.person(prep, partner_id)
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
            self.declared_values(prep, values)  # the review number's x_ field

    def pre_write(self, omap, res_ids):
        """Orders already in Odoo: each one's discount line follows its own
        Discount now (a delta that changes only the discount writes no field
        of the order, nor its lines; with its lines it is made again after)."""
        preps = {
            self.cache.keys.get((omap.target, p.key)): p for p in self.ready_orders
        }
        orders = (
            self.env["sale.order"].browse([i for i in res_ids if i in preps]).exists()
        )
        rows = [(preps[o.id], o) for o in orders if o.order_line]
        self.complete([p for p, _o in rows], self._discounts, rows)

    @staticmethod
    def _discounts(rows):
        for prep, order in rows:
            apply_discount(order, prep.record.values.get("discount"))

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

    def person(self, prep, partner_id):
        """The order's partner: the person the source names at its customer
        (Odoo's quotation for a contact of a company: the company stays its
        commercial partner, who is invoiced), else the customer itself; a
        person who is not among the customer's contacts is reviewed."""
        rec = prep.record
        ref = rec.values.get("person_ref")
        if not ref:
            return partner_id
        column = rec.columns.get("person_ref") or False
        person_id = self.cache.key_res("contact", ref)
        if not person_id:
            prep.issues.append(
                issue(
                    "orphan",
                    column,
                    ref,
                    _(
                        "Contact %(ref)s of quotation %(order)s is not among the "
                        "migrated contacts: the quotation is for its company.",
                        ref=ref,
                        order=rec.values["client_order_ref"],
                    ),
                )
            )
            return partner_id
        Partner = self.env["res.partner"].with_context(active_test=False)
        person = Partner.browse(person_id)
        if person.commercial_partner_id.id == partner_id:
            return person_id
        prep.issues.append(
            issue(
                "invalid_value",
                column,
                ref,
                _(
                    "Contact %(person)s of quotation %(order)s is not a contact of "
                    "its customer %(customer)s: the quotation is for the customer.",
                    person=person.display_name,
                    order=rec.values["client_order_ref"],
                    customer=Partner.browse(partner_id).display_name,
                ),
            )
        )
        return partner_id

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
