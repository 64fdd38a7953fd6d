import logging
import re
from html import unescape

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..engine.match import norm_company, norm_email, norm_text
from ..loader import selection_key
from ..loader.cell_tally import OUTCOMES, CellTally, Expected, map_view
from ..loader.converted_cells import ConvertedCells
from ..loader.digits import FieldStep, same_number
from ..loader.prepare import transform_options
from ..loader.read_back import read_back, reviews_of, run_row_pages
from .migration_fill_rate import BLANKS, VIRTUAL_FIELDS, run_rows_sql
from .migration_target_field import target_selection

_logger = logging.getLogger(__name__)

# the outcomes a non-empty source cell can have (OUTCOMES); "unaccounted"
# fails the run
CELL_COLUMNS = (
    "object",
    "column",
    "field",
    "cells",
    *OUTCOMES,
    "example",
)
# virtual targets -> the record fields read to check them (see _virtual_written):
# those that hold them (fill rates), plus a company's own name standing for its
# company column, and the groups that become tags (or a sales team)
VIRTUAL_READS = {
    **VIRTUAL_FIELDS,
    "first_name": ("name", "contact_name"),  # a lead's person: its contact name
    "last_name": ("name", "contact_name"),
    "company_name": (*VIRTUAL_FIELDS["company_name"], "is_company"),
    "group_names": ("category_id", "team_id"),
}


def _plain(html):
    """The text of an HTML value. lxml (under html2plaintext) cuts a text node
    past 10 MB, as the sanitiser did when the value was written: a long value
    is read with a plain tag strip so that a cut value never equals its source
    (the spans a long text run was split into join without a space)."""
    if len(html) < 1_000_000:
        return html2plaintext(html)
    return unescape(re.sub(r"<[^>]*>", " ", re.sub(r"</?span\b[^>]*>", "", html)))


def _collapse(value):
    return " ".join(str(value or "").split())


def _same_moment(actual, expected):
    """A record's date against the source's: to the minute, or the day when the
    source gave no time of day."""
    if not actual or not hasattr(expected, "year"):
        return False
    if not hasattr(expected, "hour"):
        return actual.date() == expected
    return abs((actual - expected).total_seconds()) < 60


