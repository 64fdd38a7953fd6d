"""A number with more decimals than its Odoo field keeps (a price 12.345 in a
field of 2 decimals) is written rounded as Odoo stores it, with one review item
per cell saying so, naming the column: the cell counts as reviewed, and the run
is not failed. A value the field keeps as it is gets no item."""

from unittest.mock import patch

from odoo.tests import tagged

from ..loader.common import Prepared
from ..loader.digits import FieldStep, Rounding
from ..loader.prepare import compiled_field_maps
from .common import MigrationCase

CONTACTS = "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n"
DEALS = "Deal Name,Amount,Score\nRounded deal,1234.567,1.23456\nExact deal,99.5,2\n"
PRODUCTS = "Product Name,SKU,Price\nWidget,W-1,12.345\nGadget,G-2,99.99\n"
ORDERS = (
    "Order ID,Order Number,Contact Email,Order Date,Status\n"
    "o-1,SO-1,ann@example.com,2024-03-01,draft\n"
)
LINES = (
    "Line ID,Order ID,SKU,Quantity,Unit Price\n"
    "L-1,o-1,W-1,1,12.345\n"
    "L-2,o-1,G-2,1,12.35\n"
)


@tagged("post_install", "-at_install")
class TestFloatDigits(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Float digits",
                "system": "generic",
                "default_user_id": cls.owner.id,
            }
        )
        for name, text in (
            ("contacts.csv", CONTACTS),
            ("deals.csv", DEALS),
            ("products.csv", PRODUCTS),
            ("orders.csv", ORDERS),
            ("order_lines.csv", LINES),
        ):
            cls.project._add_file(name, text.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls.project.action_confirm_maps()
        cls.loaded = cls.project._start_run("full", commit=False)

    def _cells(self, source, column):
        check = self.env["migration.cell.check"].search(
            [
                ("run_id", "=", self.loaded.id),
                ("object_map_id", "=", self.omap[source].id),
                ("column", "=", column),
            ]
        )
        return (
            check.cell_count,
            check.written_count,
            check.review_count,
            check.unaccounted_count,
        )

    def _reviews(self, source, column):
        return self.loaded.review_ids.filtered(
            lambda r: r.object_map_id == self.omap[source] and r.column == column
        )

    def _rounded(self, source, column):
        """The review items of ``column``: (value, reason)."""
        return [(r.value, r.reason) for r in self._reviews(source, column)]

    def test_a_mapped_amount_is_written_rounded_to_its_currency_with_a_review(self):
        self.assertEqual(self.loaded.state, "done", self.loaded.log)
        rounded, exact = (
            self.env["crm.lead"].search([("name", "=", name)])
            for name in ("Rounded deal", "Exact deal")
        )
        # a monetary field: the company's currency keeps 2 decimals
        self.assertEqual(
            rounded.read(["expected_revenue"])[0]["expected_revenue"], 1234.57
        )
        self.assertEqual(exact.expected_revenue, 99.5)
        (item,) = self._rounded("deals.csv", "Amount")
        self.assertEqual(item[0], "1234.567")
        self.assertIn("Rounded to 1234.57 (the field keeps 2 decimals)", item[1])
        self.assertEqual(self._cells("deals.csv", "Amount"), (2, 1, 1, 0))

    def test_a_decimal_field_without_digits_keeps_every_decimal(self):
        lead = self.env["crm.lead"].search([("name", "=", "Rounded deal")])
        self.assertEqual(lead.x_score, 1.23456)
        self.assertFalse(self._reviews("deals.csv", "Score"))
        self.assertEqual(self._cells("deals.csv", "Score"), (2, 2, 0, 0))

    def test_a_products_price_is_written_rounded_with_a_review(self):
        widget, gadget = (
            self.env["product.product"].search([("default_code", "=", code)])
            for code in ("W-1", "G-2")
        )
        self.assertEqual((widget.list_price, gadget.list_price), (12.35, 99.99))
        (item,) = self._rounded("products.csv", "Price")
        self.assertEqual(item[0], "12.345")
        self.assertIn("Rounded to 12.35 (the field keeps 2 decimals)", item[1])
        self.assertEqual(self._cells("products.csv", "Price"), (2, 1, 1, 0))

    def test_an_order_lines_unit_price_is_written_rounded_with_a_review(self):
        self.assertEqual(self.loaded.unaccounted_cell_count, 0)
        order = self._record_of("orders.csv", "o-1")
        self.assertEqual(sorted(order.order_line.mapped("price_unit")), [12.35, 12.35])
        (item,) = self._rounded("order_lines.csv", "Unit Price")
        self.assertEqual(item[0], "12.345")
        self.assertIn("Rounded to 12.35 (the field keeps 2 decimals)", item[1])
        self.assertEqual(self._cells("order_lines.csv", "Unit Price"), (2, 1, 1, 0))

    def test_a_line_finds_a_product_the_same_run_made_by_its_code(self):
        # the products' codes were read before the products file made them:
        # both lines were held as "Unknown product"
        order = self._record_of("orders.csv", "o-1")
        self.assertEqual(
            sorted(order.order_line.product_id.mapped("default_code")),
            ["G-2", "W-1"],
        )
        self.assertFalse(self._reviews("order_lines.csv", "Product Name"))

    def test_the_diff_says_the_amount_was_rounded(self):
        # it said "Odoo holds another value than the one loaded (changed on
        # save or by someone since the run)"
        self.env["migration.sample.diff"]._create_for_run(self.loaded)
        diff = self.env["migration.sample.diff"].search(
            [("run_id", "=", self.loaded.id), ("column", "=", "Amount"),
             ("object_map_id", "=", self.omap["deals.csv"].id)],
            order="line",
        )  # fmt: skip
        self.assertEqual(
            [(d.transformed_value, d.match) for d in diff],
            [("1234.57", False), ("99.5", True)],
        )
        self.assertIn("Rounded to 1234.57", diff[0].note)

    def test_a_rounding_without_its_review_item_is_unaccounted(self):
        # the read-back compares at the field's own step: 12.35 does not hold
        # 12.345 (a tolerance of half a cent called it written before)
        for source, column in (("products.csv", "Price"), ("deals.csv", "Amount")):
            self._reviews(source, column).unlink()
        self.env["migration.cell.check"]._build_for_run(self.loaded)
        self.assertEqual(self._cells("products.csv", "Price"), (2, 1, 0, 1))
        self.assertEqual(self._cells("deals.csv", "Amount"), (2, 1, 0, 1))

    def _record_of(self, source, key):
        entry = self.env["migration.ledger"].search(
            [
                ("object_map_id", "=", self.omap[source].id),
                ("source_key", "ilike", key),
            ],
            limit=1,
        )
        return self.env[entry.res_model].browse(entry.res_id)

    def test_only_the_numbers_of_a_row_are_looked_at(self):
        """The check asks a step only of a row's float and monetary values
        (the other fields have none): it asked it of every mapped value of
        every row."""
        omap = self.omap["deals.csv"]
        preps = [
            Prepared(
                row_id=i,
                line=i + 2,
                key=f"k{i}",
                vals={"name": f"Deal {i}", "expected_revenue": 10.125},
            )
            for i in range(3)
        ]
        asked, original = [], FieldStep.step

        def step(steps, model, fname, values=None):
            asked.append(fname)
            return original(steps, model, fname, values)

        with patch.object(FieldStep, "step", step):
            Rounding(self.env).check(omap, preps, compiled_field_maps(omap))
        self.assertEqual(asked, ["expected_revenue"] * 3)
        self.assertEqual(
            [(p.vals["expected_revenue"], len(p.issues)) for p in preps],
            [(10.13, 1)] * 3,
        )
