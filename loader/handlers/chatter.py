"""Notes and activities: mail.message (note subtype) or mail.activity on the
opportunity, partner or custom object's record a row names, with their original dates; done
activities archived with their done date and Odoo's 'done' message."""

import datetime

from markupsafe import Markup

from odoo import _, fields
from odoo.tools import SQL, plaintext2html

from ...engine.html import is_html, sanitize_html, split_text_nodes
from ..common import issue
from .base import RecordHandler
from .custom_object import custom_record

# Odoo sanitises an HTML body with lxml, whose parser cuts a text node past
# 10,000,000 bytes without a word (libxml2's XML_MAX_TEXT_LENGTH). A note
# longer than this keeps its start in the message and its whole text in a
# plain-text attachment of the message, with a review item.
LONG_TEXT = 1_000_000
LONG_TEXT_PREVIEW = 20_000


def as_html(text):
    """A note's HTML: a rich-text note (HTML in the export) as it is,
    sanitised, never escaped into visible tags; plain text as Odoo turns it
    into HTML (paragraphs, line breaks, links)."""
    if is_html(text):
        return Markup(sanitize_html(text)["html"])
    return plaintext2html(text)


def call_fields(values):
    """A call's duration and outcome, when the source's rule gives them."""
    vals = {}
    if values.get("duration") is not None:
        vals["migration_call_duration"] = values["duration"]
    if values.get("outcome"):
        vals["migration_call_outcome"] = values["outcome"]
    return vals


