"""AllClients source: the CSV exports (contacts, the separate notes export, users, tasks /
follow-ups, email templates, campaigns, groups, attachments) and the API pull.

AllClients has no bulk export API: a migration starts from the contacts export, a
separate notes export that must be joined back to the contacts (by email, the record id
as fallback), and whatever else the account owner can export; the form-post API
(``/api/2/<Method>.aspx``) can pull the same contacts and notes.

What the Odoo layer calls (all pure functions, no Odoo):

* :class:`AllClientsSource` (``get_source("allclients")``): ``tables()`` reads files like
  the generic source and renames the headers to one canonical spelling per column
  (``contactid``, ``Contact Id``, ``ContactID`` -> ``"Contact ID"``; ``phone1`` ->
  ``"Phone 1"``; ``adddate`` -> ``"Add Date"``; ``custom3`` -> ``"Custom 3"``); the
  file's own spelling stays in ``Table.raw_headers``. ``object_hint(table)`` says what
  a file holds: one of :data:`KINDS` (``contact``, ``note``, ``activity``, ``user``,
  ``template``, ``campaign``, ``group``, ``attachment``), each with its Odoo model and
  its ``engine.plan`` object.
* :func:`rejoin_notes`, :func:`note_datetime`, :func:`note_parts`, :func:`group_tags`,
  :func:`custom_field_specs`, :func:`task_activity`, :func:`template_parts`
  (:func:`sanitize_html`), :func:`attachment_parts`, :func:`contact_key`.
* :class:`AllClientsClient`: the API pull (``get_contacts``, ``get_contact_notes``,
  ``get_users``, ``get_todos``), yielding rows with the same keys as the CSV exports,
  so the same maps apply to a file upload and to an API pull.

A bad value raises :class:`RowError` (an ``engine.transform.TransformError`` with
``.column`` and ``.value``): the caller turns it into a review item and goes on.

Times: AllClients writes dates as ``12/31/2014 12:46:50 PM`` (month first) and its API
documents note dates as US Central time; :data:`CENTRAL` (``America/Chicago``, with
daylight saving) is the default source zone.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..api import ApiClient, ApiError, AuthError, Page, iter_items, paginate
from ..convert import attachment as _attachment
from ..convert import engagements as _engagements
from ..convert import team as _team
from ..convert import template as _template
from ..core.errors import RowError
from ..core.headers import header_key
from ..core.record import Record
from ..html import sanitize_html  # noqa: F401 (part of this module's API)
from ..match import norm_email
from ..transform import (
    TransformError,
    split_list,
    to_bool,
    to_date,
    to_datetime,
)
from .base import WORKFLOWS_REBUILD, Source, not_migrated_item, register

_logger = logging.getLogger(__name__)
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


# --------------------------------------------------------------------------------------
# the source


@register
class AllClientsSource(Source):
    system = SYSTEM
    label = "AllClients (CSV exports + notes export, or API)"
    # AllClients keeps US Central times and has no company records: a contact's
    # company becomes its parent company partner
    defaults = {"source_tz": CENTRAL, "create_parent_companies": True}
    not_migrated = (
        not_migrated_item(
            "Landing pages and popup forms",
            "Not exposed by the AllClients API or exports: their HTML, form fields and "
            "submissions cannot be extracted.",
            "Website builder pages and forms (website, website_crm: a form that "
            "creates leads)",
        ),
        not_migrated_item(
            "Workflows",
            "Definitions (triggers, conditions, actions, delays) can only be written "
            "down; execution state, enrolled contacts and run history are not "
            "available by export or API.",
            WORKFLOWS_REBUILD + "; re-enrol the contacts that were in an active "
            "workflow by hand",
        ),
        not_migrated_item(
            "Email campaign history",
            "Send dates, open and click rates are metadata of the campaign, not an "
            "exportable object.",
            "Email Marketing (mass_mailing) campaigns; keep the campaign names as tags",
        ),
        not_migrated_item(
            "Groups",
            "Groups have no export of their own: membership arrives only as tags on "
            "the contact rows.",
            "Contact tags (res.partner.category) or Sales teams (crm.team)",
        ),
    )
    kinds = KINDS

    @property
    def converters(self):
        return CONVERTERS

    def content_identity(self, values: dict[str, str]) -> dict[str, str]:
        """A note is its contact id, date and text (its email too when it has no
        contact id): a contact's rename or new email does not make it new."""
        if "Note" not in values:
            return values
        kept = {k: values.get(k, "") for k in NOTE_IDENTITY}
        if not kept["Contact ID"]:
            kept["Email"] = values.get("Email", "").lower()
        return kept

    def choice_columns(self, target: str, columns: list) -> dict[str, str]:
        """The custom contact columns whose cells hold several choices."""
        if target != "contact":
            return {}
        specs = custom_field_specs([c["name"] for c in columns], columns)
        return {s["column"]: s["reason"] for s in specs if s["type"] == "many2many"}

    def canonical_headers(self, headers, target: str) -> dict:
        return normalize_headers(headers, target if target in _BY_KIND else None)

    def pull_tables(self, credentials: Mapping, base_url: str | None = None) -> list:
        """API pull as a second way in: the team members, the contacts, their notes
        and the to-dos, each as a table with the keys of the matching export, so that
        the same maps and rules apply. ``credentials``: ``{"account_id",
        "api_key"}`` (never logged, never in an error). Notes come one call per
        contact (``GetContactNotes``), with the contact's email added for the join."""
        from ..readers import Table

        # one number for connect and read: Odoo's test harness only accepts that
        kwargs = {"timeout": 60.0, **({"base_url": base_url} if base_url else {})}

        def optional(what, fetch):
            # contacts are the pull; a method the account does not answer (the
            # team members one is not publicly documented) leaves its table out,
            # said in the log and in the project's audit of the pull
            try:
                return list(fetch())
            except AuthError:
                raise
            except ApiError as exc:
                _logger.warning("AllClients %s not pulled: %s", what, exc)
                return None

        with AllClientsClient(
            credentials["account_id"], credentials["api_key"], **kwargs
        ) as client:
            users = optional("team members", client.get_users)
            contacts = list(client.get_contacts())

            def all_notes():
                for contact in contacts:
                    cid = clean_id(contact.get("Contact ID"))
                    if not cid:
                        continue
                    for note in client.get_contact_notes(cid):
                        yield {**note, "Email": _text(contact.get("Email"))}

            notes = optional("notes", all_notes)
            todos = optional("to-dos", client.get_todos)
            if todos is not None and len(todos) >= TODO_CAP:
                _logger.warning(
                    "AllClients answered %s to-dos, its maximum per call: some may be "
                    "missing (pull them per team member or by edit date)",
                    len(todos),
                )

        def table(name, rows, object_name):
            headers = list(dict.fromkeys(key for row in rows for key in row))
            return Table.from_records(
                name, lambda: rows, headers, kind="api", object_name=object_name
            )

        pulled = [
            ("users (API)", users, "users"),
            ("contacts (API)", contacts, "contacts"),
            ("notes (API)", notes, "notes"),
            ("tasks (API)", todos, "tasks"),
        ]
        return [table(*item) for item in pulled if item[1] is not None]

    def tables(self, path_or_files: Any) -> list:
        """The tables of the exports, headers renamed to their canonical spelling
        (``raw_headers`` keep the file's). Accepts what the generic source accepts."""
        from .generic import GenericSource

        return [self.normalize(t) for t in GenericSource().tables(path_or_files)]

    def kind(self, table) -> str | None:
        return detect_kind(table.name, table.raw_headers or table.headers)

    def object_hint(self, table) -> str | None:
        """``contact``, ``note``, ``activity``, ``user``, ``template``, ``campaign``,
        ``group`` or ``attachment`` (see :data:`KINDS` for the model), or None."""
        return self.kind(table)

    def normalize(self, table):
        """``table`` with canonical headers (a new Table; rows are renamed lazily)."""
        import dataclasses

        kind = self.kind(table)
        mapping = normalize_headers(table.headers, kind)
        if all(k == v for k, v in mapping.items()):
            return table
        new_headers = [mapping[h] for h in table.headers]
        reader = table.rows

        def rows():
            for line, row in reader():
                yield line, {mapping.get(k, k): v for k, v in row.items()}

        return dataclasses.replace(table, headers=new_headers, _reader=rows)


