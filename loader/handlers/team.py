"""Pipelines: crm.team, linked to a team of the same name already in Odoo."""

from ...engine.match import norm_text
from .base import RecordHandler


class TeamHandler(RecordHandler):
    target = "team"

    def resolve(self, omap, prepared):
        existing = self.cache.named_ids("crm.team", [])
        for prep in self.ready(prepared):
            name = prep.record.values["name"]
            prep.vals = {"name": name, "company_id": self.project.company_id.id}
            for fname in ("sequence", "active"):
                if prep.record.values.get(fname) is not None:
                    prep.vals[fname] = prep.record.values[fname]
                    prep.create_only.add(fname)  # an existing team keeps its own
            prep.defaults.add("company_id")
            prep.dedupe = norm_text(name)
            if prep.dedupe in existing:
                # a team of that name is in Odoo already: the pipeline is it
                self.resolver.link_existing(prep, "team", existing[prep.dedupe])
