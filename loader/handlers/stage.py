"""Pipeline stages: crm.stage of their pipeline's team (made from the stage
rows when no pipelines file names it), in the source's order; the win
probability kept in the stage's requirements (Odoo 18 stages have none)."""

from odoo import _

from ...engine.match import norm_text
from ..common import issue
from .base import RecordHandler


def team_name_key(record):
    return (record.team_id.id, norm_text(record.name))


class StageHandler(RecordHandler):
    target = "stage"

    def resolve(self, omap, prepared):
        existing = self.cache.named_ids("crm.stage", [], team_name_key)
        for prep in self.ready(prepared):
            values = prep.record.values
            team_id = self._team(values)
            if not team_id and (values["team_ref"] or values["team_name"]):
                prep.held = issue(
                    "missing_parent",
                    "Pipeline Name",
                    values["team_name"] or values["team_ref"],
                    _("The stage's pipeline was not loaded (no such sales team)."),
                )
                continue
            prep.vals = self._stage_vals(values, team_id)
            prep.dedupe = f"{team_id or 0}:{norm_text(values['name'])}"
            hit = existing.get((team_id or False, norm_text(values["name"])))
            if hit:
                self.resolver.link_existing(prep, "stage", hit)

    def _team(self, values):
        team_id = self.resolver.team_id(values["team_ref"], values["team_name"])
        if not team_id and values["team_name"] and not values["team_ref"]:
            # a pipeline named only by its stages' rows ("Sales Pipeline,
            # New Lead"): its sales team is made with its first stage
            team_id = self.resolver.new_team(values["team_name"])
        return team_id

    def _stage_vals(self, values, team_id):
        vals = {
            "name": values["name"],
            "team_id": team_id or False,
            "is_won": values["is_won"],
            "fold": values["fold"],
        }
        if values["sequence"] is not None:
            vals["sequence"] = values["sequence"]
        if values["probability"] is not None:
            # Odoo 18 stages have no probability: keep the source's for people
            vals["requirements"] = _(
                "Win probability in %(system)s: %(probability)s%%",
                system=self.project.system or "source",
                probability=f"{values['probability']:g}",
            )
        return vals
