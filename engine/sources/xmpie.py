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
from .base import WORKFLOWS_REBUILD, not_migrated_item, register
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
    not_migrated = (
        not_migrated_item(
            "Workflow and automation logic",
            "XMPie logic is not CRM data; it is exported as a JSON reference only.",
            WORKFLOWS_REBUILD,
        ),
        not_migrated_item(
            "Audience segment rules",
            "Segment names become tags; the filter rules (field-based inclusions) "
            "do not run in Odoo.",
            "Saved filters on leads, or Email Marketing mailing lists with a domain",
        ),
        not_migrated_item(
            "Print asset layouts and variable-data definitions",
            "Asset type and layout data cannot be recreated in Odoo; the files "
            "arrive as attachments.",
            "Nothing in Odoo CRM: keep XMPie (or a print tool) for layouts",
        ),
        not_migrated_item(
            "uStore delivery and pricing, 3D products, uEdit settings",
            "Excluded from XMPie's product exports.",
            "Product pricelists and delivery methods, set by hand",
        ),
        not_migrated_item(
            "Campaign schedules",
            "Campaigns are a grouping, not a record: their name and dates land on "
            "the leads, the schedule does not.",
            "Email Marketing campaigns or UTM campaigns (utm.campaign)",
        ),
    )

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