# --------------------------------------------------------------------------------------
# errors


def _convert(column: str, row: Mapping[str, Any], fn: Callable, **kw: Any) -> Any:
    value = row.get(column, "")
    try:
        return fn(value, **kw)
    except TransformError as exc:
        raise RowError(column, value, str(exc)) from None


# --------------------------------------------------------------------------------------
# contacts and the notes join


def clean_id(value: Any) -> str | None:
    """An AllClients record id as text: ``" 64704 "``, ``"64704.0"``, ``"#64704"``,
    ``"064704"`` -> ``"64704"``; None when blank."""
    text = _text(value).lstrip("#").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    if m:
        return str(int(m.group(1)))
    return text


def contact_key(row: Mapping[str, Any]) -> str | None:
    """The source key of a contact row: its AllClients ``Contact ID`` (see
    :func:`clean_id`), else ``"email:<normalised email>"``, else None. The loader must
    key contacts the same way for :func:`rejoin_notes` links to find them."""
    row = canonical_row(row, "contact")
    cid = clean_id(row.get("Contact ID"))
    if cid:
        return cid
    email = norm_email(row.get("Email"))
    return f"email:{email}" if email else None


class NoteLink(tuple):
    """A note joined to its contact: unpacks as ``(contact_key, note_row)``; also has
    ``.line`` (the note's line), ``.contact_line``, ``.matched_by`` (``"email"``,
    ``"other email"`` or ``"id"``) and ``.detail`` (a readable sentence)."""

    def __new__(cls, contact_key, note, line, contact_line, matched_by, detail=""):
        self = super().__new__(cls, (contact_key, note))
        self.line = line
        self.contact_line = contact_line
        self.matched_by = matched_by
        self.detail = detail
        return self

    @property
    def contact_key(self):
        return self[0]

    @property
    def note(self):
        return self[1]

    def __repr__(self) -> str:
        return (
            f"NoteLink(contact_key={self[0]!r}, line={self.line!r}, "
            f"matched_by={self.matched_by!r})"
        )


class Orphan(NamedTuple):
    """A note (or task, attachment...) that matches no contact: for the review queue."""

    line: int | None
    row: dict
    reason: str
    column: str = "Email"
    value: str = ""


class RejoinResult(NamedTuple):
    links: list[NoteLink]
    orphans: list[Orphan]

    @property
    def counts(self) -> dict[str, int]:
        out = {
            "read": len(self.links) + len(self.orphans),
            "orphans": len(self.orphans),
        }
        for link in self.links:
            out[f"by {link.matched_by}"] = out.get(f"by {link.matched_by}", 0) + 1
        return out


