"""Booking: what became of every row of a batch, written down. Ledger rows for
what was written (what rollback and re-runs obey), review items for what a
person must look at, the run line's counts (the reconciliation equation), the
source's original dates and each staging row's state."""

from collections import defaultdict

from psycopg2 import sql

from odoo import fields
from odoo.tools import SQL

from .common import COUNTS, LOAD_CONTEXT, snapshot
from .rows import OwnRows, execute_rows

# The staging rows' UPDATE of a batch (Book.row_states): state, key, the
# source's update date, the runs; with READ, what a converted row's
# conversion read (loader.leftovers) in the same rewrite of the row.
ROW_STATE_SET = sql.SQL(
    "source_key = CASE WHEN v.hk THEN v.k ELSE r.source_key END, "
    "source_write_date = CASE WHEN v.hk THEN v.d::timestamp "
    "ELSE r.source_write_date END, "
    "state = coalesce(v.s, r.state), "
    "last_run_id = CASE WHEN v.s IS NULL THEN r.last_run_id ELSE v.run END, "
    "first_run_id = CASE WHEN v.s IS NULL THEN r.first_run_id "
    "ELSE coalesce(r.first_run_id, v.run) END"
)
READ_COLUMNS = ("read_run_id", "read_setup", "read_unread", "read_homes")
ROW_STATES = sql.SQL(
    "UPDATE migration_staging_row AS r SET {} "
    "FROM (VALUES %s) AS v(id, hk, k, d, s, run) WHERE r.id = v.id"
).format(ROW_STATE_SET)
ROW_STATES_READ = sql.SQL(
    "UPDATE migration_staging_row AS r SET {}, "
    "read_run_id = CASE WHEN v.hr THEN v.rr::int4 ELSE r.read_run_id END, "
    "read_setup = CASE WHEN v.hr THEN v.rs::varchar ELSE r.read_setup END, "
    "read_unread = CASE WHEN v.hr THEN v.u::jsonb ELSE r.read_unread END, "
    "read_homes = CASE WHEN v.hr THEN v.h::jsonb ELSE r.read_homes END "
    "FROM (VALUES %s) AS v(id, hk, k, d, s, run, hr, rr, rs, u, h) "
    "WHERE r.id = v.id"
).format(ROW_STATE_SET)


def snapshots(pairs, also=()):
    """``[snapshot(record, fnames) for record, fnames in pairs]``, each field
    read once for all the records of a model (the ORM's per-record reads
    are most of the cost of a batch's ledger otherwise); ``also``: stored
    fields the caller reads next, fetched in the same query."""
    groups = defaultdict(list)  # (env, model) -> [place in pairs]
    for place, (record, _fnames) in enumerate(pairs):
        groups[(record.env, record._name)].append(place)
    out = [{} for _pair in pairs]
    for (env, model_name), places in groups.items():
        model = env[model_name]
        wanted = defaultdict(list)  # field -> [place]
        for place in places:
            for fname in pairs[place][1]:
                field = model._fields.get(fname)
                if field is not None and field.type not in ("one2many", "binary"):
                    wanted[field].append(place)
        # only the asked fields, in one query: a field read alone fetches
        # every column of the model for the records (a hundred for a partner)
        model.browse({pairs[p][0].id for p in places}).fetch(
            [field.name for field in wanted if field.store]
            + [fname for fname in also if fname in model._fields]
        )
        for field, where in wanted.items():
            values = field_values(model.browse([pairs[p][0].id for p in where]), field)
            for place, value in zip(where, values, strict=True):
                out[place][field.name] = value
    # the fields in the order they were asked for, as snapshot() gives them
    return [
        {f: row[f] for f in fnames if f in row}
        for row, (_record, fnames) in zip(out, pairs, strict=True)
    ]


def field_values(records, field):
    """snapshot()'s value of ``field`` on each of ``records``, in order."""
    values = field.mapped(records)  # fetched (or computed) for all at once
    if field.type in ("many2one", "many2many"):
        raw = records.env.cache.get_until_miss(records, field)
        if len(raw) < len(records):  # cache dropped meanwhile: one by one
            return [snapshot(record, [field.name])[field.name] for record in records]
        if field.type == "many2one":
            return [value or False for value in raw]
        return [sorted(value) for value in raw]
    return [v.isoformat() if hasattr(v, "isoformat") else v for v in values]


