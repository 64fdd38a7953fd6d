"""Products -> ``product.product`` (service unless the type says goods)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_text
from ..transform import to_money
from ._util import created_in, read

TARGET = "product"
GOODS_WORDS = ("physical", "goods", "stock", "storable", "consumable")
RECURRING_WORDS = ("recurr", "subscription", "monthly")
A_NAME = ("Product Name", "Name", "Product", "Title")
A_CODE = ("SKU", "Product Code", "Code", "Internal Reference")
A_DESCRIPTION = ("Description", "Details")
A_TYPE = ("Product Type", "Type", "Billing")
A_PRICE = ("Price", "Unit Price", "List Price", "Amount")
A_COST = ("Cost", "Cost Price", "Unit Cost", "Standard Price")
A_ATTRIBUTES = ("Attributes", "Product Attributes")
A_CREATED = ("Created", "Created At")
A_CATEGORY = ("Product Category", "Category", "Product Group")
A_STATUS = ("Status", "Active")
INACTIVE_WORDS = frozenset(
    {"archived", "inactive", "suspended", "discontinued", "no", "false"}
)


def convert(row, tz="UTC", aliases=None):
    """A product row -> the product with its code, prices and description;
    ``aliases`` ({value: alias tuple}) replaces the column spellings of a
    system whose exports name them otherwise."""
    a = {
        "name": A_NAME, "code": A_CODE, "description": A_DESCRIPTION,
        "type": A_TYPE, "price": A_PRICE, "cost": A_COST,
        "attributes": A_ATTRIBUTES, "created": A_CREATED, "category": A_CATEGORY,
        "status": A_STATUS, **(aliases or {}),
    }  # fmt: skip
    col, name = get(row, a["name"])
    if not name:
        raise RowError(col or "Product Name", "", "a product needs a name")
    _c, code = get(row, a["code"])
    _c, description = get(row, a["description"])
    _c, ptype = get(row, a["type"])
    _c, attributes = get(row, a["attributes"])
    _c, category = get(row, a["category"])
    _c, status = get(row, a["status"])
    words = norm_text(ptype)
    return Record(
        "product",
        "product.product",
        {
            "name": name,
            "default_code": code or None,
            "list_price": read(row, a["price"], to_money, "price") or 0.0,
            "standard_price": read(row, a["cost"], to_money, "cost"),
            "description_sale": description or None,
            "attributes": attributes or None,
            "type": "consu" if any(w in words for w in GOODS_WORDS) else "service",
            "recurring": any(w in words for w in RECURRING_WORDS),
            "category": category or None,
            "active": norm_text(status) not in INACTIVE_WORDS,
        },
        created=created_in(row, tz, a["created"]),
    )
