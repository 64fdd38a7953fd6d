"""Stages inferred from the deals (engine.convert.stage_order), made before the
deals load, for a source that exports no pipeline configuration: one crm.stage
per pipeline (crm.team) and stage name, in the order the deals' probabilities
give, won stages after the open ones, lost last. A stage value a person mapped
to an existing stage is that stage; the run's ledger removes what it made."""

from odoo import _

from ..engine import transform as tf
from ..engine.convert.stage_order import infer_stages
from ..engine.match import norm_text


class StageInference:
    """Stages of one deals object map, once a run."""

    def __init__(self, env, cache, resolver):
        self.env = env
        self.cache = cache
        self.resolver = resolver

    def ensure(self, omap):
        done = self.cache.names.setdefault("_inferred_stages", {})
        if omap.id in done:
            return
        done[omap.id] = True
        columns = {
            fname: (omap._columns_for(fname) or [None])[0]
            for fname in ("team_id", "stage_id", "probability", "status")
        }
        if not columns["stage_id"]:
            return
        rows = self.env["migration.staging.row"].search(
            [("source_id", "=", omap.source_id.id)], order="line, id"
        )
        deals = [self._deal(row.data or {}, columns) for row in rows]
        fmaps = {
            fname: omap.field_map_ids.filtered(lambda f, c=col: f.column == c)[:1]
            for fname, col in columns.items()
        }
        for stage in infer_stages(deals):
            self._make(stage, fmaps)

    @staticmethod
    def _deal(data, columns):
        def cell(fname):
            col = columns[fname]
            return str(data.get(col) or "").strip() if col else ""

        try:
            probability = (
                tf.to_float(cell("probability").rstrip("% "))
                if cell("probability")
                else None
            )
        except ValueError:
            probability = None
        try:
            status = tf.to_lead_status(cell("status")) if cell("status") else "open"
        except ValueError:
            status = "open"
        return {
            "pipeline": cell("team_id"),
            "stage": cell("stage_id"),
            "probability": probability,
            "status": status,
        }

    def _make(self, stage, fmaps):
        if self.resolver.value_map_id(fmaps["stage_id"], stage.name):
            return  # a person mapped this stage to one of Odoo's
        team_id = False
        if stage.pipeline and fmaps["team_id"]:
            team_id = self.resolver.value_map_id(
                fmaps["team_id"], stage.pipeline
            ) or self.resolver.name_id(
                "crm.team", fmaps["team_id"], stage.pipeline, create=True
            )
        Stage = self.env["crm.stage"]
        if Stage.search_count(
            [("team_id", "=", team_id), ("name", "=ilike", stage.name)]
        ):
            return
        vals = {
            "name": stage.name,
            "team_id": team_id,
            "sequence": stage.sequence,
            "is_won": stage.is_won,
            "fold": stage.fold,
        }
        if stage.probability is not None:
            # Odoo 18 stages have no probability: keep the deals' for people
            vals["requirements"] = _(
                "Inferred from the deals: mean win probability of its open deals "
                "%(probability)s%%.",
                probability=f"{stage.probability:g}",
            )
        record = self.resolver.create_value("crm.stage", vals)
        self.cache.names_of("crm.stage").setdefault(norm_text(stage.name), record.id)