class _ContactIndex:
    """Contacts by normalised email, other email and record id (lines kept)."""

    def __init__(self, contacts: Iterable[tuple[int, Mapping]], key):
        self.by_email: dict[str, list[tuple[str, int]]] = {}
        self.by_other: dict[str, list[tuple[str, int]]] = {}
        self.by_id: dict[str, tuple[str, int]] = {}
        keyfn = key if callable(key) else _column_key(key)
        for line, raw in contacts:
            row = canonical_row(raw, "contact")
            ckey = keyfn(row)
            if ckey is None:
                continue
            email = norm_email(row.get("Email"))
            if email:
                self.by_email.setdefault(email, []).append((ckey, line))
            other = norm_email(row.get("Other Email"))
            if other and other != email:
                self.by_other.setdefault(other, []).append((ckey, line))
            cid = clean_id(row.get("Contact ID"))
            if cid and cid not in self.by_id:
                self.by_id[cid] = (ckey, line)

    @staticmethod
    def unique(hits: list[tuple[str, int]]) -> list[tuple[str, int]]:
        seen: dict[str, int] = {}
        for ckey, line in hits:
            seen.setdefault(ckey, line)
        return list(seen.items())


def _column_key(column: str | None):
    if column is None:
        return contact_key

    def keyfn(row):
        value = row.get(column)
        if column == "Contact ID":
            return clean_id(value)
        if header_key(column) in ("email", "emailaddress"):
            return norm_email(value) or None
        return _text(value) or None

    return keyfn


def _lines(hits) -> str:
    return ", ".join(str(line) for _k, line in hits[:5]) + (
        ", ..." if len(hits) > 5 else ""
    )


def link_contact(
    index: _ContactIndex, row: Mapping[str, Any]
) -> tuple[str, int, str, str] | Orphan:
    """Find the contact of one row that names it by ``Email`` and/or ``Contact ID``
    (a note, a task, an attachment, a group membership): ``(contact key, contact line,
    matched_by, detail)`` or an :class:`Orphan` (with line None: the caller sets it)."""
    email_raw = _text(row.get("Email"))
    email = norm_email(email_raw)
    cid = clean_id(row.get("Contact ID"))
    if not email and not cid:
        return Orphan(
            None,
            dict(row),
            "no email and no contact id to find its contact",
            "Email",
            "",
        )
    id_hit = index.by_id.get(cid) if cid else None
    hits = _ContactIndex.unique(index.by_email.get(email, [])) if email else []
    how = "email"
    if not hits and email:
        hits = _ContactIndex.unique(index.by_other.get(email, []))
        how = "other email"
    if len(hits) == 1:
        ckey, cline = hits[0]
        if id_hit and id_hit[0] != ckey:
            return Orphan(
                None,
                dict(row),
                f"conflict: email {email_raw} is the contact on line {cline} but "
                f"contact id {cid} is the contact on line {id_hit[1]}",
                "Contact ID",
                _text(row.get("Contact ID")),
            )
        return ckey, cline, how, f"{how} {email} (contact line {cline})"
    if id_hit:
        ckey, cline = id_hit
        if hits:
            detail = (
                f"email {email} matches {len(hits)} contacts (lines {_lines(hits)}); "
                f"contact id {cid} chooses line {cline}"
            )
        elif email:
            detail = (
                f"email {email} matches no contact (changed?); "
                f"contact id {cid} is line {cline}"
            )
        else:
            detail = f"no email; contact id {cid} is line {cline}"
        return ckey, cline, "id", detail
    if hits:
        tail = f" and contact id {cid} matches none" if cid else " and no contact id"
        return Orphan(
            None,
            dict(row),
            f"ambiguous: email {email} matches {len(hits)} contacts "
            f"(lines {_lines(hits)}){tail}",
            "Email",
            email_raw,
        )
    parts = []
    if email:
        parts.append(f"email {email} matches no contact")
    if cid:
        parts.append(f"contact id {cid} matches no contact")
    column, value = (
        ("Contact ID", _text(row.get("Contact ID")))
        if cid and not email
        else ("Email", email_raw)
    )
    return Orphan(
        None, dict(row), "; ".join(parts) + " (deleted or not exported?)", column, value
    )


def rejoin_notes(
    contacts: Iterable[tuple[int, Mapping[str, Any]]],
    notes: Iterable[tuple[int, Mapping[str, Any]]],
    key: str | Callable[[Mapping], Any] | None = None,
) -> RejoinResult:
    """Join the separate notes export back to the contacts export.

    ``contacts`` and ``notes`` are ``(line, row)`` pairs (``Table.rows()``; canonical or
    raw AllClients headers). A note goes to the contact whose email (normalised: case
    and spaces ignored) is the note's; when the email is missing, changed or shared by
    several contacts, the note's ``Contact ID`` decides (the fallback). A note is an
    orphan, with a readable reason, when neither finds exactly one contact, or when its
    email and its contact id name two different contacts (a person decides).

    ``key`` is how the loader keys contacts: a column name or a function of the row;
    default :func:`contact_key`. Returns ``RejoinResult(links, orphans)``: ``links`` are
    :class:`NoteLink` ``(contact_key, note_row)`` in note order; ``orphans`` are
    :class:`Orphan` ``(line, row, reason, column, value)``.
    """
    index = _ContactIndex(contacts, key)
    links: list[NoteLink] = []
    orphans: list[Orphan] = []
    for line, raw in notes:
        note = canonical_row(raw, "note")
        found = link_contact(index, note)
        if isinstance(found, Orphan):
            orphans.append(found._replace(line=line, row=dict(raw)))
            continue
        ckey, cline, how, detail = found
        links.append(NoteLink(ckey, raw, line, cline, how, detail))
    return RejoinResult(links, orphans)


