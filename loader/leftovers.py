"""Leftover cells of converted rows: the non-empty cells that no rule reads
(the target's converter, the object's key, the source's link rules and
lookups) and no field map covers. A converter that does not know a column
must not drop it without a word: where the written record has a text of its
own (an activity's note, a product's internal notes...) the
cells are kept there, each under its column's label; elsewhere the run's cell
check reviews them column by column (models/migration_cell_check.py)."""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

from markupsafe import Markup, escape

from odoo.tools import SQL

from ..engine import records
from ..engine.core.rows import leftover
from ..engine.sources.base import get_source

# characters that make a source value empty (as the cell check reads it)
BLANKS = " \t\r\n\xa0"
# Odoo model -> (field, is HTML): where a converted record keeps its leftovers
# (never a chatter message's body: that is the note as its author wrote it)
KEEP_FIELDS = {
    "mail.activity": ("note", True),
    "calendar.event": ("description", True),
    "product.product": ("description", True),
    "ir.attachment": ("description", False),
    "crm.stage": ("requirements", False),
}


def kept_line(column, value):
    """How one kept cell reads in the record's text (and is found again).

    >>> kept_line("Unit of Measure", "licença")
    'Unit of Measure: licença'
    """
    return f"{column}: {value}"


def keep_text(current, cells, html):
    """``current`` text with ``cells`` ([(column, value)]) added, one per line."""
    lines = [kept_line(column, value) for column, value in cells]
    if not html:
        return "\n".join([current, *lines]) if current else "\n".join(lines)
    block = Markup("<p>%s</p>") % Markup("<br/>").join(escape(x) for x in lines)
    # current: the HTML the handler built from the source (sanitised on write)
    return Markup(current or "") + block


def file_kind(omap):
    """The source system's file kind of ``omap``'s file (what its lookups
    name), or None."""
    spec = get_source(omap.project_id.system or "generic")
    if not spec.file_kinds or not omap.source_id:
        return None
    table = SimpleNamespace(
        name=omap.source_id.name, sheet=None, headers=omap.source_id.headers or ()
    )
    return spec.file_kinds.of(table)


# What the loader's conversion of a row read, booked in the database with the
# batch (migration.staging.row read_*: one UPDATE per batch, rolled back with
# it): the run's cell check reads it in whichever process it runs (a queue_job
# worker, a resumed run) instead of converting the row again.
def setup_hash(setup):
    """A short fingerprint of the conversion's settings (a change voids a book)."""
    return hashlib.sha1(repr(setup).encode()).hexdigest()[:16]


