"""Reading one cell or one contact's key from a row, with the column named on error."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ...core.errors import RowError
from ...match import norm_email
from ...transform import (
    TransformError,
)
from .headers import _text, canonical_row

# --------------------------------------------------------------------------------------
# errors


def _convert(column: str, row: Mapping[str, Any], fn: Callable, **kw: Any) -> Any:
    value = row.get(column, "")
    try:
        return fn(value, **kw)
    except TransformError as exc:
        raise RowError(column, value, str(exc)) from None


# --------------------------------------------------------------------------------------
# contacts and the notes join


def clean_id(value: Any) -> str | None:
    """An AllClients record id as text: ``" 64704 "``, ``"64704.0"``, ``"#64704"``,
    ``"064704"`` -> ``"64704"``; None when blank."""
    text = _text(value).lstrip("#").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    if m:
        return str(int(m.group(1)))
    return text


def contact_key(row: Mapping[str, Any]) -> str | None:
    """The source key of a contact row: its AllClients ``Contact ID`` (see
    :func:`clean_id`), else ``"email:<normalised email>"``, else None. The loader must
    key contacts the same way for :func:`rejoin_notes` links to find them."""
    row = canonical_row(row, "contact")
    cid = clean_id(row.get("Contact ID"))
    if cid:
        return cid
    email = norm_email(row.get("Email"))
    return f"email:{email}" if email else None
