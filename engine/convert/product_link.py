"""Links between leads and products (who ordered or was offered what) ->
the lead's products (a many2many from crm.lead to product.product)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email

TARGET = "product_link"
A_LEAD = ("Lead ID", "Recipient ID", "Opportunity ID", "Deal ID", "Record ID")
A_EMAIL = ("Email", "Recipient Email", "Lead Email", "Contact Email", "E-mail")
A_PRODUCT = ("Product ID", "Product Code", "SKU", "Code", "Internal Reference")
A_PRODUCT_NAME = ("Product Name", "Product")


def convert(row, tz="UTC"):
    """A link row -> the lead it names (id, else email) and the product it
    names (id or code, else name)."""
    lead_col, lead_ref = get(row, A_LEAD)
    email_col, email = get(row, A_EMAIL)
    if not lead_ref and not email:
        raise RowError(lead_col or "Lead ID", "", "the link names no lead")
    product_col, code = get(row, A_PRODUCT)
    name_col, name = get(row, A_PRODUCT_NAME)
    if not code and not name:
        raise RowError(product_col or "Product ID", "", "the link names no product")
    return Record(
        "product_link",
        "crm.lead",
        {"product_code": code or None, "product_name": name or None},
        lead_ref=lead_ref or None,
        contact_email=norm_email(email) or None,
        columns={
            "lead_ref": lead_col or "Lead ID",
            "contact_email": email_col or "Email",
            "product": (product_col if code else name_col) or "Product ID",
        },
    )
