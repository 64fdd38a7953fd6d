"""Quotation and order lines: sale.order.line on the order the source names
(by the id column of its own object: a quote's or an order's), for the product
found by source id, code or name, with the source's quantity, unit price and
discount and no taxes (the source's totals are untaxed). A line whose order or
product is unknown is held for review; once the lines are written, each order's
untaxed total is compared with the source's and a difference is reviewed."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from odoo import _
from odoo.fields import Command
from odoo.tools import SQL

from ...engine import records
from ...engine.core import targets
from ...engine.match import norm_text
from ..common import issue
from .base import RecordHandler
from .product import code_key

# sequence room of one section of an order (its header, then its lines)
SECTION_STEP = 1000


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
        self.complete([p for p, _r in created], self.after_lines, created)

    def post_write(self, omap, updated):
        rows = [(p, r) for p, r, _b in updated]
        self.complete([p for p, _r in rows], self.after_lines, rows)

    def after_lines(self, written):
        self.check_numbers(written)
        self.sections(written)
        self.discounts(written)
        self.check_totals(written)

    def discounts(self, written):
        """Each touched order's own discount line, made again now that its
        lines are written (see :func:`apply_discount`)."""
        for order in {line.order_id for _p, line in written}:
            entry = self.order_entry(order)
            record = entry and self.order_record(entry)
            apply_discount(order, record and record.values.get("discount"))

    def check_numbers(self, written):
        """A line's copy of its order's number is the number of the order its
        id found: else the line is reviewed (a file of lines out of step)."""
        for prep, line in written:
            number = prep.record.values.get("order_number")
            ref = line.order_id.client_order_ref
            if number and ref and str(number).strip() != str(ref).strip():
                prep.issues.append(
                    issue(
                        "invalid_value",
                        prep.record.columns.get("order_number"),
                        number,
                        _(
                            "The line names quotation number %(number)s, but its "
                            "quotation %(ref)s was found by id: check the line.",
                            number=number,
                            ref=ref,
                        ),
                    )
                )

    def sections(self, written):
        """The sections of an order with more than one: a section line
        (display_type line_section) named after each, its lines after it, in
        the source's order. An order in one section needs none."""
        by_order = {}
        for prep, line in written:
            section = prep.record.values.get("section")
            if section:
                name = self.section_name(section)
                groups = by_order.setdefault(line.order_id, {})
                groups[name] = groups.get(name, line.browse()) | line
        for order, groups in by_order.items():
            headers = order.order_line.filtered(
                lambda sl: sl.display_type == "line_section"
            ).sorted("sequence")
            if len(groups) < 2 and not headers:
                continue
            known = {h.name: h for h in headers}
            ordered = list(known) + [n for n in groups if n not in known]
            for name, lines in groups.items():
                base = (ordered.index(name) + 1) * SECTION_STEP
                header = known.get(name) or self.env["sale.order.line"].create(
                    {"order_id": order.id, "display_type": "line_section",
                     "name": name, "product_uom_qty": 0}
                )  # fmt: skip
                header.sequence = base
                placed = order.order_line.filtered(
                    lambda sl, b=base: b < sl.sequence < b + SECTION_STEP
                )
                for offset, line in enumerate(lines, start=len(placed - lines) + 1):
                    line.sequence = base + offset

    def section_name(self, section):
        """A section line's name: the source's title, or 'Section N' for a code."""
        text = str(section).strip()
        return _("Section %(code)s", code=text) if text.isdigit() else text

    def check_totals(self, written):
        """Each touched order's untaxed total against the source's own: a
        difference is reviewed on the order's row, naming both totals."""
        for order in {line.order_id for _p, line in written}:
            entry = self.order_entry(order)
            record = entry and self.order_record(entry)
            given = record and record.values["amount"]
            if given is None or given is False:
                continue
            if order.currency_id.compare_amounts(order.amount_untaxed, given) == 0:
                continue
            reason = _(
                "%(order)s totals %(odoo).2f in Odoo but %(given).2f in the source: "
                "check its lines.",
                order=order.display_name,
                odoo=order.amount_untaxed,
                given=given,
            )
            halves, gap = rounding_gap(order)
            places = order.currency_id.decimal_places
            if halves and round(order.amount_untaxed - given, places) == gap:
                reason += " " + _(
                    "%(count)s of its lines come to a half cent, which Odoo's "
                    "currency rounding takes up and the source rounded to the even "
                    "cent (%(gap)s in all, the whole difference): the prices and "
                    "discounts are the source's.",
                    count=halves,
                    gap=f"{gap:.{places}f}",
                )
            self.review_order(
                entry, record.columns.get("amount") or "Amount", f"{given:.2f}", reason
            )

    def review_order(self, entry, column, value, reason):
        """A review item on the order's own row (once)."""
        vals = {
            "project_id": self.project.id,
            "run_id": entry.run_id.id,
            "source_id": entry.object_map_id.source_id.id,
            "object_map_id": entry.object_map_id.id,
            "staging_row_id": entry.staging_row_id.id,
            "line": entry.staging_row_id.line,
            "kind": "invalid_value",
            "column": column,
            "value": value,
            "reason": reason,
            "res_model": "sale.order",
            "res_id": entry.res_id,
        }
        Review = self.env["migration.review"]
        known = [
            (k, "=", vals[k]) for k in ("staging_row_id", "kind", "column", "value")
        ]
        if not Review.search_count(known):
            Review.create(vals)

    def order_entry(self, order):
        return self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("staging_row_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        )

    def order_record(self, entry):
        """The order's row converted again, as the run did."""
        try:
            return records.convert(
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


def apply_discount(order, discount):
    """The order's own discount on its lines (a source's ``Discount``:
    ``(kind, value)`` or None), as Odoo's sale writes one: its Discount
    wizard's global discount line (``percent`` of the lines) or fixed
    ``amount`` line, after every section and line. A discount line made
    before is replaced, so a line is never there twice."""
    product = order.company_id.sale_discount_product_id
    if product:
        order.order_line.filtered(lambda sl: sl.product_id == product).unlink()
    lines = order.order_line.filtered(lambda sl: not sl.display_type)
    if not discount or not lines:
        return
    kind, value = discount
    wizard = order.env["sale.order.discount"].create(
        {
            "sale_order_id": order.id,
            "discount_type": "so_discount" if kind == "percent" else "amount",
            "discount_percentage": value / 100 if kind == "percent" else 0.0,
            "discount_amount": value if kind == "amount" else 0.0,
        }
    )
    wizard.action_apply_discount()
    product = order.company_id.sale_discount_product_id
    made = order.order_line.filtered(lambda sl: sl.product_id == product)
    last = max((order.order_line - made).mapped("sequence"), default=0)
    made.sequence = last + 1


def rounding_gap(order):
    """``(lines, amount)``: the product lines of ``order`` whose amount comes to
    exactly half a cent, which Odoo's currency rounding (``float_round``,
    half up) and a source rounding to the even cent (.NET's default) round
    apart, and what that adds to Odoo's total."""
    step = Decimal(1).scaleb(-order.currency_id.decimal_places)
    count, gap = 0, Decimal(0)
    for line in order.order_line.filtered(lambda sl: not sl.display_type):
        raw = Decimal(str(line.product_uom_qty)) * Decimal(str(line.price_unit))
        raw *= 1 - Decimal(str(line.discount)) / 100
        up = raw.quantize(step, ROUND_HALF_UP)
        even = raw.quantize(step, ROUND_HALF_EVEN)
        if up != even:
            count += 1
            gap += up - even
    return count, float(gap)
