"""File kinds: what an export file holds, from its name and its headers.

A source spec declares its kinds as data, :class:`Kind` per export file (the
object it loads, the words its file names use, the headers typical of it and the
system's standard headers, anything else being a custom column), and
:class:`Kinds` recognises a table: the last kind word of its file or sheet name
wins ("pipeline_stages" -> stages), else the kind whose signature headers it has
most of (at least ``signature_min``, and only one such kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .. import plan
from ..core.rows import norm


class Kind(NamedTuple):
    """One kind of export file of a system."""

    object: str  # engine.plan object it loads
    target: str | None  # the field-mapped target, when a person maps its columns
    names: tuple[str, ...]  # file-name words
    signature: tuple[str, ...]  # headers typical of the kind
    standard: tuple[str, ...] = ()  # the system's standard headers (others: custom)


class Kinds:
    """The kinds of a system, in their loading order among equals."""

    def __init__(
        self,
        kinds: Mapping[str, Kind],
        signature_min: int = 2,
        extra_depends: Mapping[str, tuple[str, ...]] | None = None,
    ):
        self.kinds = dict(kinds)
        self.order = tuple(self.kinds)
        self.signature_min = signature_min
        self.extra_depends = dict(extra_depends or {})
        self._words = {w: k for k, spec in self.kinds.items() for w in spec.names}
        self._signatures = {
            k: frozenset(norm(h) for h in s.signature) for k, s in self.kinds.items()
        }
        self.standard = {
            k: frozenset(norm(h) for h in s.standard) for k, s in self.kinds.items()
        }

    def __getitem__(self, kind: str) -> Kind:
        return self.kinds[kind]

    def by_name(self, name: str) -> str | None:
        """The kind a file name says: its last kind word; None when none is."""
        from ..readers import slug

        base = str(name or "").replace("\\", "/").split("/")[-1]
        base = base.split("[", 1)[0]  # "book.xlsx[Sheet]"
        stem = base.rsplit(".", 1)[0] if "." in base else base
        found = None
        for token in slug(stem).split("_"):
            found = self._words.get(token, found)
        return found

    def by_headers(self, headers: Iterable[str]) -> str | None:
        """The one kind whose signature the headers match best (enough of it)."""
        normed = {norm(h) for h in headers}
        scores = {k: len(sig & normed) for k, sig in self._signatures.items()}
        if {"first name", "last name"} <= normed:  # people, whatever else is there
            scores = {
                k: 0 if self.kinds[k].object == "company" else s
                for k, s in scores.items()
            }
        best = max(scores.values(), default=0)
        winners = [k for k, s in scores.items() if s == best]
        if best < self.signature_min or len(winners) > 1:
            return None
        return winners[0]

    def of(self, table: Any) -> str | None:
        """The kind of ``table``: by its sheet or file name, else by its headers."""
        for name in (getattr(table, "sheet", None), getattr(table, "name", "")):
            kind = self.by_name(name) if name else None
            if kind:
                return kind
        return self.by_headers(getattr(table, "headers", ()) or ())

    def object_of(self, table: Any) -> str | None:
        kind = self.of(table)
        return self.kinds[kind].object if kind else None

    def sort(self, tables: Iterable[Any], kind_of=None) -> list:
        """``tables`` in loading order: their objects' dependency order, then the
        kind order, then the file name; unknown files last, in the order given."""
        tables = list(tables)
        kinds = [(kind_of or self.of)(t) for t in tables]
        objects = sorted(
            {self.kinds[k].object for k in kinds if k},
            key=lambda o: min(
                self.order.index(k) for k in self.kinds if self.kinds[k].object == o
            ),
        )
        depends = dict(plan.DEPENDS, **self.extra_depends)
        rank = {obj: i for i, obj in enumerate(plan.order(objects, depends=depends))}

        def key(item):
            i, (table, kind) = item
            if kind is None:
                return (len(rank), 0, "", i)
            return (
                rank[self.kinds[kind].object],
                self.order.index(kind),
                table.name,
                i,
            )

        ranked = sorted(enumerate(zip(tables, kinds, strict=True)), key=key)
        return [table for _i, (table, _kind) in ranked]
