"""crmConnect source: the multi-file CSV exports of a white-label CRM with no public API.

crmConnect exports one CSV per object from its UI: contacts ("First Name", "Last Name",
"Email", "Phone" in E.164, "Company Name", "Tags", "Created" as mm/dd/yyyy, custom columns
at the end), companies, pipelines and stages, opportunities (status open / won / lost /
abandoned), appointments, engagements (emails, calls, meetings, notes, SMS), tasks, a
custom object (memberships / course enrollments), products and invoices. Beyond the
documented contact headers the spellings are not public, so nothing here depends on one
spelling: every column is looked up through a list of aliases compared after
:func:`engine.propose.normalize_header`, and file kinds are recognised from the file name
and, failing that, from the headers.

Pure functions the Odoo layer calls (no Odoo import; see ``engine/README.md``):

* :func:`file_kind` / :func:`object_hint`: which export a table is and which object it
  loads (``contact``, ``company``, ``team``, ``stage``, ``lead``, ``event``, ``activity``,
  ``note``, ``membership``, ``product``, ``invoice``);
* :func:`file_order`: the tables in dependency order (:mod:`engine.plan`);
* :func:`pipeline_stages`: one ``crm.team`` per pipeline with its ``crm.stage`` list
  (order, win probability, won and folded flags);
* :func:`opportunity_status`: open / won / lost / abandoned (abandoned -> lost with the
  reason "Abandoned");
* :func:`engagement_kind`: chatter message (subtype) or activity (type, done), with the
  original timestamp in UTC;
* :func:`appointment_event`: ``calendar.event`` values (UTC naive start/stop, attendees);
* :func:`custom_properties`: the non-standard columns with an inferred type and an ``x_``
  name;
* :func:`dedupe_across_files`: people and companies that appear in several files.

Problems never raise here (except an unknown opportunity status, like every transform):
they come back as ``issues`` (``{"kind", "line", "column", "value", "reason"}``) that the
Odoo layer turns into review items with the file name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..convert.appointments import (  # noqa: F401 (crmConnect's rules are the generic ones)
    A_APPT_ALLDAY,
    A_APPT_ATTENDEES,
    A_APPT_CALENDAR,
    A_APPT_CONTACT,
    A_APPT_DESCRIPTION,
    A_APPT_END,
    A_APPT_LOCATION,
    A_APPT_ORGANIZER,
    A_APPT_START,
    A_APPT_STATUS,
    A_APPT_TITLE,
    A_APPT_TZ,
    CANCELLED_WORDS,
    DEFAULT_DURATION,
    _emails,
    appointment_event,
)
from ..convert.defaults import DATE_ORDER  # noqa: E402,F401 crmConnect writes mm/dd/yyyy
from ..convert.engagements import (  # noqa: F401 (crmConnect's rules are the generic ones)
    A_AUTHOR,
    A_BODY,
    A_COMPLETED,
    A_COMPLETED_FLAG,
    A_DATE,
    A_DIRECTION,
    A_DUE,
    A_DURATION,
    A_STATUS,
    A_SUBJECT,
    A_TYPE,
    ACTIVITY_TYPES,
    DONE_WORDS,
    ENGAGEMENT_TYPES,
    MESSAGE_SUBTYPES,
    OPEN_WORDS,
    Engagement,
    _date_cols,
    _source_type,
    _when,
    engagement_kind,
)
from ..convert.pipelines import (  # noqa: F401 (crmConnect's rules are the generic ones)
    _ABANDONED_WORDS,
    A_PIPELINE_ID,
    A_PIPELINE_NAME,
    A_STAGE_FOLD,
    A_STAGE_ID,
    A_STAGE_NAME,
    A_STAGE_ORDER,
    A_STAGE_PIPELINE_ID,
    A_STAGE_PIPELINE_NAME,
    A_STAGE_PROBABILITY,
    A_STAGE_WON,
    ABANDONED,
    OpportunityStatus,
    _probability,
    _stage_status,
    opportunity_status,
    pipeline_stages,
)
from ..core.rows import OWN_NOUNS  # noqa: F401
from ..core.rows import find as _find
from ..core.rows import norm as _norm
from ..infer import infer_column
from ..match import norm_company, norm_email
from ..propose import (
    NEW_FIELD_TYPES,
    ObjectProposal,
    new_field_for,
)
from ..readers import EXTRA_KEY
from ..transform import (
    split_list,
)
from .base import WORKFLOWS_REBUILD, not_migrated_item, register
from .generic import GenericSource, is_user_list
from .kinds import Kind, Kinds

# --------------------------------------------------------------------------- kinds


_CONTACT_STD = (
    "Contact ID", "ID", "First Name", "Last Name", "Full Name", "Name", "Email",
    "Email Address", "Additional Emails", "Phone", "Phone Number", "Additional Phones",
    "Mobile", "Company Name", "Company", "Business Name", "Address", "Address 1",
    "Street Address", "City", "State", "Postal Code", "Zip", "Zip Code", "Country",
    "Website", "Source", "Contact Source", "Tags", "Assigned To", "Owner", "Created",
    "Date Created", "Date Added", "Updated", "Last Updated", "Last Activity",
    "Date of Birth", "Timezone", "DND", "Type", "Contact Type", "Notes",
)  # fmt: skip
_COMPANY_STD = (
    "Company ID", "Business ID", "ID", "Company Name", "Business Name", "Name", "Phone",
    "Email", "Website", "Address", "Address 1", "City", "State", "Postal Code", "Zip",
    "Country", "Industry", "Description", "Assigned To", "Owner", "Tags", "Created",
    "Updated", "Last Updated",
)  # fmt: skip
_OPPORTUNITY_STD = (
    "Opportunity ID", "ID", "Opportunity Name", "Name", "Contact ID", "Contact Name",
    "Contact Email", "Email", "Phone", "Company Name", "Pipeline", "Pipeline Name",
    "Pipeline ID", "Stage", "Stage Name", "Pipeline Stage", "Pipeline Stage ID",
    "Lead Value", "Opportunity Value", "Monetary Value", "Value", "Status",
    "Lost Reason", "Lost Reason Name", "Assigned To", "Owner", "Source", "Tags",
    "Expected Close Date", "Close Date", "Created", "Created On", "Updated",
    "Updated On", "Notes", "Followers",
)  # fmt: skip
_APPOINTMENT_STD = (
    "Appointment ID", "ID", "Calendar", "Calendar Name", "Title", "Appointment Title",
    "Start Time", "End Time", "Start", "End", "Timezone", "All Day", "Contact ID",
    "Contact Name", "Contact Email", "Email", "Attendees", "Guests", "Assigned To",
    "Owner", "Location", "Appointment Status", "Status", "Notes", "Description",
    "Created", "Updated",
)  # fmt: skip
_ENGAGEMENT_STD = (
    "Engagement ID", "Activity ID", "ID", "Type", "Engagement Type", "Activity Type",
    "Direction", "Contact ID", "Contact Email", "Email", "Opportunity ID", "Subject",
    "Body", "Message", "Status", "Duration", "Duration (sec)", "Date", "Date Sent",
    "Timestamp", "Created", "User", "Author",
)  # fmt: skip
_NOTE_STD = ("Note ID", "ID", "Contact ID", "Contact Email", "Email", "Opportunity ID",
             "Note", "Body", "Date", "Created", "User", "Author")  # fmt: skip
_TASK_STD = (
    "Task ID", "ID", "Title", "Name", "Description", "Body", "Contact ID",
    "Contact Email", "Email", "Opportunity ID", "Assigned To", "Owner", "Due Date",
    "Status", "Completed", "Completed On", "Created", "Updated",
)  # fmt: skip
_MEMBERSHIP_STD = ("Membership ID", "ID", "Contact ID", "Contact Email", "Email",
                   "Member Name", "Name")  # fmt: skip
_PRODUCT_STD = ("Product ID", "ID", "Product Name", "Name", "Description", "Price",
                "Currency", "Product Type", "Type", "SKU", "Created", "Updated")  # fmt: skip
_INVOICE_STD = (
    "Invoice Number", "Invoice ID", "ID", "Invoice Date", "Issue Date", "Due Date",
    "Contact ID", "Contact Email", "Email", "Contact Name", "Company Name", "Product",
    "Item", "Description", "Quantity", "Unit Price", "Price", "Total", "Amount",
    "Amount Paid", "Amount Due", "Status", "Payment Link", "Currency", "Created",
)  # fmt: skip

KINDS: dict[str, Kind] = {
    "contacts": Kind(
        "contact", "contact", ("contacts", "contact", "people", "persons", "person"),
        ("First Name", "Last Name", "Email", "Phone", "Date of Birth", "DND",
         "Contact ID"),
        _CONTACT_STD,
    ),
    "companies": Kind(
        "company", "company",
        ("companies", "company", "businesses", "business", "accounts", "account",
         "organizations", "organization"),
        ("Company Name", "Business Name", "Company ID", "Business ID", "Website",
         "Industry"),
        _COMPANY_STD,
    ),
    "pipelines": Kind(
        "team", None, ("pipelines", "pipeline"), ("Pipeline ID", "Pipeline Name"),
        ("Pipeline ID", "Pipeline Name", "Name", "ID", "Created"),
    ),
    "stages": Kind(
        "stage", None, ("stages", "stage"),
        ("Stage ID", "Stage Name", "Stage Order", "Win Probability", "Probability",
         "Position"),
        ("Stage ID", "ID", "Pipeline ID", "Pipeline Name", "Pipeline", "Stage Name",
         "Name", "Stage Order", "Order", "Position", "Win Probability", "Probability"),
    ),
    "opportunities": Kind(
        "lead", "lead", ("opportunities", "opportunity", "deals", "deal"),
        ("Opportunity ID", "Opportunity Name", "Lead Value", "Opportunity Value",
         "Monetary Value", "Lost Reason", "Pipeline", "Stage"),
        _OPPORTUNITY_STD,
    ),
    "appointments": Kind(
        "event", None,
        ("appointments", "appointment", "calendar", "calendars", "events", "event",
         "bookings"),
        ("Appointment ID", "Start Time", "End Time", "Calendar", "Attendees",
         "Appointment Status"),
        _APPOINTMENT_STD,
    ),
    "engagements": Kind(
        "activity", None,
        ("engagements", "engagement", "activities", "activity", "conversations",
         "messages"),
        ("Engagement ID", "Activity ID", "Engagement Type", "Activity Type",
         "Direction", "Duration (sec)", "Subject", "Body"),
        _ENGAGEMENT_STD,
    ),
    "notes": Kind(
        "note", None, ("notes", "note"), ("Note ID", "Note", "Note Body"), _NOTE_STD,
    ),
    "tasks": Kind(
        "activity", None, ("tasks", "task", "todos", "todo"),
        ("Task ID", "Due Date", "Completed On", "Completed"),
        _TASK_STD,
    ),
    "memberships": Kind(
        "membership", None,
        ("memberships", "membership", "members", "courses", "course", "enrollments",
         "enrolments", "offers"),
        ("Membership ID", "Offer", "Course", "Enrolled On", "Progress (%)",
         "Expires On"),
        _MEMBERSHIP_STD,
    ),
    "products": Kind(
        "product", None, ("products", "product"),
        ("Product ID", "Product Name", "Price", "SKU", "Product Type"),
        _PRODUCT_STD,
    ),
    "invoices": Kind(
        "invoice", None, ("invoices", "invoice", "payments", "transactions"),
        ("Invoice Number", "Invoice ID", "Invoice Date", "Amount Paid", "Amount Due",
         "Payment Link"),
        _INVOICE_STD,
    ),
}  # fmt: skip
KIND_ORDER = tuple(KINDS)
# objects engine.plan does not know: where they go
EXTRA_DEPENDS = {
    "membership": ("contact",),
    "invoice": ("company", "contact", "product", "lead"),
}
SIGNATURE_MIN = 2  # headers a file needs to be recognised by its headers alone
KIND_TABLE = Kinds(KINDS, SIGNATURE_MIN, EXTRA_DEPENDS)
_STANDARD = KIND_TABLE.standard
_name_kind = KIND_TABLE.by_name
_header_kind = KIND_TABLE.by_headers


def file_kind(table) -> str | None:
    """The kind of crmConnect export ``table`` is (a key of :data:`KINDS`), from its file
    name (sheet titles count for workbooks), else from its headers; None when unsure
    and for the team's own users (the generic rule loads those as users)."""
    if is_user_list(table):
        return None  # "Team Members.csv" names no membership export
    return KIND_TABLE.of(table)


