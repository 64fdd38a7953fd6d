"""XMPie (uProduce / Circle): recipient tables and the campaign's exports.

XMPie has no leads or deals: its recipients (the rows of a campaign's data
source, often cp1252 CSV from a Windows server, column names as ADORs:
``RecipientID``, ``FirstName``...) become leads. The other exports of a
campaign are declared here as file kinds, each loaded by a shared rule:

* recipients -> ``crm.lead`` of type lead (field maps; custom and ADOR columns
  become typed x_ fields); the company text becomes a company partner (found
  by its normalised name, or created) as the customer; a recipient without an
  email is loaded and flagged; recipients sharing an email are one lead;
* campaigns -> ``crm.team`` (the campaign's team); each recipient takes its
  campaign (UTM campaign), the campaign's start and end dates, its team and,
  when it has none of its own, the campaign's owner (:class:`Lookup`);
* products -> ``product.product`` (code, list price, cost, the variable-data
  attributes as text); recipient-product links -> the lead's products;
* print assets (proofs, PDFs) -> ``ir.attachment`` on the recipient's lead;
* segments (name + rule) -> ``crm.tag`` on the leads the rule selects; a
  compound rule is kept as JSON and flagged (engine.segments).

XMPie's API is not used: the public page of the uProduce REST API
(help.xmpie.com, DeveloperHub > uProduce REST API) describes only its
structure (one controller per entity, parents, list filters, custom user
data); the endpoints and models are documented on each licensed server
(``/XMPieRestApi/``), not publicly, so their shape cannot be confirmed. The
migration reads the exports above (data sources as CSV, plans as JSON).
Workflows and automation do not migrate: the readiness inventory lists them
with what to rebuild in Odoo.
"""

from __future__ import annotations

import re

from ..convert import product as product_rule
from ..convert._util import read
from ..convert.attachment import (
    A_EMAIL,
    A_SIZE,
    A_UPLOADED,
    attachment_record,
    file_name,
    parse_size,
    split_location,
)
from ..convert.defaults import DATE_ORDER
from ..convert.team import convert as team_rule
from ..core.errors import RowError
from ..core.rows import find, get
from ..core.text import norm_email
from ..lookup import Lookup
from ..propose import ObjectProposal
from ..transform import to_date
from .base import WORKFLOWS_REBUILD, not_migrated_item, register
from .generic import GenericSource, is_user_list
from .kinds import Kind, Kinds

A_RECIPIENT = ("RecipientID", "Recipient ID", "Recipient", "RID")
A_CAMPAIGN_REF = ("CampaignID", "Campaign ID", "CampaignName", "Campaign Name",
                  "Campaign")  # fmt: skip
A_TEAM = ("Team", "TeamName", "Campaign Team", "Sales Team")
A_ASSET_NAME = ("AssetName", "Asset Name", "FileName", "File Name", "Asset",
                "Document", "Name")  # fmt: skip
A_ASSET_URL = ("URL", "AssetURL", "Asset URL", "Link", "Download URL", "File URL")
A_ASSET_PATH = ("Path", "AssetPath", "Asset Path", "FilePath", "File Path",
                "Local Path")  # fmt: skip
WEB = re.compile(r"^\s*https?://\S+\s*$", re.I)
A_ATTRIBUTES = ("VariableData", "Variable Data", "Variable Data Attributes",
                "VDP Attributes", "ADORs", "Attributes", "Variables")  # fmt: skip

FILE_KINDS = Kinds(
    {
        "recipients": Kind(
            "lead", "lead", ("recipients", "recipient", "audience", "datasource"),
            ("RecipientID", "FirstName", "LastName", "Email", "Company", "JobTitle",
             "Address1", "Zip"),
        ),
        "campaigns": Kind(
            "team", None, ("campaigns", "campaign"),
            ("CampaignID", "CampaignName", "StartDate", "EndDate", "Team", "Owner",
             "CampaignType"),
        ),
        "products": Kind(
            "product", None, ("products", "product", "catalog"),
            ("ProductID", "ProductCode", "ProductName", "ListPrice", "Cost",
             "VariableData"),
        ),
        "links": Kind(
            "product_link", None,
            ("links", "link", "associations", "orders", "purchases", "ordered"),
            ("RecipientID", "ProductID", "ProductCode", "Quantity", "OrderedOn"),
        ),
        "assets": Kind(
            "attachment", None, ("assets", "asset", "proofs", "documents", "files"),
            ("AssetID", "AssetName", "AssetType", "FileName", "URL", "Path"),
        ),
        "segments": Kind(
            "segment", None, ("segments", "segment", "audiences"),
            ("SegmentName", "Segment", "Rule", "Criteria", "Filter"),
        ),
        "workflows": Kind(
            "workflow", None, ("workflows", "workflow", "automations", "automation",
                               "triggers"),
            ("WorkflowName", "Workflow", "Trigger", "Action", "Steps", "Schedule"),
        ),
    }
)  # fmt: skip

CAMPAIGN = Lookup(
    target="lead",
    kind="campaigns",
    ref=A_CAMPAIGN_REF,
    keys=("CampaignID", "Campaign ID", "CampaignName", "Campaign Name", "Name"),
    values={
        "campaign_id": ("CampaignName", "Campaign Name", "Name"),
        "x_campaign_start": ("StartDate", "Start Date", "Campaign Start", "Start"),
        "x_campaign_end": ("EndDate", "End Date", "Campaign End", "End"),
        "team_id": A_TEAM,
        "user_id": ("Owner", "OwnerEmail", "Owner Email", "Campaign Owner",
                    "Manager"),
    },
)  # fmt: skip


