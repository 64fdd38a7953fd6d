"""A project's custom objects' x_ models (loader/custom_models.py) outlive
its runs: closing or deleting the project drops only the models that hold no
record (never loaded, or every run rolled back). A model holding migrated
records is the company's data from then on and stays, with its screens."""

from odoo import models

from ..loader.custom_models import CustomModels


class MigrationProject(models.Model):
    _inherit = "migration.project"

    def _drop_custom_models(self):
        omaps = self.mapped("object_map_ids").filtered("custom_model_id")
        CustomModels(self.env).drop(omaps.filtered(self._custom_model_is_empty))

    def _custom_model_is_empty(self, omap):
        name = omap.custom_model_id.model
        if name not in self.env:
            return True
        # sudo: counting rows of a model the project made, whatever the
        # manager's own record rules on it
        records = self.env[name].sudo().with_context(active_test=False)
        return not records.search_count([], limit=1)

    def action_close(self):
        result = super().action_close()
        self._drop_custom_models()
        return result

    def unlink(self):
        self._drop_custom_models()
        return super().unlink()
