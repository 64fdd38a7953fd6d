"""Row selection: which staging rows a run loads, in which order. A full run
takes every row; a sample takes a few rows of the most dependent object and
the rows they refer to; a delta takes the new and changed rows and those a
person decided about; chatter rows go oldest first."""

import re

from odoo import fields
from odoo.tools import SQL

from ..engine import records
from ..engine.match import norm_company, norm_email, norm_text
from .files import changed_files
from .prepare import column_binding, convert

# what a sample follows: target -> ((referenced target, fields of the row
# holding the reference, "email" or "company"), ...)
SAMPLE_LINKS = {
    "lead": (
        ("contact", ("partner_email", "email_from"), "email"),
        ("company", ("partner_name",), "company"),
    ),
    "contact": (("company", ("company_name",), "company"),),
}
# referenced target -> (fields holding its own key, "email" or "company")
SAMPLE_KEYS = {"contact": (("email",), "email"), "company": (("name",), "company")}
# what a sample follows by source id: target -> ((referenced targets, the
# virtual fields or, for a converted target, the columns naming its id), ...);
# the referenced rows are found by their object map's key column
SAMPLE_ID_LINKS = {
    "lead": ((("company", "contact"), ("company_ref", "contact_ref")),),
    "contact": ((("company",), ("parent_ref",)),),
    "order": (
        (("lead",), ("Deal ID", "Opportunity ID")),
        (("company", "contact"), ("Company ID", "Contact ID", "Customer ID")),
    ),
    "order_line": (
        (("order",), ("Quote ID", "Order ID")),
        (("product",), ("Product ID",)),
    ),
    "activity": (
        (("lead",), ("Deal ID", "Opportunity ID")),
        (("contact", "company"), ("Contact ID",)),
    ),
}


PAGE = 2000  # staging rows read at a time


def row_pages(env, row_ids, columns=None):
    """(id, data) of these staging rows, or (id, [values of ``columns``]),
    read a page of ids at a time in their order: a pass over a million rows
    holds one page, never the whole file (nor does it fill the ORM cache)."""
    env["migration.staging.row"].flush_model(["data"])
    if columns is None:
        values = SQL("data")
    else:
        values = SQL("ARRAY[%s]", SQL(", ").join(SQL("data->>%s", c) for c in columns))
    for start in range(0, len(row_ids), PAGE):
        page = list(row_ids[start : start + PAGE])
        env.cr.execute(
            SQL(
                "SELECT id, %s FROM migration_staging_row WHERE id = ANY(%s)",
                values,
                page,
            )
        )
        found = dict(env.cr.fetchall())
        yield from ((row_id, found[row_id]) for row_id in page if row_id in found)


class StagedRow:
    """A staging row as the preparation reads it: id, line and cells."""

    __slots__ = ("id", "line", "data")

    def __init__(self, row_id, line, data):
        self.id, self.line, self.data = row_id, line, data


class StagedRows(list):
    """A batch's staging rows, plain (``.ids`` as a recordset has)."""

    @property
    def ids(self):
        return [row.id for row in self]


def batch_rows(env, row_ids):
    """The staging rows of a batch in the order of ``row_ids``, read by one
    query into plain rows: the preparation reads every row's id, line and
    cells, which as ORM records is several field reads per row."""
    env["migration.staging.row"].flush_model(["line", "data"])
    env.cr.execute(
        SQL(
            "SELECT id, line, data FROM migration_staging_row WHERE id = ANY(%s)",
            list(row_ids),
        )
    )
    found = {
        row_id: StagedRow(row_id, line, data)
        for row_id, line, data in env.cr.fetchall()
    }
    return StagedRows(found[row_id] for row_id in row_ids if row_id in found)


def source_rows(env, source_id):
    """The staging rows of a source in line order (``StagedRow``), read a page
    of ids at a time: a pass over a million rows holds one page of cells,
    never the whole file (nor does it fill the ORM cache)."""
    Staging = env["migration.staging.row"]
    Staging.flush_model(["source_id", "line", "data"])
    ids = Staging.search([("source_id", "=", source_id)], order="line, id").ids
    for start in range(0, len(ids), PAGE):
        yield from batch_rows(env, ids[start : start + PAGE])


def field_columns(omap):
    """{target field name: [source columns mapped to it]}."""
    columns = {}
    for fmap in omap.field_map_ids:
        if fmap.action == "map" and fmap.target_field_id:
            columns.setdefault(fmap.target_field_id.name, []).append(fmap.column)
    return columns


def _accent_folding():
    """(accented letters, their plain letter): what SQL translate() folds."""
    plain = "".join(chr(c) for c in range(0xC0, 0x250))
    folded = [norm_text(char) for char in plain]
    pairs = [
        (char, fold)
        for char, fold in zip(plain, folded, strict=True)
        if len(fold) == 1 and fold.isascii() and fold.isalnum()
    ]
    return "".join(c for c, _f in pairs), "".join(f for _c, f in pairs)


