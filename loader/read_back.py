"""Set-based reads of a run's end (cell conservation, fill rates): what the
database holds, read with one SQL query per model and page of ids, never
record by record through the ORM, and never from the ORM cache (a value
changed in the database after the write must be seen as it is there).

A field with a column of its own is read in SQL; a stored many2many by its
relation table; a field the SQL cannot read as the ORM would (translated,
company dependent, inherited, not stored) through ``read()`` of just those
fields on the page's records, the cache invalidated first.
"""

from array import array

from odoo.tools import SQL

# ids read per query: a page of a million rows' pass
PAGE = 5000
# what Python's str.strip() removes that a text may hold (an empty text)
SPACES = " \t\r\n\x0b\x0c\xa0\u2007\u202f\u3000"


def _plain_column(field):
    """A field whose column holds what ``read()`` returns (None as False)."""
    return (
        field.store
        and field.column_type
        and not field.translate
        and not getattr(field, "company_dependent", False)
        and field.type not in ("many2many", "one2many", "binary", "properties")
    )


def split_fields(model, names):
    """(plain column names, stored many2many names, the rest) of ``names``
    (each a field of ``model``)."""
    plain, m2m, rest = [], [], []
    for name in names:
        field = model._fields[name]
        if _plain_column(field):
            plain.append(name)
        elif field.type == "many2many" and field.store:
            m2m.append(name)
        else:
            rest.append(name)
    return plain, m2m, rest


def with_columns(env, model, names):
    """``names`` without the custom (x_) fields whose column the database
    does not have (yet): the registry may know a field a rolled-back
    transaction created; what is not in the database holds no value."""
    manual = [
        n
        for n in names
        if getattr(model._fields[n], "manual", False)
        and _plain_column(model._fields[n])
    ]
    if not manual:
        return list(names)
    env.cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = ANY(%s)",
            model._table,
            manual,
        )
    )
    present = {name for (name,) in env.cr.fetchall()}
    return [n for n in names if n not in manual or n in present]


def _value(field, value):
    if value is None:
        return False
    if field.type in ("float", "monetary"):
        return float(value)
    return value


def read_back(env, model_name, names, ids):
    """{id: {field: value as read() gives it}} of the records of ``ids`` that
    exist, read from the database (a missing id has no entry). Many2many
    values are lists of ids."""
    # sudo: reading back what the run wrote, to compare or count; a record
    # rule must not make a written value look lost, and no value leaves it
    model = env[model_name].sudo().with_context(active_test=False)
    names = [n for n in dict.fromkeys(names) if n in model._fields]
    plain, m2m, rest = split_fields(model, with_columns(env, model, names))
    result = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), PAGE):
        page = ids[start : start + PAGE]
        env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(n) for n in ("id", *plain)),
                SQL.identifier(model._table),
                page,
            )
        )
        for row in env.cr.fetchall():
            result[row[0]] = {
                name: _value(model._fields[name], value)
                for name, value in zip(plain, row[1:], strict=True)
            }
        found = [i for i in page if i in result]
        for name in m2m:
            field = model._fields[name]
            env.cr.execute(
                SQL(
                    "SELECT %s, array_agg(%s ORDER BY %s) FROM %s WHERE %s = ANY(%s) "
                    "GROUP BY 1",
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL.identifier(field.column2),
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    found,
                )
            )
            linked = dict(env.cr.fetchall())
            for res_id in found:
                result[res_id][name] = linked.get(res_id, [])
        if rest and found:
            records = model.browse(found)
            records.invalidate_recordset(rest)
            for vals in records.read(rest, load=False):
                result[vals["id"]].update(
                    (name, vals[name]) for name in rest if name in vals
                )
            records.invalidate_recordset(rest)
    return result


