import logging

from odoo import _, api, fields, models
from odoo.fields import Command
from odoo.tools import mute_logger

from ..loader import LOAD_CONTEXT, can_commit, error_text, snapshot
from ..loader.files import restore_file
from ..loader.partners import own_vats, restore_vats

_logger = logging.getLogger(__name__)

COMMIT_EVERY = 200


class MigrationRollback(models.AbstractModel):
    """Undo what runs wrote, from the ledger, newest first.

    Created records are deleted (Odoo removes their messages, followers,
    activities and attachments with them), updated and merged records get their
    before-values back. A record someone changed after the migration wrote it is
    a conflict: left alone unless forced. Every undone ledger row is marked, so a
    rollback that stops half way resumes where it stopped, and a second one
    finds nothing to do.
    """

    _name = "migration.rollback"
    _description = "Migration Rollback"

    @api.model
    def _pending(self, entries):
        return entries.filtered(lambda e: not e.rolled_back).sorted("id", reverse=True)

    @api.model
    def _conflicts(self, entries):
        """{ledger id: reason} for the records changed since the migration wrote them.

        What the migration last wrote to a record is the after-values of its
        ledger rows, oldest first, that are not rolled back; a field that no
        longer holds that value was changed by someone else.
        """
        conflicts = {}
        Ledger = self.env["migration.ledger"]
        by_record = {}
        for entry in entries:
            by_record.setdefault((entry.res_model, entry.res_id), []).append(entry)
        for (model, res_id), mine in by_record.items():
            record = (
                self.env[model].with_context(active_test=False).browse(res_id).exists()
            )
            if not record:
                continue
            everything = Ledger.search(
                [("res_model", "=", model), ("res_id", "=", res_id)], order="id"
            )
            history = everything.filtered(lambda e: not e.rolled_back)
            newest_mine = max(m.id for m in mine)
            later = history.filtered(
                lambda e, newest=newest_mine: e not in entries and e.id > newest
            )
            if later:
                reason = _(
                    "%(record)s was written again by %(run)s after this run; roll that "
                    "run back first.",
                    record=record.display_name,
                    run=later[-1].run_id.name,
                )
                for entry in mine:
                    conflicts[entry.id] = reason
                continue
            # someone else wrote the record after the migration last did
            last_ours = max(
                (
                    d
                    for e in everything
                    for d in (e.written_at, e.rollback_written_at)
                    if d
                ),
                default=None,
            )
            our_users = everything.run_id.user_id | everything.rollback_uid
            if (
                last_ours
                and record.write_date
                and record.write_date > last_ours
                and record.write_uid not in our_users
            ):
                reason = _(
                    "%(record)s was edited by %(user)s on %(date)s, after the migration "
                    "wrote it.",
                    record=record.display_name,
                    user=record.write_uid.name,
                    date=record.write_date,
                )
                for entry in mine:
                    conflicts[entry.id] = reason
                continue
            changed = self._changed_since(record, history)
            if changed:
                reason = _(
                    "%(record)s was changed after the migration wrote it (%(fields)s, last by "
                    "%(user)s on %(date)s).",
                    record=record.display_name,
                    fields=", ".join(changed),
                    user=record.write_uid.name,
                    date=record.write_date,
                )
                for entry in mine:
                    conflicts[entry.id] = reason
        return conflicts

    @api.model
    def _changed_since(self, record, history):
        """The fields of ``record`` that no longer hold what the ledger rows
        ``history`` (oldest first) wrote; a many2many link a run added (operation
        ``add``) must still be there, beside whatever else the field holds."""
        expected, added = {}, {}
        for entry in history:
            if entry.operation == "add":
                for fname, ids in (entry.after_values or {}).items():
                    added.setdefault(fname, set()).update(ids)
            else:
                expected.update(entry.after_values or {})
        for fname, ids in added.items():
            if fname in expected:
                expected[fname] = sorted(set(expected[fname] or []) | ids)
        current = snapshot(record, list(expected) + list(added))
        changed = {f for f, value in expected.items() if current.get(f) != value}
        changed |= {
            f for f, ids in added.items() if not ids <= set(current.get(f) or ())
        }
        return sorted(changed)

    @api.model
    def _rollback(self, entries, force=False, limit=None, commit=False):
        """Undo ``entries`` (ledger rows); returns a summary dict."""
        pending = self._pending(entries)
        conflicts = {} if force else self._conflicts(pending)
        result = {"done": 0, "conflicts": [], "errors": [], "remaining": 0}
        do_commit = can_commit(self.env, commit)
        for entry in pending:
            if limit is not None and result["done"] >= limit:
                result["remaining"] += 1
                continue
            if entry.id in conflicts:
                result["conflicts"].append((entry, conflicts[entry.id]))
                continue
            error = self._undo(entry)
            if error:
                result["errors"].append((entry, error))
                continue
            result["done"] += 1
            if do_commit and result["done"] % COMMIT_EVERY == 0:
                # resumable: what is undone stays undone, and marked so
                self.env.cr.commit()  # pylint: disable=invalid-commit
        result["remaining"] += len(result["conflicts"]) + len(result["errors"])
        return result

    @api.model
    def _undo(self, entry):
        model = self.env[entry.res_model].with_context(
            active_test=False, **LOAD_CONTEXT
        )
        record = model.browse(entry.res_id).exists()
        written = False
        if record:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    if entry.operation == "create" and record._name == "res.users":
                        # a user's partner outlives res.users.unlink(): the run
                        # made both, so both go
                        partner = record.partner_id
                        record.unlink()
                        partner.unlink()
                    elif entry.operation == "create":
                        record.unlink()
                    elif entry.operation == "add":
                        record.write(
                            {
                                fname: [Command.unlink(i) for i in ids]
                                for fname, ids in (entry.after_values or {}).items()
                            }
                        )
                        record.flush_recordset()
                        written = record.write_date
                    elif entry.before_values:
                        # a company's VAT put back is not copied over the
                        # people's own CPF (Odoo's commercial-field sync)
                        own = (
                            own_vats(self.env, record.ids)
                            if record._name == "res.partner"
                            and "vat" in entry.before_values
                            else {}
                        )
                        if record._name == "ir.attachment":
                            # a file stored again: its previous content back
                            restore_file(record, entry.before_values)
                        record.write(self._restore_values(record, entry.before_values))
                        restore_vats(model.browse(), own)
                        record.flush_recordset()
                        written = record.write_date
            except Exception as exc:  # noqa: BLE001 - a refusal is reported, not raised
                self.env.invalidate_all()
                return error_text(exc)
        entry.write(
            {
                "rolled_back": True,
                "rollback_date": fields.Datetime.now(),
                "rollback_uid": self.env.uid,
                "rollback_written_at": written,
            }
        )
        if entry.staging_row_id and entry.operation in ("create", "update", "merge"):
            entry.staging_row_id.state = "staged"
        return None

    @api.model
    def _restore_values(self, record, before):
        vals = {}
        for fname, value in before.items():
            fld = record._fields.get(fname)
            if fld is None:
                continue
            if fld.type == "many2many":
                vals[fname] = [Command.set(value or [])]
            else:
                vals[fname] = value
        return vals
