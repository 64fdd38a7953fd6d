"""The thin model of the loader: ``migration.loader`` starts the plain Python
loader (``loader/``, as queue_job's Job sits beside its model) for a run."""

from odoo import api, models

from ..loader import RunLoader
from .migration_target_field import target_model


class MigrationLoader(models.AbstractModel):
    _name = "migration.loader"
    _description = "Migration Loader"

    def _run(self, run, commit=False, resume=False):
        """Load ``run``: every object map in dependency order, batch by batch;
        ``commit`` commits each batch in a command-line or background run;
        ``resume`` loads only what an interrupted run had not booked."""
        return RunLoader(self.env, run, commit=commit, resume=resume).load()

    @api.model
    def _target_model(self, target):
        return target_model(target)
