"""Readiness before a full run: a complexity grade and the inventory of what
does not migrate, so that an Odoo admin can rebuild it.

Pure Python (no Odoo). ``NOT_MIGRATED`` is the catalogue, per source system (each
source spec declares its own in ``Source.not_migrated``),
of the kinds of objects that no export or API gives as data (automations,
landing pages, forecasts...): they never become Odoo records and must be
rebuilt by a person. ``grade()`` turns a project's mapping facts into a letter
from A (simple) to D (hard) with the reasons; ``inventory()`` puts the
catalogue and a project's own unmapped objects and dropped columns together
as plain data (JSON) and ``inventory_text()`` as readable text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .sources.base import SOURCES, get_source

INVENTORY_FORMAT = "crm_migration.inventory/1"

# what never migrates is declared by each source spec (Source.not_migrated)

# {system: its catalogue}, as the specs declare it
NOT_MIGRATED: dict[str, list[dict]] = {
    **{
        name: list(cls.not_migrated)
        for name, cls in SOURCES.items()
        if cls.not_migrated
    },
}


def _declared(system: str) -> tuple:
    try:
        items = get_source(system).not_migrated
    except ValueError:
        items = ()
    return items or get_source("generic").not_migrated


def not_migrated(system: str | None) -> list[dict]:
    """The catalogue entries of ``system`` (the generic ones for an unknown system),
    as copies that a caller may change."""
    items = _declared(system or "generic")
    return [dict(item) for item in items]


# --------------------------------------------------------------------------------------
# complexity grade

GRADE_LABELS = {"A": "Simple", "B": "Standard", "C": "Moderate", "D": "Hard"}
LARGE_VOLUME = 1_000_000
REVIEW_SHARE = 0.05
REVIEW_SHARE_HIGH = 0.20


class Grade(NamedTuple):
    letter: str
    label: str
    points: int
    reasons: list[str]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def grade(
    objects_total: int,
    objects_one_to_one: int,
    *,
    new_fields: int = 0,
    dropped_columns: int = 0,
    unmapped_objects: int = 0,
    rows: int = 0,
    open_reviews: int = 0,
) -> Grade:
    """Complexity of a migration from A (simple) to D (hard), with its reasons.

    Points: the share of objects that map 1:1 (all: 0, half or more: 1, fewer:
    2, none: 3); one more for source objects left out, for non-empty columns
    dropped, for open review items above 5% of the rows (two above 20%) and for
    a million rows or more. 0 points is A, 1 B, 2 C, 3 or more D. ``new_fields``
    (x_ fields to create) only explains why an object is not 1:1.
    """
    reasons: list[str] = []
    if objects_total <= 0:
        return Grade("D", GRADE_LABELS["D"], 3, ["No source object is staged yet."])
    one_to_one = max(0, min(objects_one_to_one, objects_total))
    share = one_to_one / objects_total
    if share == 1:
        points = 0
        reasons.append(f"All {objects_total} objects map 1:1 to Odoo fields.")
    else:
        points = 1 if share >= 0.5 else 2 if one_to_one else 3
        reasons.append(
            f"{one_to_one} of {objects_total} objects map 1:1; the others need "
            "new fields, lose columns or are not migrated."
        )
    if new_fields:
        reasons.append(f"{_plural(new_fields, 'new custom field')} (x_) to create.")
    if unmapped_objects:
        points += 1
        reasons.append(
            f"{_plural(unmapped_objects, 'source object')} not migrated (no target): "
            "see the inventory."
        )
    if dropped_columns:
        points += 1
        reasons.append(
            f"{_plural(dropped_columns, 'non-empty column')} set to 'Do not migrate'."
        )
    if open_reviews and rows:
        share_review = open_reviews / rows
        if share_review > REVIEW_SHARE:
            points += 2 if share_review > REVIEW_SHARE_HIGH else 1
            reasons.append(
                f"{_plural(open_reviews, 'open review item')} for {rows} rows "
                f"({share_review:.0%})."
            )
    if rows >= LARGE_VOLUME:
        points += 1
        reasons.append(f"{rows:,} rows: a large volume, run it in background jobs.")
    letter = "ABCD"[min(points, 3)]
    return Grade(letter, GRADE_LABELS[letter], points, reasons)


# --------------------------------------------------------------------------------------
# inventory of what does not migrate


def inventory(
    system: str | None,
    *,
    project: str | None = None,
    unmapped: Iterable[Mapping] = (),
    dropped_columns: Iterable[Mapping] = (),
) -> dict:
    """Plain data (JSON-ready) of everything a run will not bring into Odoo.

    ``unmapped``: the project's source objects without a target, each
    ``{"object", "file", "rows", "columns", "records"}`` (records: the first
    rows, the reference a person rebuilds from); ``dropped_columns``: non-empty
    columns set to not migrate, each ``{"object", "column", "fill_rate"}``.
    """
    sources = []
    for item in unmapped:
        sources.append(
            {
                "object": item.get("object"),
                "file": item.get("file"),
                "rows": int(item.get("rows") or 0),
                "columns": list(item.get("columns") or []),
                "records": list(item.get("records") or []),
                "why": "Its object map has no target: the rows stay in staging.",
                "rebuild_in_odoo": "Choose a target and run again, or rebuild the "
                "records by hand from the file.",
            }
        )
    columns = [
        {
            "object": item.get("object"),
            "column": item.get("column"),
            "fill_rate": round(float(item.get("fill_rate") or 0.0), 4),
        }
        for item in dropped_columns
    ]
    return {
        "format": INVENTORY_FORMAT,
        "project": project,
        "system": system or "generic",
        "not_migrated_sources": sources,
        "dropped_columns": columns,
        "never_migrated": not_migrated(system),
    }


def inventory_text(data: Mapping) -> str:
    """The inventory as readable text (Markdown), for a person or a ticket."""
    lines = [f"# What does not migrate: {data.get('project') or data.get('system')}"]
    sources = data.get("not_migrated_sources") or []
    lines.append("")
    lines.append("## Source objects left out of this project")
    if not sources:
        lines.append("None: every staged object has a target.")
    for item in sources:
        lines.append(
            f"- {item['object']} ({item.get('file') or '?'}, {item['rows']} rows): "
            f"{item['why']} {item['rebuild_in_odoo']}"
        )
    columns = data.get("dropped_columns") or []
    if columns:
        lines.append("")
        lines.append("## Non-empty columns set to not migrate")
        for item in columns:
            lines.append(
                f"- {item['object']} / {item['column']}: "
                f"{item['fill_rate']:.0%} of the rows have a value"
            )
    lines.append("")
    lines.append(f"## Never migrated from {data.get('system')}: rebuild in Odoo")
    for item in data.get("never_migrated") or []:
        lines.append(
            f"- {item['object']}: {item['why']} Rebuild: {item['rebuild_in_odoo']}."
        )
    return "\n".join(lines) + "\n"
