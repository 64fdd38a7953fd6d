"""Users and team members: res.users matched by email (else name); created
(archived when inactive) only with the project's 'Create missing users'."""

from odoo import _

from ...engine.match import norm_email, norm_text
from ..common import issue
from .base import RecordHandler


class UserHandler(RecordHandler):
    target = "user"

    def resolve(self, omap, prepared):
        for prep in self.ready(prepared):
            values = prep.record.values
            # by email when the row has one (a name alone may be someone else)
            if values["email"]:
                user_id = self.cache.users.get(norm_email(values["email"]))
            else:
                user_id = self.cache.users.get(norm_text(values["name"]))
            prep.vals = {
                "name": values["name"],
                "login": values["login"],
                "email": values["email"] or False,
                "active": values["active"],
            }
            prep.create_only.update(("login", "active"))
            prep.dedupe = values["login"]
            if user_id:
                # the team member is this Odoo user: linked, never created twice
                self.resolver.link_existing(prep, "user", user_id)
            elif not self.project.create_users:
                prep.held = issue(
                    "unknown_owner",
                    "Email",
                    values["email"] or values["name"],
                    _(
                        "No Odoo user for %(name)s: create the user (or tick 'Create "
                        "missing users' on the project); their records have the default "
                        "owner meanwhile.",
                        name=values["name"],
                    ),
                )

    def remember(self, prep, record):
        self.cache.remember_user(record)
