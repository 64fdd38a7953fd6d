"""People and companies that appear in several crmConnect files (duplicates, missing
records, spelling variants, links)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...convert.appointments import (
    A_APPT_ATTENDEES,
)
from ...core.rows import find as _find
from ...match import norm_company, norm_email
from ...transform import (
    split_list,
)
from .files import file_kind, file_order

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
        for line, header, entity, role, key, value in _keys(table):
            _add(clusters, table.name, line, header, entity, role, key, value)
    out = []
    for c in clusters.values():
        status = _status(c) if len(c["files"]) >= 2 else "single"
        if status == "single" or (status == "linked" and not include_linked):
            continue
        c["status"] = status
        out.append(c)
    out.sort(key=lambda c: STATUS_RANK[c["status"]])
    return [{k: c[k] for k in CLUSTER_KEYS} for c in out]


CLUSTER_KEYS = (
    "entity",
    "key",
    "status",
    "files",
    "variants",
    "records",
    "count",
    "members",
)


def _columns(table: Any) -> list[tuple]:
    """``(entity, header, role, multi)`` of the columns a file of a known kind
    has for people and companies (each header once)."""
    headers = tuple(table.headers)
    cols: list[tuple] = []
    for entity, aliases, role in DEDUPE_COLUMNS.get(file_kind(table) or "", []):
        header = _find(headers, aliases)
        if header and not any(c[1] == header for c in cols):
            cols.append((entity, header, role, header in _find_all(headers)))
    return cols


def _keys(table: Any):
    """``(line, header, entity, role, key, value)`` of every person (by email) and
    company (by normalised name) a file's rows name."""
    cols = _columns(table)
    if not cols:
        return
    for line, row in table.rows():
        for entity, header, role, multi in cols:
            raw = (row.get(header) or "").strip()
            if not raw:
                continue
            for value in (split_list(raw) if multi else [raw]) or ():
                if entity == "person":
                    key = norm_email(value)
                    if "@" not in key:
                        continue
                else:
                    key = norm_company(value)
                    if not key:
                        continue
                yield line, header, entity, role, key, value


def _add(clusters: dict, file: str, line, header, entity, role, key, value) -> None:
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
    if file not in c["files"]:
        c["files"].append(file)
    if value not in c["variants"]:
        c["variants"].append(value)
    if role == "record":
        c["records"] += 1
        c["record_files"].add(file)
    c["count"] += 1
    if len(c["members"]) < MAX_MEMBERS:
        c["members"].append(
            {"file": file, "line": line, "column": header, "value": value, "role": role}
        )


def _status(c: dict) -> str:
    """duplicate (defined in 2+ files), missing (defined nowhere), variant (spelled
    differently), else linked."""
    if len(c["record_files"]) >= 2:
        return "duplicate"
    if c["records"] == 0:
        return "missing"
    if len({" ".join(v.split()) for v in c["variants"]}) > 1:
        return "variant"
    return "linked"


def _find_all(headers: tuple[str, ...]) -> set[str]:
    """The headers of ``headers`` that hold lists of emails (attendees)."""
    hit = _find(headers, A_APPT_ATTENDEES)
    return {hit} if hit else set()
