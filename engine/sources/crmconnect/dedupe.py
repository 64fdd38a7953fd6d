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