def filled_sql(field, alias):
    """SQL true when ``alias``'s record has a value in ``field`` as the fill
    rates count it (a text of blanks, a 0, a false boolean are empty), or
    None when SQL cannot tell (see ``split_fields``)."""
    column = SQL.identifier(alias, field.name)
    if field.type == "many2many" and field.store:
        return SQL(
            "EXISTS (SELECT 1 FROM %s rel WHERE rel.%s = %s)",
            SQL.identifier(field.relation),
            SQL.identifier(field.column1),
            SQL.identifier(alias, "id"),
        )
    if not _plain_column(field):
        return None
    if field.type in ("char", "text", "html", "selection"):
        return SQL("btrim(%s, %s) <> ''", column, SPACES)
    if field.type in ("integer", "float", "monetary"):
        return SQL("coalesce(%s, 0) <> 0", column)
    if field.type == "boolean":
        return SQL("coalesce(%s, false)", column)
    return SQL("%s IS NOT NULL", column)


def run_row_pages(env, rows_sql, project_id, target, model=None):
    """Pages of ``[(row id, line, data, state, record model, record id, the
    source's update date as the ledger keeps it)]`` of the staging rows that
    ``rows_sql`` selects (ids), in id order, a page of ``PAGE`` rows per
    query: each with the record of its latest ledger entry not rolled back,
    by its staging row or its source key (of ``model`` only, when given).
    The ids are read once; a page never holds more than ``PAGE`` rows' data."""
    for ids in run_row_id_pages(env, rows_sql):
        env.cr.execute(page_rows_sql(ids, project_id, target, model))
        yield env.cr.fetchall()


def run_row_id_pages(env, rows_sql):
    """[ids] of the rows ``rows_sql`` selects, ``PAGE`` at a time in id order
    (the pages of ``run_row_pages``), after a flush."""
    env.flush_all()
    ids = run_row_ids(env, rows_sql)
    for start in range(0, len(ids), PAGE):
        yield list(ids[start : start + PAGE])


def run_row_ids(env, rows_sql):
    """The ids ``rows_sql`` selects, in id order (an array of 8-byte ints)."""
    env.cr.execute(
        SQL("SELECT id FROM (%s) ids WHERE id IS NOT NULL ORDER BY id", rows_sql)
    )
    return array("q", (row_id for (row_id,) in env.cr.fetchall()))


def page_rows_sql(ids, project_id, target, model=None):
    """The query of a page of ``run_row_pages`` (the staging rows of ``ids``)."""
    only = SQL("AND l.res_model = %s", model) if model else SQL()
    return SQL(
        """
        WITH page AS (
            SELECT r.id, r.source_key FROM migration_staging_row r
             WHERE r.id = ANY(%(ids)s)
        ), led AS (
            SELECT DISTINCT ON (c.row_id) c.row_id, c.res_model, c.res_id,
                   c.original_write_date
              FROM (
                SELECT p.id AS row_id, l.id, l.run_id, l.res_model, l.res_id,
                       l.original_write_date
                  FROM page p JOIN migration_ledger l ON l.staging_row_id = p.id
                 WHERE NOT coalesce(l.rolled_back, false) %(only)s
                UNION ALL
                SELECT p.id, l.id, l.run_id, l.res_model, l.res_id,
                       l.original_write_date
                  FROM page p JOIN migration_ledger l
                    ON l.project_id = %(project)s AND l.target = %(target)s
                   AND l.source_key = p.source_key
                 WHERE NOT coalesce(l.rolled_back, false) %(only)s
              ) c
             ORDER BY c.row_id, c.run_id DESC, c.id DESC
        )
        SELECT r.id, r.line, r.data, r.state, led.res_model, led.res_id,
               led.original_write_date
          FROM page p JOIN migration_staging_row r ON r.id = p.id
          LEFT JOIN led ON led.row_id = r.id
         ORDER BY r.id
        """,
        ids=ids,
        only=only,
        project=project_id,
        target=target,
    )


def reviews_of(env, row_ids):
    """{row id: {column, or "" for the whole row (held, or a duplicate)}} of
    the review items of these rows, over every run: a cell reviewed once stays
    accounted for."""
    result = {}
    if not row_ids:
        return result
    env.cr.execute(
        SQL(
            "SELECT staging_row_id, coalesce(\"column\", ''), row_held, kind "
            "FROM migration_review WHERE staging_row_id = ANY(%s)",
            list(row_ids),
        )
    )
    for row_id, column, held, kind in env.cr.fetchall():
        cols = result.setdefault(row_id, set())
        cols.add("" if held or kind == "duplicate" else column)
    return result
