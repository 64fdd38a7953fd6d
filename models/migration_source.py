import base64
import json
import logging
import sys

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import readers
from ..engine.match import row_hash, row_json
from ..engine.profile import TableProfile
from ..engine.sources.base import get_source
from ..loader.rekey import key_function
from ..loader.rows import copy_rows
from ..loader.stream import stream

_logger = logging.getLogger(__name__)

STAGING_CHUNK = 1000
# what _insert_staging_rows stores of each row
STAGING_COLUMNS = (
    "project_id",
    "source_id",
    "company_id",
    "object_name",
    "line",
    "data",
    "row_hash",
    "source_key",
    "state",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)


class MigrationSource(models.Model):
    """One table of a migration: a CSV file, an XLSX sheet or a zip member.

    The uploaded file is kept once as an attachment; each table of it is a
    source whose rows are bulk inserted into migration.staging.row.
    """

    _name = "migration.source"
    _description = "Migration Source File"
    _order = "project_id, sequence, id"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, help="File name (and sheet or zip member).")
    file_name = fields.Char(help="Name of the uploaded file.")
    object_name = fields.Char(help="Source object, from the file name.")
    attachment_id = fields.Many2one("ir.attachment", ondelete="set null")
    kind = fields.Selection(
        [("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"), ("api", "API")]
    )
    encoding = fields.Char()
    delimiter = fields.Char()
    headers = fields.Json()
    column_types = fields.Json(
        help="Types the source system declares for its custom columns "
        "({column: {type, options}}): their new x_ fields get that type."
    )
    row_count = fields.Integer(string="Rows")
    state = fields.Selection(
        [("staged", "Staged"), ("profiled", "Profiled"), ("error", "Refused")],
        default="staged",
        required=True,
    )
    error = fields.Text()
    profile = fields.Json()
    last_stage_counts = fields.Json(
        string="Last upload",
        help="Rows new, changed, unchanged and removed by the last upload.",
    )
    profile_html = fields.Html(compute="_compute_profile_html", sanitize=False)
    duplicate_email_count = fields.Integer(compute="_compute_profile_html")
    staging_row_ids = fields.One2many("migration.staging.row", "source_id")
    object_map_ids = fields.One2many("migration.object.map", "source_id")

    # ---------------------------------------------------------------- ingest
    @api.model
    def _create_from_file(self, project, filename, data):
        if isinstance(data, str):
            data = base64.b64decode(data)
        spec = get_source(project.system)
        try:
            if not data:
                raise readers.ReadError(filename, _("file is empty (0 bytes)"))
            # an export in the system's own format (saved API pages) first
            own = spec.read_export(data, filename)
            if own is not None:
                project._check_columns(own)
                return self._create_from_tables(project, own, spec)
            tables = project._open_tables(filename, data)
            project._check_columns(tables)
            project._check_rows(tables)
        except readers.ReadError as exc:
            return self._refuse(project, filename, exc)
        try:
            # a cell over the project's limit is met while staging: the
            # savepoint takes back what the file had staged before it
            with self.env.cr.savepoint():
                return self._stage_file(project, filename, data, tables)
        except readers.ReadError as exc:
            return self._refuse(project, filename, exc)

    @api.model
    def _refuse(self, project, filename, exc):
        """A file that is not staged: kept as a source in state error with the
        reason (so nothing the user gave disappears), said on the project."""
        _logger.info("refused %s: %s", filename, exc)
        source = self.create(
            {
                "project_id": project.id,
                "name": filename,
                "file_name": filename,
                "state": "error",
                "error": str(exc),
            }
        )
        project.message_post(
            body=_(
                "File %(file)s refused: %(reason)s",
                file=filename,
                reason=exc.reason,
            )
        )
        return source

    @api.model
    def _stage_file(self, project, filename, data, tables):
        """Keep the file as an attachment and stage each of its tables."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": data,
                "res_model": "migration.project",
                "res_id": project.id,
            }
        )
        sources = self.browse()
        for table in tables:
            source = self.search(
                [("project_id", "=", project.id), ("name", "=", table.name)], limit=1
            )
            vals = {
                "project_id": project.id,
                "name": table.name,
                "file_name": filename,
                "object_name": table.object_name,
                "attachment_id": attachment.id,
                "kind": table.kind,
                "encoding": table.encoding,
                "delimiter": table.delimiter,
                "headers": list(table.headers),
                "state": "staged",
                "error": False,
            }
            if source:
                source.write(vals)
            else:
                source = self.create(vals)
            source.last_stage_counts = source._stage(table)
            sources |= source
        return sources

    def _rows_text(self):
        """ "contacts (12 rows), notes (3 rows)": what these sources staged."""
        return ", ".join(f"{source.name} ({source.row_count} rows)" for source in self)

    @api.model
    def _create_from_tables(self, project, tables, spec, partial=False):
        """Stage the tables a source system read itself (an API pull, saved
        pages) and book the problems it found on the way as review items.
        ``partial``: the tables hold only what changed (a delta pull): rows
        they do not hold are not gone from the source."""
        sources = self.browse()
        for table in tables:
            sources |= self._create_from_api(project, table, partial=partial)
        sources._review_source_issues(spec.source_issues())
        return sources

    def _review_source_issues(self, issues):
        """One review item per problem the source reported (an invalid CNPJ,
        an unknown owner id...) on the row it came from; a re-read does not
        repeat an item already in the queue."""
        by_object = {s.object_name: s for s in self}
        Review = self.env["migration.review"]
        Staging = self.env["migration.staging.row"]
        vals_list = []
        for item in issues:
            source = by_object.get(item["object"])
            if not source:
                continue
            row = item["line"] and Staging.search(
                [("source_id", "=", source.id), ("line", "=", item["line"])], limit=1
            )
            domain = [
                ("source_id", "=", source.id),
                ("staging_row_id", "=", row.id if row else False),
                ("column", "=", item["column"] or False),
                ("value", "=", str(item["value"]) or False),
                ("reason", "=", item["reason"]),
            ]
            if Review.search_count(domain):
                continue
            vals_list.append(
                {
                    "project_id": source.project_id.id,
                    "source_id": source.id,
                    "staging_row_id": row.id if row else False,
                    "kind": item["kind"],
                    "line": item["line"] or 0,
                    "column": item["column"] or False,
                    "value": str(item["value"]) or False,
                    "reason": item["reason"],
                }
            )
        return Review.create(vals_list)

    @api.model
    def _create_from_api(self, project, table, partial=False):
        """Stage a table pulled from an API; its rows are kept as a JSON
        attachment so that every later step re-reads them like a file."""
        rows = [row for _line, row in table.rows()]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{table.name}.json",
                "raw": json.dumps(
                    {
                        "headers": list(table.headers),
                        "rows": rows,
                        "column_types": table.column_types,
                    }
                ).encode(),
                "res_model": "migration.project",
                "res_id": project.id,
                "mimetype": "application/json",
            }
        )
        source = self.search(
            [("project_id", "=", project.id), ("name", "=", table.name)], limit=1
        )
        vals = {
            "project_id": project.id,
            "name": table.name,
            "file_name": attachment.name,
            "object_name": table.object_name,
            "attachment_id": attachment.id,
            "kind": "api",
            "headers": list(table.headers),
            "column_types": table.column_types or False,
            "state": "staged",
            "error": False,
        }
        if source:
            source.write(vals)
        else:
            source = self.create(vals)
        source.last_stage_counts = source._stage(source._get_table(), partial=partial)
        return source

    def _get_table(self):
        """Re-open this source's table from the stored file."""
        self.ensure_one()
        if not self.attachment_id:
            raise readers.ReadError(self.name, _("the file is no longer stored"))
        if self.kind == "api":
            payload = json.loads(self.attachment_id.raw)
            rows = payload["rows"]
            table = readers.Table.from_records(
                self.name,
                lambda: rows,
                payload["headers"],
                kind="api",
                object_name=self.object_name,
            )
            table.column_types = payload.get("column_types") or {}
            return table
        # read again as it was accepted at upload: a limit lowered since
        # does not refuse a file already staged
        for table in readers.open_tables(
            self.file_name,
            data=self.attachment_id.raw,
            max_bytes=sys.maxsize,
            max_tables=0,
        ):
            if table.name == self.name:
                return table
        raise readers.ReadError(self.name, _("the table is no longer in the file"))

    def _stage(self, table, partial=False):
        """Bring this source's staging rows in line with ``table``.

        First upload: every row is bulk inserted. A later upload of the same
        file (a new export, or a delta pickup) is matched row by row on the
        object map's key: unchanged rows are kept as they are (with their state
        and review items), changed rows are updated in place and marked to load
        again, new rows are inserted, and rows gone from the source are marked
        removed and listed in the review queue, never deleted.
        ``partial``: ``table`` holds only the rows that changed (a delta pull):
        the rows it does not hold stay as they are.
        Returns the counts {"new", "changed", "unchanged", "removed"}.
        """
        self.ensure_one()
        # rows booked by an older version carry its keys: today's first
        self.project_id._upgrade_keys()
        Staging = self.env["migration.staging.row"]
        Staging.flush_model()
        counts = dict.fromkeys(("new", "changed", "unchanged", "removed"), 0)
        # streamed (loader/stream.py): a re-upload of a million rows holds the
        # keys it matches on, not every staged row at once
        existing = stream(
            self.env,
            SQL(
                "SELECT id, line, source_key, row_hash, state, "
                "CASE WHEN source_key IS NULL THEN data END "
                "FROM migration_staging_row WHERE source_id = %s ORDER BY line, id",
                self.id,
            ),
        )
        omap = self.object_map_ids.filtered("target")[:1]
        # the key a run books (a custom object's in its own key space), the
        # map read once for the file's rows, not once per row
        name = self.name
        key_of = (
            key_function(omap) if omap else (lambda data, line: f"line:{name}:{line}")
        )

        old = {}
        for rid, line, key, rhash, state, data in existing:
            old.setdefault(key or key_of(data or {}, line), []).append(
                (rid, rhash, state)
            )
        restaged = bool(old)
        inserts, changes = [], []
        profile = TableProfile(table)
        rows = profile.rows(table.rows())
        for line, row in self.project_id._within_cell_limit(self.name, rows):
            key = key_of(row, line)
            candidates = old.get(key)
            if not candidates:
                inserts.append((line, row, key if restaged else None))
                if len(inserts) >= STAGING_CHUNK:
                    counts["new"] += self._insert_staging_rows(inserts)
                    inserts = []
                continue
            rid, rhash, state = candidates.pop(0)
            if rhash != row_hash(row) or state == "removed":
                changes.append((rid, line, row))
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
        if inserts:
            counts["new"] += self._insert_staging_rows(inserts)
        for rid, line, row in changes:
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_staging_row SET data = %s::jsonb, row_hash = %s, "
                    "line = %s, state = 'staged', write_date = now() at time zone 'UTC' "
                    "WHERE id = %s",
                    json.dumps(row, ensure_ascii=False),
                    row_hash(row),
                    line,
                    rid,
                )
            )
        gone = [
            rid
            for rows in old.values()
            for rid, _hash, state in rows
            if state != "removed" and not partial
        ]
        if gone:
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_staging_row SET state = 'removed' WHERE id = ANY(%s)",
                    gone,
                )
            )
            self._review_removed(gone)
        counts["removed"] = len(gone)
        Staging.invalidate_model()
        if profile.complete:
            self._keep_staged_profile(profile.result())
        self.row_count = Staging.search_count(
            [("source_id", "=", self.id), ("state", "!=", "removed")]
        )
        return counts

    def _review_removed(self, row_ids):
        """A row gone from the source: its Odoo record stays, a person decides."""
        rows = self.env["migration.staging.row"].browse(row_ids)
        ledger = {
            entry.staging_row_id.id: entry
            for entry in self.env["migration.ledger"].search(
                [("staging_row_id", "in", row_ids), ("rolled_back", "=", False)],
                order="id",
            )
        }
        self.env["migration.review"].create(
            [
                {
                    "project_id": self.project_id.id,
                    "source_id": self.id,
                    "staging_row_id": row.id,
                    "kind": "removed",
                    "line": row.line,
                    "value": row.source_key or False,
                    "reason": _(
                        "This row is no longer in %(file)s; its Odoo record is kept "
                        "(a migration never deletes what the source dropped).",
                        file=self.name,
                    ),
                    "res_model": ledger[row.id].res_model
                    if row.id in ledger
                    else False,
                    "res_id": ledger[row.id].res_id if row.id in ledger else False,
                }
                for row in rows
            ]
        )

    def _insert_staging_rows(self, chunk):
        """Bulk insert of (line, row[, source key]) tuples: one COPY (loader
        rows.copy_rows), each row serialised once (the JSON stored is the one
        hashed), the dates the transaction's as the ORM's create() gives."""
        uid = self.env.uid
        now = self.env.cr.now()
        head = tuple(
            None if value is False else value  # an unset field: NULL
            for value in (
                self.project_id.id,
                self.id,
                self.company_id.id,
                self.object_name,
            )
        )
        tail = ("staged", uid, uid, now, now)
        rows = []
        for item in chunk:
            payload, rhash = row_json(item[1])
            key = item[2] if len(item) > 2 else None
            rows.append((item[0], payload, rhash, key))
        copy_rows(
            self.env.cr, "migration_staging_row", STAGING_COLUMNS, rows, head, tail
        )
        return len(chunk)

    def action_remove(self):
        """Remove a file from its project (a refused one, or one uploaded by
        mistake) from the project's page; a file a run loaded stays."""
        loaded = self.filtered(
            lambda s: (
                s.state != "error"
                and s.object_map_ids
                & s.project_id.run_ids.filtered(
                    lambda r: r.state == "done"
                ).line_ids.object_map_id
            )
        )
        if loaded:
            raise UserError(
                _(
                    "%(files)s was loaded by a run: roll the run back before removing it.",
                    files=", ".join(loaded.mapped("name")),
                )
            )
        for source in self:
            self.env["migration.audit"]._log(
                source.project_id,
                "upload",
                _(
                    "%(file)s removed by %(user)s.",
                    file=source.name,
                    user=self.env.user.name,
                ),
                source.project_id,
            )
        self.unlink()
        return {"type": "ir.actions.client", "tag": "soft_reload"}
