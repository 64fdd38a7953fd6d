"""Quotation and order lines -> ``sale.order.line``: the order by its source id (the
column naming it says which object: "Quote ID", "Order ID"), the product by its
source id, code or name, the quantity, unit price and discount (%)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ._util import number

TARGET = "order_line"
A_ORDER = ("Quote ID", "Order ID", "Quotation ID", "Sale Order ID")


def convert(row, tz="UTC"):
    """A line row -> the line, its order and product unresolved."""
    order_col, order_ref = get(row, A_ORDER)
    if not order_ref:
        raise RowError(order_col or "Order ID", "", "a line needs its order")
    _c, product_ref = get(row, ("Product ID", "Product Id"))
    _c, code = get(row, ("SKU", "Product Code", "Code", "Internal Reference"))
    name_col, name = get(row, ("Product Name", "Product", "Description", "Item"))
    if not (product_ref or code or name):
        raise RowError(name_col or "Product Name", "", "a line needs a product")
    qty = number(row, ("Quantity", "Qty"), "quantity")
    price = number(row, ("Unit Price", "Price", "Rate"), "unit price")
    total = number(row, ("Total", "Line Total", "Amount"), "line total")
    discount = number(row, ("Discount", "Discount (%)", "Discount %"), "discount")
    if price is None and total is not None:
        price = total / (qty or 1)
    return Record(
        TARGET,
        "sale.order.line",
        {
            "order_ref": order_ref,
            "order_column": order_col,
            "product_ref": product_ref or None,
            "product_code": code or None,
            "product_name": name or None,
            "quantity": 1.0 if qty is None else qty,
            "price_unit": price or 0.0,
            "discount": discount or 0.0,
            "total": total,
        },
    )
