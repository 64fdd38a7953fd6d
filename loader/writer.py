"""The one writer per model: the only place that calls ``create``/``write`` on
migrated records, so that a bulk SQL path can replace it later without
touching the rest."""

import base64
import binascii
from collections import Counter

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import mute_logger

from .bulk import BulkWriter
from .common import LOAD_CONTEXT, WRITE_CONTEXT, error_text, jsonable

EMPTY = (False, None, "", 0, 0.0)
RELATIONAL = ("many2one", "many2many", "one2many", "reference")
# fields a model rewrites in create/write, as Odoo would store them
REWRITTEN = {
    ("res.partner", "website"): lambda env, v: env["res.partner"]._clean_website(v),
    ("crm.lead", "website"): lambda env, v: env["res.partner"]._clean_website(v),
}


class Writer:
    """Batched creates (bisected on failure) and minimal updates over ``env``.

    With ``bulk``, a batch of a model the bulk path reproduces (loader.bulk) is
    written by multi-row INSERT; any other batch, and a bulk batch that fails,
    goes through the ORM's create(). ``bulk_rows`` counts the rows written in
    bulk, ``fallbacks`` the rows of bulk-capable models that were not, by
    (model, reason)."""

    def __init__(self, env, bulk=False):
        self.env = env
        self.bulk = BulkWriter(env) if bulk else None
        self.bulk_rows = 0
        self.fallbacks = Counter()

    def model(self, model_name):
        """The model with the speed contexts and its own write context."""
        return self.env[model_name].with_context(
            **LOAD_CONTEXT, **WRITE_CONTEXT.get(model_name, {})
        )

    def create(self, model, preps):
        """Create records for ``preps`` in one batch; a failing batch is split in
        halves until the bad rows are isolated (no row-by-row savepoints).
        Returns ([(prep, record)], [(prep, error text)])."""
        if not preps:
            return [], []
        if self.bulk and self.bulk.supports(model._name):
            done = self._create_bulk(model, preps)
            if done is not None:
                return done, []
        return self._create_orm(model, preps)

    def _create_bulk(self, model, preps):
        """[(prep, record)] written by the bulk path, or None: the batch goes
        through the ORM (counted in ``fallbacks`` with the reason)."""
        vals_list = [p.vals for p in preps]
        reason = self.bulk.refusal(model, vals_list)
        if reason is None:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    records = self.bulk.create(
                        model, vals_list, [p.create_date for p in preps]
                    )
            except Exception as exc:  # noqa: BLE001 - the ORM bisects the batch
                self.env.invalidate_all()
                reason = f"refused in bulk: {error_text(exc)}"
            else:
                self.bulk_rows += len(preps)
                return list(zip(preps, records, strict=True))
        self.fallbacks[(model._name, reason)] += len(preps)
        return None

    def create_values(self, model, vals_list):
        """Records the run makes for itself (the companies its contacts name
        that no file has), in one batch: the bulk path when it takes the batch,
        else one create() (a refusal is counted in ``fallbacks``, as a row's);
        an error is raised, as create() raises it. Not source rows: not counted
        in ``bulk_rows``. One record goes through create(): not worth the bulk
        path's flush and cache invalidation (a lead's company, made row by row
        in the middle of its batch's resolution)."""
        if self.bulk and self.bulk.supports(model._name) and len(vals_list) > 1:
            reason = self.bulk.refusal(model, vals_list)
            if reason is None:
                try:
                    with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                        return self.bulk.create(model, vals_list)
                except Exception as exc:  # noqa: BLE001 - create() decides
                    self.env.invalidate_all()
                    reason = f"refused in bulk: {error_text(exc)}"
            self.fallbacks[(model._name, reason)] += len(vals_list)
        return model.create(vals_list)

    def _create_orm(self, model, preps):
        try:
            # a refusal is booked as a review item; odoo.sql_db would otherwise
            # log the whole failing batch, source data included, at each split
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                records = model.create([p.vals for p in preps])
                records.flush_recordset()
            return list(zip(preps, records, strict=True)), []
        except Exception as exc:  # noqa: BLE001 - any refusal is isolated and reviewed
            self.env.invalidate_all()
            if len(preps) == 1:
                return [], [(preps[0], error_text(exc))]
            mid = len(preps) // 2
            ok1, bad1 = self._create_orm(model, preps[:mid])
            ok2, bad2 = self._create_orm(model, preps[mid:])
            return ok1 + ok2, bad1 + bad2

    def take_counts(self):
        """(rows written in bulk, Counter of fallback rows by (model, reason))
        since the last call."""
        counts = (self.bulk_rows, self.fallbacks)
        self.bulk_rows, self.fallbacks = 0, Counter()
        return counts

    def take_left(self):
        """{(model, field): why} of the stored computes the bulk path left to
        Odoo's per-record compute since the last call."""
        if not self.bulk:
            return {}
        left, self.bulk.left = self.bulk.left, {}
        return left

    def update(self, record, vals, only_empty=False):
        """Write the values that differ (or, merging, only into empty fields);
        returns (before-values of what changed, error text or None)."""
        changes, before = self.changes(record, vals, only_empty)
        if not changes:
            return {}, None
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                record.write(changes)
                record.flush_recordset()
        except Exception as exc:  # noqa: BLE001 - the refusal goes to review
            self.env.invalidate_all()
            return {}, error_text(exc)
        return jsonable(before), None

    def changes(self, record, vals, only_empty=False):
        """({field: new value}, {field: value before}) of what ``vals`` changes."""
        changes, before = {}, {}
        for fname, value in vals.items():
            fld = record._fields.get(fname)
            if fld is None or fname == "is_company":
                continue
            if fld.type == "many2many":
                self._m2m_change(record, fname, value, changes, before)
                continue
            current = record[fname]
            if fld.type == "many2one":
                current = current.id
            # merging: a boolean always holds a value (False is the first
            # row's "no"), so the row merged in never overrides it
            if only_empty and (current not in EMPTY or fld.type == "boolean"):
                continue
            same, value = self._same(fld, record, current, value)
            if same:
                continue
            changes[fname] = value
            before[fname] = (
                fld.convert_to_write(record[fname], record)
                if fld.type != "many2one"
                else current
            )
        return changes, before

    def _m2m_change(self, record, fname, value, changes, before):
        current = record[fname]
        if value is False:
            if current:  # an empty cell that clears (see prepare.clear_if_asked)
                changes[fname] = [Command.clear()]
                before[fname] = current.ids
            return
        ids = [cmd[1] for cmd in value if cmd[0] == Command.LINK]
        new_ids = [i for i in ids if i not in current.ids]
        if new_ids:
            changes[fname] = [Command.link(i) for i in new_ids]
            before[fname] = current.ids

    def _same(self, fld, record, current, value):
        """(whether ``value`` is what the field holds, the value to write).

        Compared as Odoo would store it, so that a re-run of unchanged data
        finds it unchanged: the field's own conversion (trimmed text,
        sanitised HTML, floats rounded to their digits, dates parsed) and what
        the model rewrites on write (a website gains "http://")."""
        if fld.type == "binary":
            return self._same_bytes(fld, current, value), value
        if fld.type == "date":
            value = fields.Date.to_date(value) or False
        elif fld.type == "datetime":
            value = fields.Datetime.to_datetime(value) or False
        stored = self.stored(fld, record, value)
        if fld.type in ("float", "monetary") and current is not False:
            if stored is not None and abs((current or 0.0) - float(stored)) < 1e-9:
                return True, value
        if current in EMPTY and stored in EMPTY and fld.type != "boolean":
            return True, value
        return current == stored, value

    def _same_bytes(self, fld, current, value):
        """A file or an image compared by its bytes (base64 may be wrapped, or
        text), an image as Odoo stores it: resized to its field's size."""
        if not value or not current:
            return not value and not current
        try:
            if isinstance(fld, fields.Image):
                value = fld._image_process(value, self.env)
            return base64.b64decode(current) == base64.b64decode(value)
        except (binascii.Error, ValueError, TypeError, UserError):
            return False  # Odoo refuses it at write: not the same

    def stored(self, fld, record, value):
        """``value`` as ``record``'s field ``fld`` would hold it once written."""
        if value in (False, None) or fld.type in RELATIONAL:
            return value
        rewrite = REWRITTEN.get((record._name, fld.name))
        if rewrite and value:
            value = rewrite(self.env, value)
        try:
            cached = fld.convert_to_cache(value, record)
            return fld.convert_to_record(cached, record)
        except (ValueError, TypeError):  # Odoo refuses it at write: not the same
            return value
