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

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from .. import plan
from ..infer import infer_column
from ..match import norm_company, norm_email, norm_text
from ..propose import (
    NEW_FIELD_TYPES,
    ObjectProposal,
    new_field_for,
    normalize_header,
)
from ..readers import EXTRA_KEY
from ..transform import (
    EMAIL_RE,
    TransformError,
    parse_date_parts,
    split_list,
    to_bool,
    to_date,
    to_datetime,
    to_float,
    to_int,
    to_lead_status,
)
from .base import register
from .generic import GenericSource, is_user_list

DATE_ORDER = "MDY"  # crmConnect writes mm/dd/yyyy


# --------------------------------------------------------------------------- kinds


class Kind(NamedTuple):
    """One kind of crmConnect export file."""

    object: str  # engine.plan object it loads
    target: str | None  # engine.propose target when it goes through field maps
    names: tuple[str, ...]  # file-name words
    signature: tuple[str, ...]  # headers typical of the kind
    standard: tuple[str, ...]  # crmConnect standard headers (others are custom)


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


@lru_cache(maxsize=4096)
def _norm(header: str) -> str:
    return normalize_header(header)


_NAME_WORDS = {w: kind for kind, spec in KINDS.items() for w in spec.names}
_SIGNATURES = {
    k: frozenset(_norm(h) for h in spec.signature) for k, spec in KINDS.items()
}
_STANDARD = {k: frozenset(_norm(h) for h in spec.standard) for k, spec in KINDS.items()}


def _name_kind(name: str) -> str | None:
    """The kind named by a file name: the last kind word wins ("pipeline_stages" ->
    stages, "contact_notes" -> notes); None when no word is a kind."""
    from ..readers import slug

    base = str(name or "").replace("\\", "/").split("/")[-1]
    base = base.split("[", 1)[0]  # "book.xlsx[Sheet]"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    found = None
    for token in slug(stem).split("_"):
        if token in _NAME_WORDS:
            found = _NAME_WORDS[token]
    return found


def _header_kind(headers: Iterable[str]) -> str | None:
    normed = {_norm(h) for h in headers}
    scores = {k: len(sig & normed) for k, sig in _SIGNATURES.items()}
    if {"first name", "last name"} <= normed:  # people, whatever else is there
        scores["companies"] = 0
    best = max(scores.values(), default=0)
    winners = [k for k, s in scores.items() if s == best]
    if best < SIGNATURE_MIN or len(winners) > 1:
        return None
    return winners[0]


def file_kind(table) -> str | None:
    """The kind of crmConnect export ``table`` is (a key of :data:`KINDS`), from its file
    name (sheet titles count for workbooks), else from its headers; None when unsure
    and for the team's own users (the generic rule loads those as users)."""
    if is_user_list(table):
        return None  # "Team Members.csv" names no membership export
    for name in (getattr(table, "sheet", None), getattr(table, "name", "")):
        kind = _name_kind(name) if name else None
        if kind:
            return kind
    return _header_kind(getattr(table, "headers", ()) or ())


def object_hint(table) -> str | None:
    """The object ``table`` loads (``KINDS[kind].object``), None for an unknown file."""
    kind = file_kind(table)
    return KINDS[kind].object if kind else None


def file_order(tables: Iterable[Any]) -> list:
    """``tables`` in loading order: the dependency order of their objects
    (:func:`engine.plan.order`, plus ``membership`` and ``invoice`` after what they link
    to), then the kind order of :data:`KINDS`, then the file name; unknown files last, in
    the order given."""
    tables = list(tables)
    kinds = [file_kind(t) for t in tables]
    objects = sorted(
        {KINDS[k].object for k in kinds if k},
        key=lambda o: min(KIND_ORDER.index(k) for k in KINDS if KINDS[k].object == o),
    )
    depends = dict(plan.DEPENDS, **EXTRA_DEPENDS)
    rank = {obj: i for i, obj in enumerate(plan.order(objects, depends=depends))}

    def key(item):
        i, (table, kind) = item
        if kind is None:
            return (len(rank), 0, "", i)
        return (rank[KINDS[kind].object], KIND_ORDER.index(kind), table.name, i)

    ranked = sorted(enumerate(zip(tables, kinds, strict=True)), key=key)
    return [table for _i, (table, _kind) in ranked]


# ------------------------------------------------------------------ row helpers


