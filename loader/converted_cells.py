"""Cell conservation of a converted object (notes, tasks, products, orders...):
every non-empty cell of every row the run read is accounted for.

- a cell of a column a field map covers: as for the field-mapped objects (the
  record read back holds its value, the map ignores it, or it is reviewed);
- a cell a rule reads (the converter, the key, the links, the lookups):
  written when the row's record exists (and, where the rule wrote the value
  to a field of it, when the record read back holds that value: see
  loader/cell_homes.py), reviewed when its row or column is, not migrated
  when its row was skipped, else unaccounted (no record or another value);
- a leftover cell (no rule reads it, see loader/leftovers.py): written when the
  record's text holds it under its column's label (read back), else reviewed
  by one review item per column that this check files, naming the column, the
  number of cells and an example: never nothing.
"""

from odoo import _
from odoo.tools import SQL, html2plaintext

from .cell_homes import CellHomes
from .cell_tally import CellTally, Expected, map_view
from .leftovers import KEEP_FIELDS, Leftovers, kept_line
from .read_back import read_back, reviews_of, run_row_pages

BLANKS = " \t\r\n\xa0"


def _plain(value, html=False):
    text = str(value or "")
    if html:
        text = html2plaintext(text)
    return " ".join(text.split())


class ConvertedCells:
    """The per-column counts of one converted object map of a run."""

    def __init__(self, check, run, omap):
        self.check = check  # the migration.cell.check model (its comparisons)
        self.env = check.env
        self.run = run
        self.omap = omap
        self.leftovers = Leftovers(omap, run)
        self.fmaps = {
            f.column: map_view(f)
            for f in omap.field_map_ids.sorted(lambda f: (f.sequence, f.id))
        }
        self.labels = {c: check._field_label(f) for c, f in self.fmaps.items()}
        self.names, self.types = check._read_names(
            omap.model_name, list(self.fmaps.values())
        )
        self.steps = check._steps(omap.model_name, self.names)
        self.homes = CellHomes(self.env)
        # the labels of a cell's outcome, translated once for the object: a
        # translation looked up per cell was most of this check's time
        self.texts = {
            "key": _("(source key, in the ledger)"),
            "rule": _("(read by rule)"),
            "kept": _("(kept in the record's text)"),
            "leftover": _("(read by no rule: to review)"),
            "no record": _("no record"),
        }

    def columns(self, rows_sql):
        """[(column, field label, {outcome: count, "example": str})]."""
        tally = CellTally()
        expect = Expected()
        judges = {
            c: self.check._judge(
                f, self.check._options(f, self.run.project_id), None, expect,
                self.types, self.steps,
            )
            for c, f in self.fmaps.items()
        }  # fmt: skip
        pages = run_row_pages(
            self.env, rows_sql, self.run.project_id.id, self.omap.target
        )
        for rows in pages:
            reviews = reviews_of(self.env, [r[0] for r in rows])
            self.leftovers.load([r[0] for r in rows])  # what the loader booked
            homes = self._homes(rows, reviews)
            records = self._read_back(rows, homes)
            made = self._made(rows, homes)
            for row_id, line, data, state, res_model, res_id, _written in rows:
                values = records.get((res_model, res_id))
                if values is None:
                    res_id = None  # deleted since (by a person or a rollback)
                self._row(
                    tally, judges, (line, row_id), data or {}, state,
                    reviews.get(row_id, ()), res_model, res_id, values,
                    homes.get(row_id) or {}, (res_model, res_id) in made,
                )  # fmt: skip
        self._review_columns(tally)
        self.leftovers.release()
        return [
            (column, tally.slot(column)["label"], tally.counts(column, self._example))
            for column in tally.columns()
        ]

    def _row(self, tally, judges, at, data, state, row_reviews, *record):
        res_model, res_id, values, homes, made = record
        unread = None
        for column, raw in data.items():
            if raw is None or not str(raw).strip(BLANKS):
                continue
            fmap = self.fmaps.get(column)
            if fmap:
                mapped = values if res_model == self.omap.model_name else None
                outcome, seen = judges[column](
                    str(raw), state, row_reviews, mapped if res_id else None
                )
                label = self.labels[column]
            else:
                if unread is None:
                    # the loader booked what its conversion read (in the
                    # database, whichever process converted it); a row it did
                    # not convert in this run or whose cells a review
                    # corrected is converted again
                    unread = self.leftovers.unread(at[1], data, bool(row_reviews))
                outcome, seen, label = self._outcome(
                    column, str(raw).strip(), unread, state, row_reviews,
                    values, res_model, res_id,
                )  # fmt: skip
                if outcome == "written" and column in homes and column not in unread:
                    # the rule wrote this value to a field: the record read
                    # back must hold it
                    outcome, seen = self.homes.outcome(
                        self.env[res_model], values, homes[column]
                    )
                    if outcome == "unaccounted" and values is not None and not made:
                        # a record that was in Odoo before this run (there
                        # already, or made by an earlier run) keeps its own
                        # value where the loader does not overwrite it
                        outcome = "kept"
            tally.add(column, outcome, at, raw, seen, label)

    def _example(self, line, value, seen):
        return _(
            "line %(line)s: '%(value)s' -> %(odoo)s", line=line, value=value, odoo=seen
        )

    def _outcome(self, column, raw, unread, state, row_reviews, *record):
        """(outcome, what Odoo holds, label) of a cell no field map covers."""
        values, res_model, res_id = record
        if column == self.omap.key_column:
            return "written", "", self.texts["key"]
        leftover = column in unread
        keep = KEEP_FIELDS.get(res_model) if res_id else None
        label = self.texts["rule"]
        if leftover:
            label = self._leftover_label(keep is not None)
        if column in row_reviews or "" in row_reviews:
            return "review", "", label
        if not res_id:
            if state == "skipped":
                return "ignored", "", label
            return "unaccounted", self.texts["no record"], label
        if not leftover:
            return "written", "", label
        if keep is not None and _plain(kept_line(column, raw)) in self._text(
            values, keep
        ):
            return "written", "", label
        return "pending", "", self._leftover_label(False)

    @staticmethod
    def _text(values, keep):
        """The plain text of a record's kept leftovers, made once per record."""
        fname, html = keep
        if "__text__" not in values:
            values["__text__"] = _plain(values.get(fname), html)
        return values["__text__"]

    def _leftover_label(self, kept):
        return self.texts["kept" if kept else "leftover"]

    def _review_columns(self, tally):
        """One review item per leftover column that no record text holds (filed
        once for the object map, by its first run): the cells of that column
        are behind it."""
        # sudo: the check files what it found, as the loader books reviews
        Review = self.env["migration.review"].sudo()
        for column in tally.columns():
            counts = tally.slot(column)
            if not counts["pending"]:
                continue
            cells = counts["pending"]
            counts["review"] += cells
            counts["pending"] = 0
            line, value = counts["pending_at"][0], counts["pending_value"]
            if counts["kept"]:
                line, value = counts["kept_at"][0], counts["kept"][0]
            # one item per column, whichever run filed it: a re-run repeats none
            domain = [
                ("object_map_id", "=", self.omap.id),
                ("staging_row_id", "=", False),
                ("column", "=", column),
                ("kind", "=", "not_loaded"),
            ]
            if Review.search_count(domain):
                continue
            # sudo: the check files what it found, as the loader books reviews
            Review.create(
                {
                    "project_id": self.run.project_id.id,
                    "run_id": self.run.id,
                    "source_id": self.omap.source_id.id,
                    "object_map_id": self.omap.id,
                    "line": line,
                    "kind": "not_loaded",
                    "column": column,
                    "value": value[:500],
                    "reason": self._review_reason(column, counts, cells, line),
                }
            )

    def _review_reason(self, column, counts, cells, line):
        if counts.get("kept"):
            value, seen = counts["kept"]
            return _(
                "Column %(column)s of %(object)s: %(count)s non-empty cells (first "
                "on line %(line)s: '%(value)s', Odoo holds %(odoo)s) are of records "
                "that were in Odoo before this run (there already, or made by an "
                "earlier run), which keep their own value there. Correct the "
                "records in Odoo, or ignore the column.",
                object=self.omap.object_name,
                column=column,
                count=cells,
                line=counts["kept_at"][0],
                value=value[:80],
                odoo=seen,
            )
        if counts.get("pending_from"):
            return _(
                "Column %(column)s of %(object)s is the source's total, which "
                "Odoo computes from %(parts)s: these records have none (not in the "
                "export, or held for review), so its "
                "%(count)s non-empty cells (first on line %(line)s) could not be "
                "checked or written. Load the lines, or ignore the column.",
                object=self.omap.object_name,
                column=column,
                parts=counts["pending_from"],
                count=cells,
                line=line,
            )
        return _(
            "No rule for %(object)s reads column %(column)s: its %(count)s "
            "non-empty cells (first on line %(line)s) were not written. Map the "
            "column to a field, or ignore it.",
            object=self.omap.object_name,
            column=column,
            count=cells,
            line=line,
        )

    # ------------------------------------------------------------- reads
    def _made(self, rows, homes):
        """{(model, id)} of the page's records with homes that this run created
        (the others were in Odoo before it: see ``_row``)."""
        ids = {row[5] for row in rows if row[0] in homes and row[5]}
        if not ids:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT res_model, res_id FROM migration_ledger "
                "WHERE run_id = %s AND operation = 'create' AND res_id = ANY(%s) "
                "AND NOT coalesce(rolled_back, false)",
                self.run.id,
                sorted(ids),
            )
        )
        return set(self.env.cr.fetchall())

    def _homes(self, rows, reviews):
        """{row id: {column: (field, value)}} of a page's rows whose rule wrote
        values to fields of their record (booked by the loader, else the row
        converted again)."""
        return {
            row[0]: homes
            for row in rows
            if row[5]
            and (homes := self.leftovers.homes(row[0], row[2] or {}, row[0] in reviews))
        }

    def _read_back(self, rows, homes=None):
        """{(model, id): values} of the page's records that exist, read from
        the database: the field maps' fields of the object's own model, the
        text where a record keeps its leftovers (KEEP_FIELDS), the fields
        their rules wrote (``homes``), nothing but their existence for the
        others; one query per model (read_back)."""
        homes = homes or {}
        by_model = {}
        for row in rows:
            if row[4] and row[5]:
                by_model.setdefault(row[4], set()).add(row[5])
        result = {}
        for model, ids in by_model.items():
            if model not in self.env:
                continue
            names = list(self.names) if model == self.omap.model_name else []
            if model in KEEP_FIELDS:
                names.append(KEEP_FIELDS[model][0])
            names += self.homes.fields(
                self.env[model],
                (
                    h
                    for row in rows
                    if row[4] == model
                    for h in homes.get(row[0], {}).values()
                ),
            )
            for res_id, values in read_back(self.env, model, names, ids).items():
                result[(model, res_id)] = values
        return result
