"""Leftover cells of converted rows: the non-empty cells that no rule reads
(the target's converter, the object's key, the source's link rules and
lookups) and no field map covers. A converter that does not know a column
must not drop it without a word: where the written record has a text of its
own (an activity's note, a product's internal notes...) the
cells are kept there, each under its column's label; elsewhere the run's cell
check reviews them column by column (models/migration_cell_check.py)."""

from array import array
from bisect import bisect_left
from types import SimpleNamespace

from markupsafe import Markup, escape

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


# What the loader's conversions read, booked at write time for the run's cell
# check (same process): {(database, run id, object map id): Booked}. The check
# releases its run's books; a row not booked there is converted again. The
# books of runs that never reached their check (failed) are dropped, oldest
# first, beyond BOOKS_KEPT.
_BOOKS = {}
BOOKS_KEPT = 32


class Booked:
    """The rows of one object map of a run that the loader converted, and of
    those that left non-empty cells unread, these columns (compact: a million
    rows hold an array of ids, not a set per row)."""

    def __init__(self, setup):
        self.setup = setup  # the conversion's settings: a change voids the book
        self.ids = array("q")
        self.unread = {}  # row id -> frozenset of non-empty columns not read
        # row id -> {column: (field, value)} of the rows whose rule wrote what
        # it read to fields (Record.homes: orders, lines...; none for notes)
        self.homes = {}
        self._sorted = None

    def add(self, row_id, unread, homes=None):
        self.ids.append(row_id)
        self._sorted = None
        if unread:
            self.unread[row_id] = unread
        if homes:
            self.homes[row_id] = homes

    def get(self, row_id):
        """The unread non-empty columns of a booked row, or None."""
        if row_id in self.unread:
            return self.unread[row_id]
        if self._sorted is None:
            self._sorted = array("q", sorted(self.ids))
        ids = self._sorted
        at = bisect_left(ids, row_id)
        return frozenset() if at < len(ids) and ids[at] == row_id else None


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

    def _book_key(self):
        if not self.run:
            return None
        return (self.omap.env.cr.dbname, self.run.id, self.omap.id)

    def consumed(self, data, record=None):
        """The columns of a row that the engine reads; ``record``: the row's
        Record when the loader converted it already (its reads are known)."""
        target = self.omap.target
        if record is None:
            return records.consumed(
                target, data, self.system, self.tz, self.kind, self.columns
            )
        return record.consumed | records.also_read(target, data, self.system, self.kind)

    def homes(self, row_id, data, reviewed=False):
        """{column: (field, value)} where the row's rule wrote what it read
        (engine.core.record.Record.homes): as the loader booked them, else by
        converting the row again (records.read_row)."""
        book = _BOOKS.get(self._book_key())
        if book is not None and not reviewed and book.setup == self.setup:
            if book.get(row_id) is not None:
                return book.homes.get(row_id, {})
        record = records.read_row(
            self.omap.target, data, self.system, self.tz, self.kind, self.columns
        )[1]
        return record.homes if record else {}

    def cells(self, data, record=None):
        """[(column, value)] of the row's leftover cells, in the file's order."""
        cells = leftover(data, self.consumed(data, record), self.covered)
        return sorted(cells, key=lambda cell: self.order.get(cell[0], len(self.order)))

    def unread(self, row_id, data, reviewed=False):
        """The non-empty cells of a staging row the engine does not read (see
        ``consumed``): as the loader booked them when it converted the row in
        this run and process, else by converting the row again. ``reviewed``:
        a review item of the row may have corrected a cell the loader read."""
        book = _BOOKS.get(self._book_key())
        if book is not None and not reviewed and book.setup == self.setup:
            columns = book.get(row_id)
            if columns is not None:
                return columns
        return unread(data, self.consumed(data))

    def release(self):
        """Forget this object map's book of this run (the check is done)."""
        _BOOKS.pop(self._book_key(), None)

    def keep(self, prepared):
        """Add each ready row's leftover cells to its record's text; book the
        columns each converted row's conversion read (for the cell check)."""
        key = self._book_key()
        book = _BOOKS.get(key) if key else None
        if key and (book is None or book.setup != self.setup):
            book = _BOOKS[key] = Booked(self.setup)
            for stale in list(_BOOKS)[:-BOOKS_KEPT]:
                _BOOKS.pop(stale, None)
        for prep in prepared:
            keep = KEEP_FIELDS.get(prep.model)
            consumed = None
            if prep.record and book is not None:
                consumed = self.consumed(prep.source, prep.record)
                book.add(prep.row_id, unread(prep.source, consumed), prep.record.homes)
            if prep.held or not prep.record or not prep.vals or not keep:
                continue
            if consumed is None:
                consumed = self.consumed(prep.source, prep.record)
            cells = leftover(prep.source, consumed, self.covered)
            cells.sort(key=lambda cell: self.order.get(cell[0], len(self.order)))
            if cells:
                fname, html = keep
                prep.vals[fname] = keep_text(prep.vals.get(fname), cells, html)
