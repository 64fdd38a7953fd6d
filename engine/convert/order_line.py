"""Quotation and order lines -> ``sale.order.line``: the order by its source id (the
column naming it says which object: "Quote ID", "Order ID"), the product by its
source id, code or name, the quantity, unit price and discount (%)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..transform import to_money
from ._util import number, read_at
from .order import superseded_line

TARGET = "order_line"
A_ORDER = ("Quote ID", "Order ID", "Quotation ID", "Sale Order ID")
# the number of the line's order, beside its id: checked against the order found
A_ORDER_NUMBER = ("Quote Number", "Order Number", "Quotation Number")
# the section of its order the line is in (a code or a title): sections become
# Odoo's section lines when an order has more than one
A_SECTION = ("Section", "Section Name", "Section Title", "Group")


def convert(row, tz="UTC"):
    """A line row -> the line, its order and product unresolved."""
    order_col, order_ref = get(row, A_ORDER)
    if not order_ref:
        raise RowError(order_col or "Order ID", "", "a line needs its order")
    number_col, order_number = get(row, A_ORDER_NUMBER)
    superseded_line(row, order_number or order_ref)
    section_col, section = get(row, A_SECTION)
    _c, product_ref = get(row, ("Product ID", "Product Id"))
    _c, code = get(row, ("SKU", "Product Code", "Code", "Internal Reference"))
    name_col, name = get(row, ("Product Name", "Product", "Description", "Item"))
    if not (product_ref or code or name):
        raise RowError(name_col or "Product Name", "", "a line needs a product")
    qty_col, qty = read_at(row, ("Quantity", "Qty"), to_money, "quantity")
    price_col, price = read_at(
        row, ("Unit Price", "Price", "Rate"), to_money, "unit price"
    )
    total = number(row, ("Total", "Line Total", "Amount"), "line total")
    disc_col, discount = read_at(
        row, ("Discount", "Discount (%)", "Discount %"), to_money, "discount"
    )
    if price is None and total is not None:
        price, price_col = total / (qty or 1), None
    homes = {
        qty_col: ("product_uom_qty", qty), price_col: ("price_unit", price),
        disc_col: ("discount", discount), name_col: ("name", name),
    }  # fmt: skip
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
            "order_number": order_number or None,
            "section": section or None,
        },
        columns={"order_number": number_col, "section": section_col},
        homes={c: h for c, h in homes.items() if c and h[1] not in (None, "")},
    )
