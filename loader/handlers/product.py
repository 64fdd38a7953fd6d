"""Products: product.product matched by internal reference, with their
cost and their attributes in the source (as text)."""

from odoo import _

from ..common import issue
from .base import RecordHandler


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
            }
            if values.get("standard_price") is not None:
                prep.vals["standard_price"] = values["standard_price"]
            if values.get("attributes"):
                prep.vals["source_attributes"] = values["attributes"]
            if values["recurring"]:
                prep.issues.append(
                    issue(
                        "not_loaded",
                        "Product Type",
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
