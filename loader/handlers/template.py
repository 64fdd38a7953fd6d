"""Email templates: mail.template on contacts, HTML sanitised; external
images, removed parts and the source's merge fields listed for review."""

from odoo import _

from ..common import issue
from .base import RecordHandler


class TemplateHandler(RecordHandler):
    target = "template"

    def resolve(self, omap, prepared):
        model_id = self.cache.model_id("res.partner")
        for prep in self.ready(prepared):
            values = prep.record.values
            prep.vals = {
                "name": values["name"],
                "subject": values["subject"],
                "body_html": values["body_html"],
                "model_id": model_id,
            }
            columns = prep.record.columns
            for url in values["images"]:
                prep.issues.append(
                    issue(
                        "external",
                        columns.get("body") or "Body",
                        url,
                        _(
                            "External image: re-host it in Odoo, it may disappear "
                            "with the source account."
                        ),
                    )
                )
            for part, found in (values.get("merge_fields") or {}).items():
                prep.issues.append(
                    issue(
                        "not_loaded",
                        columns.get(part) or part.capitalize(),
                        ", ".join(found),
                        _(
                            "Merge fields of the source system, not Odoo's: they "
                            "are kept as text (in the subject as [field]); rewrite "
                            "them in the template editor, e.g. {{ object.name }}."
                        ),
                    )
                )
            if values["removed"]:
                prep.issues.append(
                    issue(
                        "external",
                        columns.get("body") or "Body",
                        ", ".join(dict.fromkeys(values["removed"])),
                        _("Removed from the HTML for safety: check the template."),
                    )
                )
