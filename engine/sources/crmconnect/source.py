"""The crmConnect source: its kinds, identities, value rules and readiness inventory."""

from __future__ import annotations

from typing import Any

from ...propose import (
    ObjectProposal,
)
from ..base import WORKFLOWS_REBUILD, not_migrated_item, register
from ..generic import GenericSource
from .files import KINDS, _name_kind, file_kind, file_order, object_hint

# ------------------------------------------------------------------------ source


@register
class CrmConnectSource(GenericSource):
    """crmConnect: a folder, zip or list of its CSV exports (read like generic files),
    returned in dependency order."""

    # its rows carry the ids of their contact and opportunity: the generic
    # lookups (ids, emails), not the name links of id-less exports
    links = ()

    system = "crmconnect"
    label = "crmConnect (CSV exports)"
    not_migrated = (
        not_migrated_item(
            "Automations and workflows",
            "crmConnect has no API and its CSV exports hold no automation logic.",
            WORKFLOWS_REBUILD,
        ),
        not_migrated_item(
            "Email sequences",
            "Sequences are automation, not records; only the sent emails' history "
            "is exported.",
            "Email templates (mail.template) with Automation Rules, or Marketing "
            "Automation",
        ),
        not_migrated_item(
            "Email templates",
            "Templates are not exported as templates.",
            "Email templates (mail.template), from the documented structure",
        ),
        not_migrated_item(
            "Landing page content",
            "Pages are content of the hosted site, not CSV data.",
            "Website builder pages and forms (website, website_crm)",
        ),
        not_migrated_item(
            "Membership portal and course structure",
            "No Odoo CRM equivalent; only enrolment facts are data.",
            "eLearning (website_slides) courses, or a custom model",
        ),
        not_migrated_item(
            "Recurring task patterns",
            "The recurrence rule is not in the task export; each task arrives once.",
            "Recurring tasks in Project (recurrence on project.task)",
        ),
        not_migrated_item(
            "Text-to-pay links",
            "Payment links belong to crmConnect's payment provider.",
            "Payment providers (Stripe, PayPal...) and payment links on invoices",
        ),
    )

    def tables(self, path_or_files: Any) -> list:
        return file_order(super().tables(path_or_files))

    def file_kind(self, table) -> str | None:
        return file_kind(table)

    def object_hint(self, table) -> str | None:
        """The object the table loads (see :data:`KINDS`); for a file that is no known
        crmConnect export, the generic hint (company, contact, lead or None)."""
        hint = object_hint(table)
        return hint if hint is not None else super().object_hint(table)

    def object_proposal(self, table, columns=None):
        """Contacts, companies and opportunities: that target, confidence 0.95. Other
        known exports are loaded by the crmConnect steps (teams and stages, events,
        messages and activities, custom object, products, invoices), not through a field
        map: their proposal is the generic one with a confidence of at most 0.3 and a
        reason that says so."""
        kind = file_kind(table)
        if kind and KINDS[kind].target:
            target = KINDS[kind].target
            by_name = _name_kind(table.name) == kind
            how = "file name" if by_name else "headers"
            return ObjectProposal(
                target,
                0.95,
                f"crmConnect {kind} export (recognised by its {how})",
                [],
            )
        proposal = super().object_proposal(table, columns)
        if kind:
            # a known export: its kind decides (memberships are custom objects
            # by their kind, see object_hint), not the generic row reading
            proposal.custom_object, proposal.link_column = False, None
            proposal.confidence = min(proposal.confidence, 0.3)
            proposal.reason = (
                f"crmConnect {kind} export: loaded as {KINDS[kind].object} by the "
                f"crmConnect steps, not through a field map; {proposal.reason}"
            )
        return proposal
