"""The two yardsticks of the scale bench (issue 18), measured after a migration
on a sample of the records it made, in the same process and database:

- **plain batched create()**: the values the loader gave each record (its
  ledger row's ``after_values``) created again through ``Model.create()``, 500
  a call, tracking off: what a loader without a bulk path would do;
- **bulk-INSERT limit**: the same records' stored columns (read from their
  table) inserted again by one parameterised multi-row INSERT per 500 rows
  (as loader/rows.py writes its rows): no computes, no hooks, the floor of a
  write.

Each is rolled back (the migration's records are committed before). Rows per
second of both, per object, to divide the migration's rate by.
"""

import time

from psycopg2.extras import Json

from odoo.tools import SQL

BATCH = 500
CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


def sample_entries(env, run, omap, size):
    """[(res_id, after_values)] of up to ``size`` records the run created for
    ``omap`` in its own model."""
    env.cr.execute(
        "SELECT res_id, after_values FROM migration_ledger WHERE run_id = %s "
        "AND object_map_id = %s AND operation = 'create' AND res_model = %s "
        "ORDER BY id LIMIT %s",
        [run.id, omap.id, omap.model_name, size],
    )
    return env.cr.fetchall()


def create_vals(model, after):
    """create() values of a ledger row's after_values (many2many as ids)."""
    vals = {}
    for name, value in (after or {}).items():
        field = model._fields.get(name)
        if field is None or not field.store and field.type != "many2many":
            continue
        if field.type in ("many2many", "one2many"):
            vals[name] = [(6, 0, value or [])]
        elif field.type == "many2one":
            vals[name] = value[0] if isinstance(value, list) else value or False
        elif field.type == "datetime" and isinstance(value, str):
            vals[name] = value[:19].replace("T", " ")  # the snapshot's isoformat
        elif field.type == "date" and isinstance(value, str):
            vals[name] = value[:10]
        else:
            vals[name] = value
    return vals


def time_create(env, model_name, vals_list):
    model = env[model_name].with_context(**CREATE_CONTEXT)
    start = time.perf_counter()
    for at in range(0, len(vals_list), BATCH):
        model.create(vals_list[at : at + BATCH])
    env.flush_all()
    return time.perf_counter() - start


def time_insert(env, model_name, ids):
    """Seconds to insert again the stored columns of records ``ids``, one
    parameterised multi-row INSERT per BATCH rows (as loader/rows.py)."""
    table = env[model_name]._table
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    columns = SQL(", ").join(SQL.identifier(c) for (c,) in env.cr.fetchall())
    env.cr.execute(
        SQL("SELECT %s FROM %s WHERE id = ANY(%s)", columns, SQL.identifier(table), ids)
    )
    # json columns come back as Python values: sent back as JSON
    rows = [
        tuple(Json(v) if isinstance(v, (dict, list)) else v for v in row)
        for row in env.cr.fetchall()
    ]
    start = time.perf_counter()
    for at in range(0, len(rows), BATCH):
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s",
                SQL.identifier(table),
                columns,
                SQL(", ").join(rows[at : at + BATCH]),
            )
        )
    return time.perf_counter() - start


def limits(env, run, size=2000):
    """{object: {rows, create_rows_per_s, insert_rows_per_s}} on a sample of
    ``size`` records per object, each tool rolled back."""
    out = {}
    for line in run.line_ids.sorted("sequence"):
        omap = line.object_map_id
        entries = sample_entries(env, run, omap, size)
        if not entries:
            continue
        model = env[omap.model_name]
        vals_list = [create_vals(model, after) for _rid, after in entries]
        result = {"rows": len(entries), "model": omap.model_name}
        try:
            seconds = time_create(env, omap.model_name, vals_list)
            result["create_rows_per_s"] = len(vals_list) / seconds
        except Exception as exc:  # noqa: BLE001 - a bench reports what failed
            result["create_error"] = repr(exc)[:300]
        env.cr.rollback()
        env.invalidate_all()
        try:
            seconds = time_insert(env, omap.model_name, [rid for rid, _a in entries])
            result["insert_rows_per_s"] = len(entries) / seconds
        except Exception as exc:  # noqa: BLE001
            result["insert_error"] = repr(exc)[:300]
        env.cr.rollback()
        env.invalidate_all()
        out[line.object_name] = result
    return out
