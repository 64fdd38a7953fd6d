"""The thin model of the loader: ``migration.loader`` starts the plain Python
loader (``loader/``, as queue_job's Job sits beside its model) for a run."""

from odoo import api, models
from odoo.tools.sql import create_index

from ..loader import RunLoader
from .migration_target_field import target_model


class MigrationLoader(models.AbstractModel):
    _name = "migration.loader"
    _description = "Migration Loader"

    def init(self):
        """The indexes the loader's lookups need on Odoo's partners: a batch
        looks its partners up by normalised email and companies and people by
        lower(name); without an index each lookup reads the whole partner
        table, and a run's cost per row grows with the size of the run."""
        create_index(
            self.env.cr,
            "res_partner_crm_migration_email_index",
            "res_partner",
            ["email_normalized"],
        )
        create_index(
            self.env.cr,
            "res_partner_crm_migration_lower_name_index",
            "res_partner",
            ["lower(name)"],
        )

    def _run(self, run, commit=False, resume=False):
        """Load ``run``: every object map in dependency order, batch by batch;
        ``commit`` commits each batch in a command-line or background run;
        ``resume`` loads only what an interrupted run had not booked."""
        return RunLoader(self.env, run, commit=commit, resume=resume).load()

    @api.model
    def _target_model(self, target):
        return target_model(target)
