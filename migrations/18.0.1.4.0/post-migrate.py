"""18.0.1.4.0: the staging rows' ``object_name`` and ``row_hash`` no longer
indexed (issue 18): no query looks a staging row up by either (a source's
rows are read by ``source_id``, a re-upload compares each row's hash in
Python), and every row staged wrote both indexes. Odoo keeps the index of a
field that is no longer indexed ("Keep unexpected index"): dropped here."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import make_index_name

_logger = logging.getLogger(__name__)

TABLE = "migration_staging_row"
DROPPED = ("object_name", "row_hash")


def migrate(cr, version):
    if not version:
        return
    for column in DROPPED:
        cr.execute(
            SQL(
                "DROP INDEX IF EXISTS %s",
                SQL.identifier(make_index_name(TABLE, column)),
            )
        )
    _logger.info(
        "crm_migration: dropped the staging rows' indexes of %s", ", ".join(DROPPED)
    )
