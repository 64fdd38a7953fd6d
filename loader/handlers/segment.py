"""Segments: a crm.tag per segment name, given to the leads its rule selects
(a simple "column equals value" rule, evaluated on the recipients' source
rows); a compound rule is kept as JSON in the review queue for a person to
rebuild as a saved filter."""

from odoo import _
from odoo.fields import Command

from ...engine.match import norm_text
from ...engine.segments import SegmentRule, matches
from ..common import issue
from ..select import source_rows
from .base import RecordHandler


class SegmentHandler(RecordHandler):
    target = "segment"

    def resolve(self, omap, prepared):
        existing = self.cache.names_of("crm.tag")
        for prep in self.ready(prepared):
            values = prep.record.values
            prep.vals = {"name": values["name"]}
            prep.dedupe = norm_text(values["name"])
            if values["compound"]:
                prep.issues.append(self._compound(prep.record))
            elif values["column"]:
                prep.after["members"] = self._members(values)
            tag_id = self.cache.keys.get((omap.target, prep.key)) or existing.get(
                prep.dedupe
            )
            if tag_id and prep.dedupe in existing:
                self.resolver.link_existing(prep, omap.target, tag_id)
            if tag_id:
                self._tag_leads(prep, tag_id, prep.after.get("members"))

    def post_create(self, omap, created):
        for prep, tag in created:
            self.cache.names_of("crm.tag")[norm_text(tag.name)] = tag.id
            self._tag_leads(prep, tag.id, prep.after.get("members"))

    def _members(self, values):
        """Ids of the migrated leads whose source row the rule selects (a
        merged duplicate's row selects the lead it was merged into)."""
        rule = SegmentRule(values["rule"] or "", values["column"], values["value"])
        linked = self.cache.linked_keys("lead")
        ids = set()
        lead_maps = self.project.object_map_ids.filtered(
            lambda m: m.target == "lead" and m.source_id
        )
        for omap in lead_maps:
            key_of = omap._key_function()  # the map read once, not per row
            for row in source_rows(self.env, omap.source_id.id):
                data = row.data or {}
                if matches(rule, data):
                    key = key_of(data, row.line)
                    lead_id = self.cache.keys.get(("lead", key)) or linked.get(key)
                    if lead_id:
                        ids.add(lead_id)
        return sorted(ids)

    def _tag_leads(self, prep, tag_id, lead_ids):
        """The tag on the leads that lack it; each addition is booked (a rollback
        removes it, whoever made the lead)."""
        if not lead_ids:
            return
        Lead = self.writer.model("crm.lead").with_context(active_test=False)
        leads = (
            Lead.browse(lead_ids)
            .exists()
            .filtered(lambda lead: tag_id not in lead.tag_ids.ids)
        )
        if leads:
            leads.write({"tag_ids": [Command.link(tag_id)]})
            self.added(prep, leads, "tag_ids", [tag_id])

    def _compound(self, record):
        rule = record.values["rule"]
        return issue(
            "not_loaded",
            record.columns.get("rule"),
            rule,
            _(
                "Segment %(name)s: its rule is compound, so no lead was tagged by "
                "it. Rebuild it in Odoo as a saved filter on leads; the rule as "
                "JSON: %(rule)s",
                name=record.values["name"],
                rule=rule,
            ),
        )
