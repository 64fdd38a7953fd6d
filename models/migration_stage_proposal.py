from odoo import api, fields, models

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

    _sql_constraints = [
        (
            "stage_unique",
            "unique(object_map_id, pipeline, name)",
            "A stage is proposed once per pipeline.",
        )
    ]

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
                proposal = self.create(
                    dict(
                        vals,
                        object_map_id=omap.id,
                        pipeline=stage.pipeline,
                        name=stage.name,
                    )
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
