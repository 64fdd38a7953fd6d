"""The loader's own rows (ledger rows, review rows) written by one
parameterised multi-row INSERT per batch instead of ``create()`` (issue 18).

``create()`` of a plain model does per record what does not depend on the
record: ``default_get`` of the missing fields, the cache of every field, the
related fields computed one record at a time after the INSERT. ``OwnRows``
stores exactly the columns ``create()`` stores, with Odoo's own conversions:

1. the defaults (``default_get``) once per set of given fields, the magic
   columns (create/write uid and date: the transaction's ``now()``);
2. the stored related fields of one hop (``project_id.company_id``) read once
   per distinct parent instead of computed per record;
3. each column converted by its field (``convert_to_column_insert``), one
   INSERT of parameters per page of rows (``execute_rows``), then what ``_create`` does after it: the dependent stored fields
   marked to recompute, the one2many caches of the parents invalidated, the
   constraints and the create access checked.

A model or a value it cannot reproduce (another computed field, a field
without a column, a model with a ``create()`` of its own beyond ``_create``
that the caller does not do itself) is refused: ``refusal`` says why and the
caller uses ``create()``. tests/test_loader_rows.py stores the same rows both
ways and compares them column by column."""

import io
from datetime import date, datetime
from itertools import repeat
from operator import is_

from psycopg2 import sql
from psycopg2.extensions import encodings
from psycopg2.extras import execute_values

from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import split_every

PAGE = 1000  # rows per INSERT


def execute_rows(cr, query, rows, fetch=False, template=None):
    """``query`` (psycopg2 ``sql``, one ``VALUES %s``) for all ``rows``
    (tuples of parameters) in one statement, through psycopg2's
    ``execute_values`` on the raw cursor: it quotes the rows in C, where a
    row given to Odoo's ``SQL`` as a tuple parameter is quoted by psycopg2's
    Python adapter (``SQL_IN``), row by row. ``template``: one row's
    ``(%s, ...)`` when it is not plain parameters. A column holding one
    value in every row (the run, the project, the user, the transaction's
    date of a book's rows) is quoted once, into the row's template, instead
    of once per row (``constant_columns``). Returns the rows fetched."""
    rows = rows if isinstance(rows, list) else list(rows)
    if rows:
        template, rows = constant_columns(cr, rows, template)
    return execute_values(
        cr._obj,
        query,
        rows,
        template=template,
        page_size=max(len(rows), 1),
        fetch=fetch,
    )


# the types whose equal values psycopg2 quotes alike (not float: 0.0 and
# -0.0 are equal; not a datetime with a time zone: equal in other zones)
SAME_QUOTE = (int, str, bool, type(None), date, datetime)


def constant_columns(cr, rows, template=None):
    """(template, rows) for execute_values with the columns that hold the same
    value in every row quoted once (by psycopg2, ``mogrify``) into the row's
    template, the rows left with the other columns. A value is the same when
    it is the same object, or of the same type in every row (SAME_QUOTE) and
    equal. ``template``: one row's ``(%s, ...)``, plain when None."""
    width = len(rows[0])
    if template is None:
        parts = ["(", *([", "] * (width - 1)), ")"] if width else ["()"]
    else:
        if "%%" in template or template.count("%s") != width:
            return template, rows
        parts = template.split("%s")
    columns = list(zip(*rows, strict=True))
    encoding = encodings[cr._obj.connection.encoding]
    kept, text = [], [parts[0]]
    for place, column in enumerate(columns):
        if same_value(column):
            quoted = cr._obj.mogrify("%s", (column[0],)).decode(encoding)
            text.append(quoted.replace("%", "%%"))
        else:
            kept.append(column)
            text.append("%s")
        text.append(parts[place + 1])
    if len(kept) == width:
        return template, rows
    return "".join(text), list(zip(*kept, strict=True)) if kept else [()] * len(rows)


def same_value(column):
    """Whether every value of ``column`` is quoted as its first one."""
    first = column[0]
    if all(map(is_, column, repeat(first))):
        return True
    kind = type(first)
    if kind not in SAME_QUOTE or getattr(first, "tzinfo", None) is not None:
        return False
    return column.count(first) == len(column) and set(map(type, column)) == {kind}


def copy_rows(cr, table, columns, rows, head=(), tail=()):
    """Store ``rows`` (tuples of values of ``columns``) in ``table`` with one
    COPY FROM STDIN: PostgreSQL parses no statement of a thousand rows of
    parameters (a multi-row INSERT's cost per row, which COPY does not
    have), and each value is written in COPY's text format (copy_text) by
    plain string methods instead of quoted as a literal. For rows whose
    columns need no expression and whose ids are not needed.
    ``head`` and ``tail``: the values of the first and last ``columns`` that
    every row shares (project, dates, users...), not in ``rows``: written
    in COPY's text once for the whole chunk, not once per row."""
    before = "".join(copy_text(value) + "\t" for value in head)
    after = "".join("\t" + copy_text(value) for value in tail) + "\n"
    lines = "".join(before + "\t".join(map(copy_text, row)) + after for row in rows)
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    cr._obj.copy_expert(query, io.StringIO(lines))