def campaign_team(row, tz="UTC"):
    """A campaign row -> its sales team. A campaign without one is reviewed (its
    recipients keep the project's default team) with the same column, value and
    reason as every other one, so the review queue shows one item with its rows
    (the campaigns), not one item per campaign."""
    col, _team = get(row, A_TEAM)
    if col is None:
        raise RowError(
            A_TEAM[0],
            "",
            "the campaigns file has no team column: the recipients of its "
            "campaigns keep the default sales team",
        )
    try:
        return team_rule(row, tz, aliases=A_TEAM)
    except RowError:
        raise RowError(
            col,
            "",
            "a campaign names no team: its recipients keep the default sales team",
        ) from None


def product(row, tz="UTC"):
    """A product row; XMPie names the code ProductCode (else the ProductID)."""
    return product_rule.convert(
        row,
        tz,
        aliases={
            "code": ("ProductCode", "Product Code", "SKU", "Code", "ProductID"),
            "attributes": A_ATTRIBUTES,
        },
    )


def asset(row, tz="UTC"):
    """A print asset row -> an attachment on the lead of its recipient: its
    URL, else its file (a path in the export folder), else its metadata only,
    the file waiting for upload (a path on the XMPie server is not a file of
    the export)."""
    _c, url = get(row, A_ASSET_URL)
    _c, path = get(row, A_ASSET_PATH)
    url, path = split_location(url, path)
    if not url:
        # a web address in a column of another name (a preview or download
        # link): the file is there, whatever the header says
        url = next((v.strip() for v in map(str, row.values()) if WEB.match(v)), "")
    col, name = get(row, A_ASSET_NAME)
    if not (url or path or name):
        raise RowError(col or "AssetName", "", "a print asset needs a name or a file")
    size = read(row, A_SIZE, parse_size, "file size")
    uploaded = read(row, A_UPLOADED, lambda v: to_date(v, order=DATE_ORDER))
    _c, email = get(row, A_EMAIL)
    record = attachment_record(
        file_name(name, url, path), url, path, size, uploaded, None,
        norm_email(email) or None,
    )  # fmt: skip
    record.values["pending"] = not url
    column, ref = get(row, A_RECIPIENT)
    record.lead_ref = ref or None
    record.columns["lead_ref"] = column or "RecipientID"
    return record


def is_recipient_table(table) -> bool:
    """True for a recipient list: its headers say so, else a RecipientID
    column or a file named so (and headers of no other export)."""
    headers = tuple(getattr(table, "headers", ()) or ())
    kind = FILE_KINDS.by_headers(headers)
    if kind:
        return kind == "recipients"
    named = re.search(r"recipient", str(getattr(table, "name", "")), re.I)
    return bool(named or find(headers, A_RECIPIENT))


@register
class XmpieSource(GenericSource):
    system = "xmpie"
    label = "XMPie (recipient tables and campaign exports)"
    file_kinds = FILE_KINDS
    converters = {"team": campaign_team, "product": product, "attachment": asset}
    dedupe_by_email = frozenset({"contact", "lead"})
    flag_missing = {
        "lead": (
            (
                "email_from",
                "A recipient without an email: loaded, but nothing can be sent "
                "to it and duplicates cannot be found; add its email.",
            ),
        )
    }
    lead_company_partner = True
    lookups = (CAMPAIGN,)
    unlinked_attachments = True  # a campaign's templates name no recipient
    custom_fields = {
        "lead": (
            (None, "x_campaign_start", "date", "Campaign Start"),
            (None, "x_campaign_end", "date", "Campaign End"),
        ),
        "product": (("attributes", "x_variable_data", "text", A_ATTRIBUTES),),
    }
    not_migrated = (
        not_migrated_item(
            "Workflow and automation logic",
            "XMPie logic is not CRM data; it is exported as a JSON reference only.",
            WORKFLOWS_REBUILD,
        ),
        not_migrated_item(
            "Compound audience segment rules",
            "Segment names become tags and a 'field equals value' rule is applied "
            "to the leads; compound rules are kept as JSON in the review queue.",
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

    def file_kind(self, table) -> str | None:
        """The export ``table`` is: by its headers first (``recipient_products``
        is a links file, whatever its name says), else by its name."""
        if is_user_list(table):
            return None
        by_headers = FILE_KINDS.by_headers(getattr(table, "headers", ()) or ())
        return by_headers or FILE_KINDS.of(table)

    def object_hint(self, table) -> str | None:
        if is_user_list(table):
            return "user"
        kind = self.file_kind(table)
        if kind:
            return FILE_KINDS[kind].object
        return "lead" if is_recipient_table(table) else super().object_hint(table)

    def object_proposal(self, table, columns=None):
        kind = self.file_kind(table)
        if kind == "recipients" or (kind is None and is_recipient_table(table)):
            return ObjectProposal(
                "lead",
                0.9,
                "XMPie recipient table: recipients become leads (XMPie has no "
                "leads or deals of its own)",
                [],
            )
        proposal = super().object_proposal(table, columns)
        if kind:
            proposal.confidence = min(proposal.confidence, 0.3)
            proposal.reason = (
                f"XMPie {kind} export: loaded as {FILE_KINDS[kind].object} by "
                f"rule, not through a field map; {proposal.reason}"
            )
        return proposal
