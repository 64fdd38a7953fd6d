"""18.0.1.3.0: the run's books cheaper per row (issue 18).

Odoo creates the index of a field whose ``index`` is set but keeps one whose
field is no longer indexed ("Keep unexpected index"): the indexes the books no
longer have are dropped here. The ledger's project, target and source key are
one index (``migration.ledger.init``, made before this script runs), which
serves every lookup the three single-column indexes served; its
``rolled_back`` index served none (every query asks for the rows not rolled
back). The staging rows' ``state`` and ``source_key``, which each run writes,
are no longer indexed: their update is a HOT update (no index written) when
the row's page has room, which ``migration.staging.row.init`` leaves on the
pages of the rows staged from now on (a fill factor of 50)."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import make_index_name

_logger = logging.getLogger(__name__)

DROPPED = {
    "migration_ledger": ("project_id", "target", "source_key", "rolled_back"),
    "migration_staging_row": ("state", "source_key"),
}


def migrate(cr, version):
    if not version:
        return
    for table, columns in DROPPED.items():
        for column in columns:
            cr.execute(
                SQL(
                    "DROP INDEX IF EXISTS %s",
                    SQL.identifier(make_index_name(table, column)),
                )
            )
    _logger.info(
        "crm_migration: dropped the books' single-column indexes %s",
        ", ".join(f"{t}.{c}" for t, columns in DROPPED.items() for c in columns),
    )