def copy_text(value):
    """``value`` in COPY's text format: NULL as \\N, a text with its
    backslashes, line breaks and tabs escaped, a number, boolean or (naive)
    date as PostgreSQL reads it; any other type is refused."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\x00" in value:  # as psycopg2 refuses a literal with one
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        return (
            value.replace("\\", "\\\\")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind in (date, datetime) and getattr(value, "tzinfo", None) is None:
        return value.isoformat()
    raise TypeError(f"no COPY text for a {kind.__name__}")


class OwnRows:
    """Inserts rows of one model as ``create()`` stores them."""

    def __init__(self, model):
        self.model = model
        self._defaults = {}  # frozenset(given fields) -> default_get
        self._parents = {}  # (related field, parent id) -> value

    # ------------------------------------------------------------ checks
    def refusal(self, vals_list):
        """Why these rows cannot be inserted as create() would store them
        (None when they can)."""
        model = self.model
        if model._inherits or model._parent_store:
            return "inherited or parent-store model"
        given = {fname for vals in vals_list for fname in vals}
        for fname in given:
            field = model._fields.get(fname)
            if field is None:
                return f"unknown field {fname}"
            if not field.store or not field.column_type or field.compute:
                return f"field {fname} has no plain column"
            if field.translate or field.company_dependent or field.inherited:
                return f"field {fname} is stored elsewhere"
        for fname, field in model._fields.items():
            if fname in given or not field.store or not field.compute:
                continue
            if not self._one_hop(field):
                return f"computed field {fname}"
        return None

    def _one_hop(self, field):
        """The path of a stored related field ``parent.value`` whose parent is a
        many2one column of the model (None otherwise)."""
        path = (field.related or "").split(".")
        if len(path) != 2 or field.type not in ("many2one", "char", "integer"):
            return None
        parent = self.model._fields.get(path[0])
        if parent is None or parent.type != "many2one" or not parent.store:
            return None
        return path

    # ------------------------------------------------------------ insert
    def insert(self, vals_list):
        """Insert the rows; returns the new records in the order of ``vals_list``."""
        model = self.model
        if not vals_list:
            return model.browse()
        data = [self._complete(vals) for vals in vals_list]
        computed = self._related(data)
        columns = sorted(
            {fname for vals in data for fname in vals if fname != "id"}
            | {field.name for field in computed}
        )
        fields_ = [model._fields[fname] for fname in columns]
        ids = []
        for page in split_every(PAGE, data):
            rows = [
                tuple(
                    field.convert_to_column_insert(vals[field.name], model, vals)
                    if field.name in vals
                    else None
                    for field in fields_
                )
                for vals in page
            ]
            query = sql.SQL("INSERT INTO {} ({}) VALUES %s RETURNING id").format(
                sql.Identifier(model._table),
                sql.SQL(", ").join(map(sql.Identifier, columns)),
            )
            ids += [row[0] for row in execute_rows(model.env.cr, query, rows, True)]
        records = model.browse(ids)
        self._after(records, columns, computed)
        return records

    def _complete(self, vals):
        """``_prepare_create_values`` of one row, ``default_get`` shared by the
        rows given the same fields."""
        model = self.model
        key = frozenset(vals)
        if key not in self._defaults:
            missing = [name for name in model._fields if name not in vals]
            defaults = model.default_get(missing) if missing else {}
            for name in defaults:
                field = model._fields[name]
                if not field.store or not field.column_type:
                    raise ValueError(f"default of {name}: no plain column")
            self._defaults[key] = defaults
        out = {**self._defaults[key], **vals}
        for fname in ("id", *(LOG_ACCESS_COLUMNS if model._log_access else ())):
            out.pop(fname, None)
        if model._log_access:
            now = model.env.cr.now()
            out.update(
                create_uid=model.env.uid,
                create_date=now,
                write_uid=model.env.uid,
                write_date=now,
            )
        return out

    def _related(self, data):
        """The stored related fields, once per distinct parent (as the
        superuser, as a related field is computed); returns those fields."""
        model = self.model
        computed = []
        for fname, field in model._fields.items():
            if not field.store or not field.compute or fname in LOG_ACCESS_COLUMNS:
                continue
            parent_name, value_name = self._one_hop(field)
            comodel = model.env[model._fields[parent_name].comodel_name].sudo()
            computed.append(field)
            for vals in data:
                if fname in vals:
                    continue
                parent_id = vals.get(parent_name) or False
                slot = (fname, parent_id)
                if slot not in self._parents:
                    value = comodel.browse(parent_id)[value_name]
                    self._parents[slot] = field.convert_to_write(value, model)
                vals[fname] = self._parents[slot]
        return computed

    def _after(self, records, columns, computed):
        """What ``_create`` does after its INSERT: the stored fields that depend
        on the new rows marked to recompute (not the related ones just stored),
        the parents' one2many caches dropped, constraints and access."""
        env = records.env
        pool = records.pool
        for fname in columns:
            field = records._fields[fname]
            for inverse in pool.field_inverses[field]:
                env[inverse.model_name].invalidate_model([inverse.name])
        with env.protecting(computed, records):
            records.modified(columns, create=True)
        records._validate_fields(columns)
        records.check_access("create")
