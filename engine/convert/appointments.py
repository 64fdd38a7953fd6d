"""Appointments -> ``calendar.event`` values (UTC naive start/stop, attendees).

:func:`appointment_event` reads start, end, time zone, all-day flag, organiser,
attendees and status through alias lists; problems come back as issues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.roles import Role
from ..core.rows import col as _col
from ..core.rows import get as _get
from ..core.rows import issue as _issue
from ..core.rows import words as _words
from ..core.text import norm_email
from ..transform import (
    EMAIL_RE,
    TransformError,
    parse_date_parts,
    split_list,
    to_bool,
    to_date,
    to_datetime,
)
from .defaults import DATE_ORDER

# ------------------------------------------------------------------ appointments

A_APPT_TITLE = ("Title", "Appointment Title", "Subject", "Event Name", "Name")
A_APPT_CALENDAR = ("Calendar", "Calendar Name")
A_APPT_START = ("Start Time", "Start", "Start Date", "Starts At", "Appointment Time")
A_APPT_END = ("End Time", "End", "End Date", "Ends At")
A_APPT_TZ = ("Timezone", "Time Zone", "Calendar Timezone")
A_APPT_ALLDAY = Role(
    ("All Day", "All-day", "Allday", "All Day Event"), "bool", "All day"
)
A_APPT_CONTACT = ("Contact Email", "Email", "Contact")
A_APPT_ATTENDEES = ("Attendees", "Guests", "Invitees", "Attendee Emails")
A_APPT_ORGANIZER = (
    "Assigned To",
    "Assigned User",
    "Organizer",
    "Host",
    "Team Member",
    "Owner",
    "User",
)
A_APPT_LOCATION = ("Location", "Meeting Location", "Address")
A_APPT_DESCRIPTION = ("Notes", "Description", "Internal Notes", "Details")
A_APPT_STATUS = ("Appointment Status", "Status")
CANCELLED_WORDS = frozenset({"cancelled", "canceled", "invalid", "deleted"})
DEFAULT_DURATION = dt.timedelta(hours=1)


def _emails(value: str) -> list[str]:
    return [norm_email(v) for v in (split_list(value) or [])]


def appointment_event(
    row: Mapping[str, Any],
    tz: str = "UTC",
    order: str = DATE_ORDER,
    known_emails: Iterable[str] | None = None,
    line: int | None = None,
) -> dict:
    """``calendar.event`` values for one appointment row.

    Returns ``{"name", "start", "stop", "allday", "start_date", "stop_date",
    "attendee_emails", "organizer_email", "organizer", "location", "description",
    "status", "cancelled", "unknown_emails", "issues"}``. ``start``/``stop`` are naive
    UTC datetimes (the row's "Timezone" when it is a valid IANA zone, else ``tz``); an
    all-day appointment (an "All Day" yes, or dates without a time) has ``allday`` True,
    ``start_date``/``stop_date`` set and ``start``/``stop`` at midnight of those dates
    (Odoo computes them from the dates). A missing or earlier end gives one hour.
    ``attendee_emails``: the contact's email then the attendees, normalised, without
    duplicates or the organizer. With ``known_emails`` (normalised emails of the
    migrated partners), attendees outside it are listed in ``unknown_emails`` with an
    issue each (create no partner for them). ``start`` None means the row cannot be
    loaded (its issue says why).
    """
    issues: list[dict] = []

    def note(col: str | None, value: Any, message: str) -> None:
        issues.append(_issue("appointments", line, col, value, message))

    zone = _zone(row, tz, note)
    _c, title = _get(row, A_APPT_TITLE)
    _c, calendar = _get(row, A_APPT_CALENDAR)
    s_col, s_text = _get(row, A_APPT_START)
    e_col, e_text = _get(row, A_APPT_END)
    allday = _allday(row, s_text, e_text, note)
    if not s_text:
        note(s_col, "", "no start time: not loaded")
        start = stop = start_date = stop_date = None
    elif allday:
        start_date, stop_date = _day_span(s_col, s_text, e_col, e_text, order, note)
        start = dt.datetime.combine(start_date, dt.time()) if start_date else None
        stop = dt.datetime.combine(stop_date, dt.time()) if stop_date else None
    else:
        start_date = stop_date = None
        start, stop = _time_span(s_col, s_text, e_col, e_text, order, zone, note)
    _c, organizer = _get(row, A_APPT_ORGANIZER)
    organizer_email = norm_email(organizer) if organizer else None
    if organizer_email and not EMAIL_RE.match(organizer_email):
        organizer_email = None
    attendees = _attendees(row, organizer_email, note)
    _c, location = _get(row, A_APPT_LOCATION)
    _c, description = _get(row, A_APPT_DESCRIPTION)
    _c, status_text = _get(row, A_APPT_STATUS)
    status = _words(status_text)
    return {
        "name": title or calendar or "Appointment",
        "start": start,
        "stop": stop,
        "allday": bool(allday),
        "start_date": start_date,
        "stop_date": stop_date,
        "attendee_emails": attendees,
        "organizer_email": organizer_email,
        "organizer": organizer or None,
        "location": location or None,
        "description": description or None,
        "status": status or None,
        "cancelled": status in CANCELLED_WORDS,
        "unknown_emails": _unknown(row, attendees, known_emails, note),
        "issues": issues,
    }


def _zone(row: Mapping[str, Any], tz: str, note) -> str:
    """The row's own IANA time zone when valid, else ``tz`` (an issue)."""
    tz_col, tz_text = _get(row, A_APPT_TZ)
    if not tz_text:
        return tz
    try:
        to_datetime("2000-01-01 00:00", tz=tz_text)
    except TransformError:
        note(tz_col, tz_text, f"unknown time zone: {tz} used")
        return tz
    return tz_text


def _allday(row: Mapping[str, Any], s_text: str, e_text: str, note) -> bool | None:
    """The "All Day" flag, else whether the start and end are dates without a time."""
    a_col, a_text = _get(row, A_APPT_ALLDAY)
    flag = None
    if a_text:
        try:
            flag = to_bool(a_text)
        except TransformError:
            note(a_col, a_text, "all-day is not yes/no")
    if flag is not None:
        return flag
    parts = [parse_date_parts(t) for t in (s_text, e_text) if t]
    return bool(parts) and all(p is not None and p.time is None for p in parts)


def _day_span(s_col, s_text, e_col, e_text, order, note) -> tuple:
    """An all-day appointment's first and last dates (an end before the start or
    unreadable: the start's date)."""
    try:
        start_date = to_date(s_text, order=order)
    except TransformError as exc:
        note(s_col, s_text, str(exc))
        return None, None
    if start_date is None:
        return None, None
    stop_date = start_date
    if e_text:
        try:
            stop_date = max(to_date(e_text, order=order), start_date)
        except TransformError as exc:
            note(e_col, e_text, str(exc))
    return start_date, stop_date


def _time_span(s_col, s_text, e_col, e_text, order, zone, note) -> tuple:
    """A timed appointment's UTC start and stop (a missing, unreadable or earlier
    end: one hour after the start)."""
    try:
        start = to_datetime(s_text, order=order, tz=zone)
    except TransformError as exc:
        note(s_col, s_text, f"{exc}: not loaded")
        return None, None
    if start is None:
        return None, None
    stop = None
    if e_text:
        try:
            stop = to_datetime(e_text, order=order, tz=zone)
        except TransformError as exc:
            note(e_col, e_text, f"{exc}: one hour assumed")
        if stop is not None and stop < start:
            note(e_col, e_text, "end time before the start: one hour assumed")
            stop = None
    return start, stop or start + DEFAULT_DURATION


def _attendees(row: Mapping[str, Any], organizer_email: str | None, note) -> list[str]:
    """The contact's email then the attendees, valid, without duplicates or the
    organizer; an invalid address is an issue."""
    attendees: list[str] = []
    for aliases in (A_APPT_CONTACT, A_APPT_ATTENDEES):
        col, text = _get(row, aliases)
        for email in _emails(text):
            if not EMAIL_RE.match(email):
                note(col, email, "attendee is not a valid email address: left out")
                continue
            if email != organizer_email and email not in attendees:
                attendees.append(email)
    return attendees


def _unknown(row: Mapping[str, Any], attendees: list[str], known_emails, note) -> list:
    """The attendees matching no migrated partner (an issue each); none when
    ``known_emails`` is None."""
    if known_emails is None:
        return []
    known = {norm_email(e) for e in known_emails}
    att_col = _col(row, A_APPT_ATTENDEES) or _col(row, A_APPT_CONTACT)
    unknown = [email for email in attendees if email not in known]
    for email in unknown:
        note(att_col, email, f"unknown attendee {email}: matches no migrated contact")
    return unknown
