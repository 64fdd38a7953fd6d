"""Products -> ``product.product`` (service unless the type says goods)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_text
from ..transform import to_money
from ._util import created_in, homes_of, read_at

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
    code_col, code = get(row, a["code"])
    description_col, description = get(row, a["description"])
    type_col, ptype = get(row, a["type"])
    _c, attributes = get(row, a["attributes"])
    category_col, category = get(row, a["category"])
    status_col, status = get(row, a["status"])
    price_col, price = read_at(row, a["price"], to_money, "price")
    cost_col, cost = read_at(row, a["cost"], to_money, "cost")
    words = norm_text(ptype)
    product_type = "consu" if any(w in words for w in GOODS_WORDS) else "service"
    active = norm_text(status) not in INACTIVE_WORDS
    # where each value read lands (the cell check reads the product back)
    homes = {
        col: ("name", name), code_col: ("default_code", code),
        description_col: ("description_sale", description),
        type_col: ("type", product_type), category_col: ("categ_id", category),
        status_col: ("active", active if status else None),
        price_col: ("list_price", price), cost_col: ("standard_price", cost),
    }  # fmt: skip
    return Record(
        "product",
        "product.product",
        {
            "name": name,
            "default_code": code or None,
            "list_price": price or 0.0,
            "standard_price": cost,
            "description_sale": description or None,
            "attributes": attributes or None,
            "type": product_type,
            "recurring": any(w in words for w in RECURRING_WORDS),
            "category": category or None,
            "active": active,
        },
        created=created_in(row, tz, a["created"]),
        # the column a "recurring" review item names, as the export spells it
        columns={"recurring": type_col} if type_col else {},
        homes=homes_of(homes),
    )