def object_hint(table) -> str | None:
    """The object ``table`` loads (``KINDS[kind].object``), None for an unknown file."""
    kind = file_kind(table)
    return KINDS[kind].object if kind else None


def file_order(tables: Iterable[Any]) -> list:
    """``tables`` in loading order: the dependency order of their objects
    (:func:`engine.plan.order`, plus ``membership`` and ``invoice`` after what they link
    to), then the kind order of :data:`KINDS`, then the file name; unknown files last, in
    the order given."""
    return KIND_TABLE.sort(tables, kind_of=file_kind)


# ----------------------------------------------------------- custom properties


def _standard_set(standard_headers: Any) -> frozenset[str]:
    if standard_headers is None:
        return frozenset().union(*_STANDARD.values())
    if isinstance(standard_headers, str):
        if standard_headers in _STANDARD:
            return _STANDARD[standard_headers]
        raise ValueError(
            f"unknown crmConnect file kind {standard_headers!r} "
            f"(known: {', '.join(KIND_ORDER)})"
        )
    return frozenset(_norm(h) for h in standard_headers)


def _profile_columns(profile: Any) -> dict[str, dict]:
    if profile is None:
        return {}
    if isinstance(profile, Mapping) and "columns" in profile:
        profile = profile["columns"]
    if isinstance(profile, Mapping):  # {header: values}
        out = {}
        for header, values in profile.items():
            values = [str(v) for v in values]
            inf = infer_column(values, date_order=DATE_ORDER)
            out[header] = {
                "name": header,
                "type": inf.type,
                "confidence": inf.confidence,
                "details": inf.details,
                "samples": values[:5],
            }
        return out
    return {str(c.get("name")): dict(c) for c in profile}


