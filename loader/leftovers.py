"""Leftover cells of converted rows: the non-empty cells that no rule reads
(the target's converter, the object's key, the source's link rules and
lookups) and no field map covers. A converter that does not know a column
must not drop it without a word: where the written record has a text of its
own (an activity's note, a product's internal notes...) the
cells are kept there, each under its column's label; elsewhere the run's cell
check reviews them column by column (models/migration_cell_check.py)."""

from types import SimpleNamespace

from markupsafe import Markup, escape

from ..engine import records
from ..engine.core.rows import leftover
from ..engine.sources.base import get_source

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


class Leftovers:
    """Which cells of a converted object's rows nothing reads, and keeping
    them in the record's text where it has one."""

    def __init__(self, omap):
        self.omap = omap
        self.system = omap.project_id.system or "generic"
        self.tz = omap.project_id.source_tz or "UTC"
        self.kind = file_kind(omap)
        # the key is in the ledger; field-mapped columns are the maps' business
        self.covered = {omap.key_column} | set(omap.field_map_ids.mapped("column"))
        # the file's column order (a staged row's JSON keeps none)
        self.order = {h: i for i, h in enumerate(omap.source_id.headers or ())}
        # the object's column choice: what its converter reads
        self.columns = omap.env["migration.converter.column"]._binding(omap)

    def consumed(self, data, record=None):
        """The columns of a row that the engine reads; ``record``: the row's
        Record when the loader converted it already (its reads are known)."""
        target = self.omap.target
        if record is None:
            return records.consumed(
                target, data, self.system, self.tz, self.kind, self.columns
            )
        return record.consumed | records.also_read(target, data, self.system, self.kind)

    def cells(self, data, record=None):
        """[(column, value)] of the row's leftover cells, in the file's order."""
        cells = leftover(data, self.consumed(data, record), self.covered)
        return sorted(cells, key=lambda cell: self.order.get(cell[0], len(self.order)))

    def keep(self, prepared):
        """Add each ready row's leftover cells to its record's text."""
        for prep in prepared:
            keep = KEEP_FIELDS.get(prep.model)
            if prep.held or not prep.record or not prep.vals or not keep:
                continue
            cells = self.cells(prep.source, prep.record)
            if cells:
                fname, html = keep
                prep.vals[fname] = keep_text(prep.vals.get(fname), cells, html)
