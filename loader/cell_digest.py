"""A digest of what the cell check of a field-mapped object reads from the
database (models/migration_cell_check.py): its staging rows (line, state,
data), the record of each row's latest ledger entry and the source's update
date it keeps, the rows' review items, and the record's fields the check
compares, as PostgreSQL holds them. A parallel run checks an object beside
the next objects' batches; the run's finish keeps that check only when the
digest is the same then (a later object may write on the object's records:
deals on their customers, contacts on their company), else checks again.

Computed in SQL, a query per page of rows (loader/read_back.py's pages), so
that the finish reads no row into Python to tell; None when a field the check
reads is not read in SQL (translated, not stored...: see split_fields)."""

import hashlib

from odoo.tools import SQL

from .read_back import page_rows_sql, run_row_id_pages, split_fields, with_columns


def cells_digest(env, rows_sql, project_id, target, model_name, names, config):
    """Hex digest of ``config`` (a text: what the check is given besides the
    database) and of what the check of the rows of ``rows_sql`` reads of
    their records of ``model_name`` (fields ``names``); None if not in SQL."""
    # sudo: as read_back, what the run wrote is read whatever the record rules
    model = env[model_name].sudo().with_context(active_test=False)
    names = [n for n in dict.fromkeys(names) if n in model._fields]
    present = with_columns(env, model, names)
    plain, m2m, rest = split_fields(model, present)
    if rest:
        return None
    digest = hashlib.sha256(repr((config, present)).encode())
    record = [SQL.identifier("t", n) for n in ("id", *plain)]
    record += [_linked(model._fields[name]) for name in m2m]
    for ids in run_row_id_pages(env, rows_sql):
        page = page_rows_sql(ids, project_id, target, model_name)
        env.cr.execute(
            SQL(
                """
                SELECT md5(string_agg(ROW(
                           p.id, p.line, p.state, md5(p.data::text), p.res_model,
                           p.res_id, p.original_write_date, ROW(%(record)s)::text,
                           (SELECT string_agg(ROW(v."column", v.row_held, v.kind)::text,
                                              ';' ORDER BY ROW(v."column", v.row_held,
                                                               v.kind)::text)
                              FROM migration_review v WHERE v.staging_row_id = p.id)
                       )::text, E'\\n' ORDER BY p.id))
                  FROM (%(page)s) p
                  LEFT JOIN %(table)s t ON t.id = p.res_id
                """,
                record=SQL(", ").join(record),
                page=page,
                table=SQL.identifier(model._table),
            )
        )
        digest.update((env.cr.fetchone()[0] or "").encode())
    return digest.hexdigest()


def _linked(field):
    """The ids a stored many2many links ``t`` to, in order."""
    return SQL(
        "(SELECT array_agg(rel.%s ORDER BY rel.%s) FROM %s rel WHERE rel.%s = t.id)",
        SQL.identifier(field.column2),
        SQL.identifier(field.column2),
        SQL.identifier(field.relation),
        SQL.identifier(field.column1),
    )