class RowSelector:
    """Staging row ids per object map, for a run."""

    def __init__(self, env):
        self.env = env
        self.Staging = env["migration.staging.row"]

    def select(self, run, omaps):
        """{object map id: staging row ids to load, in load order}."""
        if run.kind == "delta":
            return self.delta(omaps)
        if run.kind == "sample":
            return self.sample(run, omaps)
        return {
            omap.id: self.Staging.search(
                [("source_id", "=", omap.source_id.id), ("state", "!=", "removed")],
                order="line, id",
            ).ids
            for omap in omaps
        }

    # ------------------------------------------------------------ sample
    def sample(self, run, omaps):
        """``sample_size`` rows of the most dependent object (leads first) and
        then, object by object towards the least dependent, the rows those
        refer to (a deal brings its contact by email and its company by name,
        a contact its company), each object topped up with its first rows and
        capped at ``sample_size``; rows gone from the source are left out."""
        size = run.sample_size or run.project_id.sample_size or 200
        self.Staging.flush_model(["source_id", "line", "data"])
        wanted = {}  # target -> {normalised value: rank}, first referenced first
        wanted_ids = {}  # target -> {source id: None}, first referenced first
        selected = {}
        for omap in reversed(omaps):
            columns = field_columns(omap)
            own_fields, kind = SAMPLE_KEYS.get(omap.target, ((), None))
            ids = self.linked_ids(
                omap,
                [col for fname in own_fields for col in columns.get(fname, [])],
                kind,
                wanted.get(omap.target) or {},
                size,
            )
            by_id = self.ids_named(omap, wanted_ids.get(omap.target), size)
            ids = list(dict.fromkeys(by_id + ids))[:size]
            selected[omap.id] = self._top_up(omap, ids, size)
            self._want(omap, selected[omap.id], columns, wanted)
            self._want_ids(omap, selected[omap.id], columns, wanted_ids)
        return {omap.id: selected[omap.id] for omap in omaps}

    def _top_up(self, omap, ids, size):
        if len(ids) < size:
            ids += self.Staging.search(
                [
                    ("source_id", "=", omap.source_id.id),
                    ("state", "!=", "removed"),
                    ("id", "not in", ids),
                ],
                order="line, id",
                limit=size - len(ids),
            ).ids
        return self.Staging.search([("id", "in", ids)], order="line, id").ids

    def _want(self, omap, row_ids, columns, wanted):
        """Rank the values these rows refer to, for the objects they refer to."""
        for target, fnames, ref_kind in SAMPLE_LINKS.get(omap.target, ()):
            norm = norm_email if ref_kind == "email" else norm_company
            ranks = wanted.setdefault(target, {})
            for value in self.values(
                row_ids, [col for fname in fnames for col in columns.get(fname, [])]
            ):
                key = norm(value)
                if key:
                    ranks.setdefault(key, len(ranks))

    def _want_ids(self, omap, row_ids, columns, wanted_ids):
        """The source ids these rows name, for the objects they refer to."""
        headers = set(omap.source_id.headers or ())
        for targets, names in SAMPLE_ID_LINKS.get(omap.target, ()):
            cols = [c for n in names for c in columns.get(n, [])]
            cols += [n for n in names if n in headers and n not in cols]
            for value in self.values(row_ids, cols):
                for target in targets:
                    wanted_ids.setdefault(target, {}).setdefault(str(value).strip())

    def ids_named(self, omap, source_ids, size):
        """Rows of ``omap`` whose own key column holds one of ``source_ids``,
        the first referenced first; at most ``size``."""
        if not source_ids or omap.key_rule != "column" or not omap.key_column:
            return []
        rank = {value: i for i, value in enumerate(source_ids)}
        self.env.cr.execute(
            SQL(
                "SELECT id, btrim(data->>%s) FROM migration_staging_row "
                "WHERE source_id = %s AND state IS DISTINCT FROM 'removed' "
                "AND btrim(data->>%s) = ANY(%s) ORDER BY line, id",
                omap.key_column,
                omap.source_id.id,
                omap.key_column,
                list(source_ids),
            )
        )
        found = sorted(self.env.cr.fetchall(), key=lambda row: rank[row[1]])
        return [row_id for row_id, _value in found][:size]

    def values(self, row_ids, columns):
        """Non-empty values of ``columns`` in these staging rows, in line order."""
        if not row_ids or not columns:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM migration_staging_row WHERE id = ANY(%s) ORDER BY line, id",
                SQL(", ").join(SQL("data->>%s", col) for col in columns),
                row_ids,
            )
        )
        return [value for row in self.env.cr.fetchall() for value in row if value]

    def linked_ids(self, omap, columns, kind, wanted, size):
        """Rows of ``omap`` whose ``columns`` hold a ``wanted`` value: the first
        row of each value (in rank order), then its other rows; at most ``size``.

        PostgreSQL narrows the rows down with a key close to the engine's
        normalisation (the same email; for a company, the same first letters
        and digits, accents folded); the engine's norm_email / norm_company
        then decides, so the SQL key only has to let every true match through.
        """
        if not columns or not wanted or not kind or size <= 0:
            return []
        if kind == "email":
            conditions, norm = self._email_conditions(columns, wanted), norm_email
        else:
            conditions, norm = self._company_conditions(columns, wanted), norm_company
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM migration_staging_row WHERE source_id = %s "
                "AND state IS DISTINCT FROM 'removed' AND (%s) ORDER BY line, id",
                SQL(", ").join(SQL("data->>%s", col) for col in columns),
                omap.source_id.id,
                SQL(" OR ").join(conditions),
            )
        )
        firsts, others = {}, []
        for row_id, *values in self.env.cr.fetchall():
            keys = {norm(value) for value in values if value}
            ranks = [wanted[key] for key in keys if key in wanted]
            if not ranks:
                continue
            if min(ranks) in firsts:
                others.append(row_id)
            else:
                firsts[min(ranks)] = row_id
        return ([firsts[rank] for rank in sorted(firsts)] + others)[:size]

    def _email_conditions(self, columns, wanted):
        emails = list({email.strip("<>") for email in wanted})
        return [
            SQL(
                "btrim(regexp_replace(lower(regexp_replace(data->>%s, '\\s', '', 'g')), "
                "'^mailto:', ''), '<>') = ANY(%s)",
                col,
                emails,
            )
            for col in columns
        ]

    def _company_conditions(self, columns, wanted):
        # a company name's letters and digits, accents folded; the engine
        # strips trailing legal forms only, so its key is a prefix of this
        accents_from, accents_to = _accent_folding()
        by_length = {}
        for name in wanted:
            prefix = re.sub(r"[^a-z0-9]", "", name)[:12]
            by_length.setdefault(len(prefix), set()).add(prefix)
        conditions = []
        for col in columns:
            loose = SQL(
                "regexp_replace(translate(lower(replace(data->>%s, 'ß', 'ss')), %s, %s), "
                "'[^a-z0-9]', '', 'g')",
                col,
                accents_from,
                accents_to,
            )
            # a name without a latin letter or digit has no prefix: the
            # engine decides on every row with a value
            conditions += [
                SQL("left(%s, %s) = ANY(%s)", loose, length, sorted(prefixes))
                if length
                else SQL("data->>%s <> ''", col)
                for length, prefixes in by_length.items()
            ]
        return conditions

    # ------------------------------------------------------------ delta
    def delta(self, omaps):
        """A delta loads only the rows new or changed since they were last
        loaded (their staging state is back to 'staged'), and the held rows a
        person has decided about in the review queue since."""
        decided = (
            self.env["migration.review"]
            .search(
                [
                    ("project_id", "in", omaps.project_id.ids),
                    ("state", "in", ("resolved", "ignored")),
                    ("staging_row_id.state", "=", "review"),
                ]
            )
            .staging_row_id
        )
        return {
            omap.id: self.Staging.search(
                [
                    ("source_id", "=", omap.source_id.id),
                    "|",
                    "|",
                    ("state", "=", "staged"),
                    ("id", "in", decided.ids),
                    # same list row, another file: its content is stored again
                    ("id", "in", self.changed_files(omap)),
                ],
                order="line, id",
            ).ids
            for omap in omaps
        }

    def changed_files(self, omap):
        """The loaded rows of an attachments list whose file changed."""
        if omap.target != "attachment":
            return []
        return changed_files(self.env, omap)

    # ------------------------------------------------------------ order
    def oldest_first(self, omap, row_ids, project):
        """Chatter rows in date order, so that message ids grow with their
        dates the way Odoo shows them (rows without a date first, in file
        order: they are held for review anyway)."""
        if not omap.converted or not row_ids:
            return row_ids
        dated = []
        columns = column_binding(omap)
        for row_id, data in row_pages(self.env, row_ids):
            try:
                rec = convert(omap, data or {}, project, columns)
                when = rec.values.get("date") or rec.values.get("date_deadline")
            except records.RowError:
                when = None
            dated.append((fields.Datetime.to_datetime(when) if when else None, row_id))
        first = min((d for d, _i in dated if d), default=None)
        return [i for _d, i in sorted(dated, key=lambda x: (x[0] or first or 0, x[1]))]
