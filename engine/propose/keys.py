"""Key proposal: which column identifies a row of a file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .catalogue import _target
from .headers import _as_cols, _Col
from .scoring import _header_score_norm

# --------------------------------------------------------------------------------------
# key proposal

ID_WORDS = {"id", "uid", "uuid", "guid", "key", "codigo", "code", "number"}
# fmt: off
FOREIGN_WORDS = {
    "company": {"contact", "person", "deal", "lead", "owner", "user", "parent", "stage", "pipeline", "opportunity"},
    "contact": {"company", "account", "org", "organization", "deal", "lead", "owner", "user", "parent", "stage", "pipeline", "empresa", "opportunity"},
    "lead": {"company", "account", "organization", "contact", "person", "owner", "user", "stage", "pipeline", "empresa", "team"},
}
# fmt: on
# fmt: off
OWN_WORDS = {
    "company": {"company", "account", "organization", "empresa", "record"},
    "contact": {"contact", "person", "people", "record", "contato", "pessoa"},
    "lead": {"lead", "deal", "opportunity", "record", "negocio", "oportunidade"},
}
# fmt: on


def _id_rank(target: str, col: _Col) -> int | None:
    tokens = col.norm.split()
    if not tokens or not (set(tokens) & ID_WORDS) or len(tokens) > 3:
        return None
    if tokens[0] not in ID_WORDS and tokens[-1] not in ID_WORDS:
        return None
    if set(tokens) & FOREIGN_WORDS[target]:
        return None
    if col.norm in ("id", "record id", "external id", "codigo", "uid", "uuid", "guid"):
        return 0
    if set(tokens) & OWN_WORDS[target]:
        return 0
    if tokens[-1] == "number" and len(tokens) == 1:
        return 2
    return 1


def propose_key(target: str, columns: Iterable[Any]) -> tuple[str | None, str]:
    """(column, reason): the column that identifies a row across runs."""
    _target(target)
    cols = _as_cols(columns)
    ranked = []
    rejected = []
    for col in cols:
        rank = _id_rank(target, col)
        if rank is None:
            continue
        if col.non_null is None:
            ranked.append((rank, col.index, col, "values not checked"))
            continue
        if col.non_null == 0:
            rejected.append(f"'{col.name.strip()}' is empty")
            continue
        if col.nulls:
            rejected.append(f"'{col.name.strip()}' has {col.nulls} blank values")
            continue
        dups = col.duplicates
        if dups is None and col.distinct is not None:
            dups = col.non_null - col.distinct
        if dups:
            rejected.append(f"'{col.name.strip()}' has {dups} duplicate values")
            continue
        ranked.append(
            (rank, col.index, col, f"all {col.non_null} values are distinct and filled")
        )
    if ranked:
        ranked.sort(key=lambda r: (r[0], r[1]))
        _, _, col, why = ranked[0]
        return col.name, f"'{col.name.strip()}' is an id-like column; {why}"
    checked = f" ({'; '.join(rejected)})" if rejected else ""
    if target == "contact":
        emails = [
            c
            for c in cols
            if c.type == "email"
            or _header_score_norm("contact", "email", c.norm)[0] >= 0.9
        ]
        emails.sort(key=lambda c: (c.type != "email", c.index))
        if emails:
            col = emails[0]
            extra = []
            if col.nulls:
                extra.append(f"{col.nulls} rows without an email go to review")
            if col.duplicates:
                extra.append(
                    f"{col.duplicates} duplicate emails are merged or reviewed"
                )
            tail = f" ({'; '.join(extra)})" if extra else ""
            return col.name, (
                f"no unique id column{checked}; contacts are matched by their email "
                f"'{col.name.strip()}'{tail}"
            )
    return None, (
        f"no id-like column with distinct, filled values{checked}; "
        "choose a key column or a compound key before loading"
    )
