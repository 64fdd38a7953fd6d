"""Invoices -> ``account.move`` (customer invoice with one line per row)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email, norm_text
from ..transform import to_date
from ._util import number, read
from .defaults import DATE_ORDER

TARGET = "invoice"


def convert(row, tz="UTC"):
    """An invoice row -> the invoice, its customer by email or company name."""
    col, ref = get(row, ("Invoice Number", "Invoice ID", "Invoice No", "Number"))
    if not ref:
        raise RowError(col or "Invoice Number", "", "an invoice needs its number")
    email_col, email = get(row, ("Contact Email", "Email", "Customer Email"))
    _c, company = get(row, ("Company Name", "Company", "Business Name"))
    _c, currency = get(row, ("Currency",))
    _c, status = get(row, ("Status", "Payment Status"))
    _c, link = get(row, ("Payment Link", "Link", "URL"))
    invoice_date = _date(row, ("Invoice Date", "Date", "Issued On"))
    due = _date(row, ("Due Date", "Due"))
    line, total = _line(row)
    return Record(
        "invoice",
        "account.move",
        {
            "ref": ref,
            "invoice_date": invoice_date,
            "invoice_date_due": due,
            "currency": (currency or "").upper() or None,
            "lines": [line],
            "amount_total": total,
            "amount_paid": number(row, ("Amount Paid", "Paid"), "amount paid"),
            "status": norm_text(status) or None,
            "payment_link": link or None,
        },
        contact_email=norm_email(email) or None,
        company_name=company or None,
        columns={"contact_email": email_col},
    )


def _date(row, aliases):
    return read(row, aliases, lambda text: to_date(text, order=DATE_ORDER))


def _line(row):
    """The invoice line and the total, read in the order a person checks them."""
    _c, product = get(row, ("Product", "Product Name", "Item", "Description"))
    qty = number(row, ("Quantity", "Qty"), "quantity")
    price = number(row, ("Unit Price", "Price", "Rate"), "unit price")
    total = number(row, ("Total", "Amount", "Amount Total"), "total")
    if price is None and total is not None:
        price = total / (qty or 1)
    line = {
        "product": product or None,
        "quantity": qty or 1.0,
        "price_unit": price or 0.0,
    }
    return line, total
