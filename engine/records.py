"""Source rows -> the records Odoo keeps for everything that is not a partner or a lead.

Companies, contacts and leads go through field maps a person confirms, because every
CRM spells them differently. Notes, activities, appointments, pipelines and stages,
products, email templates, attachments, invoices, users and campaigns are converted by
the source system's own rules instead (its export has a known shape, and the Odoo side
is fixed: a note is always a ``mail.message`` with the note subtype). :func:`convert`
turns one staging row into one :class:`Record`: the Odoo model, the values the loader
writes (references still as source keys, emails and names, which the loader resolves),
and the problems found. A problem that makes the row unusable raises :class:`RowError`
(the row is held in the review queue with the column and the reason); the others are
``issues`` (the record loads, and each issue becomes a review item).

Pure Python: no Odoo import. The contract per target is in :data:`FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .match import norm_email, norm_text
from .sources import allclients as ac
from .sources import crmconnect as cc
from .transform import TransformError, to_date, to_datetime, to_float, to_money

RowError = ac.RowError

# target -> (default Odoo model, what the values hold)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "user": ("res.users", ("name", "login", "email", "active")),
    "team": ("crm.team", ("name",)),
    "stage": (
        "crm.stage",
        ("name", "team_ref", "team_name", "sequence", "probability", "is_won", "fold"),
    ),
    "tag": ("crm.tag", ("name",)),
    "product": (
        "product.product",
        ("name", "default_code", "list_price", "description_sale", "type", "recurring"),
    ),
    "event": (
        "calendar.event",
        (
            "name",
            "start",
            "stop",
            "allday",
            "start_date",
            "stop_date",
            "location",
            "description",
            "attendees",
            "cancelled",
        ),
    ),  # fmt: skip
    "activity": (
        "mail.activity",
        ("activity_type", "summary", "note", "date_deadline", "done", "date_done"),
    ),
    "note": ("mail.message", ("body", "date", "message_type", "subtype", "system")),
    "template": (
        "mail.template",
        ("name", "subject", "body_html", "images", "removed"),
    ),
    "attachment": ("ir.attachment", ("name", "url", "path", "size", "large")),
    "invoice": (
        "account.move",
        (
            "ref",
            "invoice_date",
            "invoice_date_due",
            "currency",
            "lines",
            "amount_total",
            "amount_paid",
            "status",
            "payment_link",
        ),
    ),  # fmt: skip
}
CONVERTED = frozenset(FIELDS)
LABELS = {
    "user": "Users (salespeople)",
    "team": "Sales teams (pipelines)",
    "stage": "Pipeline stages",
    "tag": "CRM tags (campaigns)",
    "product": "Products",
    "event": "Calendar events (appointments)",
    "activity": "Activities and logged messages",
    "note": "Chatter notes",
    "template": "Email templates",
    "attachment": "Attachments",
    "invoice": "Customer invoices",
}
# object hints of the source systems -> converted target
HINT_TARGETS = {
    "campaign": "tag",
    "pipeline": "team",
    "task": "activity",
    "document": "attachment",
    "file": "attachment",
}
ACTIVITY_TYPES = (
    cc.ACTIVITY_TYPES
)  # call/meeting/todo/email -> mail.activity.type xml id
INACTIVE_WORDS = frozenset({"inactive", "disabled", "deactivated", "archived", "no", "false", "0", "suspended"})  # fmt: skip


@dataclass
class Record:
    """What one source row becomes.

    ``model``: the Odoo model written (an engagement is a ``mail.message`` or a
    ``mail.activity``, row by row). ``values``: see :data:`FIELDS`. ``contact_ref`` /
    ``contact_email`` / ``lead_ref`` / ``company_name``: the record it belongs to, as the
    source names it. ``user``: its owner or author (email or name). ``created``: the
    source's creation date (naive UTC). ``issues``: ``(column, value, reason)`` of the
    problems that do not stop the row.
    """

    target: str
    model: str
    values: dict = field(default_factory=dict)
    contact_ref: str | None = None
    contact_email: str | None = None
    lead_ref: str | None = None
    company_name: str | None = None
    user: str | None = None
    created: dt.datetime | None = None
    issues: list[tuple[str, str, str]] = field(default_factory=list)
    # the source columns the references came from ({"contact_email": "Contact
    # Email", ...}): a review item names them, so that a correction applies
    columns: dict = field(default_factory=dict)


# the columns that make an AllClients note what it is: the names and email beside them
# are copied from the contact and change with it (the email only counts without an id)
NOTE_IDENTITY = ("Contact ID", "Date", "Note")


def content_key(row: Mapping[str, Any], system: str = "generic") -> str:
    """A key for a row without an id (AllClients notes): the same row in a later export
    gets the same key, whatever its line. For AllClients notes only the contact id,
    date and text count (the email too when there is no contact id), so a contact's
    rename or new email does not make its notes new."""
    values = {str(k): "" if v is None else str(v).strip() for k, v in row.items()}
    if system == "allclients" and "Note" in values:
        kept = {k: values.get(k, "") for k in NOTE_IDENTITY}
        if not kept["Contact ID"]:
            kept["Email"] = values.get("Email", "").lower()
        values = kept
    text = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return "content:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]  # noqa: S324


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _engagement_error(issues: list[dict]) -> RowError:
    issue = (
        issues[0] if issues else {"column": "Date", "value": "", "reason": "no date"}
    )
    return RowError(issue["column"] or "Date", issue["value"], issue["reason"])


def _other_issues(issues: list[dict]) -> list[tuple[str, str, str]]:
    return [(i["column"] or "", i["value"], i["reason"]) for i in issues]


# ------------------------------------------------------------------ per target
def _note(row, system, tz):
    if system == "allclients":
        parts = ac.note_parts(row, tz=tz if tz and tz != "UTC" else ac.CENTRAL)
        if parts["date"] is None:
            raise RowError("Date", "", "no date: the note's original date is unknown")
        crow = ac.canonical_row(row, "note")
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
            contact_ref=ac.clean_id(crow.get("Contact ID")),
            contact_email=norm_email(crow.get("Email")) or None,
        )
    return _engagement(row, tz, default_type="note", target="note")


def _engagement(row, tz, default_type=None, target="activity"):
    eng = cc.engagement_kind(row, tz=tz or "UTC", default_type=default_type)
    if not eng.ok or (eng.kind == "message" and eng.date is None):
        raise _engagement_error(eng.issues)
    blocking = [i for i in eng.issues if "deadline" in i["reason"]]
    if eng.kind == "activity" and blocking:
        raise _engagement_error(blocking)
    ref_col, contact_ref = cc._get(row, ("Contact ID", "Contact Id"))
    email_col, email = cc._get(row, ("Contact Email", "Email", "Contact"))
    _c, lead_ref = cc._get(row, ("Opportunity ID", "Opportunity Id", "Deal ID"))
    user_col, user = cc._get(row, cc.A_AUTHOR)
    extra = []
    if eng.direction:
        extra.append(eng.direction)
    if eng.duration:
        extra.append(f"{eng.duration // 60} min {eng.duration % 60:02d} s")
    label = eng.source_type.capitalize() if eng.source_type else ""
    if eng.kind == "message":
        head = " - ".join(
            p for p in (label if eng.source_type != "note" else "", eng.subject) if p
        )
        body = "\n".join(p for p in (head, eng.body) if p)
        values = {
            "body": body,
            "date": eng.date,
            "message_type": eng.message_type,
            "subtype": eng.subtype_xmlid,
            "system": False,
        }
        model = "mail.message"
    else:
        note = "\n".join(
            p for p in (eng.body, f"({', '.join(extra)})" if extra else "") if p
        )
        values = {
            "activity_type": eng.activity_type_xmlid,
            "summary": eng.subject or label or "To do",
            "note": note,
            "date_deadline": eng.deadline,
            "done": eng.done,
            "date_done": (eng.date.date() if eng.date else eng.deadline)
            if eng.done
            else None,
            "done_at": eng.date if eng.done else None,
        }
        model = "mail.activity"
    return Record(
        target,
        model,
        values,
        contact_ref=contact_ref or None,
        contact_email=norm_email(email) or None,
        lead_ref=lead_ref or None,
        user=user or None,
        issues=_other_issues([i for i in eng.issues if i not in blocking]),
        columns={"contact_ref": ref_col, "contact_email": email_col, "user": user_col},
    )


def _activity(row, system, tz):
    if system != "allclients":
        return _engagement(row, tz)
    task = ac.task_activity(row)
    if task["date_deadline"] is None:
        raise RowError("Due Date", "", "no due date: an activity needs a deadline")
    issues = []
    if not task["category_known"] and task["category"]:
        issues.append(
            (
                "Category",
                task["category"],
                f"unknown category {task['category']!r}: a to-do",
            )
        )
    return Record(
        "activity",
        "mail.activity",
        {
            "activity_type": ACTIVITY_TYPES[task["type"]],
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
    )


def _event(row, system, tz):
    ev = cc.appointment_event(row, tz=tz or "UTC")
    fatal = [i for i in ev["issues"] if ev["start"] is None]
    if ev["start"] is None:
        raise _engagement_error(fatal)
    email_col, email = cc._get(row, cc.A_APPT_CONTACT)
    _c, lead_ref = cc._get(row, ("Opportunity ID", "Opportunity Id"))
    user_col, _u = cc._get(row, cc.A_APPT_ORGANIZER)
    att_col, _a = cc._get(row, cc.A_APPT_ATTENDEES)
    _c, created = cc._get(row, ("Created", "Created At", "Date Created"))
    return Record(
        "event",
        "calendar.event",
        {
            "name": ev["name"],
            "start": ev["start"],
            "stop": ev["stop"],
            "allday": ev["allday"],
            "start_date": ev["start_date"],
            "stop_date": ev["stop_date"],
            "location": ev["location"],
            "description": ev["description"],
            "attendees": ev["attendee_emails"],
            "cancelled": ev["cancelled"],
        },
        contact_email=norm_email(email) or None,
        lead_ref=lead_ref or None,
        user=ev["organizer_email"] or ev["organizer"],
        columns={"contact_email": email_col, "user": user_col, "attendees": att_col},
        created=_created(created, tz),
        issues=_other_issues(ev["issues"]),
    )


def _created(text, tz):
    if not text:
        return None
    try:
        return to_datetime(text, order=cc.DATE_ORDER, tz=tz or "UTC")
    except TransformError:
        return None


def _team(row, system, tz):
    if system == "allclients":
        _c, name = cc._get(row, ("Group Name", "Group", "Name"))
    else:
        _c, name = cc._get(row, cc.A_PIPELINE_NAME)
    if not name:
        raise RowError("Pipeline Name", "", "a sales team needs a name")
    _c, created = cc._get(row, ("Created", "Created At"))
    return Record("team", "crm.team", {"name": name}, created=_created(created, tz))


def _stage(row, system, tz):
    col, name = cc._get(row, cc.A_STAGE_NAME)
    if not name:
        raise RowError(col or "Stage Name", "", "a stage needs a name")
    issues = []
    _c, team_ref = cc._get(row, cc.A_STAGE_PIPELINE_ID)
    _c, team_name = cc._get(row, cc.A_STAGE_PIPELINE_NAME)
    ocol, order = cc._get(row, cc.A_STAGE_ORDER)
    sequence = None
    if order:
        try:
            sequence = int(to_float(order))
        except (TransformError, TypeError, ValueError):
            issues.append((ocol, order, f"stage order {order!r} is not a number"))
    pcol, prob_text = cc._get(row, ("Win Probability", "Probability", "Win %"))
    probability = None
    if prob_text:
        try:
            probability = cc._probability(prob_text)
        except TransformError as exc:
            issues.append((pcol, prob_text, f"{exc}: the stage is kept without it"))
    status = cc._stage_status(name)
    won = probability == 100 or status == "won"
    return Record(
        "stage",
        "crm.stage",
        {
            "name": name,
            "team_ref": team_ref or None,
            "team_name": team_name or None,
            "sequence": sequence,
            "probability": probability,
            "is_won": won,
            "fold": won or status == "lost",
        },
        issues=issues,
    )


def _tag(row, system, tz):
    col, name = cc._get(row, ("Campaign Name", "Campaign", "Tag", "Tag Name", "Name"))
    if not name:
        raise RowError(col or "Name", "", "a tag needs a name")
    return Record("tag", "crm.tag", {"name": name})


def _product(row, system, tz):
    col, name = cc._get(row, ("Product Name", "Name", "Product", "Title"))
    if not name:
        raise RowError(col or "Product Name", "", "a product needs a name")
    _c, code = cc._get(row, ("SKU", "Product Code", "Code", "Internal Reference"))
    pcol, price_text = cc._get(row, ("Price", "Unit Price", "List Price", "Amount"))
    price = 0.0
    if price_text:
        try:
            price = to_money(price_text) or 0.0
        except TransformError as exc:
            raise RowError(pcol, price_text, str(exc)) from None
    _c, description = cc._get(row, ("Description", "Details"))
    _c, ptype = cc._get(row, ("Product Type", "Type", "Billing"))
    words = norm_text(ptype)
    goods = any(
        w in words for w in ("physical", "goods", "stock", "storable", "consumable")
    )
    _c, created = cc._get(row, ("Created", "Created At"))
    return Record(
        "product",
        "product.product",
        {
            "name": name,
            "default_code": code or None,
            "list_price": price,
            "description_sale": description or None,
            "type": "consu" if goods else "service",
            "recurring": "recurr" in words
            or "subscription" in words
            or "monthly" in words,
        },
        created=_created(created, tz),
    )


def _template(row, system, tz):
    parts = ac.template_parts(row)
    return Record(
        "template",
        "mail.template",
        {
            "name": parts["name"],
            "subject": parts["subject"] or parts["name"],
            "body_html": parts["body_html"],
            "images": parts["image_urls"],
            "removed": parts["removed"],
        },
    )


def _attachment(row, system, tz):
    parts = ac.attachment_parts(row)
    if parts["kind"] is None:
        raise RowError("URL", "", "neither a URL nor a path: nothing to attach")
    uploaded = parts["uploaded"]
    return Record(
        "attachment",
        "ir.attachment",
        {
            "name": parts["name"],
            "url": parts["url"],
            "path": parts["path"],
            "size": parts["size"],
            "large": parts["large"],
        },
        contact_ref=parts["contact_id"],
        contact_email=parts["email"],
        created=dt.datetime.combine(uploaded, dt.time(12)) if uploaded else None,
    )


def _number(row, aliases, what):
    col, text = cc._get(row, aliases)
    if not text:
        return None
    try:
        return to_money(text)
    except TransformError as exc:
        raise RowError(col, text, f"{what}: {exc}") from None


def _invoice(row, system, tz):
    col, number = cc._get(row, ("Invoice Number", "Invoice ID", "Invoice No", "Number"))
    if not number:
        raise RowError(col or "Invoice Number", "", "an invoice needs its number")
    dcol, date_text = cc._get(row, ("Invoice Date", "Date", "Issued On"))
    try:
        date = to_date(date_text, order=cc.DATE_ORDER) if date_text else None
    except TransformError as exc:
        raise RowError(dcol, date_text, str(exc)) from None
    ducol, due_text = cc._get(row, ("Due Date", "Due"))
    try:
        due = to_date(due_text, order=cc.DATE_ORDER) if due_text else None
    except TransformError as exc:
        raise RowError(ducol, due_text, str(exc)) from None
    _c, product = cc._get(row, ("Product", "Product Name", "Item", "Description"))
    qty = _number(row, ("Quantity", "Qty"), "quantity")
    price = _number(row, ("Unit Price", "Price", "Rate"), "unit price")
    total = _number(row, ("Total", "Amount", "Amount Total"), "total")
    paid = _number(row, ("Amount Paid", "Paid"), "amount paid")
    if price is None and total is not None:
        price = total / (qty or 1)
    email_col, email = cc._get(row, ("Contact Email", "Email", "Customer Email"))
    _c, company = cc._get(row, ("Company Name", "Company", "Business Name"))
    _c, currency = cc._get(row, ("Currency",))
    _c, status = cc._get(row, ("Status", "Payment Status"))
    _c, link = cc._get(row, ("Payment Link", "Link", "URL"))
    return Record(
        "invoice",
        "account.move",
        {
            "ref": number,
            "invoice_date": date,
            "invoice_date_due": due,
            "currency": (currency or "").upper() or None,
            "lines": [
                {
                    "product": product or None,
                    "quantity": qty or 1.0,
                    "price_unit": price or 0.0,
                }
            ],
            "amount_total": total,
            "amount_paid": paid,
            "status": norm_text(status) or None,
            "payment_link": link or None,
        },
        contact_email=norm_email(email) or None,
        company_name=company or None,
        columns={"contact_email": email_col},
    )


def _user(row, system, tz):
    ncol, name = cc._get(row, ("Name", "Full Name", "User Name", "Team Member"))
    _c, email = cc._get(row, ("Email", "Email Address", "Login"))
    email = norm_email(email)
    if not name and not email:
        raise RowError(ncol or "Name", "", "a user needs a name or an email")
    _c, status = cc._get(row, ("Status", "Active", "State"))
    return Record(
        "user",
        "res.users",
        {
            "name": name or email,
            "login": email or norm_text(name).replace(" ", "."),
            "email": email or None,
            "active": norm_text(status) not in INACTIVE_WORDS,
        },
    )


CONVERTERS = {
    "note": _note,
    "activity": _activity,
    "event": _event,
    "team": _team,
    "stage": _stage,
    "tag": _tag,
    "product": _product,
    "template": _template,
    "attachment": _attachment,
    "invoice": _invoice,
    "user": _user,
}


def convert(
    target: str, row: Mapping[str, Any], system: str = "generic", tz: str = "UTC"
) -> Record:
    """One source row -> :class:`Record` for ``target`` (one of :data:`CONVERTED`).

    ``system``: the project's source system (AllClients notes, tasks, templates and
    attachments have their own rules; every other system's rows are read through the
    alias lists of :mod:`engine.sources.crmconnect`, which also fit generic exports).
    ``tz``: the source's time zone for dates without an offset (AllClients notes default
    to US Central when it is UTC). Raises :class:`RowError` when the row cannot load.
    """
    try:
        fn = CONVERTERS[target]
    except KeyError:
        raise ValueError(f"no converter for {target!r}") from None
    try:
        return fn(row, system, tz)
    except RowError:
        raise
    except TransformError as exc:
        raise RowError("", "", str(exc)) from None