@lru_cache(maxsize=4096)
def _find(headers: tuple[str, ...], aliases: tuple[str, ...]) -> str | None:
    """The first header of ``headers`` matching one of ``aliases`` (alias order wins);
    failing that, one that is an alias named after the row's own object ("Task
    Title", "Appointment Owner": the title of the task, its owner)."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm(h), h)
    for alias in aliases:
        hit = by_norm.get(_norm(alias))
        if hit is not None:
            return hit
    for alias in aliases:
        for own in OWN_NOUNS:
            hit = by_norm.get(f"{own} {_norm(alias)}")
            if hit is not None:
                return hit
    return None


# the objects an export's rows are: "Task Title" is the task's title, while
# "Contact Name" names someone else and is never the row's own name
OWN_NOUNS = (
    "task", "appointment", "event", "meeting", "activity", "engagement", "note",
    "todo", "call", "product", "invoice", "opportunity", "deal",
)  # fmt: skip


def _col(row: Mapping[str, Any], aliases: tuple[str, ...]) -> str | None:
    return _find(tuple(row.keys()), aliases)


def _get(row: Mapping[str, Any], aliases: tuple[str, ...]) -> tuple[str | None, str]:
    """``(header, value)`` of the first alias present with a non-blank value, else
    ``(first alias present or None, "")``."""
    keys = tuple(row.keys())
    first = None
    for alias in aliases:
        header = _find(keys, (alias,))
        if header is None:
            continue
        first = first or header
        value = row.get(header)
        value = "" if value is None else str(value).strip()
        if value:
            return header, value
    return first, ""


def _rows(rows: Any) -> Iterable[tuple[int, Mapping[str, Any]]]:
    """``(line, row)`` pairs from a Table, ``(line, dict)`` pairs or bare dicts (bare dicts
    are numbered from 2, as if line 1 held the headers)."""
    if rows is None:
        return
    if hasattr(rows, "rows") and callable(rows.rows):
        rows = rows.rows()
    for i, item in enumerate(rows):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
            yield int(item[0]), item[1]
        else:
            yield i + 2, item


def _issue(kind: str, line: int | None, column: str | None, value: Any, reason: str):
    return {
        "kind": kind,
        "line": line,
        "column": column,
        "value": "" if value is None else str(value),
        "reason": reason,
    }


def _words(value: Any) -> str:
    return " ".join(norm_text(value).replace("-", " ").replace("_", " ").split())


# --------------------------------------------------------------- pipelines/stages

A_PIPELINE_ID = ("Pipeline ID", "Pipeline Id", "ID", "Id")
A_PIPELINE_NAME = ("Pipeline Name", "Pipeline", "Name", "Title")
A_STAGE_PIPELINE_ID = ("Pipeline ID", "Pipeline Id")
A_STAGE_PIPELINE_NAME = ("Pipeline Name", "Pipeline")
A_STAGE_ID = ("Stage ID", "Stage Id", "ID", "Id")
A_STAGE_NAME = ("Stage Name", "Stage", "Name", "Title")
A_STAGE_ORDER = ("Stage Order", "Order", "Position", "Stage Position", "Sequence")
A_STAGE_PROBABILITY = (
    "Win Probability",
    "Probability",
    "Probability (%)",
    "Win %",
    "Win Probability (%)",
)
A_STAGE_WON = ("Won Stage", "Is Won", "Won")
A_STAGE_FOLD = ("Folded", "Fold", "Hidden", "Collapsed")


def _probability(value: str) -> float:
    """``"40"``, ``"40%"``, ``"40.5 %"`` -> 40.0; outside 0-100 or not a number raises."""
    text = value.strip().rstrip("%").strip()
    number = to_float(text)
    if number is None or not 0 <= number <= 100:
        raise TransformError(f"probability {value!r} is not a number from 0 to 100")
    return number


def pipeline_stages(pipelines_rows: Any, stages_rows: Any) -> list[dict]:
    """One team per pipeline, with its stages in pipeline order.

    ``pipelines_rows`` / ``stages_rows``: a Table, ``(line, row)`` pairs or dicts (either
    may be None/empty). Stages find their pipeline by "Pipeline ID", else by name
    (normalised); a single pipeline takes the stages that name none.

    Returns ``[{"team", "source_id", "line", "stages": [{"name", "sequence",
    "probability", "is_won", "fold", "source_id", "line", "added"}], "issues": [...]}]``
    in the pipelines' order (pipelines known only from stages last); ``issues`` are
    sorted by file (pipelines, stages) and line. ``sequence`` is
    1, 2, ... in "Stage Order" order (rows without an order after, in file order).
    ``probability`` is a float 0-100 or None (blank or invalid: an issue). A stage is won
    when a won column says so, or its probability is 100, or its name is a won word
    ("Won", "Closed Won"); won stages and lost-named stages ("Closed Lost") are folded.
    Every team gets a won stage: when none is won, ``{"name": "Won", "probability":
    100.0, "is_won": True, "fold": True, "added": True}`` is appended (crmConnect keeps
    won opportunities in their stage; Odoo marks them won by a won stage).

    Odoo 18 ``crm.stage`` has no probability field: write ``name``, ``sequence``,
    ``is_won``, ``fold`` and ``team_id``; use ``probability`` for the opportunities of
    the stage (``crm.lead.probability``) and, if wanted, in ``requirements``.
    """
    teams: list[dict] = []
    by_id: dict[str, dict] = {}
    by_name: dict[str, dict] = {}

    def new_team(name: str, source_id: str | None, line: int | None) -> dict:
        team = {
            "team": name,
            "source_id": source_id or None,
            "line": line,
            "stages": [],
            "issues": [],
        }
        teams.append(team)
        if source_id:
            by_id[source_id] = team
        by_name.setdefault(norm_text(name), team)
        return team

    for line, row in _rows(pipelines_rows):
        id_col, pid = _get(row, A_PIPELINE_ID)
        name_col, name = _get(row, A_PIPELINE_NAME)
        if not name:
            if pid:
                name = f"Pipeline {pid}"
            else:
                continue
        if norm_text(name) in by_name or (pid and pid in by_id):
            dup = by_id.get(pid) if pid else by_name[norm_text(name)]
            dup = dup or by_name[norm_text(name)]
            dup["issues"].append(
                _issue(
                    "pipelines",
                    line,
                    name_col,
                    name,
                    f"pipeline listed twice (first on line {dup['line']}); "
                    "both are loaded as one team",
                )
            )
            continue
        new_team(name, pid, line)
    known_pipelines = bool(teams)

    pending: dict[int, list[tuple]] = {}
    orphans: list[tuple] = []
    for index, (line, row) in enumerate(_rows(stages_rows)):
        name_col, name = _get(row, A_STAGE_NAME)
        if not name:
            continue
        _c, pid = _get(row, A_STAGE_PIPELINE_ID)
        pcol, pname = _get(row, A_STAGE_PIPELINE_NAME)
        team = by_id.get(pid) if pid else None
        if team is None and pname:
            team = by_name.get(norm_text(pname))
        if team is None and (pid or pname):
            team = new_team(pname or f"Pipeline {pid}", pid, None)
            if known_pipelines:
                team["issues"].append(
                    _issue(
                        "stages",
                        line,
                        pcol if pname else _c,
                        pname or pid,
                        "pipeline is not in the pipelines file; a team is created "
                        "from the stage rows",
                    )
                )
        if team is None:
            orphans.append((index, line, row, name_col, name))
            continue
        pending.setdefault(id(team), []).append((index, line, row, name_col, name))

    if orphans:
        if len(teams) == 1:
            pending.setdefault(id(teams[0]), []).extend(orphans)
        else:
            sink = teams[0] if teams else new_team("Pipeline", None, None)
            for _i, line, _row, name_col, name in orphans:
                sink["issues"].append(
                    _issue(
                        "stages",
                        line,
                        name_col,
                        name,
                        "stage names no pipeline and there are several: not loaded",
                    )
                )

    for team in teams:
        entries = []
        seen: dict[str, int] = {}
        for index, line, row, name_col, name in pending.get(id(team), []):
            key = norm_text(name)
            if key in seen:
                team["issues"].append(
                    _issue(
                        "stages",
                        line,
                        name_col,
                        name,
                        f"stage listed twice in pipeline {team['team']!r} (first on "
                        f"line {seen[key]}): loaded once",
                    )
                )
                continue
            seen[key] = line
            ocol, order_text = _get(row, A_STAGE_ORDER)
            order = None
            if order_text:
                try:
                    order = to_float(order_text)
                except TransformError:
                    team["issues"].append(
                        _issue(
                            "stages",
                            line,
                            ocol,
                            order_text,
                            "stage order is not a number: placed after the ordered "
                            "stages",
                        )
                    )
            pcol, prob_text = _get(row, A_STAGE_PROBABILITY)
            probability = None
            if prob_text:
                try:
                    probability = _probability(prob_text)
                except TransformError as exc:
                    team["issues"].append(
                        _issue(
                            "stages",
                            line,
                            pcol,
                            prob_text,
                            f"{exc}: the stage is created without a probability",
                        )
                    )
            wcol, won_text = _get(row, A_STAGE_WON)
            fcol, fold_text = _get(row, A_STAGE_FOLD)
            try:
                won_flag = to_bool(won_text) if won_text else None
            except TransformError:
                won_flag = None
                team["issues"].append(
                    _issue("stages", line, wcol, won_text, "won flag is not yes/no")
                )
            try:
                fold_flag = to_bool(fold_text) if fold_text else None
            except TransformError:
                fold_flag = None
                team["issues"].append(
                    _issue("stages", line, fcol, fold_text, "folded flag is not yes/no")
                )
            status = _stage_status(name)
            is_won = (
                won_flag
                if won_flag is not None
                else (probability == 100 or status == "won")
            )
            if status == "lost" and probability is None:
                probability = 0.0
            fold = fold_flag if fold_flag is not None else (is_won or status == "lost")
            _icol, sid = _get(row, A_STAGE_ID)
            entries.append(
                (
                    order is None,
                    order or 0,
                    index,
                    {
                        "name": name,
                        "sequence": 0,
                        "probability": probability,
                        "is_won": bool(is_won),
                        "fold": bool(fold),
                        "source_id": sid or None,
                        "line": line,
                        "added": False,
                    },
                )
            )
        entries.sort(key=lambda e: e[:3])
        team["stages"] = [e[3] for e in entries]
        if not any(s["is_won"] for s in team["stages"]):
            team["stages"].append(
                {
                    "name": "Won",
                    "sequence": 0,
                    "probability": 100.0,
                    "is_won": True,
                    "fold": True,
                    "source_id": None,
                    "line": None,
                    "added": True,
                }
            )
        for seq, stage in enumerate(team["stages"], start=1):
            stage["sequence"] = seq
        team["issues"].sort(key=lambda i: (i["kind"] != "pipelines", i["line"] or 0))
    return teams


def _stage_status(name: str) -> str | None:
    try:
        return to_lead_status(name)
    except TransformError:
        return None


# --------------------------------------------------------------- opportunities


class OpportunityStatus(NamedTuple):
    """``status``: crmConnect's (open, won, lost, abandoned); ``state``: what Odoo does
    (open, won: a won stage, lost: ``action_set_lost``); ``lost_reason``: the
    ``crm.lost.reason`` name to use when the row gives none."""

    status: str
    state: str
    lost_reason: str | None = None


ABANDONED = "Abandoned"
_ABANDONED_WORDS = {"abandoned", "abandon", "closed abandoned", "ghosted"}


def opportunity_status(value: Any) -> OpportunityStatus:
    """``"open"`` -> open; ``"won"`` -> won; ``"lost"`` -> lost; ``"abandoned"`` -> lost
    with reason "Abandoned". Blank -> open (crmConnect's default). Other spellings go
    through :func:`engine.transform.to_lead_status` ("Closed Won", "Perdido" ...);
    anything else raises :class:`~engine.transform.TransformError`."""
    text = "" if value is None else str(value).strip()
    if not text:
        return OpportunityStatus("open", "open")
    if _words(text) in _ABANDONED_WORDS:
        return OpportunityStatus("abandoned", "lost", ABANDONED)
    status = to_lead_status(text)
    return OpportunityStatus(status, status)


# ------------------------------------------------------------------ engagements

A_TYPE = ("Type", "Engagement Type", "Activity Type", "Kind", "Channel", "Message Type")
A_STATUS = ("Status", "Call Status", "Task Status", "Outcome", "Disposition", "State")
A_DATE = (
    "Date",
    "Timestamp",
    "Date Sent",
    "Sent At",
    "Activity Date",
    "Date Added",
    "Date Created",
    "Created",
    "Created At",
    "Created On",
)
A_DUE = ("Due Date", "Due", "Deadline", "Due On")
A_COMPLETED = ("Completed On", "Completed At", "Completed Date", "Date Completed")
A_COMPLETED_FLAG = ("Completed", "Done", "Is Completed")
A_SUBJECT = ("Subject", "Title", "Summary", "Name", "Task")
A_BODY = ("Body", "Message", "Note", "Note Body", "Description", "Content", "Notes")
A_AUTHOR = ("User", "Author", "Created By", "Assigned To", "Owner", "Assignee")
A_DURATION = ("Duration (sec)", "Duration", "Call Duration", "Duration (seconds)")
A_DIRECTION = ("Direction",)

# type words -> normalised engagement type
ENGAGEMENT_TYPES = {
    "email": "email", "e mail": "email", "emails": "email", "email sent": "email",
    "email received": "email", "inbound email": "email", "outbound email": "email",
    "call": "call", "calls": "call", "phone": "call", "phone call": "call",
    "inbound call": "call", "outbound call": "call", "voicemail": "call",
    "missed call": "call",
    "meeting": "meeting", "meetings": "meeting", "appointment": "meeting",
    "video call": "meeting", "zoom": "meeting",
    "note": "note", "notes": "note", "comment": "note", "internal note": "note",
    "task": "task", "tasks": "task", "todo": "task", "to do": "task",
    "follow up": "task", "reminder": "task",
    "sms": "sms", "text": "sms", "text message": "sms", "mms": "sms",
    "whatsapp": "sms", "chat": "sms", "live chat": "sms", "facebook": "sms",
    "fb messenger": "sms", "instagram": "sms", "instagram dm": "sms", "gmb": "sms",
    "webchat": "sms",
}  # fmt: skip
OPEN_WORDS = frozenset(
    {
        "scheduled", "planned", "pending", "open", "incomplete", "incompleted",
        "not started", "to do", "todo", "in progress", "queued", "draft", "upcoming",
        "not completed", "confirmed", "booked",
    }
)  # fmt: skip
DONE_WORDS = frozenset(
    {
        "completed", "complete", "done", "closed", "finished", "yes", "true", "showed",
        "held", "delivered", "sent", "opened", "clicked", "read", "replied", "received",
        "answered",
    }
)  # fmt: skip
# engagement message subtype -> (mail.message message_type, subtype xml id)
MESSAGE_SUBTYPES = {
    "note": ("comment", "mail.mt_note"),
    "email": ("email", "mail.mt_comment"),
    "comment": ("comment", "mail.mt_comment"),
}
# engagement activity type -> mail.activity.type xml id
ACTIVITY_TYPES = {
    "call": "mail.mail_activity_data_call",
    "meeting": "mail.mail_activity_data_meeting",
    "todo": "mail.mail_activity_data_todo",
    "email": "mail.mail_activity_data_email",
}


@dataclass
class Engagement:
    """What one engagement row becomes.

    ``kind`` "message": a chatter message, ``type`` its subtype (``note``, ``email``,
    ``comment``: see :data:`MESSAGE_SUBTYPES`), ``date`` its original date (UTC naive).
    ``kind`` "activity": a ``mail.activity``, ``type`` ``call``/``meeting``/``todo``/
    ``email`` (:data:`ACTIVITY_TYPES`), ``done`` whether it happened (keep it the way
    Odoo 18 keeps done activities: archived with ``date_done``), ``deadline`` the
    activity's ``date_deadline``, ``date`` when it happened / was logged.
    ``source_type`` is the engagement type read (``email``, ``call``, ``meeting``,
    ``note``, ``task``, ``sms``); ``issues`` the problems found (a bad timestamp gives
    ``date=None`` and an issue: do not load it with today's date).
    """

    kind: str
    type: str
    done: bool
    date: dt.datetime | None
    deadline: dt.date | None = None
    source_type: str = ""
    subject: str = ""
    body: str = ""
    author_email: str | None = None
    direction: str = ""
    duration: int | None = None
    issues: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when the original timestamp could not be read."""
        return self.date is not None or (self.kind == "activity" and not self.done)

    @property
    def message_type(self) -> str | None:
        return MESSAGE_SUBTYPES[self.type][0] if self.kind == "message" else None

    @property
    def subtype_xmlid(self) -> str | None:
        return MESSAGE_SUBTYPES[self.type][1] if self.kind == "message" else None

    @property
    def activity_type_xmlid(self) -> str | None:
        return ACTIVITY_TYPES[self.type] if self.kind == "activity" else None

    def as_dict(self) -> dict:
        out = asdict(self)
        out["ok"] = self.ok
        return out


def _when(row, aliases, tz, order, what, issues, line, kind, date_only=False):
    col, text = _get(row, aliases)
    if not text:
        return None
    try:
        if date_only:
            return to_date(text, order=order)
        return to_datetime(text, order=order, tz=tz)
    except TransformError as exc:
        issues.append(_issue(kind, line, col, text, f"{what}: {exc}"))
        return None


def _source_type(row: Mapping[str, Any], default: str | None) -> tuple[str, str, str]:
    """``(type, column, raw value)``: the engagement type of ``row``."""
    col, raw = _get(row, A_TYPE)
    if raw:
        return ENGAGEMENT_TYPES.get(_words(raw), ""), col or "", raw
    if default:
        return default, "", ""
    if _col(row, A_DUE) or _col(row, ("Task ID",)):
        return "task", "", ""
    return "note", "", ""


def engagement_kind(
    row: Mapping[str, Any],
    tz: str = "UTC",
    order: str = DATE_ORDER,
    default_type: str | None = None,
    now: dt.datetime | None = None,
    line: int | None = None,
) -> Engagement:
    """What an engagement / note / task row becomes (see :class:`Engagement`).

    * note -> message ``note``; SMS, chat and other logged conversations -> message
      ``comment``; email -> message ``email``, or an open ``email`` activity when its
      status says it is still to be sent (scheduled, draft, queued);
    * call -> activity ``call``, meeting -> activity ``meeting``: done unless the status
      says it is planned (scheduled, pending, open...), or, with ``now`` (UTC naive) and
      no status, dated after ``now``;
    * task -> activity ``todo``: done when its status says so or "Completed On" is set;
      ``deadline`` is the due date (else the date), ``date`` the completion date when
      done (else the creation date).

    Dates without an offset are read in ``tz`` (the account's time zone) with ``order``
    (``MDY``). ``default_type`` is the type of rows without a type column (``"task"`` for
    tasks.csv, ``"note"`` for notes.csv; guessed from the columns when None). An unknown
    type becomes a note with an issue. ``line`` is put in the issues, whose ``kind`` is
    ``tasks`` / ``notes`` with that ``default_type``, else ``engagements``.
    """
    issues: list[dict] = []
    file = {"task": "tasks", "note": "notes"}.get(default_type or "", "engagements")
    source_type, type_col, raw_type = _source_type(row, default_type)
    if not source_type:
        issues.append(
            _issue(
                file,
                line,
                type_col,
                raw_type,
                "unknown engagement type: kept as a note",
            )
        )
        source_type = "note"
    _sc, status_text = _get(row, A_STATUS)
    status = _words(status_text)
    planned = status in OPEN_WORDS
    _c, subject = _get(row, A_SUBJECT)
    _c, body = _get(row, A_BODY)
    _c, author = _get(row, A_AUTHOR)
    author_email = norm_email(author) if EMAIL_RE.match(norm_email(author)) else None
    _c, direction = _get(row, A_DIRECTION)
    dcol, duration_text = _get(row, A_DURATION)
    duration = None
    if duration_text:
        try:
            duration = to_int(duration_text)
        except TransformError:
            issues.append(
                _issue(
                    file,
                    line,
                    dcol,
                    duration_text,
                    "duration is not a whole number of seconds",
                )
            )
    date = _when(row, A_DATE, tz, order, "timestamp", issues, line, file)
    due = _when(row, A_DUE, tz, order, "due date", issues, line, file, True)
    completed = _when(
        row, A_COMPLETED, tz, order, "completion date", issues, line, file
    )

    def make(kind, etype, done, when, deadline=None):
        if when is None and not any(i["column"] in _date_cols(row) for i in issues):
            if kind == "message" or done:
                issues.append(
                    _issue(
                        file,
                        line,
                        _col(row, A_DATE),
                        "",
                        "no timestamp: the original date is unknown",
                    )
                )
        return Engagement(
            kind=kind,
            type=etype,
            done=done,
            date=when,
            deadline=deadline,
            source_type=source_type,
            subject=subject,
            body=body,
            author_email=author_email,
            direction=_words(direction),
            duration=duration,
            issues=issues,
        )

    if source_type == "note":
        return make("message", "note", True, date)
    if source_type == "sms":
        return make("message", "comment", True, date)
    if source_type == "email":
        if planned:
            return make(
                "activity", "email", False, date, due or (date.date() if date else None)
            )
        return make("message", "email", True, date)
    if source_type in ("call", "meeting"):
        done = not planned
        if not status and now is not None and date is not None and date > now:
            done = False
        return make(
            "activity", source_type, done, date, due or (date.date() if date else None)
        )
    # task
    _fc, flag_text = _get(row, A_COMPLETED_FLAG)
    flag = None
    if flag_text:
        try:
            flag = to_bool(flag_text)
        except TransformError:
            flag = None
    if planned:
        done = False
    elif status in DONE_WORDS:
        done = True
    elif flag is not None:
        done = flag
    else:
        done = completed is not None
    when = completed if done and completed is not None else date
    if done and when is None and due is not None:
        # done, with no completion or creation time: done on its due date (the
        # export says what it has; the task is loaded, not held)
        when = dt.datetime.combine(due, dt.time(12))
    deadline = due or (when.date() if when else None)
    if deadline is None:
        issues.append(
            _issue(
                file,
                line,
                _col(row, A_DUE),
                "",
                "no due date and no date: the activity needs a deadline",
            )
        )
    return make("activity", "todo", done, when, deadline)


def _date_cols(row: Mapping[str, Any]) -> set[str]:
    cols = set()
    for aliases in (A_DATE, A_DUE, A_COMPLETED):
        for alias in aliases:
            hit = _col(row, (alias,))
            if hit:
                cols.add(hit)
    return cols


# ------------------------------------------------------------------ appointments

A_APPT_TITLE = ("Title", "Appointment Title", "Subject", "Event Name", "Name")
A_APPT_CALENDAR = ("Calendar", "Calendar Name")
A_APPT_START = ("Start Time", "Start", "Start Date", "Starts At", "Appointment Time")
A_APPT_END = ("End Time", "End", "End Date", "Ends At")
A_APPT_TZ = ("Timezone", "Time Zone", "Calendar Timezone")
A_APPT_ALLDAY = ("All Day", "All-day", "Allday", "All Day Event")
A_APPT_CONTACT = ("Contact Email", "Email", "Contact")
A_APPT_ATTENDEES = ("Attendees", "Guests", "Invitees", "Attendee Emails")
A_APPT_ORGANIZER = (
    "Assigned To",
    "Assigned User",
    "Organizer",
    "Host",
    "Team Member",
    "Owner",
    "User",
)
A_APPT_LOCATION = ("Location", "Meeting Location", "Address")
A_APPT_DESCRIPTION = ("Notes", "Description", "Internal Notes", "Details")
A_APPT_STATUS = ("Appointment Status", "Status")
CANCELLED_WORDS = frozenset({"cancelled", "canceled", "invalid", "deleted"})
DEFAULT_DURATION = dt.timedelta(hours=1)


def _emails(value: str) -> list[str]:
    return [norm_email(v) for v in (split_list(value) or [])]


def appointment_event(
    row: Mapping[str, Any],
    tz: str = "UTC",
    order: str = DATE_ORDER,
    known_emails: Iterable[str] | None = None,
    line: int | None = None,
) -> dict:
    """``calendar.event`` values for one appointment row.

    Returns ``{"name", "start", "stop", "allday", "start_date", "stop_date",
    "attendee_emails", "organizer_email", "organizer", "location", "description",
    "status", "cancelled", "unknown_emails", "issues"}``. ``start``/``stop`` are naive
    UTC datetimes (the row's "Timezone" when it is a valid IANA zone, else ``tz``); an
    all-day appointment (an "All Day" yes, or dates without a time) has ``allday`` True,
    ``start_date``/``stop_date`` set and ``start``/``stop`` at midnight of those dates
    (Odoo computes them from the dates). A missing or earlier end gives one hour.
    ``attendee_emails``: the contact's email then the attendees, normalised, without
    duplicates or the organizer. With ``known_emails`` (normalised emails of the
    migrated partners), attendees outside it are listed in ``unknown_emails`` with an
    issue each (create no partner for them). ``start`` None means the row cannot be
    loaded (its issue says why).
    """
    issues: list[dict] = []
    tz_col, tz_text = _get(row, A_APPT_TZ)
    zone = tz
    if tz_text:
        try:
            to_datetime("2000-01-01 00:00", tz=tz_text)
            zone = tz_text
        except TransformError:
            issues.append(
                _issue(
                    "appointments",
                    line,
                    tz_col,
                    tz_text,
                    f"unknown time zone: {tz} used",
                )
            )
    _c, title = _get(row, A_APPT_TITLE)
    _c, calendar = _get(row, A_APPT_CALENDAR)
    name = title or calendar or "Appointment"
    s_col, s_text = _get(row, A_APPT_START)
    e_col, e_text = _get(row, A_APPT_END)
    a_col, a_text = _get(row, A_APPT_ALLDAY)
    allday = None
    if a_text:
        try:
            allday = to_bool(a_text)
        except TransformError:
            issues.append(
                _issue("appointments", line, a_col, a_text, "all-day is not yes/no")
            )
    if allday is None:
        parts = [parse_date_parts(t) for t in (s_text, e_text) if t]
        allday = bool(parts) and all(p is not None and p.time is None for p in parts)

    start = stop = None
    start_date = stop_date = None
    if not s_text:
        issues.append(
            _issue("appointments", line, s_col, "", "no start time: not loaded")
        )
    elif allday:
        try:
            start_date = to_date(s_text, order=order)
        except TransformError as exc:
            issues.append(_issue("appointments", line, s_col, s_text, str(exc)))
        if start_date is not None:
            stop_date = start_date
            if e_text:
                try:
                    stop_date = max(to_date(e_text, order=order), start_date)
                except TransformError as exc:
                    issues.append(_issue("appointments", line, e_col, e_text, str(exc)))
            start = dt.datetime.combine(start_date, dt.time())
            stop = dt.datetime.combine(stop_date, dt.time())
    else:
        try:
            start = to_datetime(s_text, order=order, tz=zone)
        except TransformError as exc:
            issues.append(
                _issue("appointments", line, s_col, s_text, f"{exc}: not loaded")
            )
        if start is not None:
            stop = None
            if e_text:
                try:
                    stop = to_datetime(e_text, order=order, tz=zone)
                except TransformError as exc:
                    issues.append(
                        _issue(
                            "appointments",
                            line,
                            e_col,
                            e_text,
                            f"{exc}: one hour assumed",
                        )
                    )
                if stop is not None and stop < start:
                    issues.append(
                        _issue(
                            "appointments",
                            line,
                            e_col,
                            e_text,
                            "end time before the start: one hour assumed",
                        )
                    )
                    stop = None
            if stop is None:
                stop = start + DEFAULT_DURATION

    _c, organizer = _get(row, A_APPT_ORGANIZER)
    organizer_email = norm_email(organizer) if organizer else None
    if organizer_email and not EMAIL_RE.match(organizer_email):
        organizer_email = None
    attendees: list[str] = []
    for aliases in (A_APPT_CONTACT, A_APPT_ATTENDEES):
        col, text = _get(row, aliases)
        for email in _emails(text):
            if not EMAIL_RE.match(email):
                issues.append(
                    _issue(
                        "appointments",
                        line,
                        col,
                        email,
                        "attendee is not a valid email address: left out",
                    )
                )
                continue
            if email != organizer_email and email not in attendees:
                attendees.append(email)
    unknown: list[str] = []
    if known_emails is not None:
        known = {norm_email(e) for e in known_emails}
        att_col = _col(row, A_APPT_ATTENDEES) or _col(row, A_APPT_CONTACT)
        for email in attendees:
            if email not in known:
                unknown.append(email)
                issues.append(
                    _issue(
                        "appointments",
                        line,
                        att_col,
                        email,
                        f"unknown attendee {email}: matches no migrated contact",
                    )
                )
    _c, location = _get(row, A_APPT_LOCATION)
    _c, description = _get(row, A_APPT_DESCRIPTION)
    _c, status_text = _get(row, A_APPT_STATUS)
    status = _words(status_text)
    return {
        "name": name,
        "start": start,
        "stop": stop,
        "allday": bool(allday),
        "start_date": start_date,
        "stop_date": stop_date,
        "attendee_emails": attendees,
        "organizer_email": organizer_email,
        "organizer": organizer or None,
        "location": location or None,
        "description": description or None,
        "status": status or None,
        "cancelled": status in CANCELLED_WORDS,
        "unknown_emails": unknown,
        "issues": issues,
    }


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

    system = "crmconnect"
    label = "crmConnect (CSV exports)"

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
