"""CRM.io (500apps) source: CSV exports only, no parent ids (skeleton spec).

CRM.io exports one CSV per module (contacts, companies, deals, tasks, notes,
documents) from its list views; rows refer to each other by names and emails,
never by ids, so links are found by compound keys. Until its own rules land the
files are read as the generic source reads them.
"""

from __future__ import annotations

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


@register
class CrmIoSource(GenericSource):
    system = "crmio"
    label = "CRM.io by 500apps (CSV exports)"
    file_kinds = FILE_KINDS
    not_migrated = (
        not_migrated_item(
            "Workflows",
            "CRM.io exports data as CSV only; workflow definitions are not exported.",
            WORKFLOWS_REBUILD + ", or Python server actions",
        ),
        not_migrated_item(
            "Email templates",
            "They exist only in the CRM.io UI and are not in the CSV exports.",
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