def encode_value(value):
    """A home's value as JSON keeps it (dates, datetimes and decimals tagged)."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(type(value).__name__)


def decode_value(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        if "decimal" in value:
            return Decimal(value["decimal"])
    return value


def encode_homes(homes):
    """{column: [field, value]} as JSON text, or None when a value has a type
    JSON cannot keep exactly (the row is then converted again by the check)."""
    try:
        return json.dumps(
            {col: [fname, encode_value(v)] for col, (fname, v) in homes.items()}
        )
    except TypeError:
        return None


def decode_homes(homes):
    return {col: (fname, decode_value(v)) for col, (fname, v) in (homes or {}).items()}


def unread(data, consumed):
    """The non-empty columns of ``data`` not in ``consumed``."""
    return frozenset(
        column
        for column, value in data.items()
        if column not in consumed and value is not None and str(value).strip(BLANKS)
    )


class Leftovers:
    """Which cells of a converted object's rows nothing reads, and keeping
    them in the record's text where it has one."""

    def __init__(self, omap, run=None):
        self.omap = omap
        self.run = run
        self.system = omap.project_id.system or "generic"
        self.tz = omap.project_id.source_tz or "UTC"
        self.kind = file_kind(omap)
        # the key is in the ledger; field-mapped columns are the maps' business
        self.covered = {omap.key_column} | set(omap.field_map_ids.mapped("column"))
        # the file's column order (a staged row's JSON keeps none)
        self.order = {h: i for i, h in enumerate(omap.source_id.headers or ())}
        # the object's column choice: what its converter reads
        self.columns = omap.env["migration.converter.column"]._binding(omap)
        self.setup = (self.system, self.tz, self.kind, repr(self.columns))
        self.setup_key = setup_hash(self.setup)
        self._page = {}  # row id -> (unread columns, homes) booked (load)
        self._to_book = {}  # row id -> the same as JSON, to book (take)
        self._again = {}  # the same, of the page's rows converted again

    def consumed(self, data, record=None):
        """The columns of a row that the engine reads; ``record``: the row's
        Record when the loader converted it already (its reads are known)."""
        target = self.omap.target
        if record is None:
            return records.consumed(
                target, data, self.system, self.tz, self.kind, self.columns
            )
        return record.consumed | records.also_read(target, data, self.system, self.kind)

    def load(self, row_ids):
        """Read the books of these rows (a page of the cell check): one query."""
        self._page, self._again = {}, {}
        if not self.run or not row_ids:
            return
        self.omap.env.cr.execute(
            SQL(
                "SELECT id, read_unread, read_homes FROM migration_staging_row "
                "WHERE id = ANY(%s) AND read_run_id = %s AND read_setup = %s",
                list(row_ids),
                self.run.id,
                self.setup_key,
            )
        )
        for row_id, columns, homes in self.omap.env.cr.fetchall():
            if homes is not None:  # a row booked without homes is converted again
                self._page[row_id] = (frozenset(columns or ()), decode_homes(homes))

    def _booked(self, row_id, reviewed):
        if reviewed:  # a review item may have corrected a cell the loader read
            return None
        return self._page.get(row_id)

    def homes(self, row_id, data, reviewed=False):
        """{column: (field, value)} where the row's rule wrote what it read
        (engine.core.record.Record.homes): as the loader booked them, else by
        converting the row again (records.read_row)."""
        booked = self._booked(row_id, reviewed)
        if booked is not None:
            return booked[1]
        return self._converted(row_id, data)[1]

    def _converted(self, row_id, data):
        """(unread columns, homes) of a row not booked, converted once for
        both questions (records.read_row)."""
        if row_id not in self._again:
            consumed, record = records.read_row(
                self.omap.target, data, self.system, self.tz, self.kind, self.columns
            )
            self._again[row_id] = (
                unread(data, consumed),
                record.homes if record else {},
            )
        return self._again[row_id]

    def cells(self, data, record=None):
        """[(column, value)] of the row's leftover cells, in the file's order."""
        cells = leftover(data, self.consumed(data, record), self.covered)
        return sorted(cells, key=lambda cell: self.order.get(cell[0], len(self.order)))

    def unread(self, row_id, data, reviewed=False):
        """The non-empty cells of a staging row the engine does not read (see
        ``consumed``): as the loader booked them when it converted the row in
        this run (``load``), else by converting the row again. ``reviewed``:
        a review item of the row may have corrected a cell the loader read."""
        booked = self._booked(row_id, reviewed)
        if booked is not None:
            return booked[0]
        return self._converted(row_id, data)[0]

    def release(self):
        """Forget the page of books read last (the check is done)."""
        self._page, self._again = {}, {}

    def book(self, booked):
        """What the conversion of each row read (``booked``: [(row id, unread
        columns, homes)]), kept until the batch books its rows: the staging
        rows' UPDATE of the batch writes it (loader.book.Book.row_states, with
        ``take``), in the batch's transaction, so that a batch undone takes
        its books along; each row rewritten once, not twice."""
        if not self.run:
            return
        for row_id, columns, homes in booked:
            self._to_book[row_id] = (json.dumps(sorted(columns)), encode_homes(homes))

    def take(self):
        """(run id, setup key, {row id: (unread columns, homes) as JSON}) of the
        rows booked since the last call, or None."""
        booked, self._to_book = self._to_book, {}
        if not booked:
            return None
        return self.run.id, self.setup_key, booked

    def keep(self, prepared):
        """Add each ready row's leftover cells to its record's text; book the
        columns each converted row's conversion read (for the cell check)."""
        booked = []
        for prep in prepared:
            keep = KEEP_FIELDS.get(prep.model)
            consumed = None
            if prep.record and self.run:
                consumed = self.consumed(prep.source, prep.record)
                booked.append(
                    (prep.row_id, unread(prep.source, consumed), prep.record.homes)
                )
            if prep.held or not prep.record or not prep.vals or not keep:
                continue
            if consumed is None:
                consumed = self.consumed(prep.source, prep.record)
            cells = leftover(prep.source, consumed, self.covered)
            cells.sort(key=lambda cell: self.order.get(cell[0], len(self.order)))
            if cells:
                fname, html = keep
                prep.vals[fname] = keep_text(prep.vals.get(fname), cells, html)
        self.book(booked)
