"""Appointments -> ``calendar.event`` with organiser, attendees and the deal."""

from __future__ import annotations

from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email
from ._util import created_in, engagement_error, other_issues
from .appointments import (
    A_APPT_ATTENDEES,
    A_APPT_CONTACT,
    A_APPT_ORGANIZER,
    appointment_event,
)

TARGET = "event"
VALUES = ("name", "start", "stop", "allday", "start_date", "stop_date", "location",
          "description")  # fmt: skip


def convert(row, tz="UTC"):
    """An appointment row -> the calendar event; RowError without a start."""
    ev = appointment_event(row, tz=tz or "UTC")
    if ev["start"] is None:
        raise engagement_error(ev["issues"])
    email_col, email = get(row, A_APPT_CONTACT)
    _c, lead_ref = get(row, ("Opportunity ID", "Opportunity Id"))
    user_col, _u = get(row, A_APPT_ORGANIZER)
    att_col, _a = get(row, A_APPT_ATTENDEES)
    values = {k: ev[k] for k in VALUES}
    values.update(attendees=ev["attendee_emails"], cancelled=ev["cancelled"])
    return Record(
        "event",
        "calendar.event",
        values,
        contact_email=norm_email(email) or None,
        lead_ref=lead_ref or None,
        user=ev["organizer_email"] or ev["organizer"],
        columns={"contact_email": email_col, "user": user_col, "attendees": att_col},
        created=created_in(row, tz),
        issues=other_issues(ev["issues"]),
    )
