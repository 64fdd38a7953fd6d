"""Appointments: calendar.event with attendees by email (unknown ones
reviewed, never invented), cancelled ones archived, linked to their
opportunity after create (crm would log 'meeting scheduled' today)."""

from odoo import _
from odoo.fields import Command
from odoo.tools import plaintext2html

from ...engine.html import split_text_nodes
from ..common import issue
from .base import RecordHandler


class EventHandler(RecordHandler):
    target = "event"

    def resolve(self, omap, prepared):
        ready = self.ready(prepared)
        emails = {e for p in ready for e in p.record.values["attendees"]}
        by_email = self.partners.by_email(emails)
        for prep in ready:
            self._event_vals(prep, by_email)

    def _event_vals(self, prep, by_email):
        rec, values = prep.record, prep.record.values
        column = rec.columns.get("user") or "Assigned To"
        user_id = self.resolver.owner(prep, rec.user, column)
        partner_ids = [self.cache.user_partner(user_id)] if user_id else []
        partner_ids += self._attendees(prep, values["attendees"], by_email)
        vals = {
            "name": values["name"],
            "allday": values["allday"],
            "location": values["location"] or False,
            "description": split_text_nodes(plaintext2html(values["description"]))
            if values["description"]
            else False,
            "user_id": user_id,
            "partner_ids": [
                Command.set(list(dict.fromkeys(p for p in partner_ids if p)))
            ],
            "active": not values["cancelled"],
        }
        if values["allday"]:
            vals["start_date"] = values["start_date"]
            vals["stop_date"] = values["stop_date"] or values["start_date"]
        else:
            vals["start"] = values["start"]
            vals["stop"] = values["stop"]
        prep.vals = vals
        prep.create_only.add("partner_ids")
        lead_id = self.cache.key_res("lead", rec.lead_ref)
        if lead_id:
            # after create: crm logs a "meeting scheduled" message dated today
            # when an event is created with its opportunity
            prep.after["opportunity_id"] = lead_id

    def _attendees(self, prep, emails, by_email):
        partner_ids = []
        column = prep.record.columns.get("attendees") or "Attendees"
        for email in emails:
            hits = by_email.get(email) or []
            if hits:
                partner_ids.append(hits[0])
                continue
            prep.issues.append(
                issue(
                    "invalid_value",
                    column,
                    email,
                    _(
                        "Unknown attendee %(email)s: no contact has this email; "
                        "no partner was invented for it.",
                        email=email,
                    ),
                )
            )
        return partner_ids

    # ------------------------------------------------------------ post hooks
    def post_create(self, omap, created):
        for prep, record in created:
            lead_id = prep.after.get("opportunity_id")
            if lead_id:
                self.complete([prep], link_opportunity, record, lead_id, created=True)

    def post_write(self, omap, updated):
        """An event keeps its opportunity."""
        for prep, record, _before in updated:
            lead_id = prep.after.get("opportunity_id")
            if lead_id and record.opportunity_id.id != lead_id:
                self.complete([prep], link_opportunity, record, lead_id)


def link_opportunity(event, lead_id):
    event.opportunity_id = lead_id
