"""Product categories: product.category under its parent (found or made by
name, as the source's families), one per complete name."""

from ...engine.match import norm_text
from .base import RecordHandler


def complete_key(record):
    return norm_text(record.complete_name)


class ProductCategoryHandler(RecordHandler):
    target = "product_category"

    def resolve(self, omap, prepared):
        existing = self.cache.named_ids("product.category", [], complete_key)
        for prep in self.ready(prepared):
            values = prep.record.values
            prep.vals = {"name": values["name"]}
            if values["parent"]:
                prep.vals["parent_id"] = self.parent_id(values["parent"], existing)
            prep.dedupe = norm_text(values["complete_name"])
            if prep.dedupe in existing:
                self.resolver.link_existing(
                    prep, "product_category", existing[prep.dedupe]
                )

    def parent_id(self, name, existing):
        """A top category of that name, made once a run when Odoo has none
        (the source's product families are only names on their groups)."""
        key = norm_text(name)
        if key not in existing:
            parent = self.writer.model("product.category").create({"name": name})
            self.cache.auto_created.append(parent)
            existing[key] = parent.id
        return existing[key]

    def remember(self, prep, record):
        existing = self.cache.named_ids("product.category", [], complete_key)
        existing.setdefault(complete_key(record), record.id)
