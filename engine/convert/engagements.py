"""Engagements (emails, calls, meetings, notes, SMS, tasks) -> chatter message or activity.

:func:`engagement_kind` decides from the row's type, status and dates whether it is a
logged message (with its subtype and original date in UTC) or an activity (type,
deadline, done); problems come back as issues, never raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.record import Record
from ..core.roles import Role
from ..core.rows import col as _col
from ..core.rows import find as _find
from ..core.rows import get as _get
from ..core.rows import issue as _issue
from ..core.rows import words as _words
from ..core.text import norm_email
from ..html import is_html, join_html
from ..transform import (
    EMAIL_RE,
    TransformError,
    to_date,
    to_datetime,
    to_int,
)
from ._util import engagement_error, other_issues
from .defaults import DATE_ORDER
from .engagement_status import Facts, decide, is_task, local_day

# ------------------------------------------------------------------ engagements

A_TYPE = Role(
    ("Type", "Engagement Type", "Activity Type", "Kind", "Channel", "Message Type"),
    "text",
    "Type",
)
A_STATUS = Role(
    ("Status", "Call Status", "Task Status", "Outcome", "Disposition", "State"),
    "text",
    "Status",
)
A_DATE = Role(
    (
        "Date",
        "Timestamp",
        "Date Sent",
        "Sent At",
        "Activity Date",
        "Date Added",
        "Date Created",
        "Created",
        "Created At",
        "Created On",
        "Created Time",
        "Creation Date",
        "Add Time",
        "Added At",
        "Added On",
    ),
    "date",
    "Date (created or logged)",
)
A_DUE = Role(("Due Date", "Due", "Deadline", "Due On"), "date", "Due date")
A_COMPLETED = Role(
    (
        "Completed On",
        "Completed At",
        "Completed Date",
        "Date Completed",
        "Completed Time",
        "Marked As Done Time",
        "Done Time",
        "Done At",
        "Done On",
        "Closed Time",
        "Closed At",
        "Closed On",
    ),
    "date",
    "Completion date",
)
A_COMPLETED_FLAG = Role(("Completed", "Done", "Is Completed"), "bool", "Done (yes/no)")
A_SUBJECT = Role(("Subject", "Title", "Summary", "Name", "Task"), "text", "Subject")
A_BODY = Role(
    ("Body", "Message", "Note", "Note Body", "Description", "Content", "Notes"),
    "text",
    "Text",
)
A_AUTHOR = Role(
    (
        "User",
        "Author",
        "Created By",
        "Assigned To",
        "Assigned To User",
        "Owner",
        "Assignee",
    ),
    "text",
    "Owner",
)
# the row of a custom object (a membership, an enrolment) a note belongs to
A_OBJECT = Role(
    ("Related Object", "Related Object Type", "Object Type", "Record Type"),
    "text",
    "Related object",
)
A_OBJECT_ID = Role(
    ("Related Object ID", "Related Record ID", "Object ID", "Record ID"),
    "text",
    "Related object (id)",
)
A_DURATION = Role(
    ("Duration (sec)", "Duration", "Call Duration", "Duration (seconds)"),
    "number",
    "Duration (seconds)",
)
A_DIRECTION = Role(("Direction",), "text", "Direction")
A_CONTACT_ID = Role(("Contact ID", "Contact Id"), "id", "Contact (id)")
A_CONTACT_EMAIL = Role(("Contact Email", "Email", "Contact"), "text", "Contact (email)")
# a notes or tasks export repeats the contact's name beside its id or email:
# the reference to the record the row is on, not text of its own
A_CONTACT_NAME = Role(
    ("Contact Name", "Contact Full Name", "Contact"), "text", "Contact (name)"
)
A_LEAD_ID = Role(
    ("Opportunity ID", "Opportunity Id", "Deal ID"), "id", "Opportunity (id)"
)

# type words -> normalised engagement type
ENGAGEMENT_TYPES = {
    "email": "email", "e mail": "email", "emails": "email", "email sent": "email",
    "email received": "email", "inbound email": "email", "outbound email": "email",
    "call": "call", "calls": "call", "phone": "call", "phone call": "call",
    "inbound call": "call", "outbound call": "call", "voicemail": "call",
    "missed call": "call",
    "meeting": "meeting", "meetings": "meeting", "appointment": "meeting",
    "video call": "meeting", "zoom": "meeting",
    "note": "note", "notes": "note", "comment": "note", "internal note": "note",
    "task": "task", "tasks": "task", "todo": "task", "to do": "task",
    "follow up": "task", "reminder": "task",
    "sms": "sms", "text": "sms", "text message": "sms", "mms": "sms",
    "whatsapp": "sms", "chat": "sms", "live chat": "sms", "facebook": "sms",
    "fb messenger": "sms", "instagram": "sms", "instagram dm": "sms", "gmb": "sms",
    "webchat": "sms",
}  # fmt: skip
# engagement message subtype -> (mail.message message_type, subtype xml id)
MESSAGE_SUBTYPES = {
    "note": ("comment", "mail.mt_note"),
    "email": ("email", "mail.mt_comment"),
    "comment": ("comment", "mail.mt_comment"),
}
# engagement activity type -> mail.activity.type xml id
ACTIVITY_TYPES = {
    "call": "mail.mail_activity_data_call",
    "meeting": "mail.mail_activity_data_meeting",
    "todo": "mail.mail_activity_data_todo",
    "email": "mail.mail_activity_data_email",
}


@dataclass
class Engagement:
    """What one engagement row becomes.

    ``kind`` "message": a chatter message, ``type`` its subtype (``note``, ``email``,
    ``comment``: see :data:`MESSAGE_SUBTYPES`), ``date`` its original date (UTC naive).
    ``kind`` "activity": a ``mail.activity``, ``type`` ``call``/``meeting``/``todo``/
    ``email`` (:data:`ACTIVITY_TYPES`), ``done`` whether it happened (keep it the way
    Odoo 18 keeps done activities: archived with ``date_done``), ``deadline`` the
    activity's ``date_deadline``, ``date`` when it happened / was logged.
    ``source_type`` is the engagement type read (``email``, ``call``, ``meeting``,
    ``note``, ``task``, ``sms``); ``issues`` the problems found (a bad timestamp gives
    ``date=None`` and an issue: do not load it with today's date).
    """

    kind: str
    type: str
    done: bool
    date: dt.datetime | None
    deadline: dt.date | None = None
    # the calendar day of ``date`` where the source is (its time zone)
    day: dt.date | None = None
    source_type: str = ""
    subject: str = ""
    body: str = ""
    author_email: str | None = None
    direction: str = ""
    duration: int | None = None
    issues: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when the original timestamp could not be read."""
        return self.date is not None or (self.kind == "activity" and not self.done)

    @property
    def message_type(self) -> str | None:
        return MESSAGE_SUBTYPES[self.type][0] if self.kind == "message" else None

    @property
    def subtype_xmlid(self) -> str | None:
        return MESSAGE_SUBTYPES[self.type][1] if self.kind == "message" else None

    @property
    def activity_type_xmlid(self) -> str | None:
        return ACTIVITY_TYPES[self.type] if self.kind == "activity" else None

    def as_dict(self) -> dict:
        out = asdict(self)
        out["ok"] = self.ok
        return out


def _when(row, aliases, tz, order, what, issues, line, kind, date_only=False):
    col, text = _get(row, aliases)
    if not text:
        return None
    try:
        if date_only:
            return to_date(text, order=order)
        return to_datetime(text, order=order, tz=tz)
    except TransformError as exc:
        issues.append(_issue(kind, line, col, text, f"{what}: {exc}"))
        return None


def _source_type(row: Mapping[str, Any], default: str | None) -> tuple[str, str, str]:
    """``(type, column, raw value)``: the engagement type of ``row``."""
    col, raw = _get(row, A_TYPE)
    if raw:
        return ENGAGEMENT_TYPES.get(_words(raw), ""), col or "", raw
    if default:
        return default, "", ""
    if _col(row, A_DUE) or _col(row, ("Task ID",)):
        return "task", "", ""
    return "note", "", ""


def engagement_kind(
    row: Mapping[str, Any],
    tz: str = "UTC",
    order: str = DATE_ORDER,
    default_type: str | None = None,
    now: dt.datetime | None = None,
    line: int | None = None,
) -> Engagement:
    """What an engagement / note / task row becomes (see :class:`Engagement`).

    * note -> message ``note``; SMS, chat and other logged conversations -> message
      ``comment``; email -> message ``email``, or an open ``email`` activity when its
      status says it is still to be sent (scheduled, draft, queued);
    * call -> activity ``call``, meeting -> activity ``meeting``: done unless the status
      says it is planned (scheduled, pending, open...), or, with ``now`` (UTC naive) and
      no status, dated after ``now``;
    * task -> activity ``todo``: done when its status says so or "Completed On" is set;
      ``deadline`` is the due date (else the date), ``date`` the completion date when
      done (else the creation date).

    Dates without an offset are read in ``tz`` (the account's time zone) with ``order``
    (``MDY``). ``default_type`` is the type of rows without a type column (``"task"`` for
    tasks.csv, ``"note"`` for notes.csv; guessed from the columns when None). An unknown
    type becomes a note with an issue. ``line`` is put in the issues, whose ``kind`` is
    ``tasks`` / ``notes`` with that ``default_type``, else ``engagements``.
    """
    issues: list[dict] = []
    file = {"task": "tasks", "note": "notes"}.get(default_type or "", "engagements")
    source_type, type_col, raw_type = _source_type(row, default_type)
    if not source_type:
        issues.append(
            _issue(
                file,
                line,
                type_col,
                raw_type,
                "unknown engagement type: kept as a note",
            )
        )
        source_type = "note"
    duration = _duration(row, issues, line, file)
    facts = Facts(
        status=_words(_get(row, A_STATUS)[1]),
        date=_when(row, A_DATE, tz, order, "timestamp", issues, line, file),
        due=_when(row, A_DUE, tz, order, "due date", issues, line, file, True),
        completed=_when(
            row, A_COMPLETED, tz, order, "completion date", issues, line, file
        ),
        flag_text=_get(row, A_COMPLETED_FLAG)[1],
        tz=tz,
        now=now,
    )
    kind, etype, done, when, deadline = decide(source_type, facts)
    if deadline is None and is_task(source_type, facts):
        issues.append(
            _issue(
                file,
                line,
                _col(row, A_DUE),
                "",
                "no due date and no date: the activity needs a deadline",
            )
        )
    if when is None and not any(i["column"] in _date_cols(row) for i in issues):
        if kind == "message" or done:
            issues.append(
                _issue(
                    file,
                    line,
                    _col(row, A_DATE),
                    "",
                    "no timestamp: the original date is unknown",
                )
            )
    _c, author = _get(row, A_AUTHOR)
    return Engagement(
        kind=kind,
        type=etype,
        done=done,
        date=when,
        deadline=deadline,
        day=local_day(when, tz),
        source_type=source_type,
        subject=_get(row, A_SUBJECT)[1],
        body=_get(row, A_BODY)[1],
        author_email=norm_email(author) if EMAIL_RE.match(norm_email(author)) else None,
        direction=_words(_get(row, A_DIRECTION)[1]),
        duration=duration,
        issues=issues,
    )


def _duration(row: Mapping[str, Any], issues: list, line, file: str) -> int | None:
    dcol, duration_text = _get(row, A_DURATION)
    if not duration_text:
        return None
    try:
        return to_int(duration_text)
    except TransformError:
        issues.append(
            _issue(
                file,
                line,
                dcol,
                duration_text,
                "duration is not a whole number of seconds",
            )
        )
        return None


def _date_cols(row: Mapping[str, Any]) -> set[str]:
    """The date columns of ``row``: any header a date role could read."""
    cols = set()
    for aliases in (A_DATE, A_DUE, A_COMPLETED):
        for alias in aliases:
            hit = _find(tuple(row), (alias,))
            if hit:
                cols.add(hit)
        cols.add(_col(row, aliases))
    cols.discard(None)
    return cols


def engagement_record(row, tz, default_type=None, target="activity"):
    """An engagement row -> :class:`~engine.core.record.Record`: a ``mail.message``
    (logged email, call, note) or a ``mail.activity`` (task, planned call), with
    its contact, deal and author references. Raises RowError when unusable."""
    eng = engagement_kind(row, tz=tz or "UTC", default_type=default_type)
    if not eng.ok or (eng.kind == "message" and eng.date is None):
        raise engagement_error(eng.issues)
    blocking = [i for i in eng.issues if "deadline" in i["reason"]]
    if eng.kind == "activity" and blocking:
        raise engagement_error(blocking)
    ref_col, contact_ref = _get(row, A_CONTACT_ID)
    email_col, email = _get(row, A_CONTACT_EMAIL)
    _c, lead_ref = _get(row, A_LEAD_ID)
    _c, contact_name = _get(row, A_CONTACT_NAME)
    user_col, user = _get(row, A_AUTHOR)
    obj_col, obj = _get(row, A_OBJECT)
    _c, obj_id = _get(row, A_OBJECT_ID)
    if eng.kind == "message":
        model, values = "mail.message", _message_values(eng)
    else:
        model, values = "mail.activity", _activity_values(eng)
    return Record(
        target,
        model,
        values,
        contact_ref=contact_ref or None,
        contact_email=norm_email(email) or None,
        lead_ref=lead_ref or None,
        object_ref=(obj, obj_id) if obj and obj_id else None,
        contact_name=contact_name or None,
        user=user or None,
        issues=other_issues([i for i in eng.issues if i not in blocking]),
        columns={
            "contact_ref": ref_col,
            "contact_email": email_col,
            "user": user_col,
            "object_ref": obj_col,
        },
        homes=engagement_homes(row, eng),
    )


def engagement_homes(row: Mapping[str, Any], eng: Engagement) -> dict:
    """``{column: (field, value)}`` where the values an engagement row gave
    land (engine.core.record.Record.homes): a message's subject and text in
    its body and its date; an activity's subject, text, deadline, whether it
    is done and the day it was done (the cell check reads them back)."""
    subject_col, subject = _get(row, A_SUBJECT)
    body_col, body = _get(row, A_BODY)
    problems = {i["column"] for i in eng.issues}
    if eng.kind == "message":
        date_col, _text = _get(row, A_DATE)
        homes = {
            subject_col: ("body", subject),
            body_col: ("body", body),
            date_col: ("date", eng.date if date_col not in problems else None),
        }
        return {c: h for c, h in homes.items() if c and h[1] not in (None, "")}
    due_col, due = _get(row, A_DUE)
    done_col, done_text = _get(row, A_COMPLETED)
    status_col, status = _get(row, A_STATUS)
    flag_col, flag = _get(row, A_COMPLETED_FLAG)
    homes = {
        subject_col: ("summary", subject),
        body_col: ("note", body),
        due_col: ("date_deadline", eng.deadline if due else None),
        # the done day read from the completion date (else from another date)
        done_col: ("date_done", eng.day if eng.done and done_text else None),
        status_col: ("active", not eng.done if status else None),
        flag_col: ("active", not eng.done if flag else None),
    }
    return {
        c: h
        for c, h in homes.items()
        if c and c not in problems and h[1] not in (None, "")
    }


def _label(eng) -> str:
    return eng.source_type.capitalize() if eng.source_type else ""


def _message_values(eng) -> dict:
    label = _label(eng)
    head = " - ".join(
        p for p in (label if eng.source_type != "note" else "", eng.subject) if p
    )
    # a rich-text note (HTML) stays HTML, its subject a paragraph before it
    body = (
        join_html(eng.body, head)
        if is_html(eng.body)
        else "\n".join(p for p in (head, eng.body) if p)
    )
    return {
        "body": body,
        "date": eng.date,
        "message_type": eng.message_type,
        "subtype": eng.subtype_xmlid,
        "system": False,
    }


def _activity_values(eng) -> dict:
    extra = []
    if eng.direction:
        extra.append(eng.direction)
    if eng.duration:
        extra.append(f"{eng.duration // 60} min {eng.duration % 60:02d} s")
    more = f"({', '.join(extra)})" if extra else ""
    if is_html(eng.body):
        note = join_html(eng.body, "", more)  # a rich-text note stays HTML
    else:
        note = "\n".join(p for p in (eng.body, more) if p)
    return {
        "activity_type": eng.activity_type_xmlid,
        "summary": eng.subject or _label(eng) or "To do",
        "note": note,
        "date_deadline": eng.deadline,
        "done": eng.done,
        "date_done": (eng.day or eng.deadline) if eng.done else None,
        "done_at": eng.date if eng.done else None,
    }