class NoteHandler(RecordHandler):
    """A row becomes a message or an activity (``prep.model`` says which)."""

    target = "note"

    def resolve(self, omap, prepared):
        # the people the batch's rows name by email, found at once
        self.links.prefetch(self.ready(prepared), self.target)
        for prep in self.ready(prepared):
            if prep.model == "mail.activity":
                self._activity_vals(prep)
            else:
                self._message_vals(prep)

    def find_record(self, prep):
        """((model, id), None) of the record the row belongs to: a custom
        object's record it names, else by the source's link rules, else its
        lead or partner; or (None, issue)."""
        found = custom_record(self.cache, prep)
        if found:
            return found, None
        return self.links.record(prep, self.target) or self.partners.find_record(prep)

    def _message_vals(self, prep):
        found, problem = self.find_record(prep)
        if not found:
            prep.held = problem
            return
        rec, values = prep.record, prep.record.values
        vals = {
            "model": found[0],
            "res_id": found[1],
            "body": self._body(prep, values["body"] or ""),
            "message_type": values["message_type"] or "comment",
            "subtype_id": self.cache.xmlid(values["subtype"] or "mail.mt_note"),
            "date": values["date"],
        }
        vals.update(call_fields(values))
        if rec.user:
            column = rec.columns.get("user") or "User"
            user_id = self.resolver.owner(prep, rec.user, column, default=False)
            if user_id:
                vals["author_id"] = self.cache.user_partner(user_id)
        prep.vals = vals
        prep.create_date = prep.create_date or values["date"]

    def _body(self, prep, text):
        """The message body; a text too long for the HTML sanitiser keeps its
        start here and goes whole into an attachment (see attach_long)."""
        if len(text) <= LONG_TEXT:
            return as_html(text)
        name = f"note-line-{prep.line}.txt"
        prep.after["long_text"] = (name, text)
        column = prep.record.columns.get("body") or False
        prep.issues.append(
            issue(
                "long_text",
                column,
                text[:80],
                _(
                    "A note of %(size)s characters is longer than a message body "
                    "can hold whole: its first %(shown)s characters are in the "
                    "message and the whole text in its attachment %(name)s.",
                    size=len(text),
                    shown=LONG_TEXT_PREVIEW,
                    name=name,
                ),
            )
        )
        preview = text[:LONG_TEXT_PREVIEW]
        more = _(
            "[... %(size)s characters in all: the whole note is attached as %(name)s]",
            size=len(text),
            name=name,
        )
        return plaintext2html(f"{preview}\n\n{more}")

    def attach_long(self, created):
        """The whole text of each long note, as a plain-text attachment of its
        message (removed with it by a rollback)."""
        Attachment = self.env["ir.attachment"]
        for prep, message in created:
            name, text = prep.after["long_text"]
            attachment = Attachment.create(
                {
                    "name": name,
                    "raw": text.encode("utf-8"),
                    "mimetype": "text/plain",
                    "res_model": "mail.message",
                    "res_id": message.id,
                }
            )
            message.attachment_ids = [fields.Command.link(attachment.id)]

    def _activity_vals(self, prep):
        found, problem = self.find_record(prep)
        if not found:
            prep.held = problem
            return
        rec, values = prep.record, prep.record.values
        type_id = self.cache.xmlid(values["activity_type"]) or self.cache.xmlid(
            "mail.mail_activity_data_todo"
        )
        column = rec.columns.get("user") or "Team Member"
        prep.vals = {
            "res_model_id": self.cache.model_id(found[0]),
            "res_id": found[1],
            "activity_type_id": type_id,
            "summary": values["summary"],
            # kept whole: the sanitiser cuts a text run past 10 MB
            "note": split_text_nodes(as_html(values["note"]))
            if values["note"]
            else False,
            "date_deadline": values["date_deadline"],
            "user_id": self.resolver.owner(prep, rec.user, column),
            "active": not values["done"],
            **call_fields(values),
        }
        if values["done"]:
            prep.after["date_done"] = values["date_done"] or values["date_deadline"]
            # the done message at the source's completion time, else midday
            # UTC of the done date (the same day in the Americas and Europe)
            prep.after["done_at"] = values.get("done_at")

    # ------------------------------------------------------------ post hooks
    def post_create(self, omap, created):
        done = [(p, r) for p, r in created if p.after.get("date_done")]
        if done:
            self.activities_done(done)
        long_notes = [(p, r) for p, r in created if p.after.get("long_text")]
        if long_notes:
            self.complete(
                [p for p, _r in long_notes], self.attach_long, long_notes, created=True
            )

    def post_write(self, omap, updated):
        """An activity done at the source since the last run is done in Odoo
        the same way as one that arrives done (its date, its 'done' message)."""
        done = [
            (prep, record)
            for prep, record, before in updated
            if record._name == "mail.activity"
            and before.get("active") is True
            and prep.after.get("date_done")
        ]
        if done:
            self.complete([p for p, _r in done], self.activities_done, done)

    def activities_done(self, done):
        """Done activities the way Odoo 18 keeps them: archived with their done
        date, and the 'done' message in the record's chatter on that date."""
        self.env.cr.execute(
            SQL(
                "UPDATE mail_activity AS a SET date_done = v.d FROM (VALUES %s) AS v(id, d) "
                "WHERE a.id = v.id",
                SQL(", ").join(
                    SQL(
                        "(%s, %s::date)",
                        r.id,
                        fields.Date.to_string(p.after["date_done"]),
                    )
                    for p, r in done
                ),
            )
        )
        self.env["mail.activity"].invalidate_model(["date_done"])
        messages = [self._done_message(prep, activity) for prep, activity in done]
        created = self.writer.model("mail.message").create(messages)
        # the rollback of the run removes these messages with their activities
        self.cache.auto_created.extend(created)

    def _done_message(self, prep, activity):
        body = self.env["ir.qweb"]._render(
            "mail.message_activity_done",
            {"activity": activity, "feedback": False, "display_assignee": False},
        )
        return {
            "model": activity.res_model,
            "res_id": activity.res_id,
            "body": body,
            "message_type": "notification",
            "subtype_id": self.cache.xmlid("mail.mt_activities"),
            "mail_activity_type_id": activity.activity_type_id.id,
            "author_id": activity.user_id.partner_id.id or False,
            "date": prep.after.get("done_at")
            or fields.Datetime.to_datetime(prep.after["date_done"])
            + datetime.timedelta(hours=12),
        }


class ActivityHandler(NoteHandler):
    """Tasks and engagements: the same rules as notes."""

    target = "activity"