def note_datetime(value: Any, tz: str = CENTRAL) -> dt.datetime | None:
    """A note date as written by AllClients (``10/2/2014 3:22 PM``, month first, US
    Central time by default) -> naive UTC ``datetime`` for ``mail.message.date``; None
    when blank; ``TransformError`` when unreadable. Daylight saving follows
    ``America/Chicago``: a time that occurs twice (the autumn change) is read as the
    first one, a skipped time (the spring change) with the offset before the change."""
    return to_datetime(value, order=DATE_ORDER, tz=tz)


_SYSTEM_PREFIX_RE = re.compile(
    r"^\s*((?:\[\[\s*(?:system|icon\s*:\s*[a-z]+)\s*\]\]\s*)+)", re.I
)
_ICON_RE = re.compile(r"icon\s*:\s*([a-z]+)", re.I)


def note_parts(row: Mapping[str, Any], tz: str = CENTRAL) -> dict[str, Any]:
    """What a note becomes: ``{"date": naive UTC datetime or None, "body": text,
    "system": bool, "icon": "Email" | "Text" | "Calendar" | None}``. AllClients marks
    generated notes with ``[[System]]`` and ``[[Icon:Email]]`` prefixes: they are removed
    from the body and reported. Raises :class:`RowError` for an unreadable date."""
    row = canonical_row(row, "note")
    date = _convert("Date", row, note_datetime, tz=tz)
    body = (_text(row.get("Note")) or "").replace("\r\n", "\n").replace("\r", "\n")
    system, icon = False, None
    m = _SYSTEM_PREFIX_RE.match(body)
    if m:
        prefix = m.group(1)
        system = "system" in prefix.casefold()
        im = _ICON_RE.search(prefix)
        icon = im.group(1).capitalize() if im else None
        body = body[m.end() :]
    return {"date": date, "body": body.strip(), "system": system, "icon": icon}


# --------------------------------------------------------------------------------------
# groups and tags


_FALSE_WORDS = frozenset(
    {"", "no", "n", "false", "0", "-", "nao", "não", "off", "none"}
)


def _group_column(header: str) -> str | None:
    m = _GROUP_COLUMN_RE.match(str(header or ""))
    return m.group(1).strip() if m else None


def group_tags(row: Mapping[str, Any], prefix: str = GROUP_PREFIX) -> list[str]:
    """The contact tags of a row's group memberships: ``["Group: Premier Clients",
    ...]``. Read from a ``Groups`` column (names separated by commas, semicolons, pipes
    or line breaks), a ``Group Name`` column (a row of a separate groups file), and
    one-column-per-group exports (``Group: Premier Clients`` / ``Group - VIP`` columns
    holding X, Yes, 1, true or the group's name). Duplicates (case-insensitive) and
    blanks are dropped; the first spelling wins."""
    names: list[str] = []
    for header, value in row.items():
        key = header_key(header)
        if key in _GROUP_KEYS:
            names += split_list(value) or []
            continue
        group = _group_column(header)
        if group:
            text = _text(value)
            if text.casefold() in _FALSE_WORDS:
                continue
            try:
                member = to_bool(text)
            except TransformError:
                member = True  # any other mark (the group's name, a date) means "in"
            if member is None or member:
                names.append(group)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        folded = name.casefold()
        if name and folded not in seen:
            seen.add(folded)
            out.append(f"{prefix}{name}")
    return out


def group_members(
    contacts: Iterable[tuple[int, Mapping[str, Any]]],
    groups: Iterable[tuple[int, Mapping[str, Any]]],
    key: str | Callable[[Mapping], Any] | None = None,
    prefix: str = GROUP_PREFIX,
) -> tuple[dict[Any, list[str]], list[Orphan]]:
    """A separate groups file (``Group Name`` + ``Contact ID`` and/or ``Email`` per
    row) joined to the contacts like notes: ``({contact key: [tags]}, orphans)``."""
    index = _ContactIndex(contacts, key)
    tags: dict[Any, list[str]] = {}
    orphans: list[Orphan] = []
    for line, raw in groups:
        row = canonical_row(raw, "group")
        names = group_tags({"Group Name": row.get("Group Name", "")}, prefix)
        if not names:
            orphans.append(Orphan(line, dict(raw), "no group name", "Group Name", ""))
            continue
        found = link_contact(index, row)
        if isinstance(found, Orphan):
            orphans.append(found._replace(line=line, row=dict(raw)))
            continue
        slot = tags.setdefault(found[0], [])
        for name in names:
            if name.casefold() not in {t.casefold() for t in slot}:
                slot.append(name)
    return tags, orphans


# --------------------------------------------------------------------------------------
# custom fields


_MULTI_SPLIT_RE = re.compile(r"\s*[;|]\s*|\s*,\s+|,(?=\S)")


def _profile_columns(profile: Any) -> dict[str, dict]:
    if not profile:
        return {}
    columns = profile.get("columns") if isinstance(profile, Mapping) else profile
    out = {}
    for col in columns or ():
        if isinstance(col, Mapping) and col.get("name") is not None:
            out[str(col["name"])] = dict(col)
            out.setdefault(str(col["name"]).strip(), dict(col))
    return out


def _column_values(col: Mapping) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for item in col.get("top_values") or ():
        if isinstance(item, list | tuple) and item:
            counts[str(item[0])] = int(item[1]) if len(item) > 1 else 1
    for v in col.get("samples") or ():
        counts.setdefault(str(v), 1)
    return [(v, n) for v, n in counts.items() if v.strip()]