def custom_properties(
    headers: Iterable[str],
    standard_headers: Any = None,
    profile: Any = None,
    taken: Iterable[str] = (),
) -> list[dict]:
    """The columns of ``headers`` that are not crmConnect standard headers, each with
    the custom field to create for it.

    ``standard_headers``: a kind name (``"contacts"``: its :data:`KINDS` standard
    headers), an iterable of headers, or None (every kind's standard headers). Headers
    are compared after ``normalize_header`` (case, spaces, punctuation).
    ``profile``: the :func:`engine.profile.profile_table` result (or its ``columns``), or
    ``{header: values}`` (inferred here with :func:`engine.infer.infer_column`, mm/dd
    dates); without it every custom column is ``char``. ``taken``: field names that
    exist already.

    Returns ``[{"column", "name" (x_...), "type" (char, text, integer, float, date,
    datetime, boolean, selection), "label", "transform" (engine.transform key),
    "inferred", "confidence", "order" (dates: the parse order), "selection" (picklists)}]``
    in header order; the types and names are those :func:`engine.propose.new_field_for`
    proposes.
    """
    standard = _standard_set(standard_headers)
    columns = _profile_columns(profile)
    used = set(taken)
    out = []
    for header in headers:
        if not header or header == EXTRA_KEY or _norm(header) in standard:
            continue
        column = columns.get(header) or {"name": header}
        inferred = column.get("type") or "text"
        new = new_field_for(header, inferred, used, column)
        used.add(new["name"])
        details = column.get("details") or {}
        prop = {
            "column": header,
            "name": new["name"],
            "type": new["type"],
            "label": new["label"],
            "transform": NEW_FIELD_TYPES.get(inferred, ("char", "text"))[1],
            "inferred": inferred,
            "confidence": column.get("confidence"),
        }
        if new["type"] in ("date", "datetime"):
            prop["order"] = details.get("parse_order") or DATE_ORDER
        if "selection" in new:
            prop["selection"] = new["selection"]
        out.append(prop)
    return out


