import logging
import operator
import re
from html import unescape

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..engine.match import norm_company, norm_email
from ..loader import selection_key
from ..loader.cell_digest import cells_digest
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


_RELATIONAL = ("many2one", "many2many", "one2many")
_REVIEW = ("review", "")
_IGNORED = ("ignored", "")
_WEBSITE = re.compile(r"^https?://|/$")
_NOT_DIGIT = re.compile(r"\D")


def _constant(result):
    return lambda raw, state, row_reviews, values: result


def _same_integer(expected, actual):
    return abs(float(actual or 0) - float(expected or 0)) < 0.005


def _same_html(expected, actual):
    want = _collapse(_plain(str(expected)))
    return want in _collapse(_plain(str(actual or "")))


def _same_by(norm):
    return lambda expected, actual: norm(str(actual)) == norm(str(expected))


def _same_phone(expected, actual):
    digits = _NOT_DIGIT.sub("", str(expected).split(" ext")[0])
    return digits[-8:] in _NOT_DIGIT.sub("", str(actual))


def _same_website(expected, actual):
    return _WEBSITE.sub("", str(actual)) == _WEBSITE.sub("", str(expected))


def _same_text(expected, actual):
    return _collapse(actual) == _collapse(expected)


def _company_written(expected, values):
    ok = values.get("parent_id") or values.get("company_name")
    return bool(ok or values.get("is_company")), str(ok or "")


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
        early = {"kept": [], "again": []}
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
                checked = self._checked_early(run, line, fmaps, early)
                if checked is None:
                    checked = self._columns(run, omap, fmaps)
            else:
                continue
            for column, label, counts in checked:
                seq += 1
                vals_list.append(
                    self._row_vals(run, line, omap, column, label, counts, seq)
                )
        self._log_early(run, early)
        # sudo: the checks are computed by the run, not entered by people; a
        # Migration User (read only on them) records them when running a sample
        self.sudo().search([("run_id", "=", run.id)]).unlink()
        return self.sudo().create(vals_list).sudo(False)

    def _columns(self, run, omap, fmaps):
        """[(column, field label, {outcome: count, "example": str})] of a
        field-mapped object map."""
        return [
            (fmap.column, self._field_label(fmap), counts)
            for fmap, counts in self._check_object(run, omap, fmaps)
        ]

    # ------------------------------------------------------ checked early
    @api.model
    def _check_early(self, run, line):
        """Check the cells of ``line``'s object now, before the run's end (a
        parallel run's job, once the object's batches are added up, beside
        the next objects' batches), and keep the result on the line with the
        digest of what it read (loader/cell_digest.py): the run's end keeps
        it if the digest is the same then. Whether it was checked."""
        self.env.flush_all()
        omap = line.object_map_id
        fmaps = omap.field_map_ids.sorted(lambda f: (f.sequence, f.id))
        if not omap.model_name or omap.converted or not fmaps:
            return False
        digest = self._object_digest(run, omap, fmaps)
        if digest is None:
            return False
        columns = self._columns(run, omap, fmaps)
        line._write_book({"cell_check_early": {"digest": digest, "columns": columns}})
        return True

    def _checked_early(self, run, line, fmaps, early):
        """The columns ``_check_early`` kept on ``line``, if what they were
        checked from is the same now; else None (``early`` says which)."""
        kept = line.cell_check_early
        if not kept:
            return None
        if kept.get("digest") != self._object_digest(run, line.object_map_id, fmaps):
            early["again"].append(line.object_name)
            return None
        early["kept"].append(line.object_name)
        return [tuple(column) for column in kept["columns"]]

    def _log_early(self, run, early):
        if early["kept"] or early["again"]:
            run._log(
                self.env._(
                    "Cells checked beside later batches, kept: %(kept)s; checked "
                    "again at the end (their rows or records changed since): "
                    "%(again)s.",
                    kept=", ".join(early["kept"]) or "-",
                    again=", ".join(early["again"]) or "-",
                )
            )

    def _object_digest(self, run, omap, fmaps):
        """loader/cell_digest.py's digest of what ``_check_object`` reads for
        ``omap``, and of what it is given besides (maps, options, labels,
        fields, types, steps, language)."""
        maps = [map_view(fmap) for fmap in fmaps]
        names, types = self._read_names(omap.model_name, maps)
        config = (
            omap.model_name,
            omap.target,
            omap.key_rule,
            omap.key_column,
            [self._map_config(m, run.project_id) for m in maps],
            [self._field_label(fmap) for fmap in fmaps],
            sorted(types.items()),
            sorted(self._steps(omap.model_name, names).items()),
            bool(self.env.context.get("cell_check_sample")),
            self.env.lang,
        )
        return cells_digest(
            self.env, run_rows_sql(run, omap), run.project_id.id, omap.target,
            omap.model_name, names, repr(config),
        )  # fmt: skip

    def _map_config(self, fmap, project):
        tfield = fmap.target_field_id
        return (
            fmap.id,
            fmap.column,
            fmap.action,
            tfield.id, tfield.name, tfield.ttype, tfield.virtual,
            fmap.new_field_name,
            fmap.new_field_type,
            fmap.transform,
            sorted(self._options(fmap, project).items()),
        )  # fmt: skip

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
        database (loader/read_back.py), a few queries per page; each page
        judged a column at a time (``_judge``: what is the same for every cell
        of a column decided once)."""
        maps = [map_view(fmap) for fmap in fmaps]
        tally = CellTally()
        expect = Expected()
        key_column = omap.key_rule == "column" and omap.key_column
        names, types = self._read_names(omap.model_name, maps)
        steps = self._steps(omap.model_name, names)
        judges = [
            (fmap, self._judge(
                fmap, self._options(fmap, run.project_id), key_column, expect,
                types, steps,
            ))
            for fmap in maps
        ]  # fmt: skip
        pages = run_row_pages(
            self.env, run_rows_sql(run, omap), run.project_id.id, omap.target,
            model=omap.model_name,
        )  # fmt: skip
        for rows in pages:
            reviews = reviews_of(self.env, [r[0] for r in rows])
            records = read_back(
                self.env, omap.model_name, names, {r[5] for r in rows if r[5]}
            )
            cells = []
            for row_id, line, data, state, _model, res_id, source_written in rows:
                values = records.get(res_id)
                if values is not None:
                    # the source's update date lives in the ledger: a record's own
                    # write_date must tell when Odoo last changed it (rollback);
                    # a copy per row: rows merged into one record each have
                    # their own, and the page's columns are judged after all
                    # its rows are read
                    values = {**values, "write_date": source_written}
                cells.append(
                    ((line, row_id), data or {}, state, reviews.get(row_id, ()), values)
                )
            for fmap, judge in judges:
                self._judge_column(tally, fmap.id, fmap.column, judge, cells)
        return [(fmap, tally.counts(fmap.id, self._example)) for fmap, _j in judges]

    @staticmethod
    def _judge_column(tally, slot, column, judge, cells):
        """Tally the non-empty cells of ``column`` in ``cells`` [(at, data,
        state, row reviews, record values)]: only an unaccounted cell goes
        through the tally one by one (its example)."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for at, data, state, row_reviews, values in cells:
            raw = data.get(column)
            if raw is None:
                continue
            text = str(raw)
            if not text.strip(BLANKS):
                continue
            outcome, seen = judge(text, state, row_reviews, values)
            if outcome == "unaccounted":
                tally.add(slot, outcome, at, raw, seen)
            else:
                counts[outcome] += 1
        tally.add_counts(slot, counts)

    def _example(self, line, value, seen):
        return self.env._(
            "line %(line)s: '%(value)s' -> %(odoo)s", line=line, value=value, odoo=seen
        )

    def _judge(self, fmap, options, key_column, expect, types, steps):
        """``judge(raw, state, row_reviews, values)`` -> (outcome, what Odoo
        holds) of one non-empty cell of ``fmap``'s column (a field map read
        once: loader.prepare.FieldMapView); ``values``: its record read back
        (None: no record), ``types`` and ``steps``: of the fields read back;
        ``expect``: the run's memo of transformed values (Expected)."""
        if fmap.column == key_column:
            return _constant(("written", ""))  # the source key, in the ledger
        if fmap.action == "ignore":
            return _constant(("ignored", ""))
        column = fmap.column
        transformed = expect.of(fmap, options)
        # a Migration User's sample creates no field
        sample = fmap.action == "create" and self.env.context.get("cell_check_sample")
        new_field = fmap.new_field_name
        compare = self._comparer(fmap, types, steps, expect)
        no_record = ("unaccounted", self.env._("no record"))
        unreadable = ("unaccounted", self.env._("unreadable, and no review item"))

        def judge(raw, state, row_reviews, values):
            if row_reviews and (column in row_reviews or "" in row_reviews):
                return _REVIEW
            if values is None:
                return _IGNORED if state == "skipped" else no_record
            try:
                expected = transformed(raw)
            except ValueError:
                return unreadable
            if expected is None or (sample and new_field not in values):
                return _IGNORED
            ok, seen = compare(expected, values)
            return ("written" if ok else "unaccounted"), seen

        return judge

    # ------------------------------------------------------------- compare
    def _comparer(self, fmap, types, steps, expect):
        """``compare(expected, values)`` -> (the record holds the cell's
        value, what it holds), decided once for ``fmap``."""
        if fmap.action == "map" and fmap.target_field_id.virtual:
            return self._virtual_comparer(fmap.target_field_id.name, expect.norm)
        fname = fmap.new_field_name if fmap.action == "create" else None
        fname = fname or fmap.target_field_id.name
        ftype = types.get(fname)
        step = steps.get(fname)
        missing = (False, self.env._("no field %(field)s", field=fname))
        same = self._sameness(ftype, fname)
        created_selection = ftype == "selection" and fmap.action == "create"

        def compare(expected, values):
            if fname not in values:
                return missing
            actual = values[fname]
            if ftype in _RELATIONAL:
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
            if created_selection:
                return actual == selection_key(str(expected)), str(actual)
            if ftype in ("float", "monetary"):
                # at the field's own step: a value it had to round is no match
                # (loader/digits.py files a review item for it when loading)
                return same_number(expected, actual, step), str(actual)[:80]
            return same(expected, actual), str(actual)[:80]

        return compare

    def _sameness(self, ftype, fname):
        """``same(expected, actual)`` of a field of type ``ftype``."""
        if ftype == "integer":
            test = _same_integer
        elif ftype in ("boolean", "date", "datetime"):
            test = operator.eq
        elif ftype == "html":
            test = _same_html
        elif fname == "partner_name":  # written as the matched account spells it
            test = _same_by(norm_company)
        elif fname in ("email", "email_from"):
            test = _same_by(norm_email)
        elif fname in ("phone", "mobile"):
            test = _same_phone
        elif fname == "website":
            test = _same_website
        else:
            test = _same_text

        def same(expected, actual):
            if actual in (None, False, "") and expected not in (False, 0, 0.0):
                return False
            return test(expected, actual)

        return same

    def _virtual_comparer(self, fname, norm):
        """``compare(expected, values)`` of a virtual target, checked by the
        record fields the loader sets."""
        if fname in ("first_name", "last_name"):
            reads = VIRTUAL_READS[fname]

            def names_hold(expected, values):
                names = " | ".join(str(values.get(n) or "") for n in reads)
                return norm(str(expected)) in norm(names), names

            return names_hold
        if fname == "company_name":
            return _company_written
        if fname in ("create_date", "write_date", "date_won", "date_lost"):
            held = fname if fname in ("create_date", "write_date") else "date_closed"

            def moment(expected, values):
                actual = values.get(held)
                return _same_moment(actual, expected), str(actual or "")

            return moment
        reads = VIRTUAL_READS.get(fname)
        if not reads:
            no_writer = (False, self.env._("%(field)s has no writer", field=fname))
            return lambda expected, values: no_writer
        status = fname == "status"

        def any_held(expected, values):
            held = [values.get(name) for name in reads]
            if status:
                return bool(held[0]) or held[1] is False, str(held)
            return any(held), str(held)

        return any_held

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