class Book:
    """The books of one object map of one run. With ``bulk`` (the project's
    Bulk write), ledger and review rows are inserted by loader.rows."""

    def __init__(self, env, run, omap, bulk=False):
        self.env = env
        self.run = run
        self.omap = omap
        self.bulk = bulk
        # read once: the values every row of the object books
        self.run_id = run.id
        self.project_id = run.project_id.id
        self.omap_id = omap.id
        self.target = omap.target
        self.source_id = omap.source_id.id
        self.model_name = omap.model_name
        self._rows = {}  # model -> OwnRows (its memo of defaults)

    # ------------------------------------------------------------ values
    def ledger_vals(self, prep, record, operation, before=None, after=None, **known):
        """A ledger row; ``known`` may give its ``after_values`` and
        ``written_at`` read for the whole batch (``Book.after``)."""
        if "after_values" in known:
            after_values = known["after_values"]
        else:
            after_values = snapshot(record, list(after or ()))
        return {
            "run_id": self.run_id,
            "project_id": self.project_id,
            "object_map_id": self.omap_id,
            "target": self.target,
            "source_key": prep.key,
            "staging_row_id": prep.row_id,
            "line": prep.line,
            "res_model": record._name,
            "res_id": record.id,
            "operation": operation,
            "before_values": before or False,
            "after_values": after_values or False,
            "link_keys": prep.after.get("links") or False,
            "written_at": known["written_at"]
            if "written_at" in known
            else record.write_date,
            "original_create_date": prep.create_date or False,
            "original_write_date": prep.write_date or False,
        }

    def after(self, created):
        """[(after values, written_at)] of freshly created records, for their
        ledger rows: ``[(prep, record)]`` read field by field for the batch."""
        # write_date in the same query: read alone, it would fetch every
        # column of the records (a hundred for a partner)
        values = snapshots(
            [(record, list(prep.vals)) for prep, record in created], ("write_date",)
        )
        written = {}
        by_model = defaultdict(list)
        for _prep, record in created:
            by_model[(record.env, record._name)].append(record.id)
        for (env, model_name), ids in by_model.items():
            records = env[model_name].browse(ids)
            dates = records._fields["write_date"].mapped(records)
            written.update(zip(((model_name, i) for i in ids), dates, strict=True))
        return [
            (after, written[(record._name, record.id)])
            for after, (_prep, record) in zip(values, created, strict=True)
        ]

    def auto_created_ledger(self, records):
        """Ledger rows for the stages, tags, teams... a batch created on the fly,
        so that a rollback removes them too."""
        return [
            {
                "run_id": self.run_id,
                "project_id": self.project_id,
                "target": "lookup",
                "source_key": f"auto:{record._name}:{record.display_name}",
                "res_model": record._name,
                "res_id": record.id,
                "operation": "create",
                "written_at": record.write_date,
                # what a rollback compares: the record's own name, if it has one
                "after_values": snapshot(record, ["name"]) or False,
            }
            for record in records
        ]

    def added_ledger(self, added):
        """Ledger rows of many2many links a batch added to records it did not
        create (operation ``add``): a rollback unlinks exactly those ids."""
        return [
            {
                "run_id": self.run_id,
                "project_id": self.project_id,
                "object_map_id": self.omap_id,
                "target": self.target,
                # its own key: never read back as the row's record
                "source_key": f"{prep.key}>{record._name}:{record.id}",
                "line": prep.line,
                "res_model": record._name,
                "res_id": record.id,
                "operation": "add",
                "after_values": {fname: ids},
                "written_at": record.write_date,
            }
            for prep, record, fname, ids in added
        ]

    def review_vals(self, prep, problem, held, record_id=None, res_model=None):
        return {
            "project_id": self.project_id,
            "run_id": self.run_id,
            "source_id": self.source_id,
            "staging_row_id": prep.row_id,
            "object_map_id": self.omap_id,
            "line": prep.line,
            "kind": problem["kind"],
            "column": problem["column"],
            "value": problem["value"],
            "reason": problem["reason"],
            "row_held": held,
            "res_model": (res_model or self.model_name) if record_id else False,
            "res_id": record_id or False,
        }

    # ------------------------------------------------------------ writes
    def write_ledger(self, vals_list):
        # sudo: the ledger is the loader's own book; people (Migration Users
        # included) may read it but never write rows that a rollback would obey
        return self._store(self.env["migration.ledger"].sudo(), vals_list)

    def _store(self, model, vals_list):
        """create(), or with ``bulk`` the same rows in one INSERT (loader.rows)
        when it can store them as create() would."""
        if not vals_list:
            return model.browse()
        if self.bulk:
            rows = self._rows.setdefault(model._name, OwnRows(model))
            if rows.model.env is not model.env:
                rows = self._rows[model._name] = OwnRows(model)
            if rows.refusal(vals_list) is None:
                return rows.insert(vals_list)
        return model.create(vals_list)

    def create_reviews(self, reviews):
        """One review item per problem: a re-run does not repeat an item that
        is already in the queue (open, resolved or ignored) for the same row,
        kind, column and value."""
        if not reviews:
            return
        row_ids = list({vals["staging_row_id"] for vals in reviews})
        known = {
            (
                item.staging_row_id.id,
                item.kind,
                item.column or False,
                item.value or False,
            ): item
            for item in self.env["migration.review"].search(
                [("staging_row_id", "in", row_ids)]
            )
        }
        fresh = []
        for vals in reviews:
            item = known.get(
                (vals["staging_row_id"], vals["kind"], vals["column"], vals["value"])
            )
            if item is None:
                fresh.append(vals)
            elif vals.get("row_held") and not item.row_held:
                # the problem the queue knows (found when the source was read)
                # holds the row now: its item says so, or the row looks lost
                item.row_held = True
        Review = self.env["migration.review"].with_context(**LOAD_CONTEXT)
        if self.bulk and fresh:
            # what Review.create() does before storing, then the rows stored
            Review._join_issues(fresh)
        self._store(Review, fresh)

    def original_dates(self, created):
        """create_date is not writable by the ORM: keep the source's with SQL."""
        for model_name in dict.fromkeys(r._name for _p, r in created):
            pairs = [
                (record.id, prep.create_date)
                for prep, record in created
                if prep.create_date and record._name == model_name
            ]
            self.set_create_dates(self.env[model_name], pairs)

    def set_create_dates(self, model, pairs):
        if not pairs:
            return
        model.flush_model()
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp)", rid, fields.Datetime.to_string(date))
            for rid, date in pairs
        )
        self.env.cr.execute(
            SQL(
                # a row the bulk writer inserted with its date is not rewritten
                "UPDATE %s AS t SET create_date = v.d FROM (VALUES %s) AS v(id, d) "
                "WHERE t.id = v.id AND t.create_date IS DISTINCT FROM v.d "
                "RETURNING t.id",
                SQL.identifier(model._table),
                values,
            )
        )
        rewritten = model.browse(row[0] for row in self.env.cr.fetchall())
        model.invalidate_model(["create_date"])
        if rewritten:
            # what Odoo computes from a create date (a lead's days to assign
            # and to close) is computed again from the source's, as if the
            # record had been created then; the bulk writer's rows have it
            rewritten.modified(["create_date"])
            model.flush_model()

    def row_states(self, row_states, keys, reads=None):
        """Book what became of each row, with its key and the source's own
        update date (what a delta compares besides the row hash), and with
        ``reads`` (loader.leftovers.Leftovers.take: what the conversion of a
        converted row read) those too: one UPDATE for the batch, each
        staging row rewritten once."""
        Staging = self.env["migration.staging.row"]
        Staging.flush_model()
        merged = {}  # row id -> [key given, key, update date, state]
        for row_id, (key, date) in keys.items():
            text = fields.Datetime.to_string(date) if date else None
            merged[row_id] = [True, key, text, None]
        for state, ids in row_states.items():
            for row_id in ids:  # a later state wins, as it did row by row
                merged.setdefault(row_id, [False, None, None, None])[3] = state
        if reads:
            for row_id in reads[2]:
                merged.setdefault(row_id, [False, None, None, None])
        if merged:
            self._rewrite_rows(merged, reads)
        Staging.invalidate_model(
            ["state", "last_run_id", "first_run_id", "source_key", "source_write_date"]
            + (list(READ_COLUMNS) if reads else [])
        )

    def _rewrite_rows(self, merged, reads):
        """The UPDATE of row_states: the run's id (and the reads' run and
        setup) a parameter of each row, as the rows are one VALUES list of
        parameters (execute_rows), the statement's only one; quoted once."""
        rows = [(row_id, *values, self.run_id) for row_id, values in merged.items()]
        query = ROW_STATES
        if reads:
            run_id, setup, booked = reads
            query = ROW_STATES_READ
            rows = [
                (
                    *row,
                    *(
                        (True, run_id, setup, *booked[row[0]])
                        if row[0] in booked
                        else (False, None, None, None, None)
                    ),
                )
                for row in rows
            ]
        execute_rows(self.env.cr, query, rows)

    def counts(self, line, counts):
        """Add a batch's counts to the object's run line."""
        line._write_book(
            {
                f"{name}_count": line[f"{name}_count"] + counts[name]
                for name in COUNTS
                if name != "invalid"
            }
            | {"invalid_value_count": line.invalid_value_count + counts["invalid"]}
        )
