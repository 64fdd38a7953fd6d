"""Generic source: any CSV / TSV / TXT / XLSX file, a zip of them, or a folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core import targets
from ..core.links import LinkRule, Part
from ..core.targets import HINT_TARGETS
from ..propose.custom import propose_custom_object
from .base import WORKFLOWS_REBUILD, Source, iter_inputs, not_migrated_item, register

# notes and tasks of exports without record ids (Pipedrive, HubSpot, Zoho,
# Salesforce reports) name what they belong to: a deal by its title, a person
# by email or name, a company by name; Zoho's "Related To" may be any of them.
# The deal comes first (Odoo keeps an opportunity's history on it), then the
# person, then the company. Rows that name none of these use the ids and
# emails of the generic lookups.
DEAL_NAME = (
    "Deal", "Deal Name", "Deal Title", "Associated Deal", "Related Deal",
    "Opportunity", "Opportunity Name", "Related Opportunity",
)  # fmt: skip
CONTACT_EMAIL = (
    "Contact Email", "Associated Contact", "Associated Contact Email",
    "Person Email", "Related Contact Email",
)  # fmt: skip
CONTACT_NAME = (
    "Contact Person", "Contact Name", "Associated Contact", "Person",
    "Related Contact",
)  # fmt: skip
COMPANY_NAME = (
    "Organization", "Organization Name", "Associated Company", "Company",
    "Company Name", "Account", "Account Name", "Related Company",
)  # fmt: skip
# a column that names a deal, a person or a company (Zoho), read after the
# columns that can name only one of them; the column beside it that says
# which kind of record it names ("Parent Module": Accounts, Contacts, Deals)
# limits it to that kind's rule (a note on the company "Jordan Lee" never
# lands on the person of that name)
RELATED = ("Related To", "Regarding")
RELATED_KIND = Part(
    ("Parent Module", "Related Module", "Related To Module", "Related To Type",
     "Regarding Type", "Related Record Type", "Se Module"),
    "text",
)  # fmt: skip
KIND_WORDS = {
    "lead": frozenset({"deals", "deal", "potentials", "potential", "opportunities",
                       "opportunity", "leads", "lead"}),
    "contact": frozenset({"contacts", "contact", "persons", "person", "people"}),
    "company": frozenset({"accounts", "account", "companies", "company",
                          "organizations", "organization", "organisations",
                          "organisation"}),
}  # fmt: skip


def _named_links(child: str) -> tuple:
    def related(parent, key, kind):
        return LinkRule(child, parent, key, Part(RELATED, kind),
                        Part(("Name",), kind), "res_id",
                        kind=(RELATED_KIND, KIND_WORDS[parent]))  # fmt: skip

    return (
        LinkRule(child, "lead", "deal name", Part(DEAL_NAME, "name"),
                 Part(("Name",), "name"), "res_id"),
        related("lead", "deal name", "name"),
        LinkRule(child, "contact", "email", Part(CONTACT_EMAIL, "email"),
                 Part(("Email",), "email"), "res_id"),
        LinkRule(child, "contact", "contact name", Part(CONTACT_NAME, "name"),
                 Part(("Name",), "name"), "res_id"),
        related("contact", "contact name", "name"),
        LinkRule(child, "company", "company name", Part(COMPANY_NAME, "company"),
                 Part(("Name",), "company"), "res_id"),
        related("company", "company name", "company"),
    )  # fmt: skip


# attachment lists name their record the same ways; a row that gives a record
# id is found by the id first (loader.handlers.attachment), by these otherwise
GENERIC_LINKS = (
    _named_links("activity") + _named_links("note") + _named_links("attachment")
)

HINT_MIN_CONFIDENCE = 0.5
# columns this sure of a company, contact or lead outweigh a file's name
NAME_OVERRIDE_CONFIDENCE = 0.8
# words of a file name that say nothing of what it holds
FILLER_WORDS = frozenset(
    {"export", "exports", "data", "list", "report", "all", "my", "crm"}
)
# names that say too little about the rows (a 'users.csv' may list customers)
NOT_BY_NAME = frozenset({"user"})


@register
class GenericSource(Source):
    system = "generic"
    label = "Generic files (CSV / XLSX / zip)"
    links = GENERIC_LINKS
    not_migrated = (
        not_migrated_item(
            "Workflows and automations",
            "A CSV or XLSX export holds records, not the rules that act on them.",
            WORKFLOWS_REBUILD,
        ),
        not_migrated_item(
            "Email templates and sequences",
            "Templates and their merge fields are not part of a record export.",
            "Email templates (mail.template) and activity plans",
        ),
        not_migrated_item(
            "Reports, dashboards and forecasts",
            "They are views computed from the data, not data: they are rebuilt from the "
            "migrated records.",
            "CRM > Reporting (pipeline analysis, forecast view by expected closing), "
            "saved as favourite filters or dashboards",
        ),
        not_migrated_item(
            "Users, teams and permissions",
            "Access rights of another product do not translate; owners are matched to "
            "existing Odoo users by email.",
            "Settings > Users (one user per owner before the run), Sales teams and "
            "access groups",
        ),
    )

    def tables(self, path_or_files: Any) -> list:
        from .. import readers

        if isinstance(path_or_files, str | Path) and Path(path_or_files).is_dir():
            return readers.iter_dir(path_or_files)
        if isinstance(path_or_files, str | Path) and not Path(path_or_files).exists():
            raise readers.ReadError(str(path_or_files), "no such file or folder")
        tables = []
        for name, data, path in iter_inputs(path_or_files):
            if path is not None and Path(path).is_dir():
                tables += readers.iter_dir(path)
            elif path is not None:
                tables += readers.open_tables(name, path=path)
            else:
                tables += readers.open_tables(name, data=data)
        return tables

    def object_proposal(self, table, columns=None):
        """The generic proposal, unless the file's rows are a custom object
        (engine.propose.custom): rows naming a contact by email or id, several
        per contact, with values of their own. A file that is clearly
        contacts, companies or deals, or whose name says notes, tasks or
        another converted object, or a list of users, is never one."""
        base = super().object_proposal(table, columns)
        if base.confidence >= NAME_OVERRIDE_CONFIDENCE or is_user_list(table):
            return base
        if converted_kind(getattr(table, "object_name", None) or table.name):
            return base
        rows = (row for _line, row in table.rows()) if hasattr(table, "rows") else ()
        return propose_custom_object(table.name, table.headers, rows) or base

    def object_hint(self, table) -> str | None:
        if is_user_list(table):
            return "user"
        proposal = self.object_proposal(table)
        if proposal.custom_object:
            return "membership"  # a custom object of the source (its own model)
        if proposal.confidence >= NAME_OVERRIDE_CONFIDENCE:
            return proposal.target  # the columns say companies, contacts or deals
        declared = self.file_kinds.object_of(table) if self.file_kinds else None
        if declared and declared not in targets.mapped():
            return declared  # one of the system's own export files, by name or headers
        named = converted_kind(getattr(table, "object_name", None) or table.name)
        if named:
            return named
        return proposal.target if proposal.confidence >= HINT_MIN_CONFIDENCE else None


def _stem(name) -> str:
    """A file's name without folder and extension, in lower-case words."""
    return re.sub(r"[^a-z]+", " ", Path(str(name)).stem.lower()).strip()


