"""Product groups and families -> ``product.category`` (parent by name)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get

TARGET = "product_category"
# how a complete category name separates its levels ("Software / Licenças")
SEPARATOR = " / "


def convert(row, tz="UTC"):
    """A category row -> the category, under its parent category (by name)."""
    col, name = get(
        row, ("Category", "Category Name", "Product Category", "Group", "Name")
    )
    if not name:
        raise RowError(col or "Category", "", "a product category needs a name")
    _c, parent = get(row, ("Parent Category", "Parent", "Family", "Product Family"))
    complete = _complete(name, parent)
    # the source's own full path: what Odoo's complete name must read
    given_col, given = get(row, ("Complete Name", "Full Name", "Category Path"))
    issues = []
    if given and given != complete:
        issues.append(
            (given_col, given, f"the full name differs from parent / name ({complete})")
        )
    return Record(
        TARGET,
        "product.category",
        {"name": name, "parent": parent or None, "complete_name": complete},
        issues=issues,
        homes={given_col: ("complete_name", given)} if given else {},
    )


def _complete(name, parent):
    return f"{parent}{SEPARATOR}{name}" if parent else name
