"""Ploomes tables: their names, their columns and the small cell helpers they share.

Column names follow the spellings the other sources use ("Email", "Phone", "Company
Name", "Owner Email", "Stage", "Pipeline"...), so the shared proposer maps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import rules

OBJECT_HINTS = {
    "users": "user",
    "teams": "team",
    "stages": "stage",
    "lost_reasons": "lost_reason",
    "tags": "tag",
    "product_categories": "product_category",
    "products": "product",
    "companies": "company",
    "people": "contact",
    "deals": "lead",
    "quotes": "order",
    "quote_lines": "order_line",
    "orders": "order",
    "order_lines": "order_line",
    "tasks": "activity",
}
TABLE_ORDER = tuple(OBJECT_HINTS)
COMPANY_TYPE_ID = 1  # Contacts.TypeId: 1 company, 2 person

# the standard columns of each table, in order (custom fields follow, by name)
COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("User ID", "Name", "Email", "Status"),
    "teams": ("Pipeline ID", "Pipeline Name", "Pipeline Order", "Archived"),
    "stages": ("Stage ID", "Stage Name", "Pipeline ID", "Pipeline Name", "Stage Order"),
    "lost_reasons": ("Lost Reason ID", "Lost Reason", "Pipeline Name"),
    "tags": ("Tag ID", "Tag Name", "Used On"),
    "product_categories": ("Group ID", "Category", "Parent Category", "Complete Name"),
    "products": (
        "Product ID",
        "Product Name",
        "SKU",
        "Unit Price",
        "Product Category",
        "Unit of Measure",
        "Status",
        "Created",
        "Last Updated",
    ),
    "companies": (
        "Company ID",
        "Name",
        "Legal Name",
        "CNPJ",
        "Tax ID Problem",
        "Email",
        "Phone",
        "Mobile",
        "Other Phones",
        "Website",
        "Street",
        "Street 2",
        "City",
        "State",
        "Zip",
        "Country",
        "Tags",
        "Owner Email",
        "Notes",
        "Created",
        "Last Updated",
    ),
    "people": (
        "Contact ID",
        "Name",
        "Email",
        "Phone",
        "Mobile",
        "Other Phones",
        "Job Title",
        "CPF",
        "Tax ID Problem",
        "Parent Company ID",
        "Company Name",
        "Birthday",
        "Street",
        "Street 2",
        "City",
        "State",
        "Zip",
        "Country",
        "Tags",
        "Owner Email",
        "Notes",
        "Created",
        "Last Updated",
    ),
    "deals": (
        "Deal ID",
        "Deal Number",
        "Title",
        "Pipeline",
        "Stage",
        "Status",
        "Lost Reason",
        "Amount",
        "Company ID",
        "Company Name",
        "Contact ID",
        "Contact Name",
        "Contact Email",
        "Owner Email",
        "Tags",
        "Created",
        "Closed Date",
        "Last Updated",
    ),
    "quotes": (
        "Quote ID",
        "Quote Number",
        "Review Number",
        "Last Review",
        "Title",
        "Date",
        "Expiration Date",
        "Approval Status",
        "State",
        "Deal ID",
        "Company ID",
        "Company Name",
        "Contact ID",
        "Contact Email",
        "Owner Email",
        "Amount",
        "Discount",
        "Discount Type",
        "Lines Total",
        "Notes",
        "Created",
        "Last Updated",
    ),
    "quote_lines": (
        "Line ID",
        "Quote ID",
        "Quote Number",
        "Last Review",
        "Section",
        "Product ID",
        "Product Name",
        "SKU",
        "Quantity",
        "Unit Price",
        "Discount",
        "Total",
    ),
    "orders": (
        "Order ID",
        "Order Number",
        "Date",
        "Stage",
        "Deal ID",
        "Origin Quote ID",
        "Company ID",
        "Company Name",
        "Contact ID",
        "Contact Email",
        "Owner Email",
        "Amount",
        "Discount",
        "Discount Type",
        "Lines Total",
        "Notes",
        "Created",
        "Last Updated",
    ),
    "order_lines": (
        "Line ID",
        "Order ID",
        "Order Number",
        "Section",
        "Product ID",
        "Product Name",
        "SKU",
        "Quantity",
        "Unit Price",
        "Discount",
        "Total",
    ),
    "tasks": (
        "Task ID",
        "Title",
        "Type",
        "Task Type",
        "Description",
        "Due Date",
        "Date",
        "Status",
        "Completed",
        "Completed On",
        "Deal ID",
        "Contact ID",
        "Contact Email",
        "Assigned To",
        "Assignees",
        "Creator Email",
        "Tags",
        "Created",
    ),
}
# the entity whose OtherProperties become a table's custom columns
TOTAL_TOLERANCE = 0.01  # money compared to the cent


def _id(value: Any) -> int | str | None:
    if value in (None, "", 0):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _name(value: Any) -> str:
    if isinstance(value, Mapping):
        return rules.text(value.get("Name"))
    return ""


def _money(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return rules.text(value)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _zip(value: Any) -> str:
    """A CEP as ``01310-100`` (Ploomes may return it as a number without the leading
    zero); other postal codes as written."""
    raw = rules.text(value)
    digits = re.sub(r"\D", "", raw)
    if digits and len(digits) <= 8 and (raw.isdigit() or len(digits) == 8):
        digits = digits.zfill(8)
        return f"{digits[:5]}-{digits[5:]}"
    return raw
