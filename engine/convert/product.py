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


def convert(row, tz="UTC"):
    """A product row -> the product with its code, price and description."""
    col, name = get(row, ("Product Name", "Name", "Product", "Title"))
    if not name:
        raise RowError(col or "Product Name", "", "a product needs a name")
    _c, code = get(row, ("SKU", "Product Code", "Code", "Internal Reference"))
    _c, description = get(row, ("Description", "Details"))
    _c, ptype = get(row, ("Product Type", "Type", "Billing"))
    words = norm_text(ptype)
    return Record(
        "product",
        "product.product",
        {
            "name": name,
            "default_code": code or None,
            "list_price": _price(row),
            "description_sale": description or None,
            "type": "consu" if any(w in words for w in GOODS_WORDS) else "service",
            "recurring": any(w in words for w in RECURRING_WORDS),
        },
        created=created_in(row, tz, ("Created", "Created At")),
    )


def _price(row) -> float:
    return read(row, ("Price", "Unit Price", "List Price", "Amount"), to_money) or 0.0
