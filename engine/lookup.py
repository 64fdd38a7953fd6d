"""Lookups: values a row takes from a row of another export file it names.

A recipient row names its campaign ("Campaign ID" or the campaign's name); the
campaign's dates, team and owner are in the campaigns file. A source spec
declares such a :class:`Lookup` (which rows look up, which file kind holds the
looked-up rows, the columns that name it on both sides, and what to read from
it), and :class:`LookupIndex` finds the looked-up row of each row. Pure Python:
the loader reads the staged rows and writes the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .core.rows import get
from .core.text import norm_text


class Lookup(NamedTuple):
    """``target``: the rows that look up (``"lead"``); ``kind``: the file kind
    of the looked-up rows (a key of the source's file kinds); ``ref``: the
    columns of a row that name the looked-up row; ``keys``: the columns of the
    looked-up row that name it (its id, then its name); ``values``: what is
    read from it, ``{Odoo field of the row's record: column aliases}``."""

    target: str
    kind: str
    ref: tuple[str, ...]
    keys: tuple[str, ...]
    values: Mapping[str, tuple[str, ...]]


class LookupIndex:
    """The looked-up rows of one lookup, by each of their keys (normalised)."""

    def __init__(self, lookup: Lookup, rows: Iterable[Mapping[str, Any]]):
        self.lookup = lookup
        self.by_key: dict[str, Mapping[str, Any]] = {}
        self.ambiguous: set[str] = set()
        for row in rows:
            for alias in lookup.keys:
                _col, value = get(row, (alias,))
                key = norm_text(value)
                if not key:
                    continue
                other = self.by_key.setdefault(key, row)
                if other is not row:
                    self.ambiguous.add(key)

    def find(self, row: Mapping[str, Any]) -> tuple[str | None, str, Any]:
        """``(column, value, looked-up row)`` for ``row``: the row is None when
        the row names none, names an unknown one, or a name two rows share."""
        column, value = get(row, self.lookup.ref)
        key = norm_text(value)
        if not key or key in self.ambiguous:
            return column, value, None
        return column, value, self.by_key.get(key)

    def values(self, found: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
        """``{Odoo field: (column, cell)}`` read from a looked-up row (non-empty
        cells only)."""
        out = {}
        for fname, aliases in self.lookup.values.items():
            column, cell = get(found or {}, aliases)
            if cell:
                out[fname] = (column, cell)
        return out
