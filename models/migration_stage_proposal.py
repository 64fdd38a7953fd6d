from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..engine.match import norm_text
from ..loader.stages import inferred_stages

COUNTS = ("probability", "open_count", "won_count", "lost_count")


class MigrationStageProposal(models.Model):
    """A pipeline stage the deals of a source imply (a source that exports no
    pipeline configuration): proposed before the run in the order and with the
    won/folded flags inferred from the deals, edited by the consultant (drag to
    reorder, tick won or folded), then made as a crm.stage by the run exactly
    as the record says."""

    _name = "migration.stage.proposal"
    _description = "Migration Stage Proposal"
    _order = "object_map_id, pipeline, sequence, id"

    object_map_id = fields.Many2one(
        "migration.object.map", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(related="object_map_id.project_id", store=True)
    company_id = fields.Many2one(
        related="object_map_id.company_id", store=True, index=True
    )
    pipeline = fields.Char(readonly=True, help="The pipeline (sales team) it is in.")
    name = fields.Char(
        string="Stage", required=True, readonly=True, help="As the deals name it."
    )
    sequence = fields.Integer(default=10, help="Its place in the pipeline.")
    is_won = fields.Boolean(string="Won", help="Deals in it are won.")
    fold = fields.Boolean(
        string="Folded", help="Folded in the pipeline (closed deals: won or lost)."
    )
    probability = fields.Float(
        readonly=True, help="Mean win probability of its open deals (%)."
    )
    open_count = fields.Integer(string="Open deals", readonly=True)
    won_count = fields.Integer(string="Won deals", readonly=True)
    lost_count = fields.Integer(string="Lost deals", readonly=True)
    stage_id = fields.Many2one(
        "crm.stage",
        string="Odoo stage",
        readonly=True,
        ondelete="set null",
        help="The stage a run made of it, or found of that name (a stage the run "
        "made goes again when the run is rolled back).",
    )

    def init(self):
        # a stage is proposed once per map and pipeline, "no pipeline" included
        # (a plain unique constraint lets NULL pipelines repeat): the key two
        # parallel batches meet on (see _insert_missing)
        self.env.cr.execute(
            SQL(
                "DELETE FROM migration_stage_proposal p USING migration_stage_proposal q "
                "WHERE p.object_map_id = q.object_map_id AND p.name = q.name "
                "AND COALESCE(p.pipeline, '') = COALESCE(q.pipeline, '') AND p.id > q.id"
            )
        )
        tools.create_unique_index(
            self.env.cr,
            "migration_stage_proposal_stage_key_uniq",
            self._table,
            ["object_map_id", "COALESCE(pipeline, '')", "name"],
        )

    @api.model
    def _inferred_values(self, stage):
        """What engine.convert.stage_order infers for ``stage``."""
        return {
            "sequence": stage.sequence,
            "is_won": stage.is_won,
            "fold": stage.fold,
            "probability": stage.probability or 0.0,
            "open_count": stage.deals["open"],
            "won_count": stage.deals["won"],
            "lost_count": stage.deals["lost"],
        }

    @api.model
    def _sync(self, omap, reset=False):
        """The proposals of ``omap`` brought in line with its rows: a stage the
        deals name for the first time is proposed as inferred; one a person
        edited keeps its order and flags (its deal counts follow the rows),
        unless ``reset``; one no deal names any more goes. Returns them."""
        stages = inferred_stages(self.env, omap)
        existing = {
            (norm_text(p.pipeline or ""), norm_text(p.name)): p
            for p in self.search([("object_map_id", "=", omap.id)])
        }
        keep = self.browse()
        for stage in stages:
            vals = self._inferred_values(stage)
            proposal = existing.pop(
                (norm_text(stage.pipeline), norm_text(stage.name)), None
            )
            if proposal is None:
                proposal = self._insert_missing(
                    omap, dict(vals, pipeline=stage.pipeline or None, name=stage.name)
                )
            else:
                fnames = vals if reset else COUNTS
                # only what changed: a run reads them again in every job
                changed = {k: vals[k] for k in fnames if proposal[k] != vals[k]}
                if changed:
                    proposal.write(changed)
            keep |= proposal
        for proposal in existing.values():
            proposal.unlink()
        return keep

    @api.model
    def _insert_missing(self, omap, vals):
        """A proposal the rows name for the first time, idempotent under
        concurrency: two parallel batches of a run (each in its transaction)
        may both find it missing. INSERT ... ON CONFLICT on the stage key makes
        the second wait for the first; once the first commits, PostgreSQL
        raises a serialization failure in the second (repeatable read: the
        row is not in its snapshot), which queue_job retries with a fresh
        snapshot that finds the proposal. Never a duplicate, never a unique
        violation counted as a failed attempt."""
        now = fields.Datetime.now()
        columns = dict(
            vals,
            object_map_id=omap.id,
            project_id=omap.project_id.id,
            company_id=omap.company_id.id or None,
            create_uid=self.env.uid,
            write_uid=self.env.uid,
            create_date=now,
            write_date=now,
        )
        self.check_access("create")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT DO NOTHING RETURNING id",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(SQL("%s", value) for value in columns.values()),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            # the ORM's caches (the map's list of proposals) learn of the row
            omap.invalidate_recordset(["stage_proposal_ids"])
            return self.browse(row[0])
        # in this transaction's snapshot already (made earlier in it)
        return self.search(
            [
                ("object_map_id", "=", omap.id),
                ("pipeline", "=", vals["pipeline"] or False),
                ("name", "=", vals["name"]),
            ],
            limit=1,
        )

    def _claim_stage(self):
        """Lock this proposal, and those of the project's other files that name
        the same stage in the same pipeline (two deal files of one project
        make one stage, as a synchronous run does), in id order; return the
        stage already made of any of them. A parallel batch that made it and
        committed after this transaction began makes the lock raise a
        serialization failure (retried by queue_job, then this returns that
        stage), so one stage name never becomes two stages. The proposals
        exist before the run (made when the maps are proposed)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT stage_id FROM %s WHERE id = %s OR (project_id = %s "
                "AND COALESCE(pipeline, '') = %s AND lower(name) = lower(%s)) "
                "ORDER BY id FOR UPDATE",
                SQL.identifier(self._table),
                self.id,
                self.project_id.id,
                self.pipeline or "",
                self.name,
            )
        )
        made = [row[0] for row in self.env.cr.fetchall() if row[0]]
        return self.env["crm.stage"].browse(made).exists()[:1]
