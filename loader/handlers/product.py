"""Products: product.product matched by internal reference, with their
cost and their attributes in the source (as text)."""

from odoo import _

from ...engine.match import norm_text
from ..common import issue
from .base import RecordHandler
from .product_category import complete_key


def code_key(record):
    return (record.default_code or "").strip().upper()


class ProductHandler(RecordHandler):
    target = "product"

    def resolve(self, omap, prepared):
        codes = self.cache.named_ids(
            "product.product", [("default_code", "!=", False)], code_key
        )
        for prep in self.ready(prepared):
            values = prep.record.values
            prep.vals = {
                "name": values["name"],
                "default_code": values["default_code"] or False,
                "list_price": values["list_price"],
                "description_sale": values["description_sale"] or False,
                "type": values["type"],
                "sale_ok": True,
                "active": values.get("active", True),
            }
            if values.get("standard_price") is not None:
                prep.vals["standard_price"] = values["standard_price"]
            if values.get("category"):
                prep.vals["categ_id"] = self.category_id(values["category"])
            self.declared_values(prep, values)
            if values["recurring"]:
                prep.issues.append(
                    issue(
                        "not_loaded",
                        prep.record.columns.get("recurring") or "Product Type",
                        "recurring",
                        _(
                            "A recurring product: Odoo Community has no subscriptions; "
                            "it was loaded as a product sold once."
                        ),
                    )
                )
            code = (values["default_code"] or "").strip().upper()
            if code:
                prep.dedupe = f"code:{code}"
                if code in codes:
                    self.resolver.link_existing(prep, "product", codes[code])

    def post_create(self, omap, created):
        """The products this batch made, in the run's maps by code and name
        that the lines and links of the same run find them in (read before
        they existed: a line naming its product by SKU was held as unknown)."""
        codes = self.cache.named_ids(
            "product.product", [("default_code", "!=", False)], code_key
        )
        names = self.cache.named_ids("product.product", [])
        for _prep, record in created:
            if code_key(record):
                codes.setdefault(code_key(record), record.id)
            names.setdefault(norm_text(record.name), record.id)

    def category_id(self, complete_name):
        """The category of that complete name ("Software / Licenças"): the
        migrated one, else one made (with its parents) as stages and tags are."""
        categories = self.cache.named_ids("product.category", [], complete_key)
        key = norm_text(complete_name)
        if key not in categories:
            parent_id, path = False, []
            for part in (p.strip() for p in str(complete_name).split("/")):
                path.append(part)
                part_key = norm_text(" / ".join(path))
                if part_key not in categories:
                    made = self.writer.model("product.category").create(
                        {"name": part, "parent_id": parent_id}
                    )
                    self.cache.auto_created.append(made)
                    categories[part_key] = made.id
                parent_id = categories[part_key]
        return categories[key]
