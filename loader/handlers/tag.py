"""Campaigns: one crm.tag per name, any case."""

from ...engine.match import norm_text
from .base import RecordHandler


class TagHandler(RecordHandler):
    target = "tag"

    def resolve(self, omap, prepared):
        existing = self.cache.named_ids("crm.tag", [])
        for prep in self.ready(prepared):
            name = prep.record.values["name"]
            prep.vals = {"name": name}
            prep.dedupe = norm_text(name)
            if prep.dedupe in existing:
                self.resolver.link_existing(prep, "tag", existing[prep.dedupe])
