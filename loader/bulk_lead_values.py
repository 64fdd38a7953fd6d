"""Stored computes of a new crm.lead made per batch by the bulk path (issue
18), besides those of loader.bulk_computed: values of the inserted row instead
of a compute per record at the flush.

- **Days to assign and to close** (``_compute_day_open``, ``_compute_day_close``):
  from the lead's create date as create() gives it, the transaction's now (the
  row is inserted with the source's date, which the ORM path writes after, and
  which changes neither), and its assignment date (``_compute_date_open``: the
  given one, else now when it has an owner) and closing date.
- **Revenues**: a lead given no recurring revenue nor plan has none of the
  three recurring figures (0); a lead given its probability (a won or lost
  deal: 100 or 0, kept as given) has its prorated revenue, rounded as the
  compute rounds it and then by the lead's company currency (the Monetary
  column).

Each only while its compute methods are Odoo's own (``overridden``); else
Odoo computes it, and for the days the row gets the transaction's now as its
create date (the loader writes the source's after, as on the ORM path).
"""

from odoo import fields

from .bulk_computed import LEAD, overridden

DAYS = {
    "day_open": {"_compute_day_open": LEAD, "_compute_date_open": LEAD},
    "day_close": {"_compute_day_close": LEAD},
}
RECURRING = {
    "recurring_revenue_monthly": {"_compute_recurring_revenue_monthly": LEAD},
    "recurring_revenue_monthly_prorated": {
        "_compute_recurring_revenue_monthly_prorated": LEAD
    },
    "recurring_revenue_prorated": {"_compute_recurring_revenue_prorated": LEAD},
}
PRORATED = {
    "prorated_revenue": {
        "_compute_prorated_revenue": LEAD,
        "_compute_company_currency": LEAD,
    },
}


class LeadValues:
    """The days and revenues of a batch of new leads, as Odoo computes them."""

    def __init__(self, model):
        self.model = model
        self.now = model.env.cr.now()
        self.left = {}
        for group in (DAYS, RECURRING, PRORATED):
            for fname in group:
                why = overridden(model, fname, group)
                if why:
                    self.left.update(dict.fromkeys(group, why))
        self._currencies = {}

    def fill(self, row):
        """The values into ``row`` (in place); the names filled."""
        return self._days(row) | self._revenues(row)

    def _days(self, row):
        created = row.get("create_date")
        if "day_open" in self.left:
            if created and created != self.now:
                row["create_date"] = self.now
            return set()
        date_open = row.get("date_open") or (row.get("user_id") and self.now)
        date_open = fields.Datetime.to_datetime(date_open)
        closed = fields.Datetime.to_datetime(row.get("date_closed"))
        row["day_open"] = (
            abs((date_open - self.now.replace(microsecond=0)).days)
            if date_open
            else None
        )
        row["day_close"] = abs((closed - self.now).days) if closed else None
        return set(DAYS)

    def _revenues(self, row):
        names = set()
        if "recurring_revenue_monthly" not in self.left and not (
            row.get("recurring_revenue") or row.get("recurring_plan")
        ):
            row.update(dict.fromkeys(RECURRING, 0.0))
            names.update(RECURRING)
        if "prorated_revenue" not in self.left and "probability" in row:
            value = round(
                (row.get("expected_revenue") or 0.0)
                * (row["probability"] or 0)
                / 100.0,
                2,
            )
            currency = self._currency(row.get("company_id"))
            row["prorated_revenue"] = currency.round(value) if currency else value
            names.add("prorated_revenue")
        return names

    def _currency(self, company_id):
        """_compute_company_currency: the lead's company's, else the
        environment company's."""
        if company_id not in self._currencies:
            company = self.model.env["res.company"].browse(company_id or [])
            # sudo: Odoo computes it as the superuser (compute_sudo)
            company = (company or self.model.env.company).sudo()
            self._currencies[company_id] = company.currency_id
        return self._currencies[company_id]
