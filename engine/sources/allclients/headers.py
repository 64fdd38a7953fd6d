"""Column headers: one canonical spelling per column, and what a file holds."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ...core.headers import header_key
from ...core.roles import Role

SYSTEM = "allclients"
CENTRAL = "America/Chicago"
DATE_ORDER = "MDY"
GROUP_PREFIX = "Group: "
TODO_CAP = 2500  # GetToDos answers at most this many per call
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # larger files are flagged (chunked transfer)

# kind -> Odoo model and engine.plan object
KINDS: dict[str, dict[str, str]] = {
    "contact": {"model": "res.partner", "plan": "contact", "label": "Contacts"},
    "note": {"model": "mail.message", "plan": "note", "label": "Contact notes"},
    "activity": {
        "model": "mail.activity",
        "plan": "activity",
        "label": "Tasks / follow-up reminders",
    },
    "user": {"model": "res.users", "plan": "user", "label": "Users / team members"},
    "template": {
        "model": "mail.template",
        "plan": "template",
        "label": "Email templates",
    },
    "campaign": {"model": "crm.tag", "plan": "tag", "label": "Campaigns"},
    "group": {
        "model": "res.partner.category",
        "plan": "tag",
        "label": "Groups (contact tags 'Group: ...')",
    },
    "attachment": {
        "model": "ir.attachment",
        "plan": "attachment",
        "label": "File attachments",
    },
}

# --------------------------------------------------------------------------------------
# headers

# canonical column -> other spellings (the canonical name itself always matches, and
# spellings are compared without case, accents, spaces and punctuation: "Contact Id",
# "contact_id" and "contactid" are one spelling)
_COMMON: dict[str, tuple[str, ...]] = {
    "Contact ID": (
        "contact #",
        "contact number",
        "contact no",
        "record id",
        "allclients id",
        "client id",
    ),
    "Email": (
        "e-mail",
        "email address",
        "e-mail address",
        "primary email",
        "email 1",
        "emailaddress",
    ),
    "Other Email": ("secondary email", "email 2", "alternate email", "other e-mail"),
    "First Name": ("first", "given name", "fname"),
    "Last Name": ("last", "surname", "lname"),
    "Other First Name": ("spouse first name", "secondary first name"),
    "Other Last Name": ("spouse last name", "secondary last name"),
    "Team Member": (
        "team member name",
        "assigned to",
        "owner",
        "contact owner",
        "team",
        "added by",
    ),
    "Team Member ID": ("team member #", "owner id"),
}
_CONTACT: dict[str, tuple[str, ...]] = {
    "Contact ID": ("id",),
    "Company": ("company name", "business", "organization", "business name"),
    "Title": ("job title", "position"),
    "Phone 1": ("phone", "phone number", "phone # 1", "phone number 1", "telephone"),
    "Phone 2": ("phone # 2", "phone number 2"),
    "Phone 3": ("phone # 3", "phone number 3"),
    "Phone 4": ("phone # 4", "phone number 4"),
    "Address": ("address 1", "address line 1", "street", "street address"),
    "Address 2": ("address line 2", "street 2"),
    "City": ("town",),
    "State": ("province", "state/province", "region"),
    "Zip": ("zip code", "zipcode", "postal code", "postalcode", "postcode"),
    "Country": (),
    "Website": ("web site", "web", "url", "homepage"),
    "Birthday": ("birth date", "birthdate", "date of birth", "dob"),
    "Other Birthday": ("spouse birthday",),
    "Tags": ("tag", "flags", "flag", "labels"),
    "Groups": ("group", "group names", "workgroups", "workgroup"),
    "Category": ("category name", "contact category"),
    "Category 2": ("category2 name",),
    "Source": ("lead source", "contact source", "source name"),
    "Add Date": (
        "date added",
        "added",
        "created",
        "created date",
        "create date",
        "date created",
    ),
    "Edit Date": (
        "last modified",
        "modified",
        "modified date",
        "date modified",
        "last edited",
        "updated",
    ),
}
_NOTE: dict[str, tuple[str, ...]] = {
    "Date": ("note date", "notedate", "date added", "created", "added", "date/time"),
    "Note": ("notes", "notecontent", "note content", "note text", "content", "text"),
}
_ACTIVITY: dict[str, tuple[str, ...]] = {
    "To Do ID": ("id", "todo id", "task id", "follow-up id", "reminder id"),
    "Category": ("task type", "type", "to do type", "todo category"),
    "Priority": (),
    "Summary": ("subject", "title", "task", "to do", "reminder"),
    "Details": ("description", "notes", "note"),
    "Due Date": ("due", "due on", "reminder date", "follow-up date", "follow up date"),
    "Status": ("state", "open/closed"),
    "Completed Date": (
        "completedate",
        "complete date",
        "date completed",
        "completed on",
        "completed",
        "done date",
        "closed date",
    ),
    "Email Template": ("emailtemplatename", "email template name"),
}
_USER: dict[str, tuple[str, ...]] = {
    "Team Member ID": ("id", "user id", "member id", "teammemberid"),
    "Name": ("full name", "user name", "team member", "team member name", "member"),
    "Role": ("permissions", "permission level", "access level", "user type", "type"),
    "Status": ("active", "state"),
}
_TEMPLATE: dict[str, tuple[str, ...]] = {
    "Template ID": ("id", "emailtemplateid", "email template id"),
    "Name": ("template name", "emailtemplatename", "template"),
    "Folder": ("folder name",),
    "Subject": ("subjectline", "subject line", "email subject"),
    "Body": ("messagebody", "message body", "html", "html body", "content", "message"),
}
_CAMPAIGN: dict[str, tuple[str, ...]] = {
    "Campaign ID": ("id",),
    "Campaign Name": ("campaign", "name", "campaign title"),
    "Email Template": ("template", "template name"),
    "Segment": ("group", "groups", "list", "audience", "segment name"),
    "Send Date": ("sent", "date sent", "sent date", "scheduled", "scheduled date"),
    "Recipients": ("sent to", "recipient count", "contacts"),
    "Opens": ("opened",),
    "Clicks": ("clicked",),
    "Status": ("state",),
}
_GROUP: dict[str, tuple[str, ...]] = {
    "Group Name": ("group", "groups", "name", "groupname", "workgroup"),
}
_ATTACHMENT: dict[str, tuple[str, ...]] = {
    "Attachment ID": ("id", "file id", "document id"),
    "File Name": ("filename", "file", "name", "document", "document name"),
    "File Size": ("size", "bytes", "file size (bytes)"),
    "Uploaded": ("upload date", "date uploaded", "date", "added", "created"),
    "URL": ("link", "download url", "file url", "download link"),
    "Path": ("file path", "local path", "folder"),
}
_BY_KIND = {
    "contact": _CONTACT,
    "note": _NOTE,
    "activity": _ACTIVITY,
    "user": _USER,
    "template": _TEMPLATE,
    "campaign": _CAMPAIGN,
    "group": _GROUP,
    "attachment": _ATTACHMENT,
}

# the standard contact columns: anything else in a contacts export is a custom field
STANDARD_CONTACT = frozenset({*_COMMON, *_CONTACT, "Custom"})

_CUSTOM_RE = re.compile(r"^(?:custom|customfield|userfield|udf)(\d{1,3})$")
_GROUP_COLUMN_RE = re.compile(r"^\s*(?:\[?groups?\]?)\s*[:\-/|]\s*(.+?)\s*$", re.I)
_GROUP_KEYS = frozenset(
    {"groups", "group", "groupname", "groupnames", "workgroup", "workgroups"}
)


def _alias_map(kind: str | None, detecting: bool = False) -> dict[str, str]:
    cache_key = (kind, detecting)
    found = _ALIAS_CACHE.get(cache_key)
    if found is not None:
        return found
    out: dict[str, str] = {}
    tables = [_COMMON] + ([_BY_KIND[kind]] if kind in _BY_KIND else [])
    for table in tables:  # later tables (the kind's own) win
        for canonical, aliases in table.items():
            out[header_key(canonical)] = canonical
            for alias in aliases:
                key = header_key(alias)
                if detecting and key in _GENERIC_KEYS:
                    continue
                out[key] = canonical
    _ALIAS_CACHE[cache_key] = out
    return out


_ALIAS_CACHE: dict[tuple[str | None, bool], dict[str, str]] = {}
# the columns by which the rows of other exports name their contact
_CONTACT_REFERENCES = frozenset({"Email", "Contact ID"})


@functools.lru_cache(maxsize=32)
def _alias_rank(kind: str | None) -> dict[str, int]:
    """{alias key: its place in its canonical header's alias list}: the lower, the
    closer a spelling is to what the canonical column holds."""
    rank: dict[str, int] = {}
    for table in [_COMMON] + ([_BY_KIND[kind]] if kind in _BY_KIND else []):
        for aliases in table.values():
            for i, alias in enumerate(aliases):
                rank[header_key(alias)] = i
    return rank


def role(canonical: str, kind: str, label: str, file_kind: str) -> Role:
    """A converter input (engine.core.roles) read by every spelling of a
    canonical column in a ``file_kind`` export: the canonical name first, then
    its aliases in order (a contact reference also after "Contact")."""
    table = _BY_KIND.get(file_kind, {})
    spellings = [canonical, *table.get(canonical, ()), *_COMMON.get(canonical, ())]
    if canonical in _CONTACT_REFERENCES:
        spellings += [f"Contact {s}" for s in spellings if s != canonical]
        spellings.append("Contact Email" if canonical == "Email" else "Contact")
    return Role(tuple(dict.fromkeys(spellings)), kind, label)


# spellings too generic to tell what a file holds (used for renaming only)
_GENERIC_KEYS = frozenset({"id", "name", "date"})


def canonical_header(
    header: Any, kind: str | None = None, custom_labels: Mapping | None = None
) -> str:
    """The canonical spelling of one header for a table of ``kind`` (unknown headers
    are returned stripped, as they are). ``custom_labels`` names custom fields:
    ``{3: "Anniversary"}`` turns ``custom3`` into ``"Anniversary"``."""
    text = str(header or "").strip()
    key = header_key(text)
    found = _alias_map(kind).get(key)
    if found:
        return found
    if kind not in (None, "contact") and key.startswith("contact"):
        # in a notes or to-dos export, "Contact Email" is the contact's Email
        found = _alias_map(kind).get(key.removeprefix("contact"))
        if found in _CONTACT_REFERENCES:
            return found
    m = _CUSTOM_RE.match(key)
    if m:
        n = int(m.group(1))
        labels = custom_labels or {}
        return str(labels.get(n) or labels.get(str(n)) or f"Custom {n}")
    return text


def normalize_headers(
    headers: Iterable[Any],
    kind: str | None = None,
    custom_labels: Mapping | None = None,
) -> dict[str, str]:
    """``{header as written: canonical header}`` for one table. When two headers of a
    file would get the same canonical name, the closer spelling gets it (the alias
    listed first: "Complete Date" before "Completed", which may hold Yes/No), else
    the first header; the other keeps its own spelling (nothing is merged or lost)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    headers = [str(h) for h in headers]
    # headers already spelled canonically keep their name first
    pending = []
    for h in headers:
        canon = canonical_header(h, kind, custom_labels)
        if canon == h.strip() and canon not in used:
            out[h] = canon
            used.add(canon)
        else:
            pending.append((h, canon))
    rank = _alias_rank(kind)
    for h, canon in sorted(pending, key=lambda p: rank.get(header_key(p[0]), 0)):
        if canon in used:
            canon = h.strip() if h.strip() not in used else h
        out[h] = canon
        used.add(canon)
    return {h: out[h] for h in headers}


def canonical_row(
    row: Mapping[str, Any],
    kind: str | None = None,
    custom_labels: Mapping | None = None,
) -> dict[str, str]:
    """A copy of ``row`` with canonical keys (:func:`normalize_headers`) and text values
    (None -> ``""``; numbers as written). Rows from the CSV tables of
    :class:`AllClientsSource` are already canonical; API records are not."""
    keys = tuple(row)
    cache_key = (keys, kind, tuple(sorted((custom_labels or {}).items(), key=str)))
    mapping = _ROW_CACHE.get(cache_key)
    if mapping is None:
        mapping = normalize_headers(keys, kind, custom_labels)
        if len(_ROW_CACHE) > 256:
            _ROW_CACHE.clear()
        _ROW_CACHE[cache_key] = mapping
    return {mapping[k]: _text(v) for k, v in row.items()}


_ROW_CACHE: dict[tuple, dict[str, str]] = {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return ", ".join(
            str(v) for v in (value.values() if isinstance(value, dict) else value)
        )
    return str(value).strip()


# --------------------------------------------------------------------------------------
# what a file holds

# kind -> (sets of canonical columns, any of which identifies it; columns that exclude it)
_SIGNATURES: tuple[tuple[str, tuple[frozenset, ...], frozenset], ...] = (
    (
        "activity",
        (
            frozenset({"Due Date"}),
            frozenset({"Completed Date"}),
            frozenset({"To Do ID"}),
        ),
        frozenset(),
    ),
    (
        "template",
        (frozenset({"Subject", "Body"}), frozenset({"Template ID"})),
        frozenset(),
    ),
    (
        "campaign",
        (
            frozenset({"Campaign Name"}),
            frozenset({"Campaign ID"}),
            frozenset({"Send Date"}),
        ),
        frozenset({"First Name", "Last Name"}),
    ),
    (
        "attachment",
        (
            frozenset({"File Name", "URL"}),
            frozenset({"File Name", "Path"}),
            frozenset({"Attachment ID"}),
        ),
        frozenset(),
    ),
    (
        "note",
        (frozenset({"Note", "Date"}),),
        frozenset({"Phone 1", "Add Date", "Edit Date", "Address", "Company", "Zip"}),
    ),
    (
        "contact",
        (
            frozenset({"First Name", "Last Name"}),
            frozenset({"First Name", "Phone 1"}),
            frozenset({"Last Name", "Email"}),
            frozenset({"Contact ID", "Add Date"}),
            frozenset({"Company", "Phone 1"}),
        ),
        frozenset(),
    ),
    ("group", (frozenset({"Group Name"}),), frozenset({"Phone 1", "Add Date"})),
    (
        "user",
        (
            frozenset({"Team Member ID", "Email"}),
            frozenset({"Role", "Email"}),
            frozenset({"Role", "Name"}),
        ),
        frozenset({"Contact ID"}),
    ),
)
# file-name words -> kind (checked when the columns do not decide)
_NAME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("note", ("notes", "note", "contactnotes")),
    (
        "activity",
        (
            "tasks",
            "task",
            "todos",
            "todo",
            "to do",
            "to dos",
            "followups",
            "follow ups",
            "follow up",
            "reminders",
        ),
    ),
    ("template", ("templates", "template", "emailtemplates")),
    ("campaign", ("campaigns", "campaign")),
    ("attachment", ("attachments", "attachment", "files", "documents")),
    ("group", ("groups", "group", "workgroups")),
    ("user", ("users", "user", "team members", "teammembers", "owners", "team")),
    ("contact", ("contacts", "contact", "clients", "data migration", "datamigration")),
)


def detect_kind(name: str, headers: Iterable[Any]) -> str | None:
    """The kind of an AllClients export (a key of :data:`KINDS`) from its columns, else
    from its file name; None when neither tells."""
    headers = list(headers)
    for kind, any_of, none_of in _SIGNATURES:
        amap = _alias_map(kind, detecting=True)
        canon = {amap.get(header_key(h), str(h).strip()) for h in headers}
        if canon & none_of:
            continue
        if any(sig <= canon for sig in any_of):
            return kind
    stem = Path(str(name or "").replace("\\", "/").split("/")[-1]).stem
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", header_key_spaced(stem)).split())
    for kind, keys in _NAME_WORDS:
        for key in keys:
            if re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", words):
                return kind
    return None


def header_key_spaced(text: str) -> str:
    """Lower-case, accents stripped, camelCase split; punctuation kept as spaces."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(text or ""))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[_\-.]+", " ", text)
