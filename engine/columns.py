"""Which column feeds which input of a converted object: a proposal like a field map.

A converter (engine.convert, or a source system's own) names its inputs by roles
(:mod:`engine.core.roles`). :func:`propose_columns` runs the converter over sample
rows while recording the roles it asks for, then proposes one column per role:

* candidates are the headers spelled like one of the role's aliases, ranked by
  the alias's place, a header written exactly as the alias before one that only
  matches once normalised ("due_date"), and that before one prefixed with the
  row's own noun ("Task Due Date");
* a candidate must hold what the role reads (a date role dates, a done flag
  yes/no, an amount numbers): a "Completed" column of Yes/No is never the
  completion date; one that does not is named in the reason;
* the other candidates that fit are fallbacks, read on a row where the chosen
  column is empty (as the converter's alias order did).

:func:`column_binding` turns the stored choices back into what
:func:`engine.core.roles.bound` takes while the rows of that object convert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .convert.engagement_status import DONE_WORDS, OPEN_WORDS
from .core.headers import norm_header
from .core.roles import recording, role_key, role_kind, role_label
from .core.rows import OWN_NOUNS, words
from .core.text import norm_email
from .infer import infer_column
from .sources.base import get_source
from .transform import EMAIL_RE, TransformError, to_bool, to_datetime, to_money

SAMPLE_ROWS = 300
FIT_SHARE = 0.5  # more than this share of a candidate's values must be of its kind
# inferred column types (engine.infer) each role kind accepts
KIND_TYPES = {
    "date": frozenset({"date", "datetime"}),
    "number": frozenset({"integer", "float", "money"}),
    "money": frozenset({"integer", "float", "money"}),
    "email": frozenset({"email"}),
    "bool": frozenset({"boolean"}),
    "id": frozenset({"integer", "email"}),
}
# an identifier is one word: a number, a code ("CRM-PRO"), a GUID, an email
ID_RE = re.compile(r"^\S{1,64}$")
# how a candidate header matched a role's alias, and the confidence it gives
MATCH_CONFIDENCE = {"exact": 1.0, "spelling": 0.95, "own": 0.85}
UNKNOWN_VALUES = 0.7  # the chosen column is empty in the sample: its kind unchecked
NOT_FOUND = 0.5


@dataclass
class ColumnChoice:
    """The proposed column of one converter input."""

    role: str  # engine.core.roles.role_key
    label: str
    kind: str  # engine.core.roles.KINDS
    column: str | None
    fallbacks: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    # candidates refused because their values are not of the role's kind:
    # {header: what the values look like (engine.infer type)}
    rejected: dict[str, str] = field(default_factory=dict)
    match: str = ""  # exact | spelling | own | "" (none)
    values_type: str = ""  # what the chosen column's values look like
    samples: tuple[str, ...] = ()
    confidence: float = NOT_FOUND
    sequence: int = 0


def values_fit(kind: str, values: Iterable[Any]) -> tuple[bool | None, str]:
    """``(fits, looks like)``: whether ``values`` are of ``kind`` (None when
    there are none to tell), and their inferred type. A value fits when the
    transform the converters read that kind with reads it ("10%" is a number,
    "2025-10-26T14:25:15.000Z" a date), so the check never refuses what the
    converter would have read."""
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not values:
        return None, "empty"
    found = infer_column(values)
    if kind == "text":
        return True, found.type
    types = KIND_TYPES.get(kind, frozenset())
    if found.type in types and found.confidence >= FIT_SHARE:
        return True, found.type
    read = sum(1 for v in values if _reads(kind, v))
    return read / len(values) > FIT_SHARE, found.type


def _reads(kind: str, value: str) -> bool:
    try:
        if kind == "date":
            for order in ("MDY", "DMY", "YMD"):
                try:
                    to_datetime(value, order=order)
                    return True
                except TransformError:
                    continue
            return False
        if kind == "number":
            to_money(value.rstrip("%").strip())
            return True
        if kind == "money":
            to_money(value)
            return True
        if kind == "id":
            return bool(ID_RE.match(value))
        if kind == "email":
            return bool(EMAIL_RE.match(norm_email(value)))
        if kind == "bool":
            return _flag_word(value)
    except (TransformError, ValueError):
        return False
    return True


def _flag_word(value: str) -> bool:
    try:
        to_bool(value)
        return True
    except TransformError:
        return words(value) in DONE_WORDS | OPEN_WORDS


def _rank(header: str, aliases: tuple[str, ...]) -> tuple[int, int, str] | None:
    """``(alias place, match rank, match)`` of a header for a role, None when it
    is none of the role's spellings."""
    h = norm_header(header)
    for i, alias in enumerate(aliases):
        if header.strip() == alias:
            return i, 0, "exact"
        if h == norm_header(alias):
            return i, 1, "spelling"
        if any(h == f"{own} {norm_header(alias)}" for own in OWN_NOUNS):
            return i, 2, "own"
    return None


