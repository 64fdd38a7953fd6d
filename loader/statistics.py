"""The planner's statistics of the tables a run has just filled, refreshed
before the queries that read them back.

PostgreSQL plans a query from each table's statistics, which autovacuum
refreshes in the background once a table has changed by 50 rows and a tenth
of its size, on its own schedule (a minute between rounds) and never with the
rows of a transaction still open. A run's end (probabilities, fill rates, the
cell check) reads the ledger, the staging rows and the records a run has just
written: when their statistics were last taken before the object's rows were
in (an object's ``res_model`` or ``target`` absent from them), the planner
expects one row where there are thousands and joins a page of 5,000 rows to
them by a nested loop, 5,000 x 6,666 comparisons for a 20k run's deals (8 s
instead of 0.1 s; fill rates 13 s instead of 0.4 s on another load), and
whether it did depended on when autovacuum last came by.

``refresh`` does what autovacuum would do next, now and in this transaction
(so the rows it has not committed count), once an object's batches are in:
``ANALYZE`` of the run's books and the object's table when the object wrote
more than 50 rows and a tenth of what the planner believes the table holds
(autovacuum's own threshold), only of the columns the run's queries select
and join on (a fraction of a full ``ANALYZE``, which also reads every text
and the staging rows' data). It never waits: a table another transaction
is analysing (another run's end not yet committed, autovacuum) is skipped
(``SKIP_LOCKED``, PostgreSQL 12), as is one this database user does not own;
PostgreSQL says so with a warning, not an error.
"""

from odoo.tools import SQL

# the columns the run's own queries filter and join on, per table; a target
# model's table is joined by id (and settled leads by stage and active)
COLUMNS = {
    "migration_ledger": (
        "run_id", "object_map_id", "project_id", "target", "res_model", "res_id",
        "staging_row_id", "source_key", "operation", "rolled_back",
    ),
    "migration_staging_row": ("id", "source_id", "last_run_id", "state", "source_key"),
    "migration_review": ("staging_row_id", "run_id", "object_map_id"),
    "crm_lead": ("id", "stage_id", "active"),
}  # fmt: skip
# the run's own books, filled row by row by every object
BOOK_MODELS = ("migration.ledger", "migration.staging.row", "migration.review")
# autovacuum's defaults (autovacuum_analyze_threshold, _scale_factor)
THRESHOLD = 50
SCALE = 0.1


def stale_tables(env, tables, rows):
    """Those of ``tables`` whose statistics ``rows`` new rows make stale by
    autovacuum's rule: more than 50 and a tenth of the rows the planner
    believes the table holds (any, for a table never analysed)."""
    env.cr.execute(
        SQL(
            "SELECT relname FROM pg_class "
            "WHERE oid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) t) "
            "AND (reltuples < 0 OR %s > %s + %s * reltuples) ORDER BY relname",
            sorted(set(tables)),
            rows,
            THRESHOLD,
            SCALE,
        )
    )
    return [name for (name,) in env.cr.fetchall()]


def refresh(env, model_names, rows):
    """ANALYZE the run's books and the tables of ``model_names`` that ``rows``
    rows just written make stale (``stale_tables``), none of them waiting for
    a lock (SKIP_LOCKED: the lock an ANALYZE takes is held until the end of
    the transaction, a synchronous run's in the web client); the tables
    asked for."""
    if rows <= THRESHOLD:
        return []
    env.flush_all()  # the rows still in the ORM's cache count too
    tables = [env[name]._table for name in (*BOOK_MODELS, *model_names)]
    stale = stale_tables(env, tables, rows)
    if stale:
        env.cr.execute(
            SQL(
                "ANALYZE (SKIP_LOCKED) %s",
                SQL(", ").join(_target(table) for table in stale),
            )
        )
    return stale


def _target(table):
    """``table (columns)`` as ANALYZE takes it: only the columns the run's
    queries use, or ``id`` (the table's size and its ids) for another."""
    columns = COLUMNS.get(table, ("id",))
    return SQL(
        "%s (%s)",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    )
