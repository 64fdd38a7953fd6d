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
from operator import methodcaller
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
        if not counts:
            return False
        self.non_null += sum(counts.values())
        self._add_hashes(counts)
        self._add_top(counts)
        self.inferrer.add_counts(counts)
        # one search of the chunk's distinct values joined (no "@" is made by
        # the join), not one per value
        return "@" in "\n".join(counts)

    def _add_hashes(self, counts: Counter[str]) -> None:
        """Distinct values, repeats and samples of a chunk's distinct values.
        Below the cap, the repeats are the cells less the hashes the chunk
        adds (a value whose hash is known is a repeat for all its cells, a
        new one for all but its first), counted at once."""
        hashes = self.hashes
        if len(hashes) + len(counts) > DISTINCT_CAP:
            self._add_hashes_capped(counts)
            return
        before = len(hashes)
        samples = self.samples
        if len(samples) < self.sample_size:
            for value in counts:
                key = hash(value)
                if key not in hashes:
                    hashes.add(key)
                    samples.append(value)
                    if len(samples) >= self.sample_size:
                        break
        hashes.update(map(hash, counts))
        self.repeats += sum(counts.values()) - (len(hashes) - before)

    def _add_hashes_capped(self, counts: Counter[str]) -> None:
        """As _add_hashes, value by value: the cap is reached in this chunk."""
        hashes = self.hashes
        for value, count in counts.items():
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

    def _add_top(self, counts: Counter[str]) -> None:
        """The top values' counts: all at once while they fit under TOP_TRACK."""
        top = self.top
        if len(top) + len(counts) <= TOP_TRACK:
            top.update(counts)
            return
        for value, count in counts.items():
            if value in top or len(top) < TOP_TRACK:
                top[value] += count
            else:
                self.top_overflow = True

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
    # most frequent first; ties keep first-seen order (Counter preserves
    # insertion order, and most_common's heap is stable as a sort is)
    return counter.most_common(n)


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
        if EMAIL_RE.match(value.strip()):
            self.add_email(column, norm_email(value), line)

    def add_email(self, column: str, email: str, line: int) -> None:
        """An address (normalised) seen in ``column`` on ``line``."""
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
    they come in the file (the tracker's cap keeps the first ones seen); each
    distinct cell checked and normalised once (an owner's address repeats)."""
    found = [(name, values, _addresses(values)) for name, values in mailed]
    for index, line in enumerate(lines):
        for name, values, addresses in found:
            email = addresses.get(values[index])
            if email is not None:
                emails.add_email(name, email, line)


def _addresses(values: list[str]) -> dict[str, str]:
    """{cell: its address normalised} of the distinct cells that are one."""
    return {
        value: norm_email(value)
        for value in set(values)
        if value and "@" in value and EMAIL_RE.match(value.strip())
    }


def profile_table(
    table: Table, sample_size: int = 5, date_order: str | None = None
) -> dict[str, Any]:
    """Profile of ``table`` (JSON-serialisable); reads ``table.rows()`` once.

    ``date_order`` (``"DMY"``/``"MDY"``) is the hint for date columns whose values never
    decide the day/month order (``engine.infer``).
    """
    profile = TableProfile(table, sample_size, date_order)
    for chunk in _chunks(table.rows(), profile.size):
        profile.add(chunk)
    return profile.result()


class TableProfile:
    """A table's profile, built a chunk of rows at a time: :func:`profile_table`
    reads the rows itself; a step that reads them anyway (staging) passes them
    through :meth:`rows` and gets the same profile from the same pass over the
    file (``complete`` once every row went through)."""

    def __init__(
        self, table: Table, sample_size: int = 5, date_order: str | None = None
    ):
        self.table = table
        self.columns = [_Column(h, date_order, sample_size) for h in table.headers]
        self.emails = _EmailTracker()
        self.count = 0
        self.extra_rows = 0
        self.extra_lines: list[int] = []
        self.size = max(1, CHUNK_CELLS // max(1, len(self.columns)))
        self.complete = False

    def rows(
        self, rows: Iterable[tuple[int, dict[str, str]]]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """``rows`` passed on as they come, profiled a chunk at a time."""
        chunk: list = []
        for item in rows:
            yield item
            chunk.append(item)
            if len(chunk) >= self.size:
                self.add(chunk)
                chunk = []
        if chunk:
            self.add(chunk)
        self.complete = True

    def add(self, chunk: list[tuple[int, dict[str, str]]]) -> None:
        """A chunk of (line, row) in file order."""
        self.count += len(chunk)
        lines = [line for line, _row in chunk]
        rows = [row for _line, row in chunk]
        # a column's cells of the chunk by one C-level map, not a loop per cell
        cells = [list(map(methodcaller("get", c.name, ""), rows)) for c in self.columns]
        mailed = [
            (column.name, values)
            for column, values in zip(self.columns, cells, strict=True)
            if column.add_chunk(values)
        ]
        _track_emails(self.emails, mailed, lines)
        extras = list(map(methodcaller("get", EXTRA_KEY), rows))
        for line, extra in zip(lines, extras, strict=True) if any(extras) else ():
            if extra:
                self.extra_rows += 1
                if len(self.extra_lines) < EXTRA_LINES:
                    self.extra_lines.append(line)

    def result(self) -> dict[str, Any]:
        table, emails = self.table, self.emails
        results = [c.result(self.count) for c in self.columns]
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
            "rows": self.count,
            "columns": results,
            "duplicate_emails": emails.duplicates(email_columns),
            "extra_cells": {"rows": self.extra_rows, "lines": self.extra_lines},
        }
        if emails.capped:
            profile["duplicate_emails_capped"] = True
        return profile
