"""Contacts and the notes join: notes exported apart, joined back by email."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from ...core.headers import header_key
from ...core.rows import get
from ...match import norm_email
from ...transform import (
    to_datetime,
)
from .headers import CENTRAL, DATE_ORDER, _text, canonical_row, role
from .rows import _convert, clean_id, contact_key


class NoteLink(tuple):
    """A note joined to its contact: unpacks as ``(contact_key, note_row)``; also has
    ``.line`` (the note's line), ``.contact_line``, ``.matched_by`` (``"email"``,
    ``"other email"`` or ``"id"``) and ``.detail`` (a readable sentence)."""

    def __new__(cls, contact_key, note, line, contact_line, matched_by, detail=""):
        self = super().__new__(cls, (contact_key, note))
        self.line = line
        self.contact_line = contact_line
        self.matched_by = matched_by
        self.detail = detail
        return self

    @property
    def contact_key(self):
        return self[0]

    @property
    def note(self):
        return self[1]

    def __repr__(self) -> str:
        return (
            f"NoteLink(contact_key={self[0]!r}, line={self.line!r}, "
            f"matched_by={self.matched_by!r})"
        )


class Orphan(NamedTuple):
    """A note (or task, attachment...) that matches no contact: for the review queue."""

    line: int | None
    row: dict
    reason: str
    column: str = "Email"
    value: str = ""


class RejoinResult(NamedTuple):
    links: list[NoteLink]
    orphans: list[Orphan]

    @property
    def counts(self) -> dict[str, int]:
        out = {
            "read": len(self.links) + len(self.orphans),
            "orphans": len(self.orphans),
        }
        for link in self.links:
            out[f"by {link.matched_by}"] = out.get(f"by {link.matched_by}", 0) + 1
        return out


class _ContactIndex:
    """Contacts by normalised email, other email and record id (lines kept)."""

    def __init__(self, contacts: Iterable[tuple[int, Mapping]], key):
        self.by_email: dict[str, list[tuple[str, int]]] = {}
        self.by_other: dict[str, list[tuple[str, int]]] = {}
        self.by_id: dict[str, tuple[str, int]] = {}
        keyfn = key if callable(key) else _column_key(key)
        for line, raw in contacts:
            row = canonical_row(raw, "contact")
            ckey = keyfn(row)
            if ckey is None:
                continue
            email = norm_email(row.get("Email"))
            if email:
                self.by_email.setdefault(email, []).append((ckey, line))
            other = norm_email(row.get("Other Email"))
            if other and other != email:
                self.by_other.setdefault(other, []).append((ckey, line))
            cid = clean_id(row.get("Contact ID"))
            if cid and cid not in self.by_id:
                self.by_id[cid] = (ckey, line)

    @staticmethod
    def unique(hits: list[tuple[str, int]]) -> list[tuple[str, int]]:
        seen: dict[str, int] = {}
        for ckey, line in hits:
            seen.setdefault(ckey, line)
        return list(seen.items())


def _column_key(column: str | None):
    if column is None:
        return contact_key

    def keyfn(row):
        value = row.get(column)
        if column == "Contact ID":
            return clean_id(value)
        if header_key(column) in ("email", "emailaddress"):
            return norm_email(value) or None
        return _text(value) or None

    return keyfn


def _lines(hits) -> str:
    return ", ".join(str(line) for _k, line in hits[:5]) + (
        ", ..." if len(hits) > 5 else ""
    )


def link_contact(
    index: _ContactIndex, row: Mapping[str, Any]
) -> tuple[str, int, str, str] | Orphan:
    """Find the contact of one row that names it by ``Email`` and/or ``Contact ID``
    (a note, a task, an attachment, a group membership): ``(contact key, contact line,
    matched_by, detail)`` or an :class:`Orphan` (with line None: the caller sets it)."""
    email_raw = _text(row.get("Email"))
    email = norm_email(email_raw)
    cid = clean_id(row.get("Contact ID"))
    if not email and not cid:
        return Orphan(
            None,
            dict(row),
            "no email and no contact id to find its contact",
            "Email",
            "",
        )
    id_hit = index.by_id.get(cid) if cid else None
    hits = _ContactIndex.unique(index.by_email.get(email, [])) if email else []
    how = "email"
    if not hits and email:
        hits = _ContactIndex.unique(index.by_other.get(email, []))
        how = "other email"
    if len(hits) == 1:
        ckey, cline = hits[0]
        if id_hit and id_hit[0] != ckey:
            return Orphan(
                None,
                dict(row),
                f"conflict: email {email_raw} is the contact on line {cline} but "
                f"contact id {cid} is the contact on line {id_hit[1]}",
                "Contact ID",
                _text(row.get("Contact ID")),
            )
        return ckey, cline, how, f"{how} {email} (contact line {cline})"
    if id_hit:
        return _by_id(id_hit, hits, email, cid)
    return _unmatched(row, hits, email, email_raw, cid)


def _by_id(id_hit: tuple, hits: list, email: str, cid: str) -> tuple:
    """The contact its id names, when its email finds none or several."""
    ckey, cline = id_hit
    if hits:
        detail = (
            f"email {email} matches {len(hits)} contacts (lines {_lines(hits)}); "
            f"contact id {cid} chooses line {cline}"
        )
    elif email:
        detail = (
            f"email {email} matches no contact (changed?); "
            f"contact id {cid} is line {cline}"
        )
    else:
        detail = f"no email; contact id {cid} is line {cline}"
    return ckey, cline, "id", detail


def _unmatched(
    row: Mapping[str, Any], hits: list, email: str, email_raw: str, cid: str
):
    """The orphan of a row whose email finds several contacts and no id decides,
    or whose email and id find none."""
    if hits:
        tail = f" and contact id {cid} matches none" if cid else " and no contact id"
        return Orphan(
            None,
            dict(row),
            f"ambiguous: email {email} matches {len(hits)} contacts "
            f"(lines {_lines(hits)}){tail}",
            "Email",
            email_raw,
        )
    parts = []
    if email:
        parts.append(f"email {email} matches no contact")
    if cid:
        parts.append(f"contact id {cid} matches no contact")
    column, value = (
        ("Contact ID", _text(row.get("Contact ID")))
        if cid and not email
        else ("Email", email_raw)
    )
    return Orphan(
        None, dict(row), "; ".join(parts) + " (deleted or not exported?)", column, value
    )


def rejoin_notes(
    contacts: Iterable[tuple[int, Mapping[str, Any]]],
    notes: Iterable[tuple[int, Mapping[str, Any]]],
    key: str | Callable[[Mapping], Any] | None = None,
) -> RejoinResult:
    """Join the separate notes export back to the contacts export.

    ``contacts`` and ``notes`` are ``(line, row)`` pairs (``Table.rows()``; canonical or
    raw AllClients headers). A note goes to the contact whose email (normalised: case
    and spaces ignored) is the note's; when the email is missing, changed or shared by
    several contacts, the note's ``Contact ID`` decides (the fallback). A note is an
    orphan, with a readable reason, when neither finds exactly one contact, or when its
    email and its contact id name two different contacts (a person decides).

    ``key`` is how the loader keys contacts: a column name or a function of the row;
    default :func:`contact_key`. Returns ``RejoinResult(links, orphans)``: ``links`` are
    :class:`NoteLink` ``(contact_key, note_row)`` in note order; ``orphans`` are
    :class:`Orphan` ``(line, row, reason, column, value)``.
    """
    index = _ContactIndex(contacts, key)
    links: list[NoteLink] = []
    orphans: list[Orphan] = []
    for line, raw in notes:
        note = canonical_row(raw, "note")
        found = link_contact(index, note)
        if isinstance(found, Orphan):
            orphans.append(found._replace(line=line, row=dict(raw)))
            continue
        ckey, cline, how, detail = found
        links.append(NoteLink(ckey, raw, line, cline, how, detail))
    return RejoinResult(links, orphans)


def note_datetime(value: Any, tz: str = CENTRAL) -> dt.datetime | None:
    """A note date as written by AllClients (``10/2/2014 3:22 PM``, month first, US
    Central time by default) -> naive UTC ``datetime`` for ``mail.message.date``; None
    when blank; ``TransformError`` when unreadable. Daylight saving follows
    ``America/Chicago``: a time that occurs twice (the autumn change) is read as the
    first one, a skipped time (the spring change) with the offset before the change."""
    return to_datetime(value, order=DATE_ORDER, tz=tz)


_SYSTEM_PREFIX_RE = re.compile(
    r"^\s*((?:\[\[\s*(?:system|icon\s*:\s*[a-z]+)\s*\]\]\s*)+)", re.I
)
_ICON_RE = re.compile(r"icon\s*:\s*([a-z]+)", re.I)


# a note's inputs (engine.core.roles: seen and re-pointed on the object map)
N_DATE = role("Date", "date", "Date", "note")
N_TEXT = role("Note", "text", "Text", "note")


def note_parts(row: Mapping[str, Any], tz: str = CENTRAL) -> dict[str, Any]:
    """What a note becomes: ``{"date": naive UTC datetime or None, "body": text,
    "system": bool, "icon": "Email" | "Text" | "Calendar" | None}``. AllClients marks
    generated notes with ``[[System]]`` and ``[[Icon:Email]]`` prefixes: they are removed
    from the body and reported. Raises :class:`RowError` for an unreadable date."""
    # the row read whole, as this rule always has (the names and email beside
    # the note are the contact's, copied: engine.core.rows.Reads)
    canonical_row(row, "note")
    date_col, date_text = get(row, N_DATE)
    date = _convert(date_col or "Date", {date_col: date_text}, note_datetime, tz=tz)
    body = (get(row, N_TEXT)[1] or "").replace("\r\n", "\n").replace("\r", "\n")
    system, icon = False, None
    m = _SYSTEM_PREFIX_RE.match(body)
    if m:
        prefix = m.group(1)
        system = "system" in prefix.casefold()
        im = _ICON_RE.search(prefix)
        icon = im.group(1).capitalize() if im else None
        body = body[m.end() :]
    return {"date": date, "body": body.strip(), "system": system, "icon": icon}
