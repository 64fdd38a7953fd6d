from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..loader import converted_cells
from ..models.migration_fill_rate import run_rows_sql
from .common import MigrationCase

PRODUCTS = (
    "Product Name,SKU,Price,Warranty,Supplier,Category\n"
    "Widget,W-1,10.50,24 months,ACME Parts,Hardware\n"
    "Gadget,G-2,99,,Globex,\n"
)
TASKS = (
    "Subject,Due Date,Contact Email,Owner,Mood\n"
    "Call back,2024-05-01,ann@example.com,alice@example.com,happy\n"
    "Send offer,2024-05-02,ann@example.com,alice@example.com,\n"
)
# alice is in Odoo already (another name there): linked, never written
USERS = (
    "Name,Email,Role,Status\n"
    "Bea Stone,bea@example.com,Sales,Active\n"
    "Alice Smith,alice@example.com,Sales,Active\n"
)
STAGES = (
    "Pipeline,Stage Name,Stage Order,Win Probability\n"
    "Sales,Qualified,1,20\n"
    "Sales,Proposal,2,60\n"
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
                "create_users": True,
            }
        )
        for name, text in (
            ("contacts.csv", "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n"),
            ("products.csv", PRODUCTS),
            ("tasks.csv", TASKS),
            ("orders.csv", ORDERS),
            ("users.csv", USERS),
            ("stages.csv", STAGES),
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

    def test_the_check_translates_its_labels_once_not_per_cell(self):
        """The outcome labels are translated when the object's check starts:
        a translation looked up per cell (Odoo's ``_`` walks the caller's
        frame) was most of a converted object's check."""
        for source in ("products.csv", "tasks.csv"):
            omap = self.omap[source]
            cells = converted_cells.ConvertedCells(
                self.env["migration.cell.check"], self.loaded, omap
            )
            looked_up = []

            def counted(text, *args, looked_up=looked_up, **kwargs):
                looked_up.append(text)
                return text

            with patch.object(converted_cells, "_", counted):
                columns = cells.columns(run_rows_sql(self.loaded, omap))
            self.assertEqual(looked_up, [], source)
            # the same counts as the run's own check
            stored = {
                c.column: (c.field_name, c.cell_count, c.written_count, c.review_count)
                for c in self.loaded.cell_check_ids.filtered(
                    lambda c, m=omap: c.object_map_id == m
                )
            }
            self.assertEqual(
                {
                    column: (
                        label,
                        sum(
                            counts[o]
                            for o in ("written", "ignored", "review", "unaccounted")
                        ),
                        counts["written"],
                        counts["review"],
                    )
                    for column, label, counts in columns
                },
                stored,
                source,
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

    def test_a_value_changed_after_the_run_is_unaccounted_with_its_column(self):
        """Products, activities, users and stages: a cell their rule read is
        written only while the record holds its value (read back)."""
        self.assertEqual(self.loaded._check_cells(), "")
        self.assertEqual(
            self.omap["users.csv"].target + self.omap["stages.csv"].target,
            "userstage",
        )
        # changed behind the run's back, one value per object
        widget = self._product("W-1")
        self.assertEqual(widget.categ_id.name, "Hardware")
        widget.list_price = 11.0
        widget.categ_id = self.env["product.category"].create({"name": "Other"})
        call = self.env["mail.activity"].search([("summary", "=", "Call back")])
        call.date_deadline = "2024-06-01"
        bea = self.env["res.users"].search([("login", "=", "bea@example.com")])
        bea.name = "Beatrice Stone"
        proposal = self.env["crm.stage"].search([("name", "=", "Proposal")])
        proposal.sequence = 7
        proposal.requirements = "Win probability in generic: 40%"
        failed = self.loaded._check_cells()
        for column in (
            "products.Price (1)",
            "products.Category (1)",
            "tasks.Due Date (1)",
            "users.Name (1)",
            "stages.Stage Order (1)",
            "stages.Win Probability (1)",
        ):
            self.assertIn(column, failed)
        self.assertEqual(self.loaded.unaccounted_cell_count, 6, failed)
        price = self._cells("products.csv", "Price")
        self.assertEqual((price.written_count, price.unaccounted_count), (1, 1))
        self.assertIn("list_price=11.0", price.example)
        category = self._cells("products.csv", "Category")
        self.assertIn("categ_id=Other", category.example)
        # the other cells of those rows still hold their values
        for source, column in (
            ("products.csv", "SKU"),
            ("tasks.csv", "Subject"),
            ("users.csv", "Email"),
            ("stages.csv", "Stage Name"),
        ):
            self.assertFalse(self._cells(source, column).unaccounted_count, column)

    def test_a_user_odoo_had_keeps_its_name_as_one_review_item(self):
        """alice was in Odoo before the run: linked and never written, so the
        source's name for her is not in Odoo: one review item for the column,
        not a cell written (nor a failed run)."""
        self.assertEqual(self.alice.name, "Alice Seller")
        name = self._cells("users.csv", "Name")
        self.assertEqual(
            (name.cell_count, name.written_count, name.review_count), (2, 1, 1)
        )
        self.assertEqual(name.unaccounted_count, 0)
        review = self.loaded.review_ids.filtered(lambda r: r.column == "Name")
        self.assertEqual(len(review), 1)
        self.assertEqual(review.value, "Alice Smith")
        self.assertIn("in Odoo before this run", review.reason)
        self.assertIn("name=Alice Seller", review.reason)
