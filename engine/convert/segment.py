"""Segments (a name and a rule) -> ``crm.tag``, applied to the leads by the rule."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..segments import parse_rule

TARGET = "segment"
A_NAME = ("Segment Name", "Segment", "Audience", "Name", "Label")
A_RULE = ("Rule", "Segment Rule", "Criteria", "Filter", "Condition", "Definition",
          "Query", "Expression")  # fmt: skip


def convert(row, tz="UTC"):
    """A segment row -> its tag and rule (simple: column and value; else
    compound, kept as JSON)."""
    col, name = get(row, A_NAME)
    if not name:
        raise RowError(col or "Segment Name", "", "a segment needs a name")
    rule_col, text = get(row, A_RULE)
    rule = parse_rule(text)
    return Record(
        "segment",
        "crm.tag",
        {
            "name": name,
            "rule": rule.as_json() if text else None,
            "column": rule.column if rule.simple else None,
            "value": rule.value if rule.simple else None,
            "compound": bool(text) and not rule.simple,
        },
        columns={"rule": rule_col or "Rule"},
    )