def _multi_value(col: Mapping) -> tuple[bool, list[str], float]:
    """(several choices per cell?, the choices, share of cells with several)."""
    if col.get("type") in (
        "integer",
        "float",
        "money",
        "date",
        "datetime",
        "email",
        "url",
        "phone",
    ):
        return False, [], 0.0
    values = _column_values(col)
    if not values:
        return False, [], 0.0
    total = sum(n for _v, n in values)
    multi = 0
    tokens: dict[str, str] = {}
    occurrences = 0
    for value, n in values:
        parts = [p.strip() for p in _MULTI_SPLIT_RE.split(value) if p.strip()]
        if len(parts) >= 2 and all(len(p) <= 40 for p in parts):
            multi += n
        if any(len(p) > 40 for p in parts):
            return False, [], 0.0  # free text with commas, not choices
        for p in parts:
            tokens.setdefault(p.casefold(), p)
            occurrences += n
    share = multi / total if total else 0.0
    repeated = len(tokens) < occurrences  # choices come back across rows
    ok = share >= 0.2 and multi >= 2 and repeated and len(tokens) <= 100
    return ok, sorted(tokens.values(), key=str.casefold), share


def custom_field_specs(
    headers: Iterable[Any],
    profile: Any = None,
    taken: Iterable[str] = (),
    custom_labels: Mapping | None = None,
) -> list[dict[str, Any]]:
    """``x_`` field proposals for the custom columns of a contacts export (every column
    that is not a standard AllClients contact column; ``Custom N`` columns included).

    ``profile`` is ``profile_table(...)`` of that export (or its ``columns`` list); the
    type comes from the profile's inference like ``engine.propose`` (text -> char, long
    or multi-line text -> text, integer, float, money -> float, date, datetime,
    boolean, a short list of choices -> selection), and a column whose cells hold
    several choices separated by commas/semicolons/pipes (a checkbox group) becomes
    ``many2many`` tags on ``res.partner.category``. Each spec: ``{"column", "name",
    "type", "label", "transform", "reason"}`` plus ``"selection"`` (choices of a
    selection) or ``"relation"``/``"relation_table"``/``"column1"``/``"column2"``/
    ``"choices"`` (tags). ``taken``: field names already used (no clash)."""
    from ..propose import make_field_name, new_field_for

    headers = [str(h) for h in headers]
    mapping = normalize_headers(headers, "contact", custom_labels)
    columns = _profile_columns(profile)
    taken_names = set(taken)
    specs: list[dict[str, Any]] = []
    for h in headers:
        canon = mapping.get(h, h)
        if (
            canon in STANDARD_CONTACT
            or _group_column(h)
            or header_key(h) in _GROUP_KEYS
        ):
            continue
        col = columns.get(h) or columns.get(h.strip()) or columns.get(canon) or {}
        label = canon.strip() or h.strip()
        multi, choices, share = _multi_value(col) if col else (False, [], 0.0)
        if multi:
            name = make_field_name(label, taken_names)
            taken_names.add(name)
            shown = ", ".join(choices[:5]) + (", ..." if len(choices) > 5 else "")
            specs.append(
                {
                    "column": h,
                    "name": name,
                    "type": "many2many",
                    "label": label,
                    "transform": "list",
                    "relation": "res.partner.category",
                    "relation_table": f"x_res_partner_{name[2:]}_rel"[:63],
                    "column1": "partner_id",
                    "column2": "category_id",
                    "choices": choices,
                    "reason": f"{round(share * 100)}% of the filled cells hold several "
                    f"choices ({shown}): tags",
                }
            )
            continue
        ctype = col.get("type") if col else None
        new = new_field_for(label, ctype, taken_names, col or None)
        taken_names.add(new["name"])
        transform = {
            "char": "text",
            "text": "text",
            "integer": "int",
            "float": "money" if ctype == "money" else "float",
            "date": "date",
            "datetime": "datetime",
            "boolean": "bool",
            "selection": "text",
        }.get(new["type"], "text")
        if ctype in ("email", "phone"):
            transform = ctype
        if col:
            conf = col.get("confidence")
            reason = f"custom column; values inferred as {ctype or 'text'}" + (
                f" ({round(float(conf) * 100)}%)" if conf not in (None, "") else ""
            )
        else:
            reason = "custom column; no profile: plain text"
        spec = {
            "column": h,
            "name": new["name"],
            "type": new["type"],
            "label": new["label"],
            "transform": transform,
            "reason": reason,
        }
        if "selection" in new:
            spec["selection"] = new["selection"]
        specs.append(spec)
    return specs


# --------------------------------------------------------------------------------------
# tasks / follow-up reminders

_CATEGORY_TYPES = (
    ("call", ("phone call", "phone", "call", "calls", "telephone", "ligacao")),
    ("email", ("email", "e mail", "mail", "emails")),
    ("meeting", ("meeting", "appointment", "appt", "visit", "event", "reuniao")),
    (
        "todo",
        (
            "letter",
            "to do",
            "todo",
            "task",
            "follow up",
            "followup",
            "other",
            "general",
        ),
    ),
)
_DONE_WORDS = frozenset(
    {
        "closed",
        "complete",
        "completed",
        "done",
        "finished",
        "1",
        "true",
        "yes",
        "y",
        "x",
    }
)
_OPEN_WORDS = frozenset(
    {
        "open",
        "incomplete",
        "pending",
        "0",
        "false",
        "no",
        "n",
        "not started",
        "in progress",
    }
)
_PRIORITIES = {
    "1": "high",
    "high": "high",
    "3": "normal",
    "normal": "normal",
    "medium": "normal",
    "5": "low",
    "low": "low",
}


