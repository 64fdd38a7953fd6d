"""Quotations and sales orders -> ``sale.order`` (their lines come as their own rows,
see :mod:`.order_line`): the customer by email or company, the opportunity by its
source id, the state from the row's state or status word, and the source's own
untaxed total, which the loader compares with what Odoo computes from the lines."""

from __future__ import annotations

from ..core.errors import RowError, SkippedRow
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email, norm_text
from ..transform import to_date
from ._util import created_in, number, read
from .defaults import DATE_ORDER

TARGET = "order"
A_NUMBER = (
    "Quote Number",
    "Order Number",
    "Quotation Number",
    "Number",
    "Quote ID",
    "Order ID",
)
STATES = {
    "draft": "draft", "quotation": "draft", "open": "draft", "new": "draft",
    "sent": "sent", "shared": "sent", "quotation sent": "sent",
    "sale": "sale", "confirmed": "sale", "approved": "sale", "won": "sale",
    "accepted": "sale", "invoiced": "sale", "sales order": "sale",
    "cancel": "cancel", "cancelled": "cancel", "canceled": "cancel",
    "rejected": "cancel", "lost": "cancel",
}  # fmt: skip
SUPERSEDED_WORDS = frozenset({"no", "false", "0"})


def convert(row, tz="UTC"):
    """A quote/order row -> the sale order with its references unresolved."""
    col, ref = get(row, A_NUMBER)
    if not ref:
        raise RowError(col or "Number", "", "a quotation or order needs its number")
    _superseded(row, ref)
    email_col, email = get(row, ("Contact Email", "Customer Email", "Email"))
    # the customer's source id: its company's, else its contact's
    cref_col, company_ref = get(
        row, ("Company ID", "Customer ID", "Account ID", "Contact ID", "Person ID")
    )
    _c, company = get(row, ("Company Name", "Company", "Customer"))
    _c, lead_ref = get(row, ("Deal ID", "Opportunity ID", "Opportunity Id"))
    user_col, user = get(row, ("Owner Email", "Salesperson", "Owner", "Sales Rep"))
    _c, title = get(row, ("Title", "Subject", "Name"))
    _c, notes = get(row, ("Notes", "Note", "Terms", "Description"))
    return Record(
        TARGET,
        "sale.order",
        {
            "client_order_ref": ref,
            "title": title or None,
            "date_order": read(row, ("Date", "Order Date", "Quote Date", "Created"),
                               lambda t: _datetime(t, tz)),
            "validity_date": read(row, ("Expiration Date", "Valid Until", "Expires"),
                                  lambda t: to_date(t, order=DATE_ORDER)),
            "state": _state(row),
            "note": notes or None,
            "amount": number(row, ("Lines Total", "Amount", "Total", "Amount Untaxed"),
                             "total"),
        },
        contact_ref=company_ref or None,
        contact_email=norm_email(email) or None,
        company_name=company or None,
        lead_ref=lead_ref or None,
        user=user or None,
        created=created_in(row, tz),
        columns={"contact_email": email_col, "contact_ref": cref_col, "user": user_col},
    )  # fmt: skip


def _datetime(text, tz):
    from ..transform import to_datetime

    return to_datetime(text, order=DATE_ORDER, tz=tz or "UTC")


def _state(row):
    _c, state = get(row, ("State", "Status", "Stage", "Approval Status"))
    return STATES.get(norm_text(state), "draft" if not state else "sale")


def _superseded(row, ref):
    """A quote review that a later review replaced is not a quotation of its own."""
    col, last = get(row, ("Last Review", "Latest Version", "Is Latest"))
    if last and norm_text(last) in SUPERSEDED_WORDS:
        _c, review = get(row, ("Review Number", "Version", "Revision"))
        raise SkippedRow(
            col,
            last,
            f"quotation {ref} review {review or '?'} was replaced by a later review: "
            "only the last review becomes a quotation",
        )
