"""A source's profile: made by the staging pass (one read of the file for
both) or read again from the stored file, and shown on the source's page."""

from markupsafe import Markup

from odoo import _, api, models

from ..engine import readers
from ..engine.profile import profile_table
from ..loader.heap import frozen

# the profiles made while staging (engine.profile.TableProfile: one pass over
# the file for both), by (database, source): (the staged file's attachment,
# profile), taken by _profile while that file is still the source's. A profile
# this process did not stage (another worker, a restart) is read again.
STAGED_PROFILES = {}
STAGED_PROFILES_KEPT = 64


class MigrationSource(models.Model):
    _inherit = "migration.source"

    def _keep_staged_profile(self, profile):
        """Keep the profile the staging pass made for _profile (the oldest
        kept ones are dropped first: a file staged and never profiled)."""
        key = (self.env.cr.dbname, self.id)
        STAGED_PROFILES.pop(key, None)
        while len(STAGED_PROFILES) >= STAGED_PROFILES_KEPT:
            STAGED_PROFILES.pop(next(iter(STAGED_PROFILES)))
        STAGED_PROFILES[key] = (self._profiled_file(), profile)

    def _profiled_file(self):
        """What a profile is made of: the stored file (its content), the table
        of it and the names it gets."""
        attachment = self.attachment_id
        return (
            attachment.id,
            attachment.checksum,
            self.file_name,
            self.name,
            self.object_name,
            self.kind,
        )

    def _staged_profile(self):
        """The profile the staging of this source's current file made, once."""
        made_of, profile = STAGED_PROFILES.pop(
            (self.env.cr.dbname, self.id), (None, None)
        )
        return profile if made_of == self._profiled_file() else None

    def _profile(self):
        for source in self:
            try:
                profile = source._staged_profile()
                if profile is None:
                    table = source._get_table()
                    # the collector skips the registry's objects (loader/heap.py)
                    with frozen():
                        profile = profile_table(table)
                source.profile = profile
                source.state = "profiled"
            except readers.ReadError as exc:
                source.write({"state": "error", "error": str(exc)})

    def _column_profile(self, column):
        self.ensure_one()
        for col in (self.profile or {}).get("columns", []):
            if col["name"] == column:
                return col
        return {}

    @api.depends("profile")
    def _compute_profile_html(self):
        for source in self:
            profile = source.profile or {}
            source.duplicate_email_count = len(profile.get("duplicate_emails", []))
            if not profile:
                source.profile_html = False
                continue
            rows = []
            for col in profile.get("columns", []):
                samples = ", ".join(str(s) for s in col.get("samples", [])[:5])
                rows.append(
                    Markup(
                        "<tr><td>%s</td><td>%s</td><td class='text-end'>%s%%</td>"
                        "<td class='text-end'>%s</td><td class='text-end'>%s</td>"
                        "<td class='text-end'>%s</td><td>%s</td></tr>"
                    )
                    % (
                        col["name"],
                        col.get("type"),
                        round(100 * (col.get("confidence") or 0)),
                        round(100 * (col.get("null_rate") or 0), 1),
                        col.get("distinct"),
                        col.get("duplicates"),
                        samples,
                    )
                )
            dup = Markup("")
            if profile.get("duplicate_emails"):
                items = Markup("").join(
                    Markup("<li>%s: lines %s</li>")
                    % (d["email"], ", ".join(str(n) for n in d["lines"]))
                    for d in profile["duplicate_emails"][:50]
                )
                dup = Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (
                    _("Duplicate emails"),
                    items,
                )
            head = Markup("").join(
                Markup("<th>%s</th>") % h
                for h in (
                    _("Column"),
                    _("Type"),
                    _("Type confidence"),
                    _("Empty"),
                    _("Distinct"),
                    _("Repeated"),
                    _("Samples"),
                )
            )
            source.profile_html = Markup(
                "<p>%s</p><table class='table table-sm o_migration_profile'>"
                "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>%s"
            ) % (
                _("%(rows)s rows", rows=profile.get("rows", 0)),
                head,
                Markup("").join(rows),
                dup,
            )