# ------------------------------------------------------------ cross-file dedupe

# (kind, entity) -> (columns, role); "record": the file defines the entity,
# "reference": it only points at it
A_PERSON_RECORD = ("Email", "Email Address", "Primary Email")
A_PERSON_REF = (
    "Contact Email",
    "Customer Email",
    "Member Email",
    "Email",
    "Email Address",
)
A_COMPANY_RECORD = ("Company Name", "Business Name", "Name", "Company")
A_COMPANY_REF = ("Company Name", "Business Name", "Company")
DEDUPE_COLUMNS: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "contacts": [
        ("person", A_PERSON_RECORD, "record"),
        ("company", A_COMPANY_REF, "reference"),
    ],
    "companies": [("company", A_COMPANY_RECORD, "record")],
    "opportunities": [
        ("person", A_PERSON_REF, "reference"),
        ("company", A_COMPANY_REF, "reference"),
    ],
    "appointments": [
        ("person", A_PERSON_REF, "reference"),
        ("person", A_APPT_ATTENDEES, "reference"),
    ],
    "engagements": [("person", A_PERSON_REF, "reference")],
    "notes": [("person", A_PERSON_REF, "reference")],
    "tasks": [("person", A_PERSON_REF, "reference")],
    "memberships": [("person", A_PERSON_REF, "reference")],
    "invoices": [
        ("person", A_PERSON_REF, "reference"),
        ("company", A_COMPANY_REF, "reference"),
    ],
}
STATUS_RANK = {"duplicate": 0, "missing": 1, "variant": 2, "linked": 3}
MAX_MEMBERS = 100


