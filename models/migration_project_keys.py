"""The key format of a project's ledger, and its upgrade before a run
(loader/rekey.py says what changed between versions)."""

from odoo import fields, models

from ..loader.rekey import KEY_VERSION, KeyUpgrade


class MigrationProject(models.Model):
    _inherit = "migration.project"

    key_version = fields.Integer(
        default=KEY_VERSION,
        readonly=True,
        copy=False,
        help="The format of the source keys this project's ledger is written in. "
        "A project loaded by an older version is upgraded before its next run "
        "or upload, so a re-run finds the records it made instead of creating "
        "them again.",
    )

    def _upgrade_keys(self):
        """Rewrite the staging and ledger keys of projects written in an older
        key format; returns the number of staging rows whose key changed."""
        return sum(KeyUpgrade(self.env, project).run() for project in self)
