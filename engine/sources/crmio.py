"""CRM.io (500apps) source: CSV exports only, no ids and no parent ids.

CRM.io exports one CSV per module (contacts, leads, accounts, deals,
activities, documents, users) from its list views; rows refer to each other by
names and emails, never by ids. The spec declares, as data:

* its file kinds (:data:`FILE_KINDS`), read by the shared readers;
* the links rebuilt by compound keys (:data:`LINKS`): contact -> account by
  the normalised company name, deal -> contact by email and -> account by the
  account name (the deal's value breaking ties), activity -> contact by email
  (else deal by name), document -> deal by name (else contact by email);
* what makes a row one record (:data:`IDENTITIES`): an account its name, an
  activity its email + date + subject (rows repeating it are one activity);
* stages inferred from the deals (``infer_stages``);
* its own rules for activities (call duration and outcome kept in fields) and
  documents (a URL, or the metadata only, the file waiting for upload).

Everything else (deals = opportunities and leads = leads by their file, owners
by email or name, lost reasons, tags, custom columns as typed x_ fields) is the
shared rule.
"""

from __future__ import annotations

import re

from ..convert import engagements
from ..convert._util import read
from ..convert.attachment import A_UPLOADED, attachment_record, parse_size
from ..convert.defaults import DATE_ORDER
from ..core.errors import RowError
from ..core.links import Identity, LinkRule, Part
from ..core.rows import get, norm
from ..core.text import norm_email
from ..transform import TransformError, to_date, to_float
from .base import WORKFLOWS_REBUILD, not_migrated_item, register
from .generic import GenericSource
from .kinds import Kind, Kinds

# the module exports named on the product page (Contacts, Leads, Accounts, Deals,
# Activities, Documents, owners); CRM.io publishes no header list, so the
# signatures are the usual spellings of what each export must hold
FILE_KINDS = Kinds(
    {
        "accounts": Kind(
            "company", "company",
            ("accounts", "account", "companies", "company", "organizations"),
            ("Account Name", "Industry", "Company Size", "Annual Revenue", "Website"),
        ),
        "contacts": Kind(
            "contact", "contact", ("contacts", "contact", "people", "persons"),
            ("First Name", "Last Name", "Email", "Mobile", "Title", "Account Name"),
        ),
        "leads": Kind(
            "lead", "lead", ("leads", "lead"),
            ("Lead Source", "Lead Status", "Lead Owner", "Lead Name"),
        ),
        "deals": Kind(
            "lead", "lead", ("deals", "deal", "opportunities", "opportunity"),
            ("Deal Name", "Deal Value", "Deal Stage", "Closing Date", "Close Date",
             "Pipeline"),
        ),
        "activities": Kind(
            "activity", None,
            ("activities", "activity", "tasks", "task", "calls", "meetings", "events"),
            ("Activity Type", "Subject", "Due Date", "Duration", "Disposition",
             "Related To", "Call Result"),
        ),
        "notes": Kind("note", None, ("notes", "note"), ("Note", "Note Content", "Related To")),
        "documents": Kind(
            "attachment", None,
            ("documents", "document", "files", "file", "attachments", "uploads"),
            ("File Name", "Document Name", "File Type", "File Size", "Uploaded By",
             "Uploaded On", "Related To"),
        ),
    }
)  # fmt: skip


# the columns rows name each other by (CRM.io publishes no header list: the
# usual spellings, compared after header normalisation)
COMPANY = ("Account Name", "Account", "Company", "Company Name", "Organization")
EMAIL = ("Contact Email", "Email", "Email Address", "Contact")
DEAL = ("Related To", "Deal Name", "Deal", "Related Deal", "Opportunity")
DEAL_VALUE = ("Deal Value", "Amount", "Value", "Deal Amount")
ACCOUNT_DEAL_VALUE = (
    "Deal Value",
    "Total Deal Value",
    "Deals Value",
    "Open Deal Value",
)

LINKS = (
    LinkRule("contact", "company", "company name", Part(COMPANY, "company"),
             Part(COMPANY, "company"), "parent_id"),
    LinkRule("lead", "contact", "email", Part(EMAIL, "email"),
             Part(("Email",), "email"), "partner_id"),
    LinkRule("lead", "company", "account name", Part(COMPANY, "company"),
             Part(COMPANY, "company"), "partner_id",
             tiebreak=(Part(DEAL_VALUE, "amount"), Part(ACCOUNT_DEAL_VALUE, "amount"))),
    LinkRule("activity", "contact", "email", Part(EMAIL, "email"),
             Part(("Email",), "email"), "res_id"),
    LinkRule("activity", "lead", "deal name", Part(DEAL, "name"),
             Part(("Deal Name",), "name"), "res_id"),
    LinkRule("note", "contact", "email", Part(EMAIL, "email"),
             Part(("Email",), "email"), "res_id"),
    LinkRule("note", "lead", "deal name", Part(DEAL, "name"),
             Part(("Deal Name",), "name"), "res_id"),
    LinkRule("attachment", "lead", "deal name", Part(DEAL, "name"),
             Part(("Deal Name",), "name"), "res_id"),
    LinkRule("attachment", "contact", "email", Part(EMAIL, "email"),
             Part(("Email",), "email"), "res_id"),
)  # fmt: skip