def _category_kind(category: Any) -> tuple[str, bool]:
    words = " ".join(
        re.sub(r"[^a-z0-9]+", " ", header_key_spaced(_text(category))).split()
    )
    if not words:
        return "todo", True
    for kind, keys in _CATEGORY_TYPES:
        if any(re.search(rf"\b{re.escape(k)}\b", words) for k in keys):
            return kind, True
    return "todo", False


def activity_type(category: Any) -> str:
    """``call`` | ``email`` | ``meeting`` | ``todo`` for an AllClients task category
    (``Phone Call``, ``Email``, ``Letter``, blank, a meeting word...; anything else is
    a to-do)."""
    return _category_kind(category)[0]


def _yes_no(value: Any) -> bool | None:
    """True/False for a yes/no word, None for anything else (a date, blank)."""
    text = _text(value)
    if not text or any(c.isdigit() for c in text):
        return None
    try:
        return to_bool(text)
    except TransformError:
        return None


def task_activity(row: Mapping[str, Any]) -> dict[str, Any]:
    """A task / follow-up reminder -> what ``mail.activity`` needs:
    ``{"type": "call"|"meeting"|"email"|"todo", "summary", "date_deadline": date,
    "done": bool, "date_done": date or None, "note", "priority": "high"|"normal"|"low"|
    None, "user": the Team Member value (resolve like contact owners), "contact_id",
    "email", "category" (as written), "category_known": bool}``.

    Done when ``Status`` says closed/complete/done (or 1/true/yes) or a ``Completed
    Date`` is filled; ``date_done`` is that date (None when a closed task has none: the
    caller chooses a fallback, e.g. the deadline). Raises :class:`RowError` for an
    unreadable date or status."""
    row = canonical_row(row, "activity")
    category = _text(row.get("Category"))
    kind, known = _category_kind(category)
    deadline = _convert("Due Date", row, to_date, order=DATE_ORDER)
    flag = _yes_no(row.get("Completed Date"))  # a "Completed" Yes/No column
    completed = (
        None
        if flag is not None
        else _convert("Completed Date", row, to_date, order=DATE_ORDER)
    )
    status = " ".join(_text(row.get("Status")).casefold().split())
    if status in _DONE_WORDS:
        done = True
    elif status in _OPEN_WORDS or not status:
        done = completed is not None or bool(flag)
    else:
        raise RowError(
            "Status", row.get("Status"), f"{status!r} is neither open nor closed"
        )
    details = (_text(row.get("Details")) or "").replace("\r\n", "\n")
    summary = _text(row.get("Summary")) or (
        details.split("\n", 1)[0][:80] if details else ""
    )
    priority = _PRIORITIES.get(_text(row.get("Priority")).casefold())
    return {
        "type": kind,
        "summary": summary or category or "To do",
        "date_deadline": deadline,
        "done": done,
        "date_done": completed if done else None,
        "note": details,
        "priority": priority,
        "user": _text(row.get("Team Member")),
        "contact_id": clean_id(row.get("Contact ID")),
        "email": norm_email(row.get("Email")) or None,
        "category": category,
        "category_known": known,
    }


# --------------------------------------------------------------------------------------
# email templates


def template_parts(row: Mapping[str, Any]) -> dict[str, Any]:
    """An email template export row -> ``mail.template`` values and follow-ups:
    ``{"name", "subject", "folder", "body_html" (sanitised), "image_urls" (external
    images to re-host or check), "allclients_images" (those hosted by AllClients: they
    go away with the account), "removed" (what sanitising took out)}``."""
    row = canonical_row(row, "template")
    parts = sanitize_html(row.get("Body"))
    name = _text(row.get("Name")) or _text(row.get("Subject")) or "AllClients template"
    hosted = [
        u
        for u in parts["image_urls"]
        if (urlsplit(u).hostname or "").lower().endswith("allclients.com")
    ]
    return {
        "name": name,
        "subject": _text(row.get("Subject")),
        "folder": _text(row.get("Folder")),
        "body_html": parts["html"],
        "image_urls": parts["image_urls"],
        "allclients_images": hosted,
        "removed": parts["removed"],
    }


# --------------------------------------------------------------------------------------
# attachments

_SIZE_RE = re.compile(r"^\s*([\d.,]+)\s*([kmgt]?i?b|bytes?)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1024,
    "kib": 1024,
    "mb": 1024**2,
    "mib": 1024**2,
    "gb": 1024**3,
    "gib": 1024**3,
    "tb": 1024**4,
}


def parse_size(value: Any) -> int | None:
    """``"850 KB"``, ``"12.5 MB"``, ``"10485760"`` -> bytes; None when blank;
    ``TransformError`` when unreadable."""
    text = _text(value)
    if not text:
        return None
    m = _SIZE_RE.match(text)
    if not m:
        raise TransformError(f"{text!r} is not a file size")
    number = float(m.group(1).replace(",", ""))
    unit = (m.group(2) or "").lower()
    return int(number * _SIZE_UNITS.get(unit, 1))


def attachment_parts(row: Mapping[str, Any]) -> dict[str, Any]:
    """An attachments-list row -> ``{"name", "contact_id", "email", "url", "path",
    "kind": "url" | "file" | None, "size": bytes or None, "large": bool (over
    :data:`MAX_ATTACHMENT_BYTES`: transfer in chunks), "uploaded": date or None}``.
    ``kind`` None means neither a URL nor a path: a review item. Raises
    :class:`RowError` for an unreadable size or date."""
    row = canonical_row(row, "attachment")
    url = _text(row.get("URL"))
    path = _text(row.get("Path"))
    if url and not re.match(r"^https?://", url, re.I):
        path, url = path or url, ""
    size = _convert("File Size", row, parse_size)
    name = _text(row.get("File Name")) or (
        Path(urlsplit(url).path).name if url else Path(path).name
    )
    return {
        "name": name,
        "contact_id": clean_id(row.get("Contact ID")),
        "email": norm_email(row.get("Email")) or None,
        "url": url or None,
        "path": path or None,
        "kind": "url" if url else ("file" if path else None),
        "size": size,
        "large": bool(size and size > MAX_ATTACHMENT_BYTES),
        "uploaded": _convert("Uploaded", row, to_date, order=DATE_ORDER),
    }


