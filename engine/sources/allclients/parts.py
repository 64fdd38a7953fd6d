"""Tasks, email templates and attachments: the parts read from one row."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ...core.errors import RowError
from ...core.roles import Role
from ...core.rows import get
from ...html import sanitize_html
from ...match import norm_email
from ...transform import (
    TransformError,
    to_bool,
    to_date,
)
from .headers import (
    DATE_ORDER,
    MAX_ATTACHMENT_BYTES,
    _text,
    canonical_row,
    header_key_spaced,
    role,
)
from .rows import _convert, clean_id

# --------------------------------------------------------------------------------------
# tasks / follow-up reminders

_CATEGORY_TYPES = (
    ("call", ("phone call", "phone", "call", "calls", "telephone", "ligacao")),
    ("email", ("email", "e mail", "mail", "emails")),
    ("meeting", ("meeting", "appointment", "appt", "visit", "event", "reuniao")),
    (
        "todo",
        (
            "letter",
            "to do",
            "todo",
            "task",
            "follow up",
            "followup",
            "other",
            "general",
        ),
    ),
)
_DONE_WORDS = frozenset(
    {
        "closed",
        "complete",
        "completed",
        "done",
        "finished",
        "1",
        "true",
        "yes",
        "y",
        "x",
    }
)
_OPEN_WORDS = frozenset(
    {
        "open",
        "incomplete",
        "pending",
        "0",
        "false",
        "no",
        "n",
        "not started",
        "in progress",
    }
)
_PRIORITIES = {
    "1": "high",
    "high": "high",
    "3": "normal",
    "normal": "normal",
    "medium": "normal",
    "5": "low",
    "low": "low",
}


# what a task's category says when the task has none ("No Category" is
# AllClients' own): a to-do, as a blank category is, not an unknown category
_NO_CATEGORY = frozenset(
    {"no category", "none", "uncategorized", "uncategorised", "not set", "n a", "na"}
)


def _category_words(category: Any) -> str:
    return " ".join(
        re.sub(r"[^a-z0-9]+", " ", header_key_spaced(_text(category))).split()
    )


def _category_kind(category: Any) -> tuple[str, bool]:
    words = _category_words(category)
    if not words or words in _NO_CATEGORY:
        return "todo", True
    for kind, keys in _CATEGORY_TYPES:
        if any(re.search(rf"\b{re.escape(k)}\b", words) for k in keys):
            return kind, True
    return "todo", False


def activity_type(category: Any) -> str:
    """``call`` | ``email`` | ``meeting`` | ``todo`` for an AllClients task category
    (``Phone Call``, ``Email``, ``Letter``, blank, a meeting word...; anything else is
    a to-do)."""
    return _category_kind(category)[0]


def _yes_no(value: Any) -> bool | None:
    """True/False for a yes/no word, None for anything else (a date, blank)."""
    text = _text(value)
    if not text or any(c.isdigit() for c in text):
        return None
    try:
        return to_bool(text)
    except TransformError:
        return None


# the inputs of a task, each read by every spelling of its canonical column
# (engine.core.roles: a person sees and re-points them on the object map)
T_CATEGORY = role("Category", "text", "Category", "activity")
T_PRIORITY = role("Priority", "text", "Priority", "activity")
T_SUMMARY = role("Summary", "text", "Summary", "activity")
T_DETAILS = role("Details", "text", "Details", "activity")
T_DUE = role("Due Date", "date", "Due date", "activity")
T_STATUS = role("Status", "text", "Status", "activity")
# a "Completed" column holds a date in one export and Yes/No in another: the
# completion date reads only dates, the done flag only yes/no words
T_COMPLETED = role("Completed Date", "date", "Completion date", "activity")
T_DONE_FLAG = Role(
    ("Completed", "Done", "Is Completed", *T_COMPLETED), "bool", "Done (yes/no)"
)
T_OWNER = role("Team Member", "text", "Owner", "activity")
T_CONTACT_ID = role("Contact ID", "id", "Contact (id)", "activity")
T_EMAIL = role("Email", "email", "Contact (email)", "activity")


def _read(row, role, fn, **kw):
    col, value = get(row, role)
    if not value:
        return None
    try:
        return fn(value, **kw)
    except TransformError as exc:
        raise RowError(col or role[0], value, str(exc)) from None


def task_activity(row: Mapping[str, Any]) -> dict[str, Any]:
    """A task / follow-up reminder -> what ``mail.activity`` needs:
    ``{"type": "call"|"meeting"|"email"|"todo", "summary", "date_deadline": date,
    "done": bool, "date_done": date or None, "note", "priority": "high"|"normal"|"low"|
    None, "user": the Team Member value (resolve like contact owners), "contact_id",
    "email", "category" (as written), "category_known": bool}``.

    Done when ``Status`` says closed/complete/done (or 1/true/yes), the done flag
    says yes, or a ``Completed Date`` is filled; ``date_done`` is that date (None
    when a closed task has none: the caller chooses a fallback, e.g. the
    deadline). Raises :class:`RowError` for an unreadable date or status."""
    # the row read whole, as this rule always has (its other columns, the
    # contact's copied names, are accounted for as read: engine.core.rows.Reads)
    canonical_row(row, "activity")
    category = get(row, T_CATEGORY)[1]
    kind, known = _category_kind(category)
    # the category names the task only when it says one ("No Category" does not)
    named = "" if _category_words(category) in _NO_CATEGORY else category
    deadline = _read(row, T_DUE, to_date, order=DATE_ORDER)
    flag = _yes_no(get(row, T_DONE_FLAG)[1])
    _dc, done_text = get(row, T_COMPLETED)
    # a yes/no in the completion date column is the flag, never a date
    completed = (
        None
        if _yes_no(done_text) is not None
        else _read(row, T_COMPLETED, to_date, order=DATE_ORDER)
    )
    status_col, status_text = get(row, T_STATUS)
    status = " ".join(status_text.casefold().split())
    if status in _DONE_WORDS:
        done = True
    elif status in _OPEN_WORDS or not status:
        done = completed is not None or bool(flag)
    else:
        raise RowError(
            status_col or "Status",
            status_text,
            f"{status!r} is neither open nor closed",
        )
    details = (get(row, T_DETAILS)[1] or "").replace("\r\n", "\n")
    summary = get(row, T_SUMMARY)[1] or (
        details.split("\n", 1)[0][:80] if details else ""
    )
    priority = _PRIORITIES.get(get(row, T_PRIORITY)[1].casefold())
    return {
        "type": kind,
        "summary": summary or named or "To do",
        "date_deadline": deadline,
        "done": done,
        "date_done": completed if done else None,
        "note": details,
        "priority": priority,
        "user": get(row, T_OWNER)[1],
        "contact_id": clean_id(get(row, T_CONTACT_ID)[1]),
        "email": norm_email(get(row, T_EMAIL)[1]) or None,
        "category": category,
        "category_known": known,
    }


# --------------------------------------------------------------------------------------
# email templates


def template_parts(row: Mapping[str, Any]) -> dict[str, Any]:
    """An email template export row -> ``mail.template`` values and follow-ups:
    ``{"name", "subject", "folder", "body_html" (sanitised), "image_urls" (external
    images to re-host or check), "allclients_images" (those hosted by AllClients: they
    go away with the account), "removed" (what sanitising took out)}``."""
    row = canonical_row(row, "template")
    parts = sanitize_html(row.get("Body"))
    name = _text(row.get("Name")) or _text(row.get("Subject")) or "AllClients template"
    hosted = [
        u
        for u in parts["image_urls"]
        if (urlsplit(u).hostname or "").lower().endswith("allclients.com")
    ]
    return {
        "name": name,
        "subject": _text(row.get("Subject")),
        "folder": _text(row.get("Folder")),
        "body_html": parts["html"],
        "image_urls": parts["image_urls"],
        "allclients_images": hosted,
        "removed": parts["removed"],
    }


# --------------------------------------------------------------------------------------
# attachments

_SIZE_RE = re.compile(r"^\s*([\d.,]+)\s*([kmgt]?i?b|bytes?)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1024,
    "kib": 1024,
    "mb": 1024**2,
    "mib": 1024**2,
    "gb": 1024**3,
    "gib": 1024**3,
    "tb": 1024**4,
}


def parse_size(value: Any) -> int | None:
    """``"850 KB"``, ``"12.5 MB"``, ``"10485760"`` -> bytes; None when blank;
    ``TransformError`` when unreadable."""
    text = _text(value)
    if not text:
        return None
    m = _SIZE_RE.match(text)
    if not m:
        raise TransformError(f"{text!r} is not a file size")
    number = float(m.group(1).replace(",", ""))
    unit = (m.group(2) or "").lower()
    return int(number * _SIZE_UNITS.get(unit, 1))


def attachment_parts(row: Mapping[str, Any]) -> dict[str, Any]:
    """An attachments-list row -> ``{"name", "contact_id", "email", "url", "path",
    "kind": "url" | "file" | None, "size": bytes or None, "large": bool (over
    :data:`MAX_ATTACHMENT_BYTES`: transfer in chunks), "uploaded": date or None}``.
    ``kind`` None means neither a URL nor a path: a review item. Raises
    :class:`RowError` for an unreadable size or date."""
    row = canonical_row(row, "attachment")
    url = _text(row.get("URL"))
    path = _text(row.get("Path"))
    if url and not re.match(r"^https?://", url, re.I):
        path, url = path or url, ""
    size = _convert("File Size", row, parse_size)
    name = _text(row.get("File Name")) or (
        Path(urlsplit(url).path).name if url else Path(path).name
    )
    return {
        "name": name,
        "contact_id": clean_id(row.get("Contact ID")),
        "email": norm_email(row.get("Email")) or None,
        "url": url or None,
        "path": path or None,
        "kind": "url" if url else ("file" if path else None),
        "size": size,
        "large": bool(size and size > MAX_ATTACHMENT_BYTES),
        "uploaded": _convert("Uploaded", row, to_date, order=DATE_ORDER),
    }
