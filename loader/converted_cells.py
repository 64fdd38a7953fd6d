"""Cell conservation of a converted object (notes, tasks, products, orders...):
every non-empty cell of every row the run read is accounted for.

- a cell of a column a field map covers: as for the field-mapped objects (the
  record read back holds its value, the map ignores it, or it is reviewed);
- a cell a rule reads (the converter, the key, the links, the lookups):
  written when the row's record exists, reviewed when its row or column is,
  not migrated when its row was skipped, else unaccounted (no record);
- a leftover cell (no rule reads it, see loader/leftovers.py): written when the
  record's text holds it under its column's label (read back), else reviewed
  by one review item per column that this check files, naming the column, the
  number of cells and an example: never nothing.
"""

from odoo import _
from odoo.tools import SQL, html2plaintext

from .leftovers import KEEP_FIELDS, Leftovers, kept_line

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
        self.leftovers = Leftovers(omap)
        self.fmaps = {f.column: f for f in omap.field_map_ids}

    def columns(self, rows_sql):
        """[(column, field label, {outcome: count, "example": str})]."""
        rows = self._rows(rows_sql)
        reviews = self.check._reviews([r[0] for r in rows])
        texts = self._texts(rows)
        mapped = self._mapped_records(rows)
        options = {
            c: self.check._options(f, self.run.project_id)
            for c, f in self.fmaps.items()
        }
        result, pending = {}, {}
        for row_id, line, data, state, res_model, res_id in rows:
            data = data or {}
            consumed = None
            for column, raw in data.items():
                if raw is None or not str(raw).strip(BLANKS):
                    continue
                if column in self.fmaps:
                    values = mapped.get(res_id) if res_model else None
                    outcome, seen = self.check._cell_outcome(
                        self.fmaps[column], str(raw), state,
                        reviews.get(row_id, {}), values, options[column],
                    )  # fmt: skip
                    label = self.check._field_label(self.fmaps[column])
                else:
                    if consumed is None:
                        consumed = self.leftovers.consumed(data)
                    outcome, seen, label = self._outcome(
                        column, str(raw).strip(), consumed, state,
                        reviews.get(row_id, {}), texts.get((res_model, res_id)),
                        res_id,
                    )  # fmt: skip
                if outcome == "pending":
                    pending.setdefault(column, []).append((line, str(raw)))
                counts = result.setdefault(
                    column, [label, {"written": 0, "ignored": 0, "review": 0,
                                     "unaccounted": 0, "pending": 0, "example": ""}]
                )[1]  # fmt: skip
                counts[outcome] += 1
                if outcome == "unaccounted" and not counts["example"]:
                    counts["example"] = _(
                        "line %(line)s: '%(value)s' -> %(odoo)s",
                        line=line,
                        value=str(raw)[:80],
                        odoo=seen,
                    )[:250]
        self._review_columns(pending, result)
        return [(column, label, counts) for column, (label, counts) in result.items()]

    def _outcome(self, column, raw, consumed, state, row_reviews, text, res_id):
        """(outcome, what Odoo holds, label) of a cell no field map covers."""
        if column == self.omap.key_column:
            return "written", "", _("(source key, in the ledger)")
        leftover = column not in consumed
        label = _("(read by rule)")
        if leftover:
            label = self._leftover_label(text is not None)
        if column in row_reviews or "" in row_reviews:
            return "review", "", label
        if not res_id:
            if state == "skipped":
                return "ignored", "", label
            return "unaccounted", _("no record"), label
        if not leftover:
            return "written", "", label
        if text is not None and _plain(kept_line(column, raw)) in text:
            return "written", "", label
        return "pending", "", self._leftover_label(False)

    def _leftover_label(self, kept):
        if kept:
            return _("(kept in the record's text)")
        return _("(read by no rule: to review)")

    def _review_columns(self, pending, result):
        """One review item per leftover column that no record text holds (filed
        once for the object map, by its first run): the cells of that column
        are behind it."""
        Review = self.env["migration.review"].sudo()
        for column, cells in pending.items():
            counts = result[column][1]
            counts["review"] += counts.pop("pending")
            line, value = cells[0]
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
                    "reason": _(
                        "No rule for %(object)s reads column %(column)s: its "
                        "%(count)s non-empty cells (first on line %(line)s) were "
                        "not written. Map the column to a field, or ignore it.",
                        object=self.omap.object_name,
                        column=column,
                        count=len(cells),
                        line=line,
                    ),
                }
            )
        for _label, counts in result.values():
            counts.pop("pending", None)

    # ------------------------------------------------------------- reads
    def _rows(self, rows_sql):
        """[(row id, line, data, state, record model, record id)]: the record
        of the row's latest ledger entry (any model: a task may be a message)."""
        self.env.cr.execute(
            SQL(
                """
                WITH ids AS (%(ids)s)
                SELECT r.id, r.line, r.data, r.state, led.res_model, led.res_id
                  FROM migration_staging_row r JOIN ids ON ids.id = r.id
                  LEFT JOIN LATERAL (
                    SELECT l.res_model, l.res_id FROM migration_ledger l
                     WHERE NOT coalesce(l.rolled_back, false)
                       AND (l.staging_row_id = r.id OR (
                            l.project_id = %(project)s AND l.target = %(target)s
                            AND l.source_key = r.source_key))
                     ORDER BY l.run_id DESC, l.id DESC LIMIT 1
                  ) led ON true
                 ORDER BY r.line, r.id
                """,
                ids=rows_sql,
                project=self.run.project_id.id,
                target=self.omap.target,
            )
        )
        rows = self.env.cr.fetchall()
        # a record deleted since (by a person or a rollback) is no record
        alive = {}
        for model in {r[4] for r in rows if r[4]}:
            ids = [r[5] for r in rows if r[4] == model]
            alive[model] = set(
                self.env[model].sudo().with_context(active_test=False)
                .browse(ids).exists().ids
            )  # fmt: skip
        return [
            (*r[:4], r[4], r[5] if r[4] and r[5] in alive[r[4]] else None) for r in rows
        ]

    def _texts(self, rows):
        """{(model, id): the plain text where its leftovers are kept}."""
        texts = {}
        for model, (fname, html) in KEEP_FIELDS.items():
            ids = [r[5] for r in rows if r[4] == model and r[5]]
            if not ids or model not in self.env:
                continue
            # sudo: reading back what the run wrote, to compare (as the check)
            recs = self.env[model].sudo().with_context(active_test=False).browse(ids)
            for rec in recs:
                texts[(model, rec.id)] = _plain(rec[fname], html)
        return texts

    def _mapped_records(self, rows):
        """The records read back for the field maps' columns."""
        if not self.fmaps:
            return {}
        ids = {r[5] for r in rows if r[5] and r[4] == self.omap.model_name}
        return self.check._records(
            self.omap, self.omap.field_map_ids.sorted("sequence"), ids
        )
