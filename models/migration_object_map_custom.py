"""A custom object's map (memberships, enrolments...): its columns become
fields of a model of its own (loader/custom_models.py)."""

from odoo import _, models

from ..engine import propose
from .migration_field_map import NEW_FIELD_TRANSFORM


class MigrationObjectMap(models.Model):
    _inherit = "migration.object.map"

    def _own_model_fields(self):
        """A custom object's columns all go to x_ fields of its own model; the
        column proposed as the contact's email becomes the link column unless
        the proposal named one (its value kept in its field too). The link
        column is never the row's key: rows naming one contact are records of
        their own."""
        self.ensure_one()
        fmaps = self.field_map_ids.filtered(
            lambda f: not f.confirmed and f.action == "map"
        )
        link = fmaps.filtered(lambda f: f.target_field_id.name == "email")[:1]
        if link and not self.link_column:
            self.link_column = link.column
        if self.key_rule != "content" and (
            self.key_column and self.key_column == self.link_column
        ):
            self.write(
                {
                    "key_rule": "content",
                    "key_column": False,
                    "reason": _(
                        "%(reason)s\nKey: the row's content (%(column)s names its "
                        "contact, several rows share it).",
                        reason=self.reason or "",
                        column=self.link_column,
                    ),
                }
            )
        taken = set(self.field_map_ids.mapped("new_field_name")) - {False}
        for fmap in fmaps:
            new = propose.new_field_for(fmap.column, fmap.inferred_type, taken)
            taken.add(new["name"])
            fmap.write(
                {
                    "action": "create",
                    "target_field_id": False,
                    "new_field_name": new["name"],
                    "new_field_label": new["label"],
                    "new_field_type": new["type"],
                    "transform": NEW_FIELD_TRANSFORM[new["type"]],
                    "reason": _("A custom object's column: a field of its own model."),
                }
            )
