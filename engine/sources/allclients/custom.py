"""Custom fields: AllClients' numbered custom columns and their types."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ...core.headers import header_key
from .groups import _group_column
from .headers import _GROUP_KEYS, STANDARD_CONTACT, normalize_headers

# --------------------------------------------------------------------------------------
# custom fields


_MULTI_SPLIT_RE = re.compile(r"\s*[;|]\s*|\s*,\s+|,(?=\S)")


def _profile_columns(profile: Any) -> dict[str, dict]:
    if not profile:
        return {}
    columns = profile.get("columns") if isinstance(profile, Mapping) else profile
    out = {}
    for col in columns or ():
        if isinstance(col, Mapping) and col.get("name") is not None:
            out[str(col["name"])] = dict(col)
            out.setdefault(str(col["name"]).strip(), dict(col))
    return out


def _column_values(col: Mapping) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for item in col.get("top_values") or ():
        if isinstance(item, list | tuple) and item:
            counts[str(item[0])] = int(item[1]) if len(item) > 1 else 1
    for v in col.get("samples") or ():
        counts.setdefault(str(v), 1)
    return [(v, n) for v, n in counts.items() if v.strip()]


def _multi_value(col: Mapping) -> tuple[bool, list[str], float]:
    """(several choices per cell?, the choices, share of cells with several)."""
    if col.get("type") in (
        "integer",
        "float",
        "money",
        "date",
        "datetime",
        "email",
        "url",
        "phone",
    ):
        return False, [], 0.0
    values = _column_values(col)
    if not values:
        return False, [], 0.0
    total = sum(n for _v, n in values)
    multi = 0
    tokens: dict[str, str] = {}
    occurrences = 0
    for value, n in values:
        parts = [p.strip() for p in _MULTI_SPLIT_RE.split(value) if p.strip()]
        if len(parts) >= 2 and all(len(p) <= 40 for p in parts):
            multi += n
        if any(len(p) > 40 for p in parts):
            return False, [], 0.0  # free text with commas, not choices
        for p in parts:
            tokens.setdefault(p.casefold(), p)
            occurrences += n
    share = multi / total if total else 0.0
    repeated = len(tokens) < occurrences  # choices come back across rows
    ok = share >= 0.2 and multi >= 2 and repeated and len(tokens) <= 100
    return ok, sorted(tokens.values(), key=str.casefold), share


def custom_field_specs(
    headers: Iterable[Any],
    profile: Any = None,
    taken: Iterable[str] = (),
    custom_labels: Mapping | None = None,
) -> list[dict[str, Any]]:
    """``x_`` field proposals for the custom columns of a contacts export (every column
    that is not a standard AllClients contact column; ``Custom N`` columns included).

    ``profile`` is ``profile_table(...)`` of that export (or its ``columns`` list); the
    type comes from the profile's inference like ``engine.propose`` (text -> char, long
    or multi-line text -> text, integer, float, money -> float, date, datetime,
    boolean, a short list of choices -> selection), and a column whose cells hold
    several choices separated by commas/semicolons/pipes (a checkbox group) becomes
    ``many2many`` tags on ``res.partner.category``. Each spec: ``{"column", "name",
    "type", "label", "transform", "reason"}`` plus ``"selection"`` (choices of a
    selection) or ``"relation"``/``"relation_table"``/``"column1"``/``"column2"``/
    ``"choices"`` (tags). ``taken``: field names already used (no clash)."""
    headers = [str(h) for h in headers]
    mapping = normalize_headers(headers, "contact", custom_labels)
    columns = _profile_columns(profile)
    taken_names = set(taken)
    specs: list[dict[str, Any]] = []
    for h in headers:
        canon = mapping.get(h, h)
        if (
            canon in STANDARD_CONTACT
            or _group_column(h)
            or header_key(h) in _GROUP_KEYS
        ):
            continue
        col = columns.get(h) or columns.get(h.strip()) or columns.get(canon) or {}
        label = canon.strip() or h.strip()
        multi, choices, share = _multi_value(col) if col else (False, [], 0.0)
        if multi:
            spec = _tags_spec(h, label, choices, share, taken_names)
        else:
            spec = _typed_spec(h, label, col, taken_names)
        taken_names.add(spec["name"])
        specs.append(spec)
    return specs


def _tags_spec(h: str, label: str, choices: list, share: float, taken: set) -> dict:
    """A checkbox group (several choices per cell): many2many tags."""
    from ...propose import make_field_name

    name = make_field_name(label, taken)
    shown = ", ".join(choices[:5]) + (", ..." if len(choices) > 5 else "")
    return {
        "column": h,
        "name": name,
        "type": "many2many",
        "label": label,
        "transform": "list",
        "relation": "res.partner.category",
        "relation_table": f"x_res_partner_{name[2:]}_rel"[:63],
        "column1": "partner_id",
        "column2": "category_id",
        "choices": choices,
        "reason": f"{round(share * 100)}% of the filled cells hold several "
        f"choices ({shown}): tags",
    }


def _typed_spec(h: str, label: str, col: dict, taken: set) -> dict:
    """A field of the type the profile inferred (plain text without a profile)."""
    from ...propose import TYPE_TRANSFORM, new_field_for

    ctype = col.get("type") if col else None
    new = new_field_for(label, ctype, taken, col or None)
    transform = TYPE_TRANSFORM.get(new["type"], "text")
    if new["type"] == "float" and ctype == "money":
        transform = "money"
    if ctype in ("email", "phone"):
        transform = ctype
    if col:
        conf = col.get("confidence")
        reason = f"custom column; values inferred as {ctype or 'text'}" + (
            f" ({round(float(conf) * 100)}%)" if conf not in (None, "") else ""
        )
    else:
        reason = "custom column; no profile: plain text"
    spec = {
        "column": h,
        "name": new["name"],
        "type": new["type"],
        "label": new["label"],
        "transform": transform,
        "reason": reason,
    }
    if "selection" in new:
        spec["selection"] = new["selection"]
    return spec
