"""One way to read a row by its column aliases.

A converter names the columns it wants by their usual spellings, most likely
first (``("Stage Name", "Stage", "Name")``); :func:`get` gives the first one the
row has with a value, and the header it came from (a review item names it).
Headers are compared by :func:`engine.core.headers.norm_header`, so "Stage name",
"stage_name" and "STAGE NAME" are one column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from .headers import norm_header as norm
from .roles import binding, note_asked
from .text import norm_text


@lru_cache(maxsize=4096)
def find(headers: tuple[str, ...], aliases: tuple[str, ...]) -> str | None:
    """The first header of ``headers`` matching one of ``aliases`` (alias order wins);
    failing that, one that is an alias named after the row's own object ("Task
    Title", "Appointment Owner": the title of the task, its owner)."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(norm(h), h)
    for alias in aliases:
        hit = by_norm.get(norm(alias))
        if hit is not None:
            return hit
    for alias in aliases:
        for own in OWN_NOUNS:
            hit = by_norm.get(f"{own} {norm(alias)}")
            if hit is not None:
                return hit
    return None


# the objects an export's rows are: "Task Title" is the task's title, while
# "Contact Name" names someone else and is never the row's own name
OWN_NOUNS = (
    "task", "appointment", "event", "meeting", "activity", "engagement", "note",
    "todo", "call", "product", "invoice", "opportunity", "deal",
)  # fmt: skip


def col(row: Mapping[str, Any], aliases: tuple[str, ...]) -> str | None:
    """The header of ``row`` that ``aliases`` names: the bound column when the
    object's column choice binds this role (engine.core.roles), else by alias."""
    note_asked(aliases, row)
    columns = binding(aliases)
    if columns is not None:
        return next((c for c in columns if c in row), None)
    return find(tuple(row.keys()), aliases)


def get(row: Mapping[str, Any], aliases: tuple[str, ...]) -> tuple[str | None, str]:
    """``(header, value)`` of the first alias present with a non-blank value, else
    ``(first alias present or None, "")``. A role bound to columns
    (engine.core.roles.bound) reads those columns, in their order, instead."""
    note_asked(aliases, row)
    columns = binding(aliases)
    if columns is not None:
        present = [c for c in columns if c in row]
        for header in present:
            value = text(row.get(header))
            if value:
                return header, value
        return (present[0] if present else None), ""
    keys = tuple(row.keys())
    first = None
    for alias in aliases:
        header = find(keys, (alias,))
        if header is None:
            continue
        first = first or header
        value = row.get(header)
        value = "" if value is None else str(value).strip()
        if value:
            return header, value
    return first, ""


class Reads(Mapping):
    """A row that remembers which of its columns were read: what a converter
    consumed. A cell read by key (:func:`get`, ``row[h]``, ``row.get(h)``) is
    consumed; reading the whole row (``items()``, ``values()``, ``dict(row)``)
    consumes every column; listing the headers consumes none.

    >>> row = Reads({"Name": "Ann", "Fax": "1"})
    >>> get(row, ("Name",)), sorted(row.read)
    (('Name', 'Ann'), ['Name'])
    """

    def __init__(self, row: Mapping[str, Any]):
        self._row = row
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        value = self._row[key]
        self.read.add(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._row:
            self.read.add(key)
        return self._row.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._row

    def __iter__(self):
        return iter(self._row)

    def keys(self):
        # the headers, as fast as the row's own (get() asks for them on every
        # alias): listing them consumes nothing
        return self._row.keys()

    def __len__(self) -> int:
        return len(self._row)


def leftover(
    row: Mapping[str, Any], consumed: Iterable[str], covered: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """``[(header, value)]`` of the non-empty cells of ``row`` that nothing
    consumed nor covers: what a converter would drop without a word.

    >>> leftover({"Name": "Ann", "Fax": " 1 ", "Note": ""}, {"Name"})
    [('Fax', '1')]
    """
    skip = set(consumed) | set(covered)
    return [(str(h), text(v)) for h, v in row.items() if h not in skip and text(v)]


def iter_rows(rows: Any) -> Iterable[tuple[int, Mapping[str, Any]]]:
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


def words(value: Any) -> str:
    """Lower-case words of a value: ``"Closed-Won"`` -> ``"closed won"``."""
    return " ".join(norm_text(value).replace("-", " ").replace("_", " ").split())


def text(value: Any) -> str:
    """A cell as stripped text (None -> ``""``)."""
    return "" if value is None else str(value).strip()


def issue(kind: str, line: int | None, column: str | None, value: Any, reason: str):
    return {
        "kind": kind,
        "line": line,
        "column": column,
        "value": "" if value is None else str(value),
        "reason": reason,
    }
