"""Custom field proposals: an ``x_`` name and a type read from a column's values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..core.headers import _strip_accents
from .headers import _as_cols, _Col


def _slug(text: str) -> str:
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", str(text or ""))
    text = _strip_accents(text).casefold()
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text)).strip("_")


def make_field_name(
    header: str, taken: Iterable[str] = (), index: int | None = None
) -> str:
    """A valid custom field name for ``header``: ascii, lower, [a-z0-9_], "x_" prefix,
    at most 60 characters, unique among ``taken``."""
    slug = _slug(header)
    if slug.startswith("x_"):
        slug = slug[2:]
    if not slug:
        slug = f"column_{index}" if index is not None else "column"
    name = ("x_" + slug)[:60].rstrip("_")
    taken = set(taken)
    if name in taken:
        n = 2
        while True:
            suffix = f"_{n}"
            cand = name[: 60 - len(suffix)].rstrip("_") + suffix
            if cand not in taken:
                name = cand
                break
            n += 1
    return name


def _is_long_text(col: _Col) -> bool:
    if col.details.get("multiline") or (col.details.get("max_length") or 0) > 120:
        return True
    return any(len(v) > 120 or "\n" in v for v in col.values)


NEW_FIELD_TYPES = {
    "empty": ("char", "text"),
    "text": ("char", "text"),
    "email": ("char", "email"),
    "phone": ("char", "phone"),
    "url": ("char", "text"),
    "picklist": ("selection", "text"),
    "integer": ("integer", "int"),
    "float": ("float", "float"),
    "money": ("float", "money"),
    "date": ("date", "date"),
    "datetime": ("datetime", "datetime"),
    "boolean": ("boolean", "bool"),
}


NEW_FIELD_CONFIDENCE = 0.8
MIXED_WORDS = 0.05  # a number or date column with this share of words is text
TYPED_NEW_FIELDS = frozenset(
    {"integer", "float", "money", "date", "datetime", "boolean"}
)


def _new_field(col: _Col, taken: set[str], name: str | None = None) -> tuple[dict, str]:
    label = col.label or col.name.strip()
    ftype, transform = NEW_FIELD_TYPES.get(col.type or "text", ("char", "text"))
    mixed = None
    words = col.details.get("word_share", 0.0)
    if col.type in TYPED_NEW_FIELDS and words >= MIXED_WORDS:
        # a typed field would lose the words among the numbers or dates (other
        # misfits, typos or partial dates, stay typed and are each reviewed)
        mixed = (
            f"{round(words * 100)}% of its values are words, not {col.type} "
            "values, so it is kept as text with every value"
        )
        ftype, transform = "char", "text"
    if ftype == "char" and col.type in (None, "text") and _is_long_text(col):
        ftype = "text"
    name = name or make_field_name(label, taken, col.index + 1)
    taken.add(name)
    new = {"name": name, "type": ftype, "label": label or name}
    if mixed:
        new["mixed"] = mixed
    if ftype == "selection":
        choices = col.details.get("choices") or col.values
        new["selection"] = [str(c) for c in choices][:50]
    return new, transform


def new_field_for(
    header: str,
    inferred_type: str | None = None,
    taken: Iterable[str] = (),
    column: Mapping | None = None,
) -> dict:
    """The custom field proposed for a column: ``{"name": "x_...", "type", "label"}``
    (plus ``"selection"`` for picklists when the profile ``column`` is given).
    ``inferred_type`` is the profile's type; a profile ``column`` dict, when given,
    also decides char vs long text and supplies the choices."""
    data = dict(column or {})
    data["name"] = header
    if inferred_type is not None or "type" not in data:
        data["type"] = inferred_type
    (col,) = _as_cols([data])
    new, _transform = _new_field(col, set(taken))
    return new
