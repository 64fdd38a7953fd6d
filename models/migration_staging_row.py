from odoo import fields, models
from odoo.tools import SQL

# Each run rewrites every row it loads once (loader.book.row_states: state,
# key, runs), in the batch's transaction. Half of each page is left free when
# a row is staged, so the row's new version fits on its own page: a HOT
# update, which writes none of the table's indexes (none of them indexes a
# column the run writes). After a run the table is as large as it would be
# packed full: every row rewritten elsewhere leaves its old version behind.
FILLFACTOR = 50


class MigrationStagingRow(models.Model):
    """A raw source row, kept as read (jsonb). Inserted in bulk by
    migration.source._stage(), never one ORM create per row."""

    _name = "migration.staging.row"
    _description = "Migration Staging Row"
    _order = "source_id, line"
    _rec_name = "line"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    source_id = fields.Many2one(
        "migration.source", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", index=True)
    # neither indexed: no query looks rows up by them (a source's rows are
    # read by source_id, a re-upload compares each row's hash in Python), and
    # each index is written by every row staged (TestBookIndexes)
    object_name = fields.Char()
    line = fields.Integer(help="Line of the file where the record starts (header = 1).")
    data = fields.Json()
    row_hash = fields.Char()
    # not indexed (nor is state): a run writes them (HOT updates, FILLFACTOR);
    # every query reading rows by either names their source or ids (indexed)
    source_key = fields.Char()
    source_write_date = fields.Datetime(
        string="Updated at source",
        help="The source's own last-update date of the row, if mapped.",
    )
    state = fields.Selection(
        [
            ("staged", "Staged"),
            ("loaded", "Loaded"),
            ("merged", "Merged"),
            ("skipped", "Skipped"),
            ("review", "In review"),
            ("removed", "Removed at source"),
        ],
        default="staged",
    )
    first_run_id = fields.Many2one("migration.run", ondelete="set null")
    last_run_id = fields.Many2one("migration.run", ondelete="set null")
    # What the loader's conversion of a converted object's row read, booked in
    # the batch's transaction (loader/leftovers.py): the run's cell check reads
    # it instead of converting the row again, in whichever process (a queue_job
    # worker, a resumed run) it runs. A plain id: the book of a deleted run is
    # never read (read_setup must match too).
    read_run_id = fields.Integer(readonly=True, copy=False)
    read_setup = fields.Char(
        readonly=True, copy=False, help="The conversion's settings when booked."
    )
    read_unread = fields.Json(
        readonly=True, copy=False, help="Non-empty columns no rule read."
    )
    read_homes = fields.Json(
        readonly=True, copy=False, help="{column: [field, value]} the rule wrote."
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                "SELECT reloptions FROM pg_class WHERE oid = %s::regclass",
                self._table,
            )
        )
        if f"fillfactor={FILLFACTOR}" not in (self.env.cr.fetchone()[0] or ()):
            # rows staged from now on (staged rows keep their place)
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s SET (fillfactor = %s)",
                    SQL.identifier(self._table),
                    FILLFACTOR,
                )
            )
