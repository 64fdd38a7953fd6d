"""Profile a table in one streamed pass: per column counts, duplicates, type, samples.

Rows come a chunk at a time (:data:`CHUNK_CELLS` cells); each column's distinct
values of the chunk are looked at once, with their count, so a column that repeats
a few values costs a count per cell, not a classification.

Memory is bounded per column, whatever the file size:

* distinct values are tracked (as 64-bit hashes) up to :data:`DISTINCT_CAP` per column;
  past that ``distinct`` and ``duplicates`` are lower bounds and the column's details say
  so (``distinct_capped: true``, ``distinct_cap``);
* ``top_values`` counts up to :data:`TOP_TRACK` distinct strings per column; a column with
  more has approximate top values (``top_values_exact: false`` in details);
* type inference tallies signatures (see ``engine.infer``), not values;
* email duplicates remember up to :data:`EMAIL_CAP` addresses per file and
  :data:`EMAIL_LINES` line numbers per address (``count`` is always exact for the tracked
  addresses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .infer import ColumnInferrer
from .match import norm_email
from .readers import EXTRA_KEY, Table
from .transform import EMAIL_RE

DISTINCT_CAP = 100_000
TOP_TRACK = 10_000
TOP_VALUES = 20
EMAIL_CAP = 200_000
EMAIL_LINES = 100
EXTRA_LINES = 20
# rows are profiled a chunk at a time, each column's distinct values once per
# chunk: about this many cells held at once, whatever the file's width
CHUNK_CELLS = 100_000


class _Column:
    __slots__ = (
        "name",
        "non_null",
        "nulls",
        "hashes",
        "untracked",
        "repeats",
        "top",
        "top_overflow",
        "samples",
        "inferrer",
        "sample_size",
    )

    def __init__(self, name: str, date_order: str | None, sample_size: int):
        self.name = name
        self.sample_size = sample_size
        self.non_null = 0
        self.nulls = 0
        self.hashes: set[int] = set()
        self.untracked = 0
        self.repeats = 0
        self.top: Counter[str] = Counter()
        self.top_overflow = False
        self.samples: list[str] = []
        self.inferrer = ColumnInferrer(date_order)

    def add_chunk(self, values: list[str]) -> bool:
        """The column's cells of a chunk of rows, in row order: each distinct
        value is looked at once, with its count (the same tallies as one cell
        at a time: every cap only fills up, in the order values are first
        seen). True when a cell holds an ``@`` (the emails to track)."""
        counts = Counter(values)
        for empty in [v for v in counts if not v]:
            self.nulls += counts.pop(empty)
        hashes, top, inferrer = self.hashes, self.top, self.inferrer
        at = False
        for value, count in counts.items():
            self.non_null += count
            key = hash(value)
            if key in hashes:
                self.repeats += count
            elif len(hashes) < DISTINCT_CAP:
                hashes.add(key)
                self.repeats += count - 1
                if len(self.samples) < self.sample_size:
                    self.samples.append(value)
            else:
                self.untracked += count
            if value in top or len(top) < TOP_TRACK:
                top[value] += count
            else:
                self.top_overflow = True
            inferrer.add(value, count)
            at = at or "@" in value
        return at

    def result(self, rows: int) -> dict[str, Any]:
        inference = self.inferrer.result()
        details = dict(inference.details)
        distinct = len(self.hashes)
        if self.untracked:
            details["distinct_capped"] = True
            details["distinct_cap"] = DISTINCT_CAP
        if self.top_overflow:
            details["top_values_exact"] = False
        return {
            "name": self.name,
            "rows": rows,
            "non_null": self.non_null,
            "nulls": self.nulls,
            "null_rate": round(self.nulls / rows, 4) if rows else 0.0,
            "distinct": distinct,
            "duplicates": self.repeats,
            "type": inference.type,
            "confidence": inference.confidence,
            "details": details,
            "samples": list(self.samples),
            "top_values": [[v, c] for v, c in _top(self.top, TOP_VALUES)],
        }


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    # most frequent first; ties keep first-seen order (Counter preserves insertion order)
    return sorted(counter.items(), key=lambda kv: -kv[1])[:n]


IDENTITY_RATIO = 0.6
# an email column that names who owns or touched a record, not who the record is
REFERENCE_HEADER = re.compile(
    r"owner|assign|rep\b|user|salesperson|seller|vendedor|respons|created by|modified by|"
    r"updated by|propriet|agent|manager",
    re.IGNORECASE,
)


class _EmailTracker:
    """Addresses seen per column (only columns later inferred as email are reported)."""

    def __init__(self) -> None:
        self.by_column: dict[str, dict[str, list]] = {}
        self.size = 0
        self.capped = False

    def add(self, column: str, value: str, line: int) -> None:
        if not EMAIL_RE.match(value.strip()):
            return
        email = norm_email(value)
        seen = self.by_column.setdefault(column, {})
        entry = seen.get(email)
        if entry is None:
            if self.size >= EMAIL_CAP:
                self.capped = True
                return
            self.size += 1
            seen[email] = [1, [line]]
        else:
            entry[0] += 1
            if len(entry[1]) < EMAIL_LINES and entry[1][-1] != line:
                entry[1].append(line)

    def duplicates(self, columns: list[str]) -> list[dict[str, Any]]:
        """Addresses found on more than one line, across the given columns."""
        merged: dict[str, list] = {}
        for column in columns:
            for email, (count, lines) in self.by_column.get(column, {}).items():
                entry = merged.setdefault(email, [0, set()])
                entry[0] += count
                entry[1].update(lines)
        out = []
        for email, (count, lines) in merged.items():
            if len(lines) > 1:
                ordered = sorted(lines)
                out.append(
                    {"email": email, "lines": ordered[:EMAIL_LINES], "count": count}
                )
        out.sort(key=lambda d: d["lines"][0])
        return out


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _track_emails(
    emails: _EmailTracker, mailed: list[tuple[str, list[str]]], lines: list[int]
) -> None:
    """The addresses of a chunk's cells, row by row and column by column, as
    they come in the file (the tracker's cap keeps the first ones seen)."""
    for index, line in enumerate(lines):
        for name, values in mailed:
            value = values[index]
            if value and "@" in value:
                emails.add(name, value, line)


def profile_table(
    table: Table, sample_size: int = 5, date_order: str | None = None
) -> dict[str, Any]:
    """Profile of ``table`` (JSON-serialisable); reads ``table.rows()`` once.

    ``date_order`` (``"DMY"``/``"MDY"``) is the hint for date columns whose values never
    decide the day/month order (``engine.infer``).
    """
    columns = [_Column(h, date_order, sample_size) for h in table.headers]
    emails = _EmailTracker()
    rows = 0
    extra_rows = 0
    extra_lines: list[int] = []
    size = max(1, CHUNK_CELLS // max(1, len(columns)))
    for chunk in _chunks(table.rows(), size):
        rows += len(chunk)
        lines = [line for line, _row in chunk]
        cells = [[row.get(c.name, "") for _line, row in chunk] for c in columns]
        mailed = [
            (column.name, values)
            for column, values in zip(columns, cells, strict=True)
            if column.add_chunk(values)
        ]
        _track_emails(emails, mailed, lines)
        for line, row in chunk:
            if row.get(EXTRA_KEY):
                extra_rows += 1
                if len(extra_lines) < EXTRA_LINES:
                    extra_lines.append(line)
    results = [c.result(rows) for c in columns]
    # duplicates matter in a column that identifies people (mostly distinct
    # addresses); an owner or assignee column repeats by nature and is not one,
    # told by its header or by values that repeat more often than not
    email_columns = [
        r["name"]
        for r in results
        if r["type"] == "email"
        and r["non_null"]
        and r["distinct"] > IDENTITY_RATIO * r["non_null"]
        and not REFERENCE_HEADER.search(r["name"])
    ]
    profile: dict[str, Any] = {
        "name": table.name,
        "object_name": table.object_name,
        "kind": table.kind,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "rows": rows,
        "columns": results,
        "duplicate_emails": emails.duplicates(email_columns),
        "extra_cells": {"rows": extra_rows, "lines": extra_lines},
    }
    if emails.capped:
        profile["duplicate_emails_capped"] = True
    return profile
