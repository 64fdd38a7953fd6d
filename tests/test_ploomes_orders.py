"""Ploomes quotes and orders keep every source value in its Odoo home instead of
a review item per cell: the person the quote is for is its partner (a contact
of the customer), the review number an x_ field, the last update the ledger's,
sections become section lines, the lines' copy of the quote number is checked,
and the source's own total is compared with Odoo's (a difference, half-cent
rounding included, is one review item naming both totals)."""

import datetime

from odoo.tests import tagged

from odoo.addons.crm_migration.cli.crm_migration import EXIT_REVIEW

from .test_ploomes import PloomesCase

# a quote in two sections whose first line comes to a half cent: Ploomes
# rounds 10 x 39.90 less 12.5% = 349.125 to the even cent (349.12), Odoo up
HALF_CENT = {
    "Id": 8004, "QuoteNumber": 4, "ReviewNumber": 3, "LastReview": True,
    "Title": "Proposta em duas seções", "DealId": 7002, "ContactId": 5002,
    "ContactName": "Beta Serviços", "PersonId": 5102, "OwnerId": 10,
    "Date": "2024-04-01T10:00:00-03:00", "Amount": 1599.12,
    "Sections": [
        {"Id": 21, "QuoteId": 8004, "Code": 1, "Total": 349.12, "Products": [
            {"Id": 9041, "ProductId": 403, "ProductName": "Treinamento (hora)",
             "Quantity": 10, "UnitPrice": 39.9, "Discount": 12.5, "Total": 349.12},
        ]},
        {"Id": 22, "QuoteId": 8004, "Code": 2, "Total": 1250.0, "Products": [
            {"Id": 9042, "ProductId": 403, "ProductName": "Treinamento (hora)",
             "Quantity": 5, "UnitPrice": 250.0, "Discount": 0, "Total": 1250.0},
        ]},
    ],
    "OtherProperties": [],
    "CreateDate": "2024-04-01T10:00:00-03:00",
    "LastUpdateDate": "2024-04-02T09:30:00-03:00",
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestPloomesOrders(PloomesCase):
    def setUp(self):
        super().setUp()
        self.server.records["Quotes"].append(dict(HALF_CENT))

    def _cells(self, run, object_name):
        checks = self.env["migration.cell.check"].search(
            [("run_id", "=", run.id), ("object_name", "=", object_name)]
        )
        return {
            c.column: (
                c.cell_count,
                c.written_count,
                c.review_count,
                c.unaccounted_count,
            )
            for c in checks
        }

    def test_quote_values_have_their_odoo_homes(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        run = self.ploomes_project().run_ids
        acme, joao = (
            self.ledger("company", "id:5001"),
            self.ledger("contact", "id:5101"),
        )
        quote = self.ledger("order", "id:quotes:8002")
        # the person the quote is for, a contact of its customer (who is invoiced)
        self.assertEqual(
            (quote.partner_id, quote.partner_id.commercial_partner_id), (joao, acme)
        )
        self.assertEqual(quote.x_review_number, 1)
        entry = self.env["migration.ledger"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", quote.id)], limit=1
        )
        self.assertEqual(
            entry.original_write_date, datetime.datetime(2024, 2, 10, 17, 5)
        )
        # two sections: a section line before each one's lines, in order
        two = self.ledger("order", "id:quotes:8004")
        self.assertEqual(
            [(sl.display_type or "product", sl.name, sl.price_unit) for sl in two.order_line],
            [("line_section", "Section 1", 0.0),
             ("product", "Treinamento (hora)", 39.9),
             ("line_section", "Section 2", 0.0),
             ("product", "Treinamento (hora)", 250.0)],
        )  # fmt: skip
        # the source's prices and discounts are kept; Odoo rounds the half cent up
        self.assertEqual(two.amount_untaxed, 1599.13)
        item = self.reviews(column="Amount", value="1599.12")
        self.assertEqual(len(item), 1)
        self.assertEqual(item.res_id, two.id)
        self.assertIn("1599.13", item.reason)
        self.assertIn("half cent", item.reason)
        self.assertIn("(0.01 in all, the whole difference)", item.reason)
        # no review item per cell for the columns that have a home now
        quotes = self._cells(run, "quotes")
        # (8001, a superseded review, is not migrated: neither written nor
        # reviewed, see TestPloomesQuoteDiscounts)
        self.assertEqual(quotes["Review Number"], (4, 3, 0, 0))
        self.assertEqual(quotes["Last Updated"], (4, 3, 0, 0))
        self.assertEqual(quotes["Contact ID"], (4, 3, 0, 0))
        # 8002's total is Odoo's; 8003's differs from its lines (reviewed when
        # the pages were read), 8004's by the half cent
        self.assertEqual(quotes["Amount"], (4, 1, 2, 0))
        # the line of the unknown product is held (the superseded quote's is
        # not migrated)
        lines = self._cells(run, "quote_lines")
        self.assertEqual(lines["Quote Number"], (7, 5, 1, 0))
        self.assertEqual(lines["Section"], (7, 5, 1, 0))
        # a deal whose owner id is no Ploomes user: the project's default owner
        # (what the project form says), and the review item says so
        self.assertEqual(
            self.ledger("lead", "id:7003").user_id,
            self.ploomes_project().default_user_id,
        )
        owners = self.reviews(kind="unknown_owner", value="99")
        self.assertEqual(len(owners), 2)
        for item in owners:
            self.assertIn("default owner", item.reason)
        self.assertFalse(
            self.reviews(kind="not_loaded", column="Section")
            | self.reviews(kind="not_loaded", column="Review Number")
        )

    def test_pipelines_reasons_tags_and_groups_keep_every_column(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        run = self.ploomes_project().run_ids
        teams = self.env["crm.team"].search(
            [("name", "in", ("Vendas Diretas", "Parcerias"))]
        )
        # the pipelines' own order
        self.assertEqual(
            sorted((t.name, t.sequence) for t in teams),
            [("Parcerias", 1), ("Vendas Diretas", 0)],
        )
        # a reason kept for one pipeline: Odoo's are shared, the pipeline is kept
        reason = self.env["crm.lost.reason"].search([("name", "=", "Sem orçamento")])
        self.assertEqual(reason.x_pipeline, "Parcerias")
        for name in ("teams", "tags", "lost_reasons", "product_categories"):
            cells = self._cells(run, name)
            self.assertTrue(cells, name)
            for column, (count, written, review, unaccounted) in cells.items():
                self.assertEqual((written, review, unaccounted), (count, 0, 0), column)

    def test_cells_read_by_rule_are_compared_value_by_value(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        run = self.ploomes_project().run_ids
        quote = self.ledger("order", "id:quotes:8002")
        # changed behind the run's back: the check reads the records again
        quote.order_line.price_unit = 1100.0
        quote.x_review_number = 7
        self.env["crm.team"].search([("name", "=", "Parcerias")]).sequence = 9
        self.env["migration.cell.check"]._build_for_run(run)
        self.assertEqual(self._cells(run, "quote_lines")["Unit Price"], (7, 4, 1, 1))
        self.assertEqual(self._cells(run, "quotes")["Review Number"], (4, 2, 0, 1))
        self.assertEqual(self._cells(run, "teams")["Pipeline Order"], (2, 1, 0, 1))
        example = self.env["migration.cell.check"].search(
            [
                ("run_id", "=", run.id),
                ("object_name", "=", "quote_lines"),
                ("column", "=", "Unit Price"),
            ]
        )
        self.assertIn("price_unit=1100.0", example.example)
        # the other cells of those rows still hold their values
        self.assertEqual(self._cells(run, "quote_lines")["Quantity"], (7, 5, 1, 0))

    def test_an_order_without_lines_says_its_total_has_nothing_to_sum(self):
        # an order whose only line names an unknown product: the line is held,
        # Odoo's total is computed from lines the order does not have, so the
        # source's Amount (equal to its lines') is one review item that says so
        # (it read 'No rule reads column Amount' before, though the order's
        # rule reads it)
        order = next(o for o in self.server.records["Orders"] if o["Id"] == 8501)
        line = {"Id": 9599, "ProductId": 999, "ProductName": "Unknown kit",
                "Quantity": 1, "UnitPrice": 990.0, "Discount": 0, "Total": 990.0}  # fmt: skip
        section = {"Id": 99, "OrderId": 8599, "Code": 1, "Discount": 0,
                   "Total": 990.0, "Products": [line]}  # fmt: skip
        self.server.records["Orders"].append(
            dict(order, Id=8599, OrderNumber=99, Amount=990.0, Sections=[section])
        )
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        self.assertFalse(self.ledger("order", "id:orders:8599").order_line)
        item = self.reviews(kind="not_loaded", column="Amount")
        self.assertEqual(len(item), 1)
        self.assertIn("computes from", item.reason)
        self.assertIn("Order Lines", item.reason)
        self.assertNotIn("No rule", item.reason)


def _quote(qid, number, discount, amount, lines):
    """A last-review quote of deal 7004 with ``lines`` [(id, product id,
    name, quantity, unit price)] in one section."""
    products = [
        {"Id": lid, "ProductId": pid, "ProductName": name, "Quantity": qty,
         "UnitPrice": price, "Discount": 0, "Total": qty * price}
        for lid, pid, name, qty, price in lines
    ]  # fmt: skip
    return {
        "Id": qid, "QuoteNumber": number, "ReviewNumber": 0, "LastReview": True,
        "Title": f"Proposta {number}", "DealId": 7004, "ContactId": 5002,
        "ContactName": "Beta Serviços", "PersonId": 5102, "OwnerId": 10,
        "Date": "2024-05-01T10:00:00-03:00", "Amount": amount, "Discount": discount,
        "Sections": [{"Id": qid, "QuoteId": qid, "Code": 1, "Discount": 0,
                      "Total": sum(p["Total"] for p in products), "Products": products}],
        "OtherProperties": [], "CreateDate": "2024-05-01T10:00:00-03:00",
        "LastUpdateDate": "2024-05-01T10:00:00-03:00",
    }  # fmt: skip


@tagged("post_install", "-at_install")
class TestPloomesQuoteDiscounts(PloomesCase):
    def setUp(self):
        super().setUp()
        self.server.records["Quotes"] += [
            # 10% off its lines' 2400.00: the Amount says a percentage
            _quote(8005, 5, 10, 2160.0, [(9051, 401, "CRM Pro", 2, 1200.0)]),
            # 150 off its lines' 4500.00: the Amount says a fixed amount
            _quote(8006, 6, 150, 4350.0, [(9061, 402, "Implantação", 1, 4500.0)]),
        ]

    def _cells(self, run, object_name):
        checks = self.env["migration.cell.check"].search(
            [("run_id", "=", run.id), ("object_name", "=", object_name)]
        )
        return {
            c.column: (c.cell_count, c.written_count, c.ignored_count,
                       c.review_count, c.unaccounted_count)
            for c in checks
        }  # fmt: skip

    def test_a_quote_discount_is_odoo_global_discount_line(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        run = self.ploomes_project().run_ids
        discount = self.env.company.sale_discount_product_id
        self.assertEqual(discount.name, "Discount")
        percent = self.ledger("order", "id:quotes:8005")
        self.assertEqual(
            [(sl.product_id, sl.name, sl.product_uom_qty, sl.price_unit, sl.discount,
              sl.tax_id.ids) for sl in percent.order_line],
            [(self.ledger("product", "id:401"), "CRM Pro", 2.0, 1200.0, 0.0, []),
             (discount, "Discount 10.00%", 1.0, -240.0, 0.0, [])],
        )  # fmt: skip
        self.assertEqual(percent.amount_untaxed, 2160.0)
        fixed = self.ledger("order", "id:quotes:8006")
        self.assertEqual(
            [(sl.product_id, sl.product_uom_qty, sl.price_unit)
             for sl in fixed.order_line],
            [(self.ledger("product", "id:402"), 1.0, 4500.0), (discount, 1.0, -150.0)],
        )  # fmt: skip
        self.assertEqual(fixed.amount_untaxed, 4350.0)
        # both totals are the source's own: no review item for them
        self.assertFalse(self.reviews(column="Amount", value="2160"))
        self.assertFalse(self.reviews(column="Amount", value="4350"))
        # quote 8002's discount of 5 is its line's (its Amount is its lines'
        # total): no discount line, its total still the source's
        quote = self.ledger("order", "id:quotes:8002")
        self.assertNotIn(discount, quote.order_line.product_id)
        self.assertEqual(quote.amount_untaxed, 57000.0)
        quotes = self._cells(run, "quotes")
        # 8002 (included), 8005 (percent), 8006 (amount); 8001's row is skipped
        self.assertEqual(quotes["Discount Type"], (3, 3, 0, 0, 0))
        self.assertEqual(quotes["Discount"], (5, 4, 1, 0, 0))
        self.assertEqual(quotes["Amount"], (5, 3, 1, 1, 0))

    def test_a_discount_line_is_made_again_not_twice(self):
        code, out = self.pull("--keep-key")
        self.assertEqual(code, EXIT_REVIEW, out)
        # a new price and discount: its lines and its discount line again
        quote = self.change_at_source("Quotes", 8005, Discount=25, Amount=1500.0)
        quote["Sections"][0]["Products"][0].update(UnitPrice=1000.0, Total=2000.0)
        self.delta()
        order = self.ledger("order", "id:quotes:8005")
        self.assertEqual(
            [(sl.name, sl.price_unit) for sl in order.order_line],
            [("CRM Pro", 1000.0), ("Discount 25.00%", -500.0)],
        )
        self.assertEqual(order.amount_untaxed, 1500.0)
        # only its discount changes: the order's own update makes the line again
        self.change_at_source("Quotes", 8005, Discount=20, Amount=1600.0)
        self.delta()
        self.assertEqual(
            [(sl.name, sl.price_unit) for sl in order.order_line],
            [("CRM Pro", 1000.0), ("Discount 20.00%", -400.0)],
        )
        self.assertEqual(order.amount_untaxed, 1600.0)
        self.assertEqual(self.ploomes_project().run_ids[0].unaccounted_cell_count, 0)

    def test_an_earlier_revision_is_not_migrated_by_rule(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        project = self.ploomes_project()
        run = project.run_ids
        rows = self.env["migration.staging.row"].search(
            [("project_id", "=", project.id),
             ("object_name", "in", ("quotes", "quote_lines"))]
        ).filtered(lambda r: r.data.get("Quote ID") == "8001")  # fmt: skip
        self.assertEqual(
            sorted((r.object_name, r.line, r.state) for r in rows),
            [("quote_lines", 2, "skipped"), ("quotes", 2, "skipped")],
        )
        # a rule's: nobody has to decide anything, so no review item
        self.assertFalse(
            self.env["migration.review"].search([("staging_row_id", "in", rows.ids)])
        )
        self.assertFalse(
            self.env["migration.ledger"].search(
                [("project_id", "=", project.id), ("source_key", "=", "id:quotes:8001")]
            )
        )
        counts = {
            line.object_name: (line.read_count, line.created_count,
                               line.skipped_count, line.review_count)
            for line in run.line_ids
        }  # fmt: skip
        self.assertEqual(counts["quotes"], (5, 4, 1, 0))
        self.assertEqual(counts["quote_lines"], (7, 5, 1, 1))
        self.assertTrue(run.balanced)
        # its cells are not migrated, and the run's log says why
        quotes, lines = self._cells(run, "quotes"), self._cells(run, "quote_lines")
        self.assertEqual(quotes["Title"], (5, 4, 1, 0, 0))
        self.assertEqual(quotes["Last Review"], (5, 4, 1, 0, 0))
        self.assertEqual(lines["Product Name"], (7, 5, 1, 1, 0))
        self.assertEqual(lines["Last Review"], (7, 5, 1, 1, 0))
        self.assertIn(
            "quotes line 2 not migrated: quotation 1 review 0 was replaced by a "
            "later review: only the last review becomes a quotation\n",
            run.log,
        )
        self.assertIn(
            "quote_lines line 2 not migrated: a line of quotation 1's review that a "
            "later review replaced: only the last review's lines are migrated\n",
            run.log,
        )
        self.assertEqual(run.unaccounted_cell_count, 0)