IDENTITIES = {
    "company": Identity("account name", (Part(COMPANY, "text"),)),
    "activity": Identity(
        "email + date + subject",
        (
            Part(EMAIL, "email"),
            Part(("Date", "Activity Date", "Due Date", "Start Date", "Created On"), "date"),
            Part(("Subject", "Title", "Activity Name"), "text"),
        ),
    ),
    "attachment": Identity(
        "file name + related record",
        (Part(("File Name", "Document Name", "Name"), "text"), Part(DEAL, "text"),
         Part(EMAIL, "email")),
    ),
}  # fmt: skip

A_DURATION = (
    "Duration (mins)", "Duration (min)", "Duration (minutes)", "Call Duration",
    "Duration", "Duration (sec)", "Duration (seconds)",
)  # fmt: skip
A_OUTCOME = (
    "Call Outcome",
    "Outcome",
    "Call Result",
    "Disposition",
    "Call Disposition",
)
A_DOC_URL = ("File URL", "URL", "Link", "Download URL", "Document URL")
A_DOC_NAME = ("File Name", "Document Name", "Filename", "Name")
A_DOC_SIZE = ("Size (KB)", "File Size", "Size", "Size (bytes)")


def call_minutes(row) -> float | None:
    """A call's duration in minutes: the column's unit from its header
    ("Duration (sec)"), minutes otherwise (CRM.io's list views); RowError
    naming the column when it is not a number."""
    col, text = get(row, A_DURATION)
    if not text:
        return None
    try:
        value = to_float(text)
    except TransformError:
        raise RowError(col, text, "call duration is not a number") from None
    return round(value / 60, 2) if re.search(r"sec", col or "", re.I) else value


def activity(row, tz="UTC"):
    """An activity row: the shared engagement rule, with the call's duration
    and outcome kept in their own fields (not only in the text)."""
    record = engagements.engagement_record(row, tz)
    try:
        minutes = call_minutes(row)
    except RowError as exc:
        minutes = None
        record.issues.append((exc.column, exc.value, exc.reason))
    _c, outcome = get(row, A_OUTCOME)
    record.values["duration"] = minutes
    record.values["outcome"] = outcome or None
    return record


def document(row, tz="UTC"):
    """A documents-list row -> ir.attachment: its URL, or its metadata only
    (the file waits for upload: the loader lists it for review)."""
    _c, url = get(row, A_DOC_URL)
    _c, name = get(row, A_DOC_NAME)
    if not name and not url:
        raise RowError(A_DOC_NAME[0], "", "a document needs a file name or a URL")
    col, _size = get(row, A_DOC_SIZE)
    size = read(row, A_DOC_SIZE, parse_size, "file size")
    if size is not None and col and re.search(r"\bkb\b", col, re.I):
        size *= 1024
    uploaded = read(
        row, A_UPLOADED + ("Uploaded On",), lambda v: to_date(v, order=DATE_ORDER)
    )
    _c, email = get(row, EMAIL)
    record = attachment_record(
        name or url.rsplit("/", 1)[-1], url if re.match(r"^https?://", url, re.I) else "",
        "", size, uploaded, None, norm_email(email) or None,
    )  # fmt: skip
    record.values["pending"] = not record.values["url"]
    return record


@register
class CrmIoSource(GenericSource):
    system = "crmio"
    label = "CRM.io by 500apps (CSV exports)"
    file_kinds = FILE_KINDS
    links = LINKS
    identities = IDENTITIES
    infer_stages = True

    def canonical_headers(self, headers, target: str) -> dict:
        """CRM.io's lead spellings: "Lead Status" (New, Contacted, Nurturing...)
        is where the lead stands in qualification, not won or lost: CRM.io
        keeps it as a field of its own, and so does the proposal (a typed x_
        field); the "Title" of a lead that is a person (first and last name)
        is the person's job title, not the lead's name."""
        normed = {norm(h) for h in headers}
        person = {"first name", "last name"} <= normed
        renames = {"lead status": "Lead Qualification"}
        if person:
            renames["title"] = "Job Title"
        if target != "lead":
            return {h: h for h in headers}
        return {h: renames.get(norm(h), h) for h in headers}

    # deals are opportunities, leads are leads (the consultant edits it per file)
    lead_types = {"leads": "lead", "deals": "opportunity"}
    converters = {"activity": activity, "attachment": document}
    not_migrated = (
        not_migrated_item(
            "Workflows",
            "CRM.io exports data as CSV only; workflow definitions are not exported.",
            WORKFLOWS_REBUILD + ", or Python server actions",
        ),
        not_migrated_item(
            "Email templates",
            "They exist only in the CRM.io UI and are not in the CSV exports: copied "
            "into a file (name, subject, body) they load as templates, their CRM.io "
            "merge fields kept as text and listed for review.",
            "Email templates (mail.template); merge fields rewritten by hand",
        ),
        not_migrated_item(
            "Sales forecasting",
            "A reporting view derived from deals; no forecast snapshot is exported.",
            "CRM > Reporting: pipeline and forecast views on expected_revenue and "
            "date_deadline of the migrated leads",
        ),
        not_migrated_item(
            "Pipeline configuration",
            "No export gives the pipelines and the order of their stages; they are "
            "inferred from the deals.",
            "Sales teams (crm.team) and their stages (crm.stage), checked after the "
            "sample run",
        ),
    )
