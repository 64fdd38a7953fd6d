import logging

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import html2plaintext, split_every

from ..engine.export import write_xlsx
from ..engine.match import norm_company, norm_email, norm_text
from ..loader import RELATION_KIND
from ..loader.batch import BatchLoader
from ..loader.cache import RunCache
from ..loader.classify import review_decisions
from ..loader.prepare import loaded_field_maps

_logger = logging.getLogger(__name__)

XLSX_HEADERS = (
    "object",
    "target",
    "line",
    "column",
    "field",
    "source value",
    "transformed value",
    "Odoo value",
    "match",
    "note",
    "model",
    "record id",
)
DIFF_BATCH = 500


def as_text(value):
    """A value as a person reads it in a list or a spreadsheet."""
    if value is None or value is False:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, list | tuple):
        return ", ".join(sorted(as_text(v) for v in value))
    if hasattr(value, "hour"):
        return fields.Datetime.to_string(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def plain(value):
    """Text compared loosely: whitespace collapsed, ends stripped."""
    return " ".join(str(value or "").split())


class MigrationSampleDiff(models.Model):
    """One mapped field of one record a sample run wrote: the source value,
    the value after transform, the value read back from Odoo, and whether they
    agree. Built by the run itself (``_build_for_run``); people only read it."""

    _name = "migration.sample.diff"
    _description = "Migration Sample Diff"
    _order = "run_id desc, id"
    _rec_name = "field_name"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    object_map_id = fields.Many2one(
        "migration.object.map", string="Object", ondelete="set null", index=True
    )
    target = fields.Char()
    ledger_id = fields.Many2one("migration.ledger", ondelete="set null")
    operation = fields.Selection(related="ledger_id.operation")
    res_model = fields.Char(string="Record model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Record")
    line = fields.Integer()
    column = fields.Char()
    field_name = fields.Char(string="Field", index=True)
    source_value = fields.Char()
    transformed_value = fields.Char(string="After transform")
    odoo_value = fields.Char(string="In Odoo")
    match = fields.Boolean(index=True)
    note = fields.Char()

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ build
    @api.model
    def _build_for_run(self, run):
        """Diff every record the run created, updated or merged into, field
        map by field map. A problem here is logged on the run and never undoes
        what the run loaded."""
        try:
            with self.env.cr.savepoint():
                return self._create_for_run(run)
        except Exception as exc:  # noqa: BLE001 - the run's data stays loaded
            _logger.exception("sample diff of run %s failed", run.id)
            run._log(
                self.env._("The sample diff could not be built: %(error)s", error=exc)
            )
            return self.browse()

    @api.model
    def _create_for_run(self, run):
        # sudo: the diff is derived by the run itself; a Migration User, who may
        # start a sample, only reads it (access rights: read for users)
        Diff = self.sudo()
        Diff.search([("run_id", "=", run.id)]).unlink()
        entries = self.env["migration.ledger"].search(
            [
                ("run_id", "=", run.id),
                ("operation", "in", ("create", "update", "merge")),
                ("object_map_id", "!=", False),
                ("staging_row_id", "!=", False),
            ],
            order="id",
        )
        if not entries:
            return Diff
        in_order = run.line_ids.sorted("sequence").object_map_id
        omaps = in_order.filtered(lambda m: m in entries.object_map_id)
        cache = RunCache.build(self.env, run, omaps)
        # what the run knew when it linked rows: the records the ledger holds
        # (a contact's company, a lead's contact), in load order
        for omap in in_order:
            cache.preload_keys(omap)
        vals_list = []
        for omap in omaps:
            fmaps = loaded_field_maps(omap)
            if not fmaps:
                continue
            own = entries.filtered(lambda e, omap=omap: e.object_map_id == omap).sorted(
                lambda e: (e.line, e.id)
            )
            for batch_ids in split_every(DIFF_BATCH, own.ids):
                vals_list += self._diff_batch(
                    run, omap, fmaps, entries.browse(batch_ids), cache
                )
        return Diff.create(vals_list)

    def _diff_batch(self, run, omap, fmaps, entries, cache):
        """Prepare the batch's rows again as the loader does, then compare
        field by field with what Odoo holds."""
        pieces = BatchLoader(self.env, cache, run, omap, line=None)
        rows = entries.staging_row_id
        # corrections people made in the review queue are what was loaded
        decisions = review_decisions(self.env, rows)
        cache.corrections = {
            row_id: decision.corrections for row_id, decision in decisions.items()
        }
        prepared = {
            row.id: pieces.preparer.prepare_row(omap, fmaps, row) for row in rows
        }
        pieces.handler.resolve(omap, list(prepared.values()))
        # rounded as loaded: a number beyond its field's digits is reviewed
        pieces.rounding.check(omap, list(prepared.values()), fmaps)
        records = {
            rec.id: rec
            for rec in self.env[omap.model_name]
            .with_context(active_test=False)
            .browse(entries.mapped("res_id"))
            .exists()
        }
        vals_list = []
        for entry in entries:
            prep = prepared[entry.staging_row_id.id]
            data = entry.staging_row_id.data or {}
            issues = {}
            for issue in prep.issues + ([prep.held] if prep.held else []):
                if issue.get("column"):
                    issues.setdefault(issue["column"], issue)
            record = records.get(entry.res_id)
            for fmap in fmaps:
                raw = data.get(fmap.column)
                vals = {
                    "run_id": run.id,
                    "project_id": run.project_id.id,
                    "object_map_id": omap.id,
                    "target": omap.target,
                    "ledger_id": entry.id,
                    "res_model": entry.res_model,
                    "res_id": entry.res_id,
                    "line": entry.line,
                    "column": fmap.column,
                    "field_name": fmap.target_field_id.name
                    if fmap.action == "map"
                    else fmap.new_field_name,
                    "source_value": as_text(raw),
                }
                vals.update(
                    self._compare(entry, fmap, prep, record, issues.get(fmap.column))
                )
                vals_list.append(vals)
        return vals_list

    # ---------------------------------------------------------------- compare
    def _compare(self, entry, fmap, prep, record, issue):
        """{transformed_value, odoo_value, match, note} of one field map."""
        if fmap.action == "map":
            fname = fmap.target_field_id.name
            virtual = fmap.target_field_id.virtual
        else:
            fname, virtual = fmap.new_field_name, False
        item = prep.extra.get(fname)
        if virtual or fname in RELATION_KIND:
            transformed = item[0] if item else None
        else:
            transformed = prep.vals.get(fname)
        note = ""
        if record is None:
            odoo_value, match = "", False
            note = self.env._("The record no longer exists (rolled back or deleted).")
        elif virtual:
            odoo_value, match, note = self._compare_virtual(
                entry, fname, transformed, record
            )
        elif fname not in record._fields:
            odoo_value, match = "", False
            note = self.env._(
                "%(model)s has no field %(field)s.", model=record._name, field=fname
            )
        else:
            odoo_value, match = self._compare_field(
                record, fname, prep.vals.get(fname), transformed
            )
            if (
                match
                and record._fields[fname].type == "many2one"
                and transformed
                and norm_text(odoo_value) != norm_text(as_text(transformed))
            ):
                # a value map, a lookup or a rule (won deal -> won stage) chose it
                note = self.env._("Loaded as %(name)s.", name=odoo_value)
        if issue:
            match = False
            note = self.env._(
                "Value not loaded as it was (in the review queue): %(reason)s",
                reason=issue["reason"],
            )
        elif not match and not note:
            if entry.operation == "merge":
                note = self.env._(
                    "Merged into an existing record, which keeps its own value "
                    "where it had one."
                )
            elif transformed in (None, "", []):
                note = self.env._(
                    "Empty in the source; Odoo has a value (a default, a computed "
                    "value or an earlier one)."
                )
            else:
                note = self.env._(
                    "Odoo holds another value than the one loaded (changed on save "
                    "or by someone since the run)."
                )
        return {
            "transformed_value": as_text(transformed),
            "odoo_value": odoo_value,
            "match": match,
            "note": note or False,
        }

    def _compare_field(self, record, fname, expected, transformed):
        """(Odoo value as text, match) of a real field of the record."""
        fld = record._fields[fname]
        actual = record[fname]
        if fld.type == "many2one":
            return actual.display_name or "", actual.id == (expected or False)
        if fld.type in ("many2many", "one2many"):
            ids = [
                cmd[1]
                for cmd in expected or []
                if isinstance(cmd, list | tuple) and cmd[0] == Command.LINK
            ]
            text = ", ".join(sorted(actual.mapped("display_name")))
            return text, set(ids) <= set(actual.ids) if ids else not actual
        if fld.type in ("float", "monetary"):
            if expected is None:
                return as_text(actual), not actual
            diff = abs((actual or 0.0) - float(expected))
            return as_text(actual), diff <= 1e-6 * max(1.0, abs(float(expected)))
        if fld.type == "date":
            return as_text(actual), actual == (fields.Date.to_date(expected) or False)
        if fld.type == "datetime":
            if not expected:
                return as_text(actual), not actual
            return as_text(actual), self._same_time(actual, expected)
        if fld.type in ("integer", "boolean"):
            return as_text(actual), (actual or False) == (expected or False)
        if fld.type == "html":
            text = plain(html2plaintext(actual or ""))
            return text, text == plain(html2plaintext(str(expected or "")))
        text = as_text(actual)
        if fname == "website":
            # Odoo adds a scheme to a bare domain: compare without it
            return text, self._bare_url(text) == self._bare_url(expected)
        return text, plain(text) == plain(as_text(expected))

    def _same_time(self, actual, expected):
        """Two date-times within a second (the database keeps no microsecond
        the source did not have)."""
        expected = fields.Datetime.to_datetime(expected)
        if not actual or not expected:
            return False
        return abs((actual - expected).total_seconds()) < 1

    def _bare_url(self, value):
        text = plain(value).lower()
        for scheme in ("https://", "http://"):
            text = text.removeprefix(scheme)
        return text.rstrip("/")

    def _compare_virtual(self, entry, fname, value, record):
        """(Odoo value as text, match, note) of a field the loader resolves."""
        if fname in ("first_name", "last_name"):
            name = record.name or ""
            return name, not value or norm_text(value) in norm_text(name), ""
        if fname == "company_name":
            company = record.parent_id.name or record.company_name or ""
            match = norm_company(value or "") == norm_company(company)
            note = ""
            if value and not match and not record.parent_id:
                note = self.env._("The contact is not linked to a company.")
            return company, match, note
        if fname == "create_date":
            actual = record.create_date
            match = not value or self._same_time(actual, value)
            note = ""
            if not match and entry.operation != "create":
                note = self.env._(
                    "Odoo keeps the creation date of the existing record."
                )
            return as_text(actual), match, note
        if fname == "write_date":
            kept = entry.original_write_date
            match = not value or self._same_time(kept, value)
            return (
                as_text(kept),
                match,
                self.env._("Kept in the ledger: Odoo sets its own last-update date."),
            )
        if fname == "status":
            if record.stage_id.is_won:
                actual = "won"
            elif not record.active:
                actual = "lost"
            else:
                actual = "open"
            return actual, not value or value == actual, ""
        if fname == "partner_email":
            actual = record.partner_id.email or ""
            match = norm_email(value or "") == norm_email(actual)
            note = ""
            if value and not record.partner_id:
                note = self.env._(
                    "No contact with this email in the run or in Odoo: the lead is "
                    "not linked to a contact."
                )
            return actual, match, note
        return "", False, self.env._("Resolved by the loader; not compared.")

    # ---------------------------------------------------------------- export
    @api.model
    def _xlsx_rows(self, run):
        return [
            [
                diff.object_map_id.object_name or "",
                diff.target or "",
                diff.line,
                diff.column or "",
                diff.field_name or "",
                diff.source_value or "",
                diff.transformed_value or "",
                diff.odoo_value or "",
                "match" if diff.match else "mismatch",
                diff.note or "",
                diff.res_model or "",
                diff.res_id,
            ]
            for diff in self.search([("run_id", "=", run.id)], order="id")
        ]

    @api.model
    def _xlsx_for_run(self, run):
        """The run's diff as a spreadsheet: a header row, one row per diff."""
        return write_xlsx({"Sample diff": (list(XLSX_HEADERS), self._xlsx_rows(run))})
