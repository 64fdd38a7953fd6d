"""The converted targets as the loader sees them: one row in, one Record out.

A facade over :mod:`engine.convert` (the rule per target), the project's source
spec (:meth:`engine.sources.base.Source.convert`, where a system overrides a rule)
and the registry of targets (:mod:`engine.core.targets`). Nothing here names a
source system.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .convert.engagements import ACTIVITY_TYPES  # noqa: F401 (re-exported)
from .core import targets
from .core.errors import RowError, SkippedRow  # noqa: F401 (re-exported)
from .core.record import Record
from .core.roles import bound
from .core.rows import Reads, get
from .core.targets import HINT_TARGETS  # noqa: F401 (re-exported)
from .sources.base import get_source

# target -> (Odoo model, what the values hold)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    key: (t.model, t.values) for key, t in targets.TARGETS.items() if t.values
}
CONVERTED = frozenset(FIELDS)
LABELS = {key: targets.TARGETS[key].label for key in FIELDS}


def content_key(row: Mapping[str, Any], system: str = "generic") -> str:
    """A key for a row without an id: the same row in a later export gets the
    same key, whatever its line (the system decides which columns count)."""
    return get_source(system).content_key(row)


def convert(
    target: str,
    row: Mapping[str, Any],
    system: str = "generic",
    tz: str = "UTC",
    columns: Mapping[str, Any] | None = None,
) -> Record:
    """One source row -> :class:`Record` for ``target`` (one of :data:`CONVERTED`),
    by the rule of the project's source system. ``tz``: the source's time zone for
    dates without an offset; ``columns``: the object's column choice ``{role:
    (column, fallbacks...)}`` (engine.columns), read instead of the rule's own
    aliases. Raises :class:`RowError` when the row cannot load."""
    with bound(columns):
        return get_source(system).convert(target, row, tz)


def also_read(
    target: str,
    row: Mapping[str, Any],
    system: str = "generic",
    kind: str | None = None,
) -> frozenset[str]:
    """The columns of a ``target`` row the engine reads beside its converter:
    the compound identity, the link rules (a child's key to its parent, a
    parent's key its children look up) and, for a row of file kind ``kind``,
    the lookups that read it for other rows (a campaign's dates on its
    recipients)."""
    source = get_source(system)
    reads = Reads(row)
    source.identity_key(target, reads)
    for rule in source.links:
        if rule.child == target:
            parts = (rule.part, *(rule.tiebreak[:1] if rule.tiebreak else ()))
            parts += (rule.kind[0],) if rule.kind else ()
        elif rule.parent == target:
            parts = (rule.parent_part, *(rule.tiebreak[1:] if rule.tiebreak else ()))
        else:
            continue
        for part in parts:
            part.read(reads)
    for lookup in source.lookups:
        if kind and lookup.kind == kind:
            for aliases in (lookup.keys, *lookup.values.values()):
                for alias in aliases:
                    get(reads, (alias,))
    return frozenset(reads.read)


def consumed(
    target: str,
    row: Mapping[str, Any],
    system: str = "generic",
    tz: str = "UTC",
    kind: str | None = None,
    columns: Mapping[str, Any] | None = None,
) -> frozenset[str]:
    """Every column of a ``target`` row the engine reads (its rule's, even on a
    row the rule refuses, and :func:`also_read`), through the object's column
    choice ``columns`` as :func:`convert`: the other non-empty cells are
    leftovers, which the loader keeps or reviews."""
    return read_row(target, row, system, tz, kind, columns)[0]


def read_row(
    target: str,
    row: Mapping[str, Any],
    system: str = "generic",
    tz: str = "UTC",
    kind: str | None = None,
    columns: Mapping[str, Any] | None = None,
) -> tuple[frozenset[str], Record | None]:
    """``(consumed, record)``: :func:`consumed` and the Record the row converts
    to (None when the rule refuses it), whose ``homes`` say which field holds
    the value read from which column."""
    reads = Reads(row)
    record = None
    try:
        record = convert(target, reads, system=system, tz=tz, columns=columns)
    except RowError:
        pass  # what it read before refusing the row is still read
    return frozenset(reads.read) | also_read(target, row, system, kind), record
