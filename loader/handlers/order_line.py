"""Quotation and order lines: sale.order.line on the order the source names
(by the id column of its own object: a quote's or an order's), for the product
found by source id, code or name, with the source's quantity, unit price and
discount and no taxes (the source's totals are untaxed). A line whose order or
product is unknown is held for review; once the lines are written, each order's
untaxed total is compared with the source's and a difference is reviewed."""

from odoo import _
from odoo.fields import Command
from odoo.tools import SQL

from ...engine import records
from ...engine.core import targets
from ...engine.match import norm_text
from ..common import issue
from .base import RecordHandler
from .product import code_key

TOTAL_TOLERANCE = 0.01


class OrderLineHandler(RecordHandler):
    target = "order_line"

    def resolve(self, omap, prepared):
        ready = self.ready(prepared)
        orders = self.orders(ready)
        for prep in ready:
            values = prep.record.values
            ref = str(values["order_ref"]).strip()
            order_id = orders.get((values["order_column"], ref))
            if not order_id:
                prep.held = issue(
                    "orphan",
                    values["order_column"],
                    values["order_ref"],
                    _(
                        "The line's quotation or order %(ref)s was not migrated.",
                        ref=values["order_ref"],
                    ),
                )
                continue
            product_id = self.product(values)
            if not product_id:
                prep.held = issue(
                    "invalid_value",
                    "Product ID" if values["product_ref"] else "Product Name",
                    values["product_ref"]
                    or values["product_code"]
                    or values["product_name"],
                    _(
                        "Unknown product %(name)s (not among the migrated products): "
                        "the line is not on its quotation.",
                        name=values["product_name"] or values["product_ref"],
                    ),
                )
                continue
            prep.vals = {
                "order_id": order_id,
                "product_id": product_id,
                "product_uom_qty": values["quantity"],
                "price_unit": values["price_unit"],
                "discount": values["discount"],
                "tax_id": [Command.clear()],
            }
            if values["product_name"]:
                prep.vals["name"] = values["product_name"]

    def orders(self, ready):
        """{(id column, source id): sale.order id} of the batch's orders, from
        the ledger of the object whose key is that column (a quote's and an
        order's ids are keys of their own object, see targets.id_key)."""
        omaps = {
            m.key_column: m
            for m in self.project.object_map_ids
            if m.target == "order" and m.key_rule == "column" and m.key_column
        }
        wanted = {}
        for prep in ready:
            column = prep.record.values["order_column"]
            ref = str(prep.record.values["order_ref"]).strip()
            if column in omaps:
                key = targets.id_key("order", ref, omaps[column]._key_object())
                wanted[key] = (column, ref)
        if not wanted:
            return {}
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT l.source_key, l.res_id FROM migration_ledger l "
                "WHERE l.project_id = %s AND l.target = 'order' "
                "AND l.res_model = 'sale.order' AND NOT coalesce(l.rolled_back, false) "
                "AND l.operation IN ('create', 'update', 'link', 'merge') "
                "AND l.source_key = ANY(%s) ORDER BY l.id",
                self.project.id,
                list(wanted),
            )
        )
        found = {wanted[key]: res_id for key, res_id in self.env.cr.fetchall()}
        alive = set(self.env["sale.order"].browse(set(found.values())).exists().ids)
        return {k: v for k, v in found.items() if v in alive}

    def product(self, values):
        product_id = self.cache.key_res("product", values["product_ref"])
        if product_id:
            return product_id
        if values["product_ref"]:
            return None  # an id the products did not have: never guessed by name
        if values["product_code"]:
            codes = self.cache.named_ids(
                "product.product", [("default_code", "!=", False)], code_key
            )
            found = codes.get(values["product_code"].strip().upper())
            if found:
                return found
        if values["product_name"]:
            return self.cache.named_ids("product.product", []).get(
                norm_text(values["product_name"])
            )
        return None

    def post_create(self, omap, created):
        self.complete([p for p, _r in created], self.check_totals, created)

    def post_write(self, omap, updated):
        rows = [(p, r) for p, r, _b in updated]
        self.complete([p for p, _r in rows], self.check_totals, rows)

    def check_totals(self, written):
        """Each touched order's untaxed total against the source's own."""
        first = {}
        for prep, line in written:
            first.setdefault(line.order_id.id, prep)
        for order in self.env["sale.order"].browse(list(first)):
            source = self.source_total(order)
            if source is None:
                continue
            if abs(order.amount_untaxed - source) > TOTAL_TOLERANCE:
                first[order.id].issues.append(
                    issue(
                        "invalid_value",
                        "Total",
                        f"{source:.2f}",
                        _(
                            "%(order)s totals %(odoo).2f in Odoo but %(given).2f in "
                            "the source: check its lines.",
                            order=order.display_name,
                            odoo=order.amount_untaxed,
                            given=source,
                        ),
                    )
                )

    def source_total(self, order):
        """The source's untaxed total of the order (its row, read again)."""
        entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("staging_row_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        )
        if not entry:
            return None
        try:
            record = records.convert(
                "order",
                entry.staging_row_id.data or {},
                self.project.system,
                self.project.source_tz or "UTC",
                # read through the order file's column choice, as the run did
                columns=entry.object_map_id
                and self.env["migration.converter.column"]._binding(
                    entry.object_map_id
                ),
            )
        except records.RowError:
            return None
        return record.values["amount"]
