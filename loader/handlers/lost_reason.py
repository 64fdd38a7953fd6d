"""Lost reasons: one crm.lost.reason per name, any case."""

from ...engine.match import norm_text
from .base import RecordHandler


class LostReasonHandler(RecordHandler):
    target = "lost_reason"

    def resolve(self, omap, prepared):
        existing = self.cache.named_ids("crm.lost.reason", [])
        for prep in self.ready(prepared):
            name = prep.record.values["name"]
            prep.vals = {"name": name}
            self.declared_values(prep, prep.record.values)  # its pipeline
            prep.dedupe = norm_text(name)
            if prep.dedupe in existing:
                self.resolver.link_existing(prep, "lost_reason", existing[prep.dedupe])