class MigrationCellCheck(models.Model):
    """Cell conservation of a run, per object and source column: every non-empty
    source cell is written to an Odoo field (checked by reading the record back),
    deliberately not migrated (a map or rule says so), or a review item. A cell
    that is none of these is unaccounted, and its run fails."""

    _name = "migration.cell.check"
    _description = "Migration Cell Conservation"
    _order = "run_id desc, sequence, id"
    _rec_name = "column"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(related="run_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    object_map_id = fields.Many2one("migration.object.map", ondelete="set null")
    sequence = fields.Integer()
    object_name = fields.Char(string="Source object")
    target = fields.Selection(selection=lambda self: target_selection())
    column = fields.Char(string="Source column", required=True)
    field_name = fields.Char(string="Odoo field")
    cell_count = fields.Integer(string="Cells", help="Non-empty source cells.")
    written_count = fields.Integer(
        string="Written", help="Cells whose value the Odoo record holds, read back."
    )
    ignored_count = fields.Integer(
        string="Not migrated",
        help="Cells a map ('Do not migrate') or a skip rule keeps out on purpose.",
    )
    review_count = fields.Integer(
        string="To review", help="Cells behind a review item of their row or column."
    )
    unaccounted_count = fields.Integer(
        string="Unaccounted",
        help="Cells neither written, nor deliberately left out, nor reviewed: lost "
        "or changed without a word. A run with any fails.",
    )
    example = fields.Char(
        help="The first unaccounted cell: line, source value and what Odoo holds."
    )

    # ------------------------------------------------------------------ build
    @api.model
    def _build_for_run(self, run):
        """Check every cell of the objects ``run`` read (field-mapped and
        converted, see loader/converted_cells.py); returns the check rows. Called by ``migration.run._execute`` after the load."""
        run.ensure_one()
        self.env.flush_all()
        vals_list = []
        seq = 0
        for line in run.line_ids.sorted("sequence"):
            omap = line.object_map_id
            fmaps = omap.field_map_ids.sorted(lambda f: (f.sequence, f.id))
            if not omap or not omap.model_name:
                continue
            if omap.converted:
                checked = ConvertedCells(self, run, omap).columns(
                    run_rows_sql(run, omap)
                )
            elif fmaps:
                checked = [
                    (fmap.column, self._field_label(fmap), counts)
                    for fmap, counts in self._check_object(run, omap, fmaps)
                ]
            else:
                continue
            for column, label, counts in checked:
                seq += 1
                vals_list.append(
                    self._row_vals(run, line, omap, column, label, counts, seq)
                )
        # sudo: the checks are computed by the run, not entered by people; a
        # Migration User (read only on them) records them when running a sample
        self.sudo().search([("run_id", "=", run.id)]).unlink()
        return self.sudo().create(vals_list).sudo(False)

    def _row_vals(self, run, line, omap, column, label, counts, seq):
        return {
            "run_id": run.id,
            "object_map_id": omap.id,
            "sequence": seq,
            "object_name": line.object_name,
            "target": line.target,
            "column": column,
            "field_name": label,
            "cell_count": sum(counts[o] for o in OUTCOMES),
            **{f"{o}_count": counts[o] for o in OUTCOMES},
            "example": counts["example"] or False,
        }

    def _field_label(self, fmap):
        if fmap.action == "create":
            return fmap.new_field_name
        if fmap.action == "ignore":
            return self.env._("(not migrated)")
        return fmap.target_field_id.name or ""

    def _check_object(self, run, omap, fmaps):
        """[(field map view, {outcome: count, "example": str})] of one object
        map: its rows read a page at a time with their ledger record, the
        page's review items and the page's records read back from the
        database (loader/read_back.py), a few queries per page."""
        maps = [map_view(fmap) for fmap in fmaps]
        tally = CellTally()
        options = {m.id: self._options(m, run.project_id) for m in maps}
        expect = Expected()
        key_column = omap.key_rule == "column" and omap.key_column
        names, types = self._read_names(omap.model_name, maps)
        steps = self._steps(omap.model_name, names)
        pages = run_row_pages(
            self.env, run_rows_sql(run, omap), run.project_id.id, omap.target,
            model=omap.model_name,
        )  # fmt: skip
        for rows in pages:
            reviews = reviews_of(self.env, [r[0] for r in rows])
            records = read_back(
                self.env, omap.model_name, names, {r[5] for r in rows if r[5]}
            )
            for row_id, line, data, state, _model, res_id, source_written in rows:
                data = data or {}
                values = records.get(res_id)
                if values is not None:
                    values["__types__"] = types
                    values["__steps__"] = steps
                    # the source's update date lives in the ledger: a record's own
                    # write_date must tell when Odoo last changed it (rollback)
                    values["write_date"] = source_written
                row_reviews = reviews.get(row_id, ())
                for fmap in maps:
                    raw = data.get(fmap.column)
                    if raw is None or not str(raw).strip(BLANKS):
                        continue
                    outcome, seen = self._cell_outcome(
                        fmap, str(raw), state, row_reviews, values,
                        options[fmap.id], key_column, expect,
                    )  # fmt: skip
                    tally.add(fmap.id, outcome, (line, row_id), raw, seen)
        return [(fmap, tally.counts(fmap.id, self._example)) for fmap in maps]

    def _example(self, line, value, seen):
        return self.env._(
            "line %(line)s: '%(value)s' -> %(odoo)s", line=line, value=value, odoo=seen
        )

    def _cell_outcome(
        self, fmap, raw, state, row_reviews, values, options, key_column=None,
        expect=None,
    ):  # fmt: skip
        """(outcome, what Odoo holds) of one non-empty cell; ``fmap``: a field
        map read once (loader.prepare.FieldMapView); ``expect``: the run's
        memo of transformed values (Expected)."""
        if fmap.column == key_column:
            return "written", ""  # the source key, in the ledger of the record
        if fmap.action == "ignore":
            return "ignored", ""
        if fmap.column in row_reviews or "" in row_reviews:
            return "review", ""
        if values is None:
            if state == "skipped":
                return "ignored", ""
            return "unaccounted", self.env._("no record")
        try:
            expected = (expect or Expected()).value(fmap, raw, options)
        except ValueError:
            return "unaccounted", self.env._("unreadable, and no review item")
        if expected is None:
            return "ignored", ""
        if (
            fmap.action == "create"
            and fmap.new_field_name not in values
            and self.env.context.get("cell_check_sample")
        ):
            return "ignored", ""  # a Migration User's sample creates no field
        if fmap.action == "map" and fmap.target_field_id.virtual:
            ok, seen = self._virtual_written(
                fmap.target_field_id.name, expected, values
            )
        else:
            ok, seen = self._field_written(fmap, expected, values)
        return ("written" if ok else "unaccounted"), seen

    # ------------------------------------------------------------- compare
    def _field_written(self, fmap, expected, values):
        """(the record holds the cell's value, what it holds)."""
        fname = fmap.new_field_name if fmap.action == "create" else None
        fname = fname or fmap.target_field_id.name
        if fname not in values:
            return False, self.env._("no field %(field)s", field=fname)
        actual = values[fname]
        ftype = values["__types__"][fname]
        if ftype in ("many2one", "many2many", "one2many"):
            return bool(actual), str(actual or "")
        if fname in ("phone", "mobile"):
            # a number labelled mobile may have moved between the two fields
            actual = f"{values.get('phone') or ''} {values.get('mobile') or ''}"
        if (
            fname == "street"
            and "\n" in str(expected).strip()
            and values.get("street2")
        ):
            actual = f"{actual or ''} {values['street2']}"  # split over two lines
        if ftype == "selection" and fmap.action == "create":
            return actual == selection_key(str(expected)), str(actual)
        if ftype in ("float", "monetary"):
            # at the field's own step: a value it had to round is no match
            # (loader/digits.py files a review item for it when loading)
            step = values.get("__steps__", {}).get(fname)
            return same_number(expected, actual, step), str(actual)[:80]
        return self._same(ftype, fname, expected, actual), str(actual)[:80]

    def _same(self, ftype, fname, expected, actual):
        if actual in (None, False, "") and expected not in (False, 0, 0.0):
            return False
        if ftype == "integer":
            return abs(float(actual or 0) - float(expected or 0)) < 0.005
        if ftype in ("boolean", "date", "datetime"):
            return actual == expected
        if ftype == "html":
            want = _collapse(_plain(str(expected)))
            return want in _collapse(_plain(str(actual or "")))
        if fname == "partner_name":  # written as the matched account spells it
            return norm_company(str(actual)) == norm_company(str(expected))
        if fname in ("email", "email_from"):
            return norm_email(str(actual)) == norm_email(str(expected))
        if fname in ("phone", "mobile"):
            digits = re.sub(r"\D", "", str(expected).split(" ext")[0])
            return digits[-8:] in re.sub(r"\D", "", str(actual))
        if fname == "website":
            strip = re.compile(r"^https?://|/$")
            return strip.sub("", str(actual)) == strip.sub("", str(expected))
        return _collapse(actual) == _collapse(expected)

    def _virtual_written(self, fname, expected, values):
        """Virtual targets, checked by the record fields the loader sets."""
        if fname in ("first_name", "last_name"):
            names = " | ".join(str(values.get(n) or "") for n in VIRTUAL_READS[fname])
            return norm_text(str(expected)) in norm_text(names), names
        if fname == "company_name":
            ok = values.get("parent_id") or values.get("company_name")
            return bool(ok or values.get("is_company")), str(ok or "")
        if fname in ("create_date", "write_date"):
            actual = values.get(fname)
            return _same_moment(actual, expected), str(actual or "")
        if fname in ("date_won", "date_lost"):
            actual = values.get("date_closed")
            return _same_moment(actual, expected), str(actual or "")
        reads = VIRTUAL_READS.get(fname)
        if not reads:
            return False, self.env._("%(field)s has no writer", field=fname)
        held = [values.get(name) for name in reads]
        if fname == "status":
            return bool(held[0]) or held[1] is False, str(held)
        return any(held), str(held)

    # ---------------------------------------------------------------- reads
    def _options(self, fmap, project):
        return transform_options(fmap, project)

    def _read_names(self, model_name, fmaps):
        """(the record fields the comparisons of ``fmaps`` read, {field: type})."""
        model = self.env[model_name]
        names = set()
        for fmap in fmaps:
            if fmap.action == "create" and fmap.new_field_name:
                names.add(fmap.new_field_name)
            elif fmap.action == "map" and fmap.target_field_id:
                tfield = fmap.target_field_id
                if tfield.name == "street":
                    names.add("street2")  # a street on two lines fills both
                if tfield.name in ("phone", "mobile"):
                    names.update(("phone", "mobile"))  # moved by its label
                names.update(
                    VIRTUAL_READS.get(tfield.name, ())
                    if tfield.virtual
                    else (tfield.name,)
                )
        names = sorted(n for n in names if n in model._fields)
        return names, {n: model._fields[n].type for n in names}

    def _steps(self, model_name, names):
        """{field: its rounding step} of the float and monetary fields among
        ``names`` (an amount in the company's currency: loader/digits.py)."""
        model = self.env[model_name]
        steps = FieldStep(self.env)
        return {n: steps.step(model, n) for n in names}

    # --------------------------------------------------------------- report
    @api.model
    def _report_rows(self, run):
        return [
            {
                "object": c.object_name,
                "column": c.column,
                "field": c.field_name or "",
                "cells": c.cell_count,
                **{o: c[f"{o}_count"] for o in OUTCOMES},
                "example": c.example or "",
            }
            for c in run.cell_check_ids
        ]
