"""Segment rules: which rows of a list a named segment holds.

A segment export gives a name and a rule. A simple rule, one column equal to
one value (``Region = "West"``, ``{"field": "Region", "operator": "equals",
"value": "West"}``), is applied to the migrated records: the segment becomes a
tag on every record whose row has that value. Anything else (several
conditions, another operator) is compound: Odoo has no place to run it, so it
is kept as JSON for a person to rebuild (a saved filter) and never guessed.
Pure functions, no Odoo import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .core.headers import norm_header
from .core.text import norm_text

EQUALS = frozenset(
    {"=", "==", "eq", "equals", "equal", "is", "equal to", "is equal to"}
)
FIELD_KEYS = ("field", "column", "attribute", "ador", "name", "key")
OPERATOR_KEYS = ("operator", "op", "comparison", "condition")
VALUE_KEYS = ("value", "equals", "values")
GROUP_KEYS = ("conditions", "rules", "criteria", "filters", "all", "any", "and", "or")
_SIMPLE_RE = re.compile(
    r"^\s*\[?(?P<field>[^=!<>\[\]]+?)\]?\s*"
    r"(?P<op>==|=|\bequals\b|\bis equal to\b|\beq\b|\bis\b)\s*"
    r"(?P<value>.+?)\s*$",
    re.I,
)
_COMPOUND_RE = re.compile(
    r"\b(and|or|not|in|contains|like|between|starts with|ends with)\b|&&|\|\||[<>]|!=",
    re.I,
)
_QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")


@dataclass(frozen=True)
class SegmentRule:
    """A parsed rule: ``column`` and ``value`` when simple, else ``compound``;
    ``text`` is the rule as the export gave it, ``data`` its JSON form."""

    text: str
    column: str | None = None
    value: str | None = None
    compound: bool = False
    data: Any = None

    @property
    def simple(self) -> bool:
        return not self.compound and bool(self.column)

    def as_json(self) -> str:
        """The rule as JSON text (what a person rebuilds a compound rule from)."""
        data = self.data
        if data is None:
            data = (
                {"field": self.column, "operator": "equals", "value": self.value}
                if self.simple
                else {"rule": self.text}
            )
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _pick(data: Mapping, keys: tuple[str, ...]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in data.items()}
    for key in keys:
        if key in lowered:
            return lowered[key]
    return None


def _from_json(text: str, data: Any) -> SegmentRule:
    if isinstance(data, list):
        data = {"conditions": data}
    if not isinstance(data, Mapping):
        return SegmentRule(text, compound=True, data=data)
    group = _pick(data, GROUP_KEYS)
    if isinstance(group, list):
        if len(group) == 1 and isinstance(group[0], Mapping):
            inner = _from_json(text, group[0])
            return SegmentRule(text, inner.column, inner.value, inner.compound, data)
        return SegmentRule(text, compound=True, data=data)
    column = _pick(data, FIELD_KEYS)
    operator = _pick(data, OPERATOR_KEYS)
    value = _pick(data, VALUE_KEYS)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    simple = (
        isinstance(column, str)
        and column.strip()
        and value is not None
        and not isinstance(value, list | Mapping)
        and (operator is None or norm_text(operator) in EQUALS)
    )
    if not simple:
        return SegmentRule(text, compound=True, data=data)
    return SegmentRule(text, column.strip(), str(value).strip(), False, data)


def parse_rule(text: Any) -> SegmentRule:
    """A segment's rule cell -> :class:`SegmentRule`. JSON (an object, or a list
    of conditions) or text (``Region = West``, ``[Tier] equals 'Gold'``); a
    blank rule is compound (nothing to apply, a person decides)."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        return SegmentRule(raw, compound=True)
    if raw[0] in "[{" and raw[-1] in "]}":
        try:
            return _from_json(raw, json.loads(raw))
        except ValueError:
            pass
    if _COMPOUND_RE.search(_QUOTED_RE.sub("", raw)):
        return SegmentRule(raw, compound=True)
    m = _SIMPLE_RE.match(raw)
    if not m or not _unquote(m.group("value")):
        return SegmentRule(raw, compound=True)
    return SegmentRule(raw, m.group("field").strip(), _unquote(m.group("value")))


def matches(rule: SegmentRule, row: Mapping[str, Any]) -> bool:
    """True when ``row`` (a source row: header -> cell) is in the segment of a
    simple ``rule``: its column (headers compared normalised) holds the value
    (case, accents and spaces ignored). Never true for a compound rule."""
    if not rule.simple:
        return False
    wanted = norm_header(rule.column)
    for header, cell in row.items():
        if norm_header(header) == wanted:
            return norm_text(cell) == norm_text(rule.value)
    return False
