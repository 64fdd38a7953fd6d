import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.export import write_xlsx
from ..loader.read_back import filled_sql, read_back, with_columns
from .migration_target_field import target_selection

_logger = logging.getLogger(__name__)

# a difference above this many percentage points is highlighted
FLAG_THRESHOLD = 0.5
# characters that make a source value empty (as the loader reads it)
BLANKS = " \t\r\n\xa0"
# virtual target fields (resolved by the loader) -> the Odoo fields that hold
# them; a record counts as filled when any of these has a value
VIRTUAL_FIELDS = {
    "first_name": ("name",),
    "last_name": ("name",),
    "company_name": ("parent_id", "company_name"),
    "parent_ref": ("parent_id",),
    "company_ref": ("partner_id",),
    "contact_ref": ("partner_id",),
    "create_date": ("create_date",),
    "write_date": ("write_date",),
    "status": ("stage_id", "active"),
    "partner_email": ("partner_id",),
    "date_won": ("date_closed",),
    "date_lost": ("date_closed",),
}


def run_rows_sql(run, omap):
    """The ids of the staging rows of ``omap`` that ``run`` read: its own rows,
    and those its ledger or review items point to (a query to select from)."""
    return SQL(
        """
        SELECT id FROM migration_staging_row
         WHERE source_id = %(source)s AND last_run_id = %(run)s
        UNION
        SELECT staging_row_id FROM migration_ledger
         WHERE run_id = %(run)s AND object_map_id = %(omap)s
           AND staging_row_id IS NOT NULL
        UNION
        SELECT staging_row_id FROM migration_review
         WHERE run_id = %(run)s AND object_map_id = %(omap)s
           AND staging_row_id IS NOT NULL
        """,
        source=omap.source_id.id or 0,
        run=run.id,
        omap=omap.id,
    )


FILL_RATE_COLUMNS = (
    "object",
    "target",
    "column",
    "field",
    "source rows",
    "source filled",
    "source %",
    "Odoo records",
    "Odoo filled",
    "Odoo %",
    "difference (pp)",
    "flagged",
)
REVIEW_COLUMNS = ("kind", "file", "line", "column", "value", "reason", "state")


