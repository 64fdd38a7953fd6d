"""Groups: the contact's group columns become partner tags."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...core.headers import header_key
from ...transform import (
    TransformError,
    split_list,
    to_bool,
)
from .headers import _GROUP_COLUMN_RE, _GROUP_KEYS, GROUP_PREFIX, _text, canonical_row
from .notes import Orphan, _ContactIndex, link_contact

# --------------------------------------------------------------------------------------
# groups and tags


_FALSE_WORDS = frozenset(
    {"", "no", "n", "false", "0", "-", "nao", "não", "off", "none"}
)


def _group_column(header: str) -> str | None:
    m = _GROUP_COLUMN_RE.match(str(header or ""))
    return m.group(1).strip() if m else None


def group_tags(row: Mapping[str, Any], prefix: str = GROUP_PREFIX) -> list[str]:
    """The contact tags of a row's group memberships: ``["Group: Premier Clients",
    ...]``. Read from a ``Groups`` column (names separated by commas, semicolons, pipes
    or line breaks), a ``Group Name`` column (a row of a separate groups file), and
    one-column-per-group exports (``Group: Premier Clients`` / ``Group - VIP`` columns
    holding X, Yes, 1, true or the group's name). Duplicates (case-insensitive) and
    blanks are dropped; the first spelling wins."""
    names: list[str] = []
    for header, value in row.items():
        key = header_key(header)
        if key in _GROUP_KEYS:
            names += split_list(value) or []
            continue
        group = _group_column(header)
        if group:
            text = _text(value)
            if text.casefold() in _FALSE_WORDS:
                continue
            try:
                member = to_bool(text)
            except TransformError:
                member = True  # any other mark (the group's name, a date) means "in"
            if member is None or member:
                names.append(group)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        folded = name.casefold()
        if name and folded not in seen:
            seen.add(folded)
            out.append(f"{prefix}{name}")
    return out


def group_members(
    contacts: Iterable[tuple[int, Mapping[str, Any]]],
    groups: Iterable[tuple[int, Mapping[str, Any]]],
    key: str | Callable[[Mapping], Any] | None = None,
    prefix: str = GROUP_PREFIX,
) -> tuple[dict[Any, list[str]], list[Orphan]]:
    """A separate groups file (``Group Name`` + ``Contact ID`` and/or ``Email`` per
    row) joined to the contacts like notes: ``({contact key: [tags]}, orphans)``."""
    index = _ContactIndex(contacts, key)
    tags: dict[Any, list[str]] = {}
    orphans: list[Orphan] = []
    for line, raw in groups:
        row = canonical_row(raw, "group")
        names = group_tags({"Group Name": row.get("Group Name", "")}, prefix)
        if not names:
            orphans.append(Orphan(line, dict(raw), "no group name", "Group Name", ""))
            continue
        found = link_contact(index, row)
        if isinstance(found, Orphan):
            orphans.append(found._replace(line=line, row=dict(raw)))
            continue
        slot = tags.setdefault(found[0], [])
        for name in names:
            if name.casefold() not in {t.casefold() for t in slot}:
                slot.append(name)
    return tags, orphans