def converted_kind(name: str) -> str | None:
    """The converted object (engine.records) a file's name says it holds:
    ``notes.csv`` -> ``note``, ``Tasks.xlsx`` -> ``activity``, ``email templates``
    -> ``template``; None for anything else (companies, contacts and deals are
    recognised by the proposer from their columns)."""
    stem = _stem(name)
    if not stem:
        return None
    # the whole name, then its words from the last: "contact notes" holds notes
    words = [w for w in stem.split() if w not in FILLER_WORDS]
    for candidate in [stem.replace(" ", "_")] + words[::-1]:
        base = targets.canonical(candidate)
        singular = base[:-1] if base.endswith("s") else base
        kind = HINT_TARGETS.get(base) or HINT_TARGETS.get(singular, base)
        if kind in targets.converted() and kind not in NOT_BY_NAME:
            return kind
        if base in ("company", "contact", "lead", "deal"):
            return None  # "deals export", "contacts list": field-mapped objects
    return None


# headers only a list of the CRM's own users has (not its customers)
USER_SIGNATURE = frozenset(
    {
        "role", "user role", "roles", "last login", "last login date", "last sign in",
        "last active", "last seen", "profile", "permission", "permissions",
        "access level", "is admin", "admin", "user type", "license", "licence",
        "seat", "user status", "invited", "invited on", "suspended",
    }
)  # fmt: skip
USER_NAME_WORDS = ("users", "user", "team members", "team member", "staff", "owners")
# a people list has these; a user list has none of them
CUSTOMER_HEADERS = frozenset(
    {
        "company", "company name", "account", "account name", "address", "street",
        "city", "country", "tags", "lead source", "source", "owner", "contact owner",
        "assigned to",
    }
)  # fmt: skip


def is_user_list(table) -> bool:
    """True when ``table`` lists the CRM's users (salespeople, team members):
    names and emails with a role, a last login, an admin flag... and none of the
    columns a list of customers has. The file's name alone is not enough (a
    ``users.csv`` may list the customers of an app), but it lowers the bar."""
    headers = {
        re.sub(r"[^a-z0-9]+", " ", str(h).lower()).strip()
        for h in getattr(table, "headers", ()) or ()
    }
    if not any("email" in h or h == "login" for h in headers):
        return False
    if headers & CUSTOMER_HEADERS:
        return False
    stem = _stem(table.name)
    named = any(re.search(rf"\b{w}\b", stem) for w in USER_NAME_WORDS)
    signature = len(headers & USER_SIGNATURE) + (
        1 if headers & {"active", "status"} else 0
    )
    return signature >= (1 if named else 2) and len(headers) <= 12
