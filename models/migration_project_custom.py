"""A project's custom objects' x_ models (loader/custom_models.py) live as
long as the project: closing or deleting it drops them with their rows."""

from odoo import models

from ..loader.custom_models import CustomModels


class MigrationProject(models.Model):
    _inherit = "migration.project"

    def _drop_custom_models(self):
        CustomModels(self.env).drop(
            self.mapped("object_map_ids").filtered("custom_model_id")
        )

    def action_close(self):
        result = super().action_close()
        self._drop_custom_models()
        return result

    def unlink(self):
        self._drop_custom_models()
        return super().unlink()
