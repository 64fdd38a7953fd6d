from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import MigrationCase

PRODUCTS = (
    "Product Name,SKU,Price,Warranty,Supplier\n"
    "Widget,W-1,10.50,24 months,ACME Parts\n"
    "Gadget,G-2,99,,Globex\n"
)
TASKS = (
    "Subject,Due Date,Contact Email,Owner,Mood\n"
    "Call back,2024-05-01,ann@example.com,alice@example.com,happy\n"
    "Send offer,2024-05-02,ann@example.com,alice@example.com,\n"
)
ORDERS = (
    "Order Number,Contact Email,Order Date,Amount,Status,Payment Terms\n"
    "SO-1,ann@example.com,2024-03-01,100,confirmed,Net 30\n"
    "SO-2,ann@example.com,2024-03-02,50,draft,Net 30\n"
)


@tagged("post_install", "-at_install")
class TestConvertedCells(MigrationCase):
    """Cell conservation of converted objects (products, tasks, orders): a
    column that no rule reads is kept in the record's text under its label, or
    reviewed by column; every non-empty cell is counted, none unaccounted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Converted cells",
                "system": "generic",
                "default_user_id": cls.owner.id,
            }
        )
        for name, text in (
            ("contacts.csv", "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n"),
            ("products.csv", PRODUCTS),
            ("tasks.csv", TASKS),
            ("orders.csv", ORDERS),
        ):
            cls.project._add_file(name, text.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project.action_confirm_maps()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls.loaded = cls.project._start_run("full", commit=False)

    def _cells(self, source, column):
        return self.env["migration.cell.check"].search(
            [
                ("run_id", "=", self.loaded.id),
                ("object_map_id", "=", self.omap[source].id),
                ("column", "=", column),
            ]
        )

    def _product(self, code):
        return self.env["product.product"].search([("default_code", "=", code)])

    def test_a_column_no_rule_reads_is_kept_in_the_records_text(self):
        self.assertEqual(self.loaded.state, "done", self.loaded.log)
        widget, gadget = self._product("W-1"), self._product("G-2")
        self.assertEqual(
            html2plaintext(widget.description).split("\n"),
            ["Warranty: 24 months", "Supplier: ACME Parts"],
        )
        self.assertEqual(html2plaintext(gadget.description), "Supplier: Globex")
        activity = self.env["mail.activity"].search([("summary", "=", "Call back")])
        self.assertEqual(html2plaintext(activity.note), "Mood: happy")
        plain = self.env["mail.activity"].search([("summary", "=", "Send offer")])
        self.assertFalse(plain.note)

    def test_every_cell_of_a_converted_object_is_counted(self):
        expected = {
            ("products.csv", "Product Name"): (2, 2, 0),
            ("products.csv", "Price"): (2, 2, 0),
            ("products.csv", "Warranty"): (1, 1, 0),
            ("products.csv", "Supplier"): (2, 2, 0),
            ("tasks.csv", "Mood"): (1, 1, 0),
            ("tasks.csv", "Subject"): (2, 2, 0),
            # a quotation has no text of its own for them: one review item
            ("orders.csv", "Payment Terms"): (2, 0, 2),
            ("orders.csv", "Order Number"): (2, 2, 0),
        }
        for (source, column), counts in expected.items():
            cells = self._cells(source, column)
            self.assertEqual(
                (cells.cell_count, cells.written_count, cells.review_count),
                counts,
                (source, column),
            )
            self.assertEqual(cells.unaccounted_count, 0, (source, column))
        self.assertEqual(self.loaded.unaccounted_cell_count, 0)
        self.assertEqual(
            self._cells("products.csv", "Warranty").field_name,
            "(kept in the record's text)",
        )

    def test_a_leftover_column_without_text_is_one_review_item(self):
        review = self.loaded.review_ids.filtered(lambda r: r.column == "Payment Terms")
        self.assertEqual(len(review), 1)
        self.assertEqual(
            (review.kind, review.value, review.staging_row_id.id, review.row_held),
            ("not_loaded", "Net 30", False, False),
        )
        self.assertIn("2 non-empty cells", review.reason)
        # checked again, or run again, no second item is filed
        self.env["migration.cell.check"]._build_for_run(self.loaded)
        rerun = self.project._start_run("full", commit=False)
        terms = self.env["migration.review"].search(
            [("project_id", "=", self.project.id), ("column", "=", "Payment Terms")]
        )
        self.assertEqual(terms, review)
        check = rerun.cell_check_ids.filtered(lambda c: c.column == "Payment Terms")
        self.assertEqual((check.review_count, check.unaccounted_count), (2, 0))

    def test_a_converted_record_lost_after_the_run_is_unaccounted(self):
        self._product("G-2").unlink()  # what a silent loss looks like in Odoo
        self.env["migration.cell.check"]._build_for_run(self.loaded)
        name = self._cells("products.csv", "Product Name")
        self.assertEqual((name.written_count, name.unaccounted_count), (1, 1))
        self.assertIn("Gadget", name.example)
        self.assertEqual(
            self.loaded.unaccounted_cell_count, 4
        )  # name, SKU, price, supplier
