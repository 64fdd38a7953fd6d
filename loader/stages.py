"""Stages inferred from the deals (engine.convert.stage_order), made before the
deals load, for a source that exports no pipeline configuration: one crm.stage
per pipeline (crm.team) and stage name, as its migration.stage.proposal says
(proposed in the order the deals' probabilities give, won stages after the open
ones, lost last; reordered and flagged by the consultant before the run). A
stage value a person mapped to an existing stage is that stage; the run's
ledger removes what it made."""

from odoo import _

from ..engine.convert.stage_order import deal_facts, infer_stages
from ..engine.match import norm_text
from .select import source_rows


def stage_columns(omap):
    """The columns a deals object map reads its pipeline, stage, probability
    and status from (None where no column is mapped)."""
    return {
        fname: (omap._columns_for(fname) or [None])[0]
        for fname in ("team_id", "stage_id", "probability", "status")
    }


def inferred_stages(env, omap, columns=None):
    """The stages the rows of ``omap`` imply (engine.convert.stage_order)."""
    columns = columns or stage_columns(omap)
    if not columns["stage_id"]:
        return []
    rows = source_rows(env, omap.source_id.id)
    return infer_stages(deal_facts(row.data or {}, columns) for row in rows)


class StageInference:
    """Stages of one deals object map, once a run."""

    def __init__(self, env, cache, resolver):
        self.env = env
        self.cache = cache
        self.resolver = resolver

    def ensure(self, omap):
        if omap.id in self.cache.inferred_stages:
            return
        self.cache.inferred_stages.add(omap.id)
        columns = stage_columns(omap)
        if not columns["stage_id"]:
            return
        fmaps = {
            fname: omap.field_map_ids.filtered(lambda f, c=col: f.column == c)[:1]
            for fname, col in columns.items()
        }
        # the stages as the consultant left them (order, won, folded), the
        # ones the rows name for the first time as inferred
        for stage in self.env["migration.stage.proposal"]._sync(omap):
            self._make(stage, fmaps)

    def _make(self, stage, fmaps):
        """A crm.stage of a proposal (migration.stage.proposal)."""
        vmap = self.cache.value_maps.get((fmaps["stage_id"].id, stage.name))
        if vmap and (vmap.target_id or not vmap.create_new):
            return  # a person mapped it to one of Odoo's, or said not to create it
        # made by an earlier batch; else claimed (a parallel batch may be
        # making the same stage: one of them waits, then tries again)
        made = stage.stage_id.exists() or stage._claim_stage()
        if made and stage.stage_id != made:
            stage.stage_id = made  # made for another file of the project
        if made:
            self.cache.names_of("crm.stage").setdefault(norm_text(made.name), made.id)
            return
        team_id = False
        if stage.pipeline and fmaps["team_id"]:
            team_id = self.resolver.value_map_id(
                fmaps["team_id"], stage.pipeline
            ) or self.resolver.name_id(
                "crm.team", fmaps["team_id"], stage.pipeline, create=True
            )
        Stage = self.env["crm.stage"]
        found = Stage.search(
            [("team_id", "=", team_id), ("name", "=ilike", stage.name)], limit=1
        )
        if found:
            stage.stage_id = found
            return
        vals = {
            "name": stage.name,
            "team_id": team_id,
            "sequence": stage.sequence,
            "is_won": stage.is_won,
            "fold": stage.fold,
        }
        if stage.open_count:
            # Odoo 18 stages have no probability: keep the deals' for people
            vals["requirements"] = _(
                "Inferred from the deals: mean win probability of its open deals "
                "%(probability)s%%.",
                probability=f"{stage.probability:g}",
            )
        record = self.resolver.create_value("crm.stage", vals)
        stage.stage_id = record
        self.cache.names_of("crm.stage").setdefault(norm_text(stage.name), record.id)
