"""The inputs of a converter ("due date", "completed", "subject", "owner") as
roles a person can see and re-point, like a field map.

A converter names what it reads by an alias tuple (``("Due Date", "Due",
"Deadline")``); :class:`Role` is such a tuple that also says what its values
hold (``kind``: dates, yes/no, numbers...), so that the column proposed for it
can be checked against its values. A plain alias tuple is a role too, its kind
guessed from its first spelling.

Two context switches, both used by :func:`engine.core.rows.get` and ``col``:

* :func:`bound` ``{role key: (column, fallback columns...)}``: while rows are
  converted, each bound role reads exactly those columns (the confirmed column
  choice of the object), an empty tuple reading nothing;
* :func:`recording` collects every role a converter asks for and the rows it
  asked them of, which is how the proposals learn a converter's inputs without
  a hand-kept list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from .headers import norm_header

# what a role's values hold; the proposals check candidate columns against it
# (engine.columns.values_fit): dates, yes/no, numbers, amounts of money,
# email addresses, identifiers (one word: a source id, a code, a number) or
# any text
KINDS = ("date", "bool", "number", "money", "email", "id", "text")


class Role(tuple):
    """An alias tuple (most likely spelling first) with the ``kind`` of values
    it reads and a ``label`` to show; used wherever the tuple was."""

    kind: str
    label: str

    def __new__(cls, aliases: tuple[str, ...], kind: str = "text", label: str = ""):
        if kind not in KINDS:
            raise ValueError(f"unknown role kind {kind!r}")
        self = super().__new__(cls, aliases)
        self.kind = kind
        self.label = label or aliases[0]
        return self

    def __getnewargs__(self):
        return (tuple(self), self.kind, self.label)


@lru_cache(maxsize=2048)
def role_key(aliases: tuple[str, ...]) -> str:
    """The stable key of a role: its first spelling, normalised."""
    return norm_header(aliases[0]) if aliases else ""


# words of a role's first spelling that say what it holds (our own names, never
# a source's headers): the kind of a plain alias tuple
_TEXT_ENDS = frozenset({"by", "name", "id", "to", "type", "status", "reason", "code"})
_DATE_WORDS = frozenset(  # fmt: skip
    {
        "date",
        "time",
        "deadline",
        "due",
        "timestamp",
        "start",
        "end",
        "uploaded",
        "created",
        "updated",
        "modified",
        "birthday",
    }
)
_NUMBER_WORDS = frozenset(
    {"price", "amount", "value", "total", "quantity", "cost", "probability",
     "duration", "size", "discount", "percent"}
)  # fmt: skip


# The kind of every converter input that is declared as a plain alias tuple
# (engine.convert, engine.sources.*), by its key (role_key: the first
# spelling, normalised). A Role declares its own. engine/tests/test_roles.py
# enumerates every input of every converter and fails on one missing here.
DECLARED: dict[str, str] = {
    # dates
    **dict.fromkeys(
        ("created", "date", "due date", "end time", "expiration date",
         "last updated", "start time", "uploaded", "completed on",
         "completed date"),
        "date",
    ),
    # yes/no
    **dict.fromkeys(
        ("all day", "archived", "completed", "folded", "last review", "won stage"),
        "bool",
    ),
    # counts, orders, percentages, sizes, durations
    **dict.fromkeys(
        ("discount", "duration mins", "duration sec", "file size", "pipeline order",
         "quantity", "review number", "size kb", "stage order", "win probability"),
        "number",
    ),
    # amounts of money
    **dict.fromkeys(
        ("amount", "amount paid", "cost", "lines total", "price", "total",
         "unit price"),
        "money",
    ),
    # email addresses
    **dict.fromkeys(("email",), "email"),
    # identifiers: a source id, a code or a document number (one word)
    **dict.fromkeys(
        ("company id", "contact id", "deal id", "invoice number", "opportunity id",
         "pipeline id", "product id", "quote id", "quote number",
         "related object id", "sku", "stage id"),
        "id",
    ),
    # text: names, titles, notes, words a rule reads (statuses, types), and
    # the references that may be a name or an email (owners, recipients)
    **dict.fromkeys(
        ("appointment status", "asset name", "assigned to", "attendees",
         "attributes", "body", "calendar", "call outcome", "campaign id",
         "campaign name", "category", "company name", "complete name",
         "contact email", "contact name", "currency", "description", "details", "direction",
         "file name", "file url", "lead id", "location", "lost reason", "name",
         "note", "notes", "owner email", "parent category", "path", "payment link",
         "pipeline name", "priority", "product", "product category",
         "product name", "product type", "recipient id", "related object", "rule",
         "section", "segment name", "stage name", "state", "status", "subject", "summary",
         "team", "team member", "timezone", "title", "type", "url", "used on",
         "user", "variable data"),
        "text",
    ),
}  # fmt: skip


def declared_kind(aliases: tuple[str, ...]) -> str | None:
    """The kind a role declares (a Role's own, else :data:`DECLARED`), or None."""
    return getattr(aliases, "kind", None) or DECLARED.get(role_key(aliases))


def role_kind(aliases: tuple[str, ...]) -> str:
    """What a role's values hold: its declared kind, else guessed from the
    words of its first spelling ("Send Date" dates, "Unit Price" numbers)."""
    kind = declared_kind(aliases)
    if kind:
        return kind
    words = role_key(aliases).split()
    if not words or words[-1] in _TEXT_ENDS:
        return "text"
    if "email" in words:
        return "email"
    if _DATE_WORDS & set(words):
        return "date"
    if _NUMBER_WORDS & set(words):
        return "number"
    return "text"


def role_label(aliases: tuple[str, ...]) -> str:
    return getattr(aliases, "label", None) or (aliases[0] if aliases else "")


# {role key: (column, fallback columns...)} while a converter runs
_BOUND: ContextVar[Mapping[str, tuple[str, ...]] | None] = ContextVar(
    "crm_migration_bound_columns", default=None
)
# [(alias tuple, row)] while a converter's inputs are being recorded
_ASKED: ContextVar[list | None] = ContextVar("crm_migration_asked", default=None)


@contextmanager
def bound(columns: Mapping[str, Any] | None) -> Iterator[None]:
    """Within the block, a role whose key is in ``columns`` reads those columns
    (a header, or a tuple of headers tried in order; empty: none)."""
    if not columns:
        yield
        return
    norm = {
        k: (v,) if isinstance(v, str) else tuple(c for c in v or () if c)
        for k, v in columns.items()
    }
    norm = {k: tuple(c for c in v if c) for k, v in norm.items()}
    token = _BOUND.set(norm)
    try:
        yield
    finally:
        _BOUND.reset(token)


def binding(aliases: tuple[str, ...]) -> tuple[str, ...] | None:
    """The columns bound to this role now, or None when it is not bound."""
    columns = _BOUND.get()
    if columns is None:
        return None
    return columns.get(role_key(aliases))


@contextmanager
def recording() -> Iterator[list]:
    """Within the block, every role asked through ``rows.get``/``col`` is
    appended, with the row it was asked of, to the yielded list."""
    asked: list = []
    token = _ASKED.set(asked)
    try:
        yield asked
    finally:
        _ASKED.reset(token)


def note_asked(aliases: tuple[str, ...], row: Mapping[str, Any]) -> None:
    asked = _ASKED.get()
    if asked is not None and aliases:
        asked.append((aliases, row))