class MigrationFillRate(models.Model):
    """Share of rows with a value, per mapped column, in the source rows a run
    read and in the Odoo records it wrote: a value lost on the way shows as a
    difference."""

    _name = "migration.fill.rate"
    _description = "Migration Fill Rate"
    _order = "run_id desc, run_line_id, id"
    _rec_name = "column"

    run_id = fields.Many2one(
        "migration.run", required=True, ondelete="cascade", index=True
    )
    run_line_id = fields.Many2one(
        "migration.run.line", string="Object counts", ondelete="cascade", index=True
    )
    project_id = fields.Many2one(related="run_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    object_map_id = fields.Many2one("migration.object.map", ondelete="set null")
    object_name = fields.Char(string="Source object")
    target = fields.Selection(selection=lambda self: target_selection())
    column = fields.Char(string="Source column", required=True)
    field_name = fields.Char(string="Odoo field")
    source_rows = fields.Integer(help="Source rows the run read for this object.")
    source_filled = fields.Integer(help="Rows with a value in this column.")
    source_rate = fields.Float(
        string="Source %",
        compute="_compute_rates",
        store=True,
        digits=(5, 2),
        aggregator="avg",
    )
    odoo_records = fields.Integer(
        string="Odoo records", help="Odoo records the run wrote or found unchanged."
    )
    odoo_filled = fields.Integer(help="Records with a value in the field.")
    odoo_rate = fields.Float(
        string="Odoo %",
        compute="_compute_rates",
        store=True,
        digits=(5, 2),
        aggregator="avg",
    )
    difference = fields.Float(
        compute="_compute_rates",
        store=True,
        digits=(5, 2),
        aggregator="avg",
        help="Odoo % minus source %, in percentage points.",
    )
    flagged = fields.Boolean(
        compute="_compute_rates",
        store=True,
        help="The fill rates differ by more than half a percentage point.",
    )

    @api.depends("source_rows", "source_filled", "odoo_records", "odoo_filled")
    def _compute_rates(self):
        for rate in self:
            source = (
                100.0 * rate.source_filled / rate.source_rows
                if rate.source_rows
                else 0.0
            )
            odoo = (
                100.0 * rate.odoo_filled / rate.odoo_records
                if rate.odoo_records
                else 0.0
            )
            rate.source_rate = round(source, 2)
            rate.odoo_rate = round(odoo, 2)
            rate.difference = round(odoo - source, 2)
            rate.flagged = abs(odoo - source) > FLAG_THRESHOLD

    # ------------------------------------------------------------------ build
    @api.model
    def _build_for_run(self, run):
        """Fill rates of a finished run (called by ``migration.run._execute``).

        A failure here is logged on the run and does not undo what it loaded.
        """
        run.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._compute_for_run(run)
        except Exception as exc:  # noqa: BLE001 - the run itself is done
            _logger.exception("fill rates of migration run %s failed", run.id)
            run._log(
                self.env._("Fill rates could not be computed: %(error)s", error=exc)
            )
            return self.browse()

    @api.model
    def _compute_for_run(self, run):
        """(Re)compute the fill rates of every object ``run`` loaded."""
        run.ensure_one()
        self.env.flush_all()
        vals_list = []
        for line in run.line_ids.sorted("sequence"):
            omap = line.object_map_id
            if not omap or not omap.model_name:
                continue
            fmaps = omap.field_map_ids.filtered(
                lambda f: (
                    (f.action == "map" and f.target_field_id)
                    or (f.action == "create" and f.new_field_name)
                )
            ).sorted(lambda f: (f.sequence, f.id))
            columns = [(fmap, self._odoo_fields(fmap)) for fmap in fmaps]
            columns = [(fmap, names) for fmap, names in columns if names]
            if not columns:
                continue
            rows, source_filled = self._source_fill(
                run, omap, [fmap.column for fmap, _names in columns]
            )
            records, odoo_filled = self._odoo_fill(
                run, omap, [names for _fmap, names in columns]
            )
            for (fmap, _names), s_filled, o_filled in zip(
                columns, source_filled, odoo_filled, strict=True
            ):
                vals_list.append(
                    {
                        "run_id": run.id,
                        "run_line_id": line.id,
                        "object_map_id": omap.id,
                        "object_name": line.object_name,
                        "target": line.target,
                        "column": fmap.column,
                        "field_name": fmap.new_field_name
                        if fmap.action == "create"
                        else fmap.target_field_id.name,
                        "source_rows": rows,
                        "source_filled": s_filled,
                        "odoo_records": records,
                        "odoo_filled": o_filled,
                    }
                )
        # sudo: fill rates are computed by the run, not entered by people; a
        # Migration User (read only on them) records them when running a sample
        existing = self.sudo().search([("run_id", "=", run.id)])
        existing.unlink()
        return self.sudo().create(vals_list).sudo(False)

    def _odoo_fields(self, fmap):
        """Names of the Odoo fields that hold a column's value: () to skip it."""
        if fmap.action == "create":
            return (fmap.new_field_name,)
        name = fmap.target_field_id.name
        if fmap.target_field_id.virtual or name in VIRTUAL_FIELDS:
            return VIRTUAL_FIELDS.get(name, ())
        return (name,)

    def _source_fill(self, run, omap, columns):
        """(rows, [rows with a value per column]) over the staging rows the run
        read: its own rows, and those its ledger or review items point to."""
        counts = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE btrim(r.data->>%s, %s) <> '')",
                column,
                BLANKS,
            )
            for column in columns
        )
        self.env.cr.execute(
            SQL(
                """
                WITH ids AS (%(ids)s)
                SELECT count(*), %(counts)s
                  FROM migration_staging_row r JOIN ids ON ids.id = r.id
                """,
                ids=run_rows_sql(run, omap),
                counts=counts,
            )
        )
        total, *filled = self.env.cr.fetchone()
        return total, filled

    def _run_records_sql(self, run, omap):
        """The ids (``res_id``) of the Odoo records behind the run's rows of
        ``omap``: those its ledger points to, and, for rows it found unchanged
        (no ledger row of their own), the record an earlier run's ledger gave
        their source key (a query to select from; deleted records included)."""
        Ledger = self.env["migration.ledger"]
        alive = (
            SQL("AND NOT coalesce(l.rolled_back, false)")
            if "rolled_back" in Ledger._fields
            else SQL()
        )
        return SQL(
            """
            WITH unchanged AS (
                SELECT r.id, r.source_key FROM migration_staging_row r
                 WHERE r.source_id = %(source)s AND r.last_run_id = %(run)s
                   AND r.state IN ('loaded', 'merged')
                   AND NOT EXISTS (
                       SELECT 1 FROM migration_ledger own
                        WHERE own.run_id = %(run)s AND own.staging_row_id = r.id)
            )
            SELECT res_id FROM migration_ledger
             WHERE run_id = %(run)s AND object_map_id = %(omap)s
               AND res_model = %(model)s
            UNION
            SELECT l.res_id
              FROM unchanged r
              JOIN migration_ledger l
                ON l.project_id = %(project)s AND l.target = %(target)s
               AND l.source_key = r.source_key AND l.res_model = %(model)s
             WHERE l.run_id <= %(run)s %(alive)s
            UNION
            SELECT l.res_id
              FROM unchanged r
              JOIN migration_ledger l
                ON l.staging_row_id = r.id AND l.res_model = %(model)s
             WHERE l.run_id <= %(run)s %(alive)s
            """,
            run=run.id,
            omap=omap.id,
            model=omap.model_name,
            project=run.project_id.id,
            target=omap.target,
            source=omap.source_id.id or 0,
            alive=alive,
        )

    def _odoo_fill(self, run, omap, field_groups):
        """(records behind the run's rows that still exist, [records with a
        value in any field of the group, per group of Odoo field names]):
        counted in SQL, one query for the object (COUNT ... FILTER per group);
        a field SQL cannot read as the ORM does (translated, not stored...)
        is read back by page (loader/read_back.py) and counted here."""
        model = self.env[omap.model_name]
        known = with_columns(
            self.env,
            model,
            {n for group in field_groups for n in group if n in model._fields},
        )
        groups = [[n for n in group if n in known] for group in field_groups]
        terms = []
        for group in groups:
            tests = [filled_sql(model._fields[n], "t") for n in group]
            terms.append(
                SQL("(%s)", SQL(" OR ").join(tests))
                if tests and None not in tests
                else None
            )
        counts = SQL(", ").join(
            SQL("count(*) FILTER (WHERE %s)", term or SQL("false")) for term in terms
        )
        self.env.cr.execute(
            SQL(
                """
                WITH recs AS (%(recs)s)
                SELECT count(*), %(counts)s
                  FROM %(table)s t JOIN recs ON recs.res_id = t.id
                """,
                recs=self._run_records_sql(run, omap),
                table=SQL.identifier(model._table),
                counts=counts,
            )
        )
        total, *filled = self.env.cr.fetchone()
        slow = [idx for idx, term in enumerate(terms) if term is None and groups[idx]]
        if slow and total:
            names = {n for idx in slow for n in groups[idx]}
            self.env.cr.execute(self._run_records_sql(run, omap))
            ids = [res_id for (res_id,) in self.env.cr.fetchall()]
            for values in read_back(self.env, omap.model_name, names, ids).values():
                for idx in slow:
                    filled[idx] += any(
                        self._is_filled(values.get(n)) for n in groups[idx]
                    )
        return total, filled

    @staticmethod
    def _is_filled(value):
        if isinstance(value, str):
            return bool(value.strip())
        return bool(value)

    # ----------------------------------------------------------------- export
    @api.model
    def _reconciliation_xlsx(self, run):
        """Bytes of the run's reconciliation workbook: counts per object, fill
        rates and review items."""
        run.ensure_one()
        columns = list(run.RECONCILIATION_COLUMNS)
        counts = [
            [row[column] for column in columns] for row in run._reconciliation_rows()
        ]
        rates = [
            [
                rate.object_name or "",
                rate.target or "",
                rate.column,
                rate.field_name or "",
                rate.source_rows,
                rate.source_filled,
                round(rate.source_rate / 100.0, 4),
                rate.odoo_records,
                rate.odoo_filled,
                round(rate.odoo_rate / 100.0, 4),
                rate.difference,
                rate.flagged,
            ]
            for rate in self.search([("run_id", "=", run.id)])
        ]
        reviews = [
            [
                item.kind,
                item.file_name or "",
                item.line,
                item.column or "",
                item.value or "",
                item.reason,
                item.state,
            ]
            for item in run.review_ids.sorted("id")
        ]
        return write_xlsx(
            {
                "Reconciliation": (columns, counts),
                "Fill rates": (
                    list(FILL_RATE_COLUMNS),
                    rates,
                    {
                        "formats": {"source %": "0.00%", "Odoo %": "0.00%"},
                        "highlight": "flagged",
                    },
                ),
                "Review": (list(REVIEW_COLUMNS), reviews),
            }
        )

    @api.model
    def _export_reconciliation(self, run):
        """Store the workbook as an attachment of the run; an action downloads it."""
        run.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"reconciliation-run-{run.id}.xlsx",
                "raw": self._reconciliation_xlsx(run),
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
                "res_model": run._name,
                "res_id": run.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