def dedupe_across_files(tables: Iterable[Any], include_linked: bool = False) -> list:
    """People (normalised email) and companies (:func:`engine.match.norm_company`) that
    appear in more than one file.

    Each file kind defines some entities ("record": contacts.csv defines people,
    companies.csv companies) and points at others ("reference": an opportunity's
    "Contact Email" and "Company Name", an appointment's attendees...). Returns clusters
    ``{"entity": "person"|"company", "key", "status", "files", "variants", "records",
    "count", "members": [{"file", "line", "column", "value", "role"}]}`` (members
    capped at 100, ``count`` exact), most urgent first. ``status``:

    * ``duplicate``: defined by rows of two or more files: merge them into one record
      (a review item per cluster);
    * ``missing``: referenced by several files but defined in none: create it from the
      first reference or review it;
    * ``variant``: defined in one file and spelled differently elsewhere (case, spaces,
      legal form): the normalised key links them to one record, nothing to merge;
    * ``linked``: one defining file and identical spellings (only with
      ``include_linked``).

    Clusters come in that order, then first seen (files in :func:`file_order`).
    Only files of a known kind are read; a key is kept in memory per distinct value.
    """
    clusters: dict[tuple[str, str], dict] = {}
    for table in file_order(list(tables)):
        kind = file_kind(table)
        specs = DEDUPE_COLUMNS.get(kind or "", [])
        if not specs:
            continue
        headers = tuple(table.headers)
        cols = []
        for entity, aliases, role in specs:
            header = _find(headers, aliases)
            if header and not any(c[1] == header for c in cols):
                cols.append((entity, header, role, header in _find_all(headers)))
        if not cols:
            continue
        for line, row in table.rows():
            for entity, header, role, multi in cols:
                raw = (row.get(header) or "").strip()
                if not raw:
                    continue
                values = split_list(raw) if multi else [raw]
                for value in values or ():
                    if entity == "person":
                        key = norm_email(value)
                        if "@" not in key:
                            continue
                    else:
                        key = norm_company(value)
                        if not key:
                            continue
                    c = clusters.setdefault(
                        (entity, key),
                        {
                            "entity": entity,
                            "key": key,
                            "files": [],
                            "variants": [],
                            "records": 0,
                            "record_files": set(),
                            "count": 0,
                            "members": [],
                        },
                    )
                    if table.name not in c["files"]:
                        c["files"].append(table.name)
                    if value not in c["variants"]:
                        c["variants"].append(value)
                    if role == "record":
                        c["records"] += 1
                        c["record_files"].add(table.name)
                    c["count"] += 1
                    if len(c["members"]) < MAX_MEMBERS:
                        c["members"].append(
                            {
                                "file": table.name,
                                "line": line,
                                "column": header,
                                "value": value,
                                "role": role,
                            }
                        )
    out = []
    for c in clusters.values():
        if len(c["files"]) < 2:
            continue
        record_files = c.pop("record_files")
        if len(record_files) >= 2:
            status = "duplicate"
        elif c["records"] == 0:
            status = "missing"
        elif len({" ".join(v.split()) for v in c["variants"]}) > 1:
            status = "variant"
        else:
            status = "linked"
        if status == "linked" and not include_linked:
            continue
        c["status"] = status
        out.append(c)
    out.sort(key=lambda c: STATUS_RANK[c["status"]])
    return [
        {
            k: c[k]
            for k in (
                "entity",
                "key",
                "status",
                "files",
                "variants",
                "records",
                "count",
                "members",
            )
        }
        for c in out
    ]


def _find_all(headers: tuple[str, ...]) -> set[str]:
    """The headers of ``headers`` that hold lists of emails (attendees)."""
    hit = _find(headers, A_APPT_ATTENDEES)
    return {hit} if hit else set()


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
            proposal.confidence = min(proposal.confidence, 0.3)
            proposal.reason = (
                f"crmConnect {kind} export: loaded as {KINDS[kind].object} by the "
                f"crmConnect steps, not through a field map; {proposal.reason}"
            )
        return proposal
