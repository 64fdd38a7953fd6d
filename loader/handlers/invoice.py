"""Invoices: draft customer invoices (account.move), only with Accounting
installed (else a review item each); one row is one invoice, a second row of
the same invoice is held, never dropped."""

from odoo import _
from odoo.fields import Command
from odoo.tools import SQL, plaintext2html

from ...engine.match import norm_company, norm_text
from ..common import Prepared, issue
from .base import RecordHandler


def lines_total(lines):
    """Quantity x unit price, summed.

    >>> lines_total([{"quantity": 2, "price_unit": 5.0}, {"quantity": None, "price_unit": 3}])
    10.0
    """
    return sum((line["quantity"] or 0) * (line["price_unit"] or 0) for line in lines)


class InvoiceHandler(RecordHandler):
    target = "invoice"

    def accounting_installed(self):
        return "account.move" in self.env

    def resolve(self, omap, prepared):
        if not self.accounting_installed():
            for prep in self.ready(prepared):
                prep.held = issue(
                    "not_loaded",
                    False,
                    prep.record.values["ref"],
                    _("Invoice not loaded: Accounting is not installed."),
                )
            return
        company = self.project.company_id
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        self._booked_rows(omap, prepared)
        for prep in self.ready(prepared):
            if self._second_row(prep) or self._no_journal(prep, journal, company):
                continue
            partner_id = self._customer(prep)
            if partner_id:
                self._invoice_vals(prep, partner_id, journal)

    def _booked_rows(self, omap, prepared):
        """The rows that made these invoices in earlier runs, in the run cache."""
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT l.source_key, l.staging_row_id, r.line FROM migration_ledger l "
                "JOIN migration_staging_row r ON r.id = l.staging_row_id "
                "WHERE l.project_id = %s AND l.target = 'invoice' AND l.operation = 'create' "
                "AND NOT coalesce(l.rolled_back, false) AND l.source_key = ANY(%s) "
                "AND r.source_id = %s",
                self.project.id,
                [p.key for p in prepared],
                # rows of this file only: a new export of it restages them
                omap.source_id.id,
            )
        )
        for key, row_id, line in self.env.cr.fetchall():
            self.cache.invoice_rows.setdefault(
                key, Prepared(row_id=row_id, line=line, key=key)
            )

    def _second_row(self, prep):
        values = prep.record.values
        first = self.cache.invoice_rows.setdefault(prep.key, prep)
        if first is prep or first.row_id == prep.row_id:
            return False
        # one row is one invoice here: a second row is never dropped
        prep.held = issue(
            "duplicate",
            False,
            values["ref"],
            _(
                "Invoice %(ref)s is on several rows: the invoice was made from "
                "line %(line)s; add this row's line by hand.",
                ref=values["ref"],
                line=first.line,
            ),
        )
        return True

    def _no_journal(self, prep, journal, company):
        if journal:
            return False
        prep.held = issue(
            "not_loaded",
            False,
            prep.record.values["ref"],
            _(
                "Invoice not loaded: %(company)s has no sales journal (install "
                "a chart of accounts first).",
                company=company.name,
            ),
        )
        return True

    def _customer(self, prep):
        """The invoice's partner: its contact by email, else its company."""
        rec = prep.record
        partner_id = None
        if rec.contact_email:
            hits = self.partners.by_email([rec.contact_email]).get(rec.contact_email)
            partner_id = hits[0] if hits else None
            if hits and len(hits) > 1:
                prep.issues.append(
                    issue(
                        "duplicate",
                        "Contact Email",
                        rec.contact_email,
                        _(
                            "%(count)s contacts have this email: the invoice went "
                            "to the first one; check it.",
                            count=len(hits),
                        ),
                    )
                )
        if not partner_id and rec.company_name:
            self.partners.lookup_companies([rec.company_name])
            partner_id = self.cache.companies.get(norm_company(rec.company_name))
        if not partner_id:
            prep.held = issue(
                "orphan",
                rec.columns.get("contact_email") or "Contact Email",
                rec.contact_email or rec.company_name,
                _("No customer: the invoice's contact and company are not in Odoo."),
            )
        return partner_id

    def _lines(self, prep):
        values = prep.record.values
        products = self.cache.named_ids("product.product", [("sale_ok", "=", True)])
        lines = []
        for line in values["lines"]:
            product_id = products.get(norm_text(line["product"] or ""))
            if line["product"] and not product_id:
                prep.issues.append(
                    issue(
                        "invalid_value",
                        "Product",
                        line["product"],
                        _(
                            "Unknown product %(product)s: the line keeps its label "
                            "without a product.",
                            product=line["product"],
                        ),
                    )
                )
            lines.append(
                Command.create(
                    {
                        "product_id": product_id or False,
                        "name": line["product"] or values["ref"],
                        "quantity": line["quantity"],
                        "price_unit": line["price_unit"],
                        # the source's amounts, not Odoo's default sales tax
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        return lines

    def _check_total(self, prep):
        values = prep.record.values
        total = lines_total(values["lines"])
        if (
            values["amount_total"] is None
            or abs(values["amount_total"] - total) <= 0.005
        ):
            return
        prep.issues.append(
            issue(
                "invalid_value",
                "Total",
                values["amount_total"],
                _(
                    "The source total %(total)s is not quantity x unit price "
                    "(%(lines)s); the invoice has the lines' total.",
                    total=values["amount_total"],
                    lines=total,
                ),
            )
        )

    def _narration(self, values):
        return plaintext2html(
            _(
                "Migrated from %(system)s: status %(status)s, paid %(paid)s%(link)s.",
                system=self.project.system,
                status=values["status"] or "-",
                paid=values["amount_paid"]
                if values["amount_paid"] is not None
                else "-",
                link=_(", payment link %s", values["payment_link"])
                if values["payment_link"]
                else "",
            )
        )

    def _invoice_vals(self, prep, partner_id, journal):
        values = prep.record.values
        lines = self._lines(prep)
        self._check_total(prep)
        vals = {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "journal_id": journal.id,
            "invoice_date": values["invoice_date"],
            "invoice_date_due": values["invoice_date_due"],
            "ref": values["ref"],
            "payment_reference": values["ref"],
            "invoice_line_ids": lines,
            "narration": self._narration(values),
        }
        currency = self.cache.currency(values["currency"])
        if currency:
            vals["currency_id"] = currency
        elif values["currency"]:
            prep.issues.append(
                issue(
                    "invalid_value",
                    "Currency",
                    values["currency"],
                    _(
                        "Currency %(code)s is unknown or not active in Odoo: the "
                        "invoice is in the company's currency; activate it and "
                        "re-run.",
                        code=values["currency"],
                    ),
                )
            )
        prep.vals = vals
        prep.create_only.update(("invoice_line_ids", "move_type", "journal_id"))
