"""Small helpers the converters share."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.rows import get
from ..transform import TransformError, to_datetime, to_money
from .defaults import DATE_ORDER


def engagement_error(issues: list[dict]) -> RowError:
    """The first issue of an unusable row as the :class:`RowError` that holds it."""
    issue = (
        issues[0] if issues else {"column": "Date", "value": "", "reason": "no date"}
    )
    return RowError(issue["column"] or "Date", issue["value"], issue["reason"])


def other_issues(issues: list[dict]) -> list[tuple[str, str, str]]:
    """Issues as the ``(column, value, reason)`` triples a Record carries."""
    return [(i["column"] or "", i["value"], i["reason"]) for i in issues]


def created(text, tz):
    """A creation date cell -> naive UTC datetime, None when blank or unreadable."""
    if not text:
        return None
    try:
        return to_datetime(text, order=DATE_ORDER, tz=tz or "UTC")
    except TransformError:
        return None


# a row's creation and last update at the source
A_CREATED = ("Created", "Created At", "Date Created")
A_UPDATED = ("Last Updated", "Updated", "Last Modified", "Modified", "Updated At")


def created_in(row, tz, aliases=A_CREATED):
    """The row's creation date read through ``aliases``."""
    _c, text = get(row, aliases)
    return created(text, tz)


def updated_in(row, tz, aliases=A_UPDATED):
    """The row's last update at the source, read through ``aliases``."""
    _c, text = get(row, aliases)
    return created(text, tz)


def read(row, aliases, fn, what=""):
    """``fn`` of the cell read through ``aliases``, None when blank; a RowError
    naming the column (and ``what`` it is) when ``fn`` cannot read it."""
    col, text = get(row, aliases)
    if not text:
        return None
    try:
        return fn(text)
    except TransformError as exc:
        raise RowError(col, text, f"{what}: {exc}" if what else str(exc)) from None


def number(row, aliases, what):
    """A money/number cell, None when blank; RowError naming the column if unreadable."""
    return read(row, aliases, to_money, what)


def read_at(row, aliases, fn, what=""):
    """``(column, fn(cell))`` as :func:`read`, with the column it came from."""
    col, text = get(row, aliases)
    if not text:
        return col, None
    try:
        return col, fn(text)
    except TransformError as exc:
        raise RowError(col, text, f"{what}: {exc}" if what else str(exc)) from None


def homes_of(homes):
    """``{column: (field, value)}`` (engine.core.record.Record.homes) without
    the columns the row lacks and the values it left blank."""
    return {c: h for c, h in homes.items() if c and h[1] not in (None, "")}
