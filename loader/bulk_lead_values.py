"""Stored computes of a new crm.lead made per batch by the bulk path (issue
18), besides those of loader.bulk_computed: values of the inserted row instead
of a compute per record at the flush.

- **Assignment and stage dates** (``_compute_date_open``,
  ``_compute_date_last_stage_update``): the given one, else the transaction's
  now (the assignment date of a lead with an owner only).
- **Days to assign and to close** (``_compute_day_open``, ``_compute_day_close``):
  from the lead's create date as it is inserted, the source's creation date
  (else the transaction's now), as the ORM path recomputes them once the
  loader has written the source's date (book.set_create_dates), and its
  assignment date (``_compute_date_open``: the given one, which the lead
  handler makes the source's creation date for a lead with an owner, else now
  when it has an owner) and closing date.
- **What a lead takes from its partner** when the row does not give it
  (``_compute_contact_name``, ``_compute_partner_name``, ``_compute_function``,
  ``_compute_title``, ``_compute_website``, ``_compute_lang_id``): the
  partner's values, read once per batch (as the superuser, as the computes
  read them); a lead without a partner has none of them (its language is
  Odoo's).
- **Revenues**: a lead given no recurring revenue nor plan has none of the
  three recurring figures (0); a lead given its probability (a won or lost
  deal: 100 or 0, kept as given) has its prorated revenue, rounded as the
  compute rounds it and then by the lead's company currency (the Monetary
  column).

Each only while its compute methods are Odoo's own (``overridden``); else
Odoo computes it at the flush (the days from the inserted create date, the
source's).
"""

from odoo import fields

from .bulk_computed import LEAD, overridden, plain_values
from .probabilities import (
    PRORATED,
    PRORATED_OWN,
    company_currency,
    prorated_revenue,
)

DATES = {
    "date_open": {"_compute_date_open": LEAD},
    "date_last_stage_update": {"_compute_date_last_stage_update": LEAD},
}
DAYS = {
    "day_open": {"_compute_day_open": LEAD, "_compute_date_open": LEAD},
    "day_close": {"_compute_day_close": LEAD},
}
# a lead's recurring figures (0 without a recurring revenue nor plan) and its
# prorated revenue (of a given probability): crm's computes of them
RECURRING = {
    "recurring_revenue_monthly": {"_compute_recurring_revenue_monthly": LEAD},
    **{
        name: {method: LEAD}
        for name, method in PRORATED.items()
        if name != "prorated_revenue"
    },
}
REVENUE = {"prorated_revenue": PRORATED_OWN["prorated_revenue"]}

PARTNER = {
    "contact_name": {
        "_compute_contact_name": LEAD,
        "_prepare_contact_name_from_partner": LEAD,
    },
    "partner_name": {
        "_compute_partner_name": LEAD,
        "_prepare_partner_name_from_partner": LEAD,
    },
    "function": {"_compute_function": LEAD},
    "title": {"_compute_title": LEAD},
    "website": {"_compute_website": LEAD},
    "lang_id": {"_compute_lang_id": LEAD},
}
# the partner's fields those are made of
PARTNER_READ = (
    "is_company",
    "name",
    "parent_id",
    "company_name",
    "function",
    "title",
    "website",
    "lang",
)


class LeadValues:
    """The days and revenues of a batch of new leads, as Odoo computes them."""

    def __init__(self, model):
        self.model = model
        self.now = model.env.cr.now()
        self.left = {}
        for group in (DATES, DAYS, RECURRING, REVENUE, PARTNER):
            for fname in group:
                why = overridden(model, fname, group)
                if why:
                    self.left.update(dict.fromkeys(group, why))
        self._currencies = {}

    def fill(self, rows):
        """The values into the rows (in place); per row, the names filled."""
        partners = self._partners(rows)
        return [
            self._dates(row)
            | self._days(row)
            | self._revenues(row)
            | self._partner(row, partners)
            for row in rows
        ]

    def _dates(self, row):
        """_compute_date_open and _compute_date_last_stage_update of a new
        lead: the given date, else now (the assignment date only for a lead
        with an owner)."""
        if "date_open" in self.left:
            return set()
        row["date_open"] = row.get("date_open") or (row.get("user_id") and self.now)
        row["date_last_stage_update"] = row.get("date_last_stage_update") or self.now
        return set(DATES)

    def _partners(self, rows):
        """{partner id: the values a lead of it takes}, read once."""
        if "contact_name" in self.left:
            return {}
        # sudo: Odoo computes these as the superuser (compute_sudo, the
        # default of a stored compute)
        partners = (
            self.model.env["res.partner"]
            .sudo()
            .browse({row["partner_id"] for row in rows if row.get("partner_id")})
        )
        # each a column at a time from the cache, not a record per partner
        values = plain_values(partners, PARTNER_READ)
        parents = partners.browse({v["parent_id"] for v in values if v["parent_id"]})
        names = dict(zip(parents._ids, plain_values(parents, ("name",)), strict=True))
        codes = {v["lang"] for v in values if v["lang"]}
        langs = {c: self.model.env["res.lang"]._get_data(code=c).id for c in codes}
        return {
            partner_id: {
                "contact_name": False if v["is_company"] else v["name"],
                "partner_name": names.get(v["parent_id"], {}).get("name")
                or (v["name"] if v["is_company"] else v["company_name"]),
                "function": v["function"],
                "title": v["title"],
                "website": v["website"],
                "lang_id": langs.get(v["lang"], False),
            }
            for partner_id, v in zip(partners._ids, values, strict=True)
        }

    def _partner(self, row, partners):
        """_compute_contact_name... of a new lead: its partner's values (a
        lead without one has none, its language is left to Odoo)."""
        if "contact_name" in self.left:
            return set()
        values = partners.get(row.get("partner_id")) or dict.fromkeys(PARTNER, False)
        names = {f for f in PARTNER if f not in row}
        if not row.get("partner_id"):
            names.discard("lang_id")
        row.update({f: values[f] or False for f in names})
        return names

    def _days(self, row):
        """_compute_day_open and _compute_day_close of a new lead, from the
        create date it is inserted with (the source's, else now)."""
        if "day_open" in self.left:
            return set()  # Odoo computes them at the flush, from the same date
        created = fields.Datetime.to_datetime(row.get("create_date")) or self.now
        date_open = row.get("date_open") or (row.get("user_id") and self.now)
        date_open = fields.Datetime.to_datetime(date_open)
        closed = fields.Datetime.to_datetime(row.get("date_closed"))
        row["day_open"] = (
            abs((date_open - created.replace(microsecond=0)).days)
            if date_open
            else None
        )
        row["day_close"] = abs((closed - created).days) if closed else None
        return set(DAYS)

    def _revenues(self, row):
        names = set()
        if "recurring_revenue_monthly" not in self.left and not (
            row.get("recurring_revenue") or row.get("recurring_plan")
        ):
            row.update(dict.fromkeys(RECURRING, 0.0))
            names.update(RECURRING)
        if "prorated_revenue" not in self.left and "probability" in row:
            value = prorated_revenue(row.get("expected_revenue"), row["probability"])
            currency = self._currency(row.get("company_id"))
            row["prorated_revenue"] = currency.round(value) if currency else value
            names.add("prorated_revenue")
        return names

    def _currency(self, company_id):
        return company_currency(self.model.env, company_id, self._currencies)
