"""18.0.1.1.0: ledger keys in their second format (loader/rekey.py).

Quotes and orders got key spaces of their own (``id:quotes:5``) and company
names a new normaliser; a project loaded by an earlier version would find none
of its records on a re-run and create them again. Every project of a database
upgraded from an earlier version was written in the first format: the ORM gave
the new ``key_version`` column today's default, so it is set back to 1 here and
the keys are rewritten now (a run or upload would also upgrade them first)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("UPDATE migration_project SET key_version = 1")
    projects = env["migration.project"].with_context(active_test=False).search([])
    projects.invalidate_recordset(["key_version"])
    changed = projects._upgrade_keys()
    _logger.info(
        "crm_migration: %s staging keys of %s projects rewritten to the new format",
        changed,
        len(projects),
    )
