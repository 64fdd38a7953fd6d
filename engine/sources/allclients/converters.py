"""The rows AllClients' own exports need their own rule for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...convert import attachment as _attachment
from ...convert import engagements as _engagements
from ...convert import team as _team
from ...convert import template as _template
from ...core.errors import RowError
from ...core.record import Record
from ...core.rows import get
from ...match import norm_email
from .headers import CENTRAL, role
from .notes import note_parts
from .parts import (
    T_COMPLETED,
    T_DETAILS,
    T_DONE_FLAG,
    T_DUE,
    T_STATUS,
    T_SUMMARY,
    attachment_parts,
    task_activity,
    template_parts,
)
from .rows import clean_id

# --------------------------------------------------------------------------------------
# the rows AllClients' own exports need their own rule for (engine.convert otherwise)

# the columns that make an AllClients note what it is: the names and email beside them
# are copied from the contact and change with it (the email only counts without an id)
NOTE_IDENTITY = ("Contact ID", "Date", "Note")
# AllClients task categories -> mail.activity.type xml id
ACTIVITY_TYPE_XMLIDS = _engagements.ACTIVITY_TYPES
NOTE_CONTACT_ID = role("Contact ID", "id", "Contact (id)", "note")
NOTE_EMAIL = role("Email", "email", "Contact (email)", "note")


def convert_note(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A notes-export row -> a chatter note dated in the account's time zone (US
    Central unless the project says otherwise), its AllClients markers removed."""
    parts = note_parts(row, tz=tz if tz and tz != "UTC" else CENTRAL)
    if parts["date"] is None:
        raise RowError("Date", "", "no date: the note's original date is unknown")
    _c, contact_id = get(row, NOTE_CONTACT_ID)
    _c, email = get(row, NOTE_EMAIL)
    return Record(
        "note",
        "mail.message",
        {
            "body": parts["body"],
            "date": parts["date"],
            "message_type": "comment",
            "subtype": "mail.mt_note",
            "system": parts["system"],
        },
        contact_ref=clean_id(contact_id),
        contact_email=norm_email(email) or None,
    )


def convert_task(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A to-do/follow-up row -> an activity; an unknown category is a to-do and a
    person is told."""
    task = task_activity(row)
    if task["date_deadline"] is None:
        raise RowError("Due Date", "", "no due date: an activity needs a deadline")
    issues = []
    if not task["category_known"] and task["category"]:
        reason = f"unknown category {task['category']!r}: a to-do"
        issues.append(("Category", task["category"], reason))
    return Record(
        "activity",
        "mail.activity",
        {
            "activity_type": ACTIVITY_TYPE_XMLIDS[task["type"]],
            "summary": task["summary"],
            "note": task["note"],
            "date_deadline": task["date_deadline"],
            "done": task["done"],
            # a closed task without its completion date: done on its deadline
            "date_done": (task["date_done"] or task["date_deadline"])
            if task["done"]
            else None,
        },
        contact_ref=task["contact_id"],
        contact_email=task["email"],
        user=task["user"] or None,
        issues=issues,
        homes=task_homes(row, task),
    )


def task_homes(row: Mapping[str, Any], task: dict) -> dict:
    """``{column: (field, value)}`` where a task's values land (Record.homes):
    its subject, details, due date, whether it is done and its done date."""
    homes = {}
    for aliases, fname, value in (
        (T_SUMMARY, "summary", get(row, T_SUMMARY)[1]),
        (T_DETAILS, "note", task["note"]),
        (T_DUE, "date_deadline", task["date_deadline"]),
        # one column may say both (a "Completed" date): the date is checked
        (T_STATUS, "active", not task["done"]),
        (T_DONE_FLAG, "active", not task["done"]),
        (T_COMPLETED, "date_done", task["date_done"]),
    ):
        column, text = get(row, aliases)
        if column and text and value not in (None, ""):
            homes[column] = (fname, value)
    return homes


def convert_group(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """A group row -> the sales team of that name."""
    return _team.convert(row, tz, aliases=("Group Name", "Group", "Name"))


def convert_template(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """An email template export row -> the template (AllClients' spellings)."""
    parts = template_parts(row)
    return _template.template_record(
        parts["name"],
        parts["subject"],
        {"html": parts["body_html"], "image_urls": parts["image_urls"],
         "removed": parts["removed"]},
    )  # fmt: skip


def convert_attachment(row: Mapping[str, Any], tz: str = "UTC") -> Record:
    """An attachments-list row -> the attachment (AllClients' spellings)."""
    parts = attachment_parts(row)
    if parts["kind"] is None:
        raise RowError("URL", "", "neither a URL nor a path: nothing to attach")
    return _attachment.attachment_record(
        parts["name"], parts["url"], parts["path"], parts["size"], parts["uploaded"],
        parts["contact_id"], parts["email"],
    )  # fmt: skip


CONVERTERS = {
    "note": convert_note,
    "activity": convert_task,
    "team": convert_group,
    "template": convert_template,
    "attachment": convert_attachment,
}
