"""Email templates -> ``mail.template`` with sanitised HTML."""

from __future__ import annotations

import re

from ..core.record import Record
from ..core.rows import get
from ..html import sanitize_html

TARGET = "template"
A_NAME = ("Name", "Template Name", "emailtemplatename", "Template")
A_SUBJECT = ("Subject", "Subject Line", "subjectline", "Email Subject")
A_BODY = ("Body", "Message Body", "messagebody", "HTML", "HTML Body", "Content", "Message")  # fmt: skip

# another product's merge fields: {{contact.first_name}}, {first_name}, %first_name%
# (a CSS rule "{color:red}" or "20% off, 30% more" is none of them)
MERGE_FIELD = re.compile(r"\{\{[^{}]+?\}\}|\{\s*[A-Za-z_][\w.]*\s*\}|%[A-Za-z_][\w.]*%")
# Odoo renders a template's subject as an inline template: "{{ expr }}" is
# evaluated, so a source's "{{contact.first_name}}" would fail every send
ODOO_EXPRESSION = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def merge_fields(*texts) -> list[str]:
    """The merge fields of the texts, each once, in the order they appear."""
    found = (m.group(0) for text in texts for m in MERGE_FIELD.finditer(text or ""))
    return list(dict.fromkeys(found))


def inert_subject(subject: str | None) -> str | None:
    """The subject with every ``{{ x }}`` written ``[x]``: kept, visibly not
    merged, and never evaluated by Odoo."""
    return ODOO_EXPRESSION.sub(r"[\1]", subject) if subject else subject


def convert(row, tz="UTC"):
    """A template row -> the template, its body sanitised; what was removed and
    the external images it loads are kept for a person to check."""
    subject_col, subject = get(row, A_SUBJECT)
    _c, name = get(row, A_NAME)
    body_col, body = get(row, A_BODY)
    parts = sanitize_html(body)
    name = name or subject or "Email template"
    record = template_record(name, subject, parts)
    record.columns.update(subject=subject_col or "Subject", body=body_col or "Body")
    return record


def template_record(name, subject, parts):
    """The Record of a template from its name, subject and sanitised parts,
    with the source's merge fields each holds ({"subject": [...], "body":
    [...]}, for a person to rewrite as Odoo's)."""
    found = {
        part: merge_fields(text)
        for part, text in (("subject", subject), ("body", parts["html"]))
    }
    return Record(
        "template",
        "mail.template",
        {
            "name": name,
            "subject": inert_subject(subject or name),
            "body_html": parts["html"],
            "images": parts["image_urls"],
            "removed": parts["removed"],
            "merge_fields": {part: f for part, f in found.items() if f},
        },
    )
