"""XMPie (uProduce / Circle): recipient tables, campaigns, products and owners.

A skeleton of the XMPie source: its recipient tables are recognised and become
leads (``crm.lead`` of type lead), as XMPie has no leads or deals of its own;
campaigns, products and users load through the generic rules (tags, products,
users). Segments, print assets, the recipient-product links and campaign fields
on each lead are still to come (issue "CRM.io and XMPie migrate end to end").
"""

from __future__ import annotations

import re

from ..propose import ObjectProposal
from .base import register
from .generic import GenericSource

# a recipient table's key column, as XMPie spells it in its data sources
RECIPIENT_KEYS = frozenset({"recipientid", "recipient id", "recipient_id", "rid"})


def is_recipient_table(table) -> bool:
    """True for a recipient list: a RecipientID column, or a file named so."""
    headers = {str(h).strip().lower() for h in getattr(table, "headers", ()) or ()}
    named = re.search(r"recipient", str(getattr(table, "name", "")), re.I)
    return bool(headers & RECIPIENT_KEYS or named)


@register
class XmpieSource(GenericSource):
    system = "xmpie"
    label = "XMPie (recipient tables and campaign exports)"

    def object_hint(self, table) -> str | None:
        return "lead" if is_recipient_table(table) else super().object_hint(table)

    def object_proposal(self, table, columns=None):
        if is_recipient_table(table):
            return ObjectProposal(
                "lead",
                0.9,
                "XMPie recipient table: recipients become leads (XMPie has no "
                "leads or deals of its own)",
                [],
            )
        return super().object_proposal(table, columns)
