"""Whether an engagement is a message or an activity, done or planned, and when.

:func:`decide` reads the status words, the dates and the done flag of one engagement
(:class:`Facts`); :mod:`.engagements` reads the row and builds the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.rows import words as _words
from ..transform import TransformError, to_bool

OPEN_WORDS = frozenset(
    {
        "scheduled", "planned", "pending", "open", "incomplete", "incompleted",
        "not started", "to do", "todo", "in progress", "queued", "draft", "upcoming",
        "not completed", "confirmed", "booked", "undone", "not done", "deferred",
        "waiting", "waiting for input", "waiting on someone else",
    }
)  # fmt: skip
DONE_WORDS = frozenset(
    {
        "completed", "complete", "done", "closed", "finished", "yes", "true", "showed",
        "held", "delivered", "sent", "opened", "clicked", "read", "replied", "received",
        "answered",
    }
)  # fmt: skip


def local_day(when: dt.datetime | None, tz: str | None) -> dt.date | None:
    """The calendar day of a naive UTC moment in the source's time zone (a
    call at 22:30 in Sao Paulo is that day's, not the next UTC day's)."""
    if when is None:
        return None
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone.utc
    return when.replace(tzinfo=dt.timezone.utc).astimezone(zone).date()


@dataclass(frozen=True)
class Facts:
    """What decides an engagement's kind: its status words, dates (UTC naive; the
    due date a date), the done flag's text, the account's zone and "now"."""

    status: str
    date: dt.datetime | None
    due: dt.date | None
    completed: dt.datetime | None
    flag_text: str
    tz: str
    now: dt.datetime | None

    @property
    def planned(self) -> bool:
        return self.status in OPEN_WORDS

    def day(self, when: dt.datetime | None = None) -> dt.date | None:
        return local_day(self.date if when is None else when, self.tz)


def decide(source_type: str, f: Facts) -> tuple:
    """``(kind, type, done, when, deadline)`` of an engagement of ``source_type``."""
    if source_type == "note":
        return "message", "note", True, f.date, None
    if source_type == "sms":
        return "message", "comment", True, f.date, None
    if is_task(source_type, f):
        return _task(source_type, f)
    if source_type == "email":
        return _email(f)
    return _call(source_type, f)


def is_task(source_type: str, f: Facts) -> bool:
    """Tasks, and emails with a due date: a task to write one (Pipedrive, HubSpot
    and Zoho activity lists), done or not as a task is. A task's deadline is its
    own (due date, else date): without either it cannot be loaded."""
    if source_type == "email":
        return f.due is not None
    return source_type not in ("note", "sms", "call", "meeting")


def _email(f: Facts) -> tuple:
    if f.planned:
        return "activity", "email", False, f.date, f.day()
    if f.flag_text and f.status in DONE_WORDS:
        # a done to-do of type email (a task list's row): kept as the done
        # activity it was, on the day it was done, not as a logged email
        return "activity", "email", True, f.completed or f.date, f.day()
    return "message", "email", True, f.date, None


def _call(source_type: str, f: Facts) -> tuple:
    # a done flag ("Done": Done / Undone, Yes / No) says it for any type
    flag = _flag(f.flag_text)
    done = not f.planned if flag is None else flag and not f.planned
    if not f.status and f.now is not None and f.date is not None and f.date > f.now:
        done = False
    # done: on the day it was marked done when the row says it
    when = f.completed if done and f.completed is not None else f.date
    return "activity", source_type, done, when, f.due or f.day()


def _task(source_type: str, f: Facts) -> tuple:
    flag = _flag(f.flag_text)
    if f.planned:
        done = False
    elif f.status in DONE_WORDS:
        done = True
    elif flag is not None:
        done = flag
    else:
        done = f.completed is not None
    when = f.completed if done and f.completed is not None else f.date
    if done and when is None and f.due is not None:
        # done, with no completion or creation time: done on its due date (the
        # export says what it has; the task is loaded, not held)
        when = dt.datetime.combine(f.due, dt.time(12))
    # the day it was planned for; the day it was done only when none is given
    deadline = f.due or local_day(f.date or when, f.tz)
    etype = "email" if source_type == "email" else "todo"
    return "activity", etype, done, when, deadline


def _flag(text: str) -> bool | None:
    """A done flag's value: yes/no, true/false, Done/Undone; None when blank
    or unreadable."""
    if not text:
        return None
    try:
        return to_bool(text)
    except TransformError:
        word = _words(text)
        return word in DONE_WORDS if word in DONE_WORDS | OPEN_WORDS else None