# --------------------------------------------------------------------------------------
# the API


def _find_error(payload: Any) -> str | None:
    node = payload
    for _ in range(3):
        if isinstance(node, Mapping):
            for key in ("error", "Error", "errors"):
                if node.get(key):
                    value = node[key]
                    return value if isinstance(value, str) else str(value)
            node = node.get("results") or node.get("Results")
        else:
            return None
    return None


def _records(payload: Any, plural: str, singular: str) -> list[dict]:
    """The records of an AllClients JSON answer, whatever its nesting:
    ``[...]``, ``{"contacts": [...]}``, ``{"results": {"contacts": {"contact": [...]}}}``
    (the XML shape turned JSON), a single record instead of a list, or nothing."""
    node = payload
    if isinstance(node, Mapping) and isinstance(node.get("results"), Mapping | list):
        node = node["results"]
    if isinstance(node, Mapping):
        lowered = {str(k).casefold(): k for k in node}
        if plural in lowered:
            node = node[lowered[plural]]
        elif singular in lowered:
            node = node[lowered[singular]]
        elif not node or set(lowered) <= {"message", "count", "total"}:
            return []
        else:
            raise ApiError(
                f"unexpected answer: no {plural!r} in it (keys: {', '.join(sorted(map(str, node))[:10])})"
            )
    if isinstance(node, Mapping):
        lowered = {str(k).casefold(): k for k in node}
        if singular in lowered:
            node = node[lowered[singular]]
        elif not node:
            return []
    if node in (None, ""):
        return []
    if isinstance(node, Mapping):
        return [dict(node)]
    if isinstance(node, list):
        return [dict(r) for r in node if isinstance(r, Mapping)]
    raise ApiError(f"unexpected answer: {plural!r} is a {type(node).__name__}")


class AllClientsClient:
    """The AllClients form-post API (``POST <base_url>/api/2/<Method>.aspx`` with
    ``accountid``, ``apikey`` and ``response_type=json``) over :class:`engine.api.ApiClient`
    (retries, 429 waits, timeouts, secrets masked). Rows come back with the keys of the
    CSV exports (``"Contact ID"``, ``"First Name"``, ``"Phone 1"``, ``"Add Date"``...),
    values as text, so the maps confirmed for a file apply to a pull.

    ``custom_labels``: ``{n: label}`` for the ``customN`` fields (else ``"Custom n"``).
    ``api_options`` go to :class:`ApiClient` (``timeout``, ``retries``, ``sleep``...).
    White-label accounts use their own domain as ``base_url``.
    """

    API_PATH = "/api/2/"
    PAGE_SIZE = 250
    # not in the public documentation found: confirm with AllClients for the account
    USERS_METHOD = "GetTeamMembers"

    def __init__(
        self,
        account_id: Any,
        api_key: str,
        base_url: str = "https://www.allclients.com",
        session: Any = None,
        *,
        page_size: int | None = None,
        custom_labels: Mapping | None = None,
        **api_options: Any,
    ):
        self.account_id = str(account_id).strip()
        self.__api_key = str(api_key)
        self.base_url = base_url.rstrip("/")
        self.page_size = int(page_size or self.PAGE_SIZE)
        self.custom_labels = dict(custom_labels or {})
        self.api = ApiClient(
            self.base_url + self.API_PATH,
            secrets=[self.__api_key],
            session=session,
            **api_options,
        )

    def __repr__(self) -> str:
        return (
            f"<AllClientsClient account={self.account_id} {self.base_url} apikey=***>"
        )

    def __enter__(self) -> AllClientsClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.api.close()

    def call(self, method: str, **fields: Any) -> Any:
        """POST one API method; the decoded JSON. An error the API reports in its body
        (``{"error": "Authentication failed"}`` with HTTP 200) raises :class:`AuthError`
        or :class:`ApiError`."""
        form = {
            "accountid": self.account_id,
            "apikey": self.__api_key,
            "response_type": "json",
        }
        form.update({k: v for k, v in fields.items() if v is not None})
        payload = self.api.post_json(f"{method}.aspx", data=form)
        message = _find_error(payload)
        if message:
            shown = self.api.url(f"{method}.aspx")
            auth = re.search(
                r"authenticat|api ?key|not authori[sz]ed|invalid account", message, re.I
            )
            cls = AuthError if auth else ApiError
            raise cls(
                f"{method}: the API answered {message!r}", url=shown, method="POST"
            )
        return payload

    # -- contacts

    def contact_pages(
        self,
        page_size: int | None = None,
        offset: int = 0,
        max_pages: int = 100_000,
        **filters: Any,
    ) -> Iterator[Page]:
        """Pages of contacts (``GetContacts`` with ``pagingsize``/``pagingoffset``)
        until a short page. ``offset``: resume from a stored ``Page.next_offset``.
        ``filters``: GetContacts form fields (``teammemberid``, ``categoryid``...)."""
        size = int(page_size or self.page_size)

        def fetch(off: int, limit: int) -> list[dict]:
            payload = self.call(
                "GetContacts", pagingsize=limit, pagingoffset=off, **filters
            )
            return _records(payload, "contacts", "contact")

        for page in paginate(fetch, page_size=size, offset=offset, max_pages=max_pages):
            yield Page(
                page.offset,
                [canonical_row(r, "contact", self.custom_labels) for r in page.items],
                page.next_offset,
            )

    def get_contacts(
        self, page_size: int | None = None, offset: int = 0, **filters: Any
    ) -> Iterator[dict]:
        """Every contact as a row dict with the contacts export's keys."""
        return iter_items(self.contact_pages(page_size, offset, **filters))

    def get_contact_notes(self, contact_id: Any) -> Iterator[dict]:
        """The notes of one contact (``GetContactNotes`` by contact id) as notes-export
        rows: ``{"Contact ID", "Date" (US Central, as written), "Note"}``."""
        cid = clean_id(contact_id)
        payload = self.call("GetContactNotes", identifymethod=1, identifyvalue=cid)
        for record in _records(payload, "notes", "note"):
            row = canonical_row(record, "note")
            yield {"Contact ID": cid or "", **row}

    def get_users(self) -> Iterator[dict]:
        """Team members as users-export rows (``Team Member ID``, ``Name``, ``Email``,
        ``Role``, ``Status``). The method name is :attr:`USERS_METHOD`."""
        payload = self.call(self.USERS_METHOD)
        for plural, singular in (("teammembers", "teammember"), ("users", "user")):
            try:
                records = _records(payload, plural, singular)
            except ApiError:
                continue
            for record in records:
                row = canonical_row(record, "user")
                if not row.get("Name"):
                    first = row.pop("First Name", "")
                    last = row.pop("Last Name", "")
                    row["Name"] = " ".join(p for p in (first, last) if p)
                yield row
            return
        raise ApiError(f"{self.USERS_METHOD}: no team members in the answer")

    def get_todos(
        self, status: str = "all", teammemberid: int = -1, **filters: Any
    ) -> Iterator[dict]:
        """To-dos (``GetToDos``; the API returns at most 2,500 per call: narrow with
        ``contactid``/``aftereditdate`` filters for big accounts) as tasks-export rows."""
        payload = self.call(
            "GetToDos", status=status, teammemberid=teammemberid, **filters
        )
        for record in _records(payload, "todos", "todo"):
            yield canonical_row(record, "activity")


