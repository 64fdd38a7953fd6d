"""crmConnect's custom properties: the non-standard columns of an export, typed from
their values, with the ``x_`` field each becomes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...convert.defaults import DATE_ORDER
from ...core.rows import norm as _norm
from ...infer import infer_column
from ...propose import (
    NEW_FIELD_TYPES,
    new_field_for,
)
from ...readers import EXTRA_KEY
from .files import _STANDARD, KIND_ORDER

# ----------------------------------------------------------- custom properties


def _standard_set(standard_headers: Any) -> frozenset[str]:
    if standard_headers is None:
        return frozenset().union(*_STANDARD.values())
    if isinstance(standard_headers, str):
        if standard_headers in _STANDARD:
            return _STANDARD[standard_headers]
        raise ValueError(
            f"unknown crmConnect file kind {standard_headers!r} "
            f"(known: {', '.join(KIND_ORDER)})"
        )
    return frozenset(_norm(h) for h in standard_headers)


def _profile_columns(profile: Any) -> dict[str, dict]:
    if profile is None:
        return {}
    if isinstance(profile, Mapping) and "columns" in profile:
        profile = profile["columns"]
    if isinstance(profile, Mapping):  # {header: values}
        out = {}
        for header, values in profile.items():
            values = [str(v) for v in values]
            inf = infer_column(values, date_order=DATE_ORDER)
            out[header] = {
                "name": header,
                "type": inf.type,
                "confidence": inf.confidence,
                "details": inf.details,
                "samples": values[:5],
            }
        return out
    return {str(c.get("name")): dict(c) for c in profile}


def custom_properties(
    headers: Iterable[str],
    standard_headers: Any = None,
    profile: Any = None,
    taken: Iterable[str] = (),
) -> list[dict]:
    """The columns of ``headers`` that are not crmConnect standard headers, each with
    the custom field to create for it.

    ``standard_headers``: a kind name (``"contacts"``: its :data:`KINDS` standard
    headers), an iterable of headers, or None (every kind's standard headers). Headers
    are compared after ``normalize_header`` (case, spaces, punctuation).
    ``profile``: the :func:`engine.profile.profile_table` result (or its ``columns``), or
    ``{header: values}`` (inferred here with :func:`engine.infer.infer_column`, mm/dd
    dates); without it every custom column is ``char``. ``taken``: field names that
    exist already.

    Returns ``[{"column", "name" (x_...), "type" (char, text, integer, float, date,
    datetime, boolean, selection), "label", "transform" (engine.transform key),
    "inferred", "confidence", "order" (dates: the parse order), "selection" (picklists)}]``
    in header order; the types and names are those :func:`engine.propose.new_field_for`
    proposes.
    """
    standard = _standard_set(standard_headers)
    columns = _profile_columns(profile)
    used = set(taken)
    out = []
    for header in headers:
        if not header or header == EXTRA_KEY or _norm(header) in standard:
            continue
        column = columns.get(header) or {"name": header}
        inferred = column.get("type") or "text"
        new = new_field_for(header, inferred, used, column)
        used.add(new["name"])
        details = column.get("details") or {}
        prop = {
            "column": header,
            "name": new["name"],
            "type": new["type"],
            "label": new["label"],
            "transform": NEW_FIELD_TYPES.get(inferred, ("char", "text"))[1],
            "inferred": inferred,
            "confidence": column.get("confidence"),
        }
        if new["type"] in ("date", "datetime"):
            prop["order"] = details.get("parse_order") or DATE_ORDER
        if "selection" in new:
            prop["selection"] = new["selection"]
        out.append(prop)
    return out
