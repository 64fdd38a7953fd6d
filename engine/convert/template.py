"""Email templates -> ``mail.template`` with sanitised HTML."""

from __future__ import annotations

from ..core.record import Record
from ..core.rows import get
from ..html import sanitize_html

TARGET = "template"
A_NAME = ("Name", "Template Name", "emailtemplatename", "Template")
A_SUBJECT = ("Subject", "Subject Line", "subjectline", "Email Subject")
A_BODY = ("Body", "Message Body", "messagebody", "HTML", "HTML Body", "Content", "Message")  # fmt: skip


def convert(row, tz="UTC"):
    """A template row -> the template, its body sanitised; what was removed and
    the external images it loads are kept for a person to check."""
    _c, subject = get(row, A_SUBJECT)
    _c, name = get(row, A_NAME)
    _c, body = get(row, A_BODY)
    parts = sanitize_html(body)
    name = name or subject or "Email template"
    return template_record(name, subject, parts)


def template_record(name, subject, parts):
    """The Record of a template from its name, subject and sanitised parts."""
    return Record(
        "template",
        "mail.template",
        {
            "name": name,
            "subject": subject or name,
            "body_html": parts["html"],
            "images": parts["image_urls"],
            "removed": parts["removed"],
        },
    )