# --------------------------------------------------------------------------------------
# the rows AllClients' own exports need their own rule for (engine.convert otherwise)

# the columns that make an AllClients note what it is: the names and email beside them
# are copied from the contact and change with it (the email only counts without an id)
NOTE_IDENTITY = ("Contact ID", "Date", "Note")
# AllClients task categories -> mail.activity.type xml id
ACTIVITY_TYPE_XMLIDS = _engagements.ACTIVITY_TYPES


def convert_note(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A notes-export row -> a chatter note dated in the account's time zone (US
    Central unless the project says otherwise), its AllClients markers removed."""
    parts = note_parts(row, tz=tz if tz and tz != "UTC" else CENTRAL)
    if parts["date"] is None:
        raise RowError("Date", "", "no date: the note's original date is unknown")
    crow = canonical_row(row, "note")
    return Record(
        "note",
        "mail.message",
        {
            "body": parts["body"],
            "date": parts["date"],
            "message_type": "comment",
            "subtype": "mail.mt_note",
            "system": parts["system"],
        },
        contact_ref=clean_id(crow.get("Contact ID")),
        contact_email=norm_email(crow.get("Email")) or None,
    )


def convert_task(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A to-do/follow-up row -> an activity; an unknown category is a to-do and a
    person is told."""
    task = task_activity(row)
    if task["date_deadline"] is None:
        raise RowError("Due Date", "", "no due date: an activity needs a deadline")
    issues = []
    if not task["category_known"] and task["category"]:
        reason = f"unknown category {task['category']!r}: a to-do"
        issues.append(("Category", task["category"], reason))
    return Record(
        "activity",
        "mail.activity",
        {
            "activity_type": ACTIVITY_TYPE_XMLIDS[task["type"]],
            "summary": task["summary"],
            "note": task["note"],
            "date_deadline": task["date_deadline"],
            "done": task["done"],
            # a closed task without its completion date: done on its deadline
            "date_done": (task["date_done"] or task["date_deadline"])
            if task["done"]
            else None,
        },
        contact_ref=task["contact_id"],
        contact_email=task["email"],
        user=task["user"] or None,
        issues=issues,
    )


def convert_group(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A group row -> the sales team of that name."""
    return _team.convert(row, tz, aliases=("Group Name", "Group", "Name"))


def convert_template(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """An email template export row -> the template (AllClients' spellings)."""
    parts = template_parts(row)
    return _template.template_record(
        parts["name"],
        parts["subject"],
        {"html": parts["body_html"], "image_urls": parts["image_urls"],
         "removed": parts["removed"]},
    )  # fmt: skip


def convert_attachment(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """An attachments-list row -> the attachment (AllClients' spellings)."""
    parts = attachment_parts(row)
    if parts["kind"] is None:
        raise RowError("URL", "", "neither a URL nor a path: nothing to attach")
    return _attachment.attachment_record(
        parts["name"], parts["url"], parts["path"], parts["size"], parts["uploaded"],
        parts["contact_id"], parts["email"],
    )  # fmt: skip


CONVERTERS = {
    "note": convert_note,
    "activity": convert_task,
    "team": convert_group,
    "template": convert_template,
    "attachment": convert_attachment,
}
