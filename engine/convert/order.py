"""Quotations and sales orders -> ``sale.order`` (their lines come as their own rows,
see :mod:`.order_line`): the customer by email or company, the opportunity by its
source id, the state from the row's state or status word, and the source's own
untaxed total, which the loader compares with what Odoo computes from the lines."""

from __future__ import annotations

from ..core.errors import RowError, SkippedRow
from ..core.record import Record
from ..core.roles import Role
from ..core.rows import get
from ..core.text import norm_email, norm_text
from ..transform import TransformError, to_date, to_int, to_money
from ._util import created_in, read_at, updated_in
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
# the customer: its company's source id, else its contact's; the contact named
# beside a company is the person at that customer the order is for
A_COMPANY = ("Company ID", "Customer ID", "Account ID")
A_PERSON = ("Contact ID", "Person ID")
A_REVIEW = ("Review Number", "Version", "Revision")
# whether a quote row (or its line) is the last review of its quote: an earlier
# review is not migrated (its row is skipped by that rule, never reviewed)
A_LAST_REVIEW = ("Last Review", "Latest Version", "Is Latest")
# the source's own untaxed total, and the sum of its lines a source computed
A_AMOUNT = ("Amount", "Total", "Amount Untaxed")
A_LINES_TOTAL = ("Lines Total",)
# the order's own discount on its lines' total, and what it is: "percent" (the
# default), a fixed "amount", or "included" (its lines' discounts carry it)
A_DISCOUNT = ("Discount", "Discount (%)", "Discount %")
A_DISCOUNT_TYPE = Role(("Discount Type",), "text", "Discount type")
DISCOUNT_TYPES = {
    "percent": "percent", "percentage": "percent", "%": "percent",
    "amount": "amount", "fixed": "amount", "fixed amount": "amount",
    "included": "included", "in lines": "included",
}  # fmt: skip


def convert(row, tz="UTC"):
    """A quote/order row -> the sale order with its references unresolved."""
    col, ref = get(row, A_NUMBER)
    if not ref:
        raise RowError(col or "Number", "", "a quotation or order needs its number")
    email_col, email = get(row, ("Contact Email", "Customer Email", "Email"))
    company_col, company_ref = get(row, A_COMPANY)
    person_col, person_ref = get(row, A_PERSON)
    _c, company = get(row, ("Company Name", "Company", "Customer"))
    _c, lead_ref = get(row, ("Deal ID", "Opportunity ID", "Opportunity Id"))
    user_col, user = get(row, ("Owner Email", "Salesperson", "Owner", "Sales Rep"))
    title_col, title = get(row, ("Title", "Subject", "Name"))
    notes_col, notes = get(row, ("Notes", "Note", "Terms", "Description"))
    date_col, date_order = read_at(
        row,
        ("Date", "Order Date", "Quote Date", "Created"),
        lambda t: _datetime(t, tz),
        "date",
    )
    valid_col, validity = read_at(
        row,
        ("Expiration Date", "Valid Until", "Expires"),
        lambda t: to_date(t, order=DATE_ORDER),
        "expiration date",
    )
    issues = []
    review_col, review = get(row, A_REVIEW)
    try:
        review = to_int(review)
    except TransformError as exc:  # a version the number field cannot hold
        issues.append((review_col, review, f"review number: {exc}"))
        review = None
    amount_col, amount = read_at(row, A_AMOUNT, to_money, "total")
    lines_col, lines_total = read_at(row, A_LINES_TOTAL, to_money, "lines total")
    if amount is None:
        amount_col, amount = lines_col, lines_total
    discount = _discount(row, issues)
    # after every read: a superseded review's row still says what it holds
    _superseded(row, ref)
    homes = {
        col: ("client_order_ref", ref), title_col: ("origin", title),
        notes_col: ("note", notes), date_col: ("date_order", date_order),
        valid_col: ("validity_date", validity), amount_col: ("amount_untaxed", amount),
        review_col: ("x_review_number", review),
    }  # fmt: skip
    return Record(
        TARGET,
        "sale.order",
        {
            "client_order_ref": ref,
            "title": title or None,
            "date_order": date_order,
            "validity_date": validity,
            "state": _state(row),
            "note": notes or None,
            "amount": amount,
            "discount": discount,
            "review": review,
            "person_ref": person_ref if company_ref else None,
        },
        contact_ref=company_ref or person_ref or None,
        contact_email=norm_email(email) or None,
        company_name=company or None,
        lead_ref=lead_ref or None,
        user=user or None,
        created=created_in(row, tz),
        updated=updated_in(row, tz),
        columns={
            "contact_email": email_col,
            "contact_ref": company_col if company_ref else person_col,
            "person_ref": person_col,
            "user": user_col,
            "amount": amount_col,
        },
        issues=issues,
        homes={c: h for c, h in homes.items() if c and h[1] not in (None, "")},
    )  # fmt: skip


def _discount(row, issues):
    """``(kind, value)`` of the order's own discount to add as a discount line
    ("percent" of its lines, or a fixed "amount"), or None (none, or one its
    lines already carry)."""
    col, value = read_at(row, A_DISCOUNT, to_money, "discount")
    type_col, kind = get(row, A_DISCOUNT_TYPE)
    if not value:
        return None
    kind_of = DISCOUNT_TYPES.get(norm_text(kind)) if kind else "percent"
    if kind_of is None:
        issues.append(
            (type_col, kind, "discount type: percent, amount or included expected")
        )
        return None
    if kind_of == "percent" and not 0 < value <= 100:
        issues.append((col, value, "a discount percentage is between 0 and 100"))
        return None
    return None if kind_of == "included" else (kind_of, value)


def _datetime(text, tz):
    from ..transform import to_datetime

    return to_datetime(text, order=DATE_ORDER, tz=tz or "UTC")


def _state(row):
    _c, state = get(row, ("State", "Status", "Stage", "Approval Status"))
    return STATES.get(norm_text(state), "draft" if not state else "sale")


def _superseded(row, ref):
    """A quote review that a later review replaced is not a quotation of its own."""
    col, last = get(row, A_LAST_REVIEW)
    if last and norm_text(last) in SUPERSEDED_WORDS:
        _c, review = get(row, A_REVIEW)
        raise SkippedRow(
            col,
            last,
            f"quotation {ref} review {review or '?'} was replaced by a later review: "
            "only the last review becomes a quotation",
        )


def superseded_line(row, ref):
    """A line of a quote review that a later review replaced: not migrated, as
    its review is not (the last review's own lines are its quotation's)."""
    col, last = get(row, A_LAST_REVIEW)
    if last and norm_text(last) in SUPERSEDED_WORDS:
        raise SkippedRow(
            col,
            last,
            f"a line of quotation {ref}'s review that a later review replaced: "
            "only the last review's lines are migrated",
        )