def _asked_roles(system: str, target: str, rows: list, tz: str) -> dict:
    """{role key: (alias tuple, [rows it was asked of])} in the order asked."""
    source = get_source(system)
    roles: dict[str, tuple[tuple, list, set]] = {}
    with recording() as asked:
        for row in rows:
            try:
                source.convert(target, row, tz)
            except Exception:  # noqa: BLE001,S112 an unusable row still says what it asked
                continue
    for aliases, row in asked:
        key = role_key(aliases)
        if not key:
            continue
        entry = roles.setdefault(key, (aliases, [], set()))
        if id(row) not in entry[2]:
            entry[2].add(id(row))
            entry[1].append(row)
    return {k: (a, r) for k, (a, r, _ids) in roles.items()}


def propose_columns(
    system: str, target: str, rows: Iterable[Mapping[str, Any]], tz: str = "UTC"
) -> list[ColumnChoice]:
    """One :class:`ColumnChoice` per input the converter of ``target`` (as the
    source ``system`` converts it) reads from ``rows`` (a sample of the file)."""
    rows = [dict(r) for _i, r in zip(range(SAMPLE_ROWS), rows, strict=False)]
    out = []
    for seq, (key, (aliases, asked)) in enumerate(
        _asked_roles(system, target, rows, tz).items()
    ):
        choice = _choose(key, aliases, asked)
        choice.sequence = seq
        out.append(choice)
    return out


def _choose(key: str, aliases: tuple, rows: list) -> ColumnChoice:
    kind = role_kind(aliases)
    headers = list(dict.fromkeys(h for row in rows for h in row))
    ranked = sorted(
        (r, h) for h in headers if (r := _rank(str(h), aliases)) is not None
    )
    choice = ColumnChoice(key, role_label(aliases), kind, None)
    choice.candidates = tuple(h for _r, h in ranked)
    fitting, unknown = [], []
    for (_i, _m, match), header in ranked:
        fits, looks = values_fit(kind, (row.get(header) for row in rows))
        if fits:
            fitting.append((header, match, looks))
        elif fits is None:
            unknown.append((header, match, looks))
        else:
            choice.rejected[header] = looks
    chosen = fitting[0] if fitting else unknown[0] if unknown else None
    if chosen is None:
        return choice
    choice.column, choice.match, choice.values_type = chosen
    choice.fallbacks = tuple(h for h, _m, _l in fitting + unknown if h != choice.column)
    choice.samples = tuple(
        dict.fromkeys(
            str(row.get(choice.column)).strip()
            for row in rows
            if str(row.get(choice.column) or "").strip()
        )
    )[:3]
    choice.confidence = MATCH_CONFIDENCE[choice.match] if fitting else UNKNOWN_VALUES
    return choice


def column_binding(choices: Iterable[Mapping[str, Any]]) -> dict[str, tuple]:
    """``{role key: (column, fallbacks...)}`` from stored choices (``role``,
    ``column``, ``fallbacks``: a header list), for :func:`engine.core.roles.bound`;
    a role without a column reads nothing."""
    binding = {}
    for choice in choices:
        columns = [choice.get("column")] + list(choice.get("fallbacks") or ())
        binding[choice["role"]] = tuple(c for c in columns if c)
    return binding
