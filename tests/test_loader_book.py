"""Booking, on its own: ledger rows, review items (never twice), run-line
counts, the source's creation dates and each staging row's state."""

import datetime as dt
from types import SimpleNamespace
from unittest.mock import patch

from psycopg2.extensions import SQL_IN

from odoo.tests import tagged

from ..loader.book import Book
from ..loader.common import COUNTS
from .loader_common import LoaderCase, prep


@tagged("post_install", "-at_install")
class TestLoaderBook(LoaderCase):
    def setUp(self):
        super().setUp()
        self.source = self.env["migration.source"].create(
            {"project_id": self.project.id, "name": "people.csv"}
        )
        self.row = self.env["migration.staging.row"].create(
            {
                "project_id": self.project.id,
                "source_id": self.source.id,
                "line": 4,
                "data": {},
            }
        )
        omap = SimpleNamespace(
            id=False, target="contact", model_name="res.partner", source_id=self.source
        )
        self.book = Book(self.env, self.mig_run, omap)
        self.prep = prep(self.row.id, "id:1", name="Ann")
        self.prep.line = 4

    def test_ledger_vals(self):
        partner = self.env["res.partner"].create({"name": "Ann"})
        self.prep.create_date = dt.datetime(2020, 1, 2, 3, 4)
        vals = self.book.ledger_vals(self.prep, partner, "create", after={"name": 1})
        self.assertEqual(
            {k: v for k, v in vals.items() if k != "written_at"},
            {
                "run_id": self.mig_run.id,
                "project_id": self.project.id,
                "object_map_id": False,
                "target": "contact",
                "source_key": "id:1",
                "staging_row_id": self.row.id,
                "line": 4,
                "res_model": "res.partner",
                "res_id": partner.id,
                "operation": "create",
                "before_values": False,
                "after_values": {"name": "Ann"},
                "link_keys": False,
                "original_create_date": dt.datetime(2020, 1, 2, 3, 4),
                "original_write_date": False,
            },
        )

    def test_a_review_item_is_created_once(self):
        problem = {"kind": "orphan", "column": "Mail", "value": "x", "reason": "why"}
        vals = self.book.review_vals(self.prep, problem, held=True)
        self.assertEqual(
            (vals["kind"], vals["row_held"], vals["res_model"], vals["line"]),
            ("orphan", True, False, 4),
        )
        self.book.create_reviews([vals])
        self.book.create_reviews([vals])  # a re-run
        items = self.env["migration.review"].search(
            [("staging_row_id", "=", self.row.id)]
        )
        self.assertEqual(items.mapped("reason"), ["why"])
        self.assertEqual(items.source_id, self.source)

    def test_auto_created_ledger(self):
        tag = self.env["crm.tag"].create({"name": "Made"})
        (vals,) = self.book.auto_created_ledger([tag])
        self.assertEqual(
            (vals["target"], vals["source_key"], vals["after_values"]),
            ("lookup", "auto:crm.tag:Made", {"name": "Made"}),
        )

    def test_original_dates_and_row_states(self):
        partner = self.env["res.partner"].create({"name": "Ann"})
        self.prep.create_date = dt.datetime(2019, 5, 6, 7, 8, 9)
        self.book.original_dates([(self.prep, partner)])
        self.assertEqual(partner.create_date, dt.datetime(2019, 5, 6, 7, 8, 9))
        written = dt.datetime(2021, 1, 1, 12, 0)
        self.book.row_states(
            {"loaded": [self.row.id]}, {self.row.id: ("id:1", written)}
        )
        self.assertEqual(
            (
                self.row.state,
                self.row.source_key,
                self.row.source_write_date,
                self.row.first_run_id,
                self.row.last_run_id,
            ),
            ("loaded", "id:1", written, self.mig_run, self.mig_run),
        )

    def test_the_books_of_a_batch_are_rows_of_parameters(self):
        """The ledger rows and the staging rows' states of a batch are one
        statement each, whose rows psycopg2 quotes in C (execute_values):
        none goes through its Python adapter of a tuple parameter (SQL_IN),
        row by row, as they did as tuple parameters of Odoo's SQL."""
        book = Book(self.env, self.mig_run, self.book.omap, bulk=True)
        partners = self.env["res.partner"].create([{"name": "Ann"}, {"name": "Bo"}])
        rows = self.row | self.row.copy({"line": 5})
        ledger = [
            book.ledger_vals(prep(row.id, f"id:{i}", name=p.name), p, "create")
            for i, (row, p) in enumerate(zip(rows, partners, strict=True))
        ]
        quoted, original = [], SQL_IN.getquoted

        def getquoted(adapter):
            quoted.append(adapter)
            return original(adapter)

        with patch.object(SQL_IN, "getquoted", getquoted):
            written = book.write_ledger(ledger)
            book.row_states(
                {"loaded": rows.ids}, {r.id: (f"id:{r.line}", None) for r in rows}
            )
        # (a search's "id IN %s" of two ids aside: not a row)
        self.assertEqual([a._seq for a in quoted if len(a._seq) > 2], [])
        self.assertEqual(written.mapped("res_id"), partners.ids)
        self.assertEqual(rows.mapped("state"), ["loaded", "loaded"])
        self.assertEqual(rows.mapped("source_key"), ["id:4", "id:5"])

    def test_counts_add_to_the_run_line(self):
        line = self.env["migration.run.line"].create({"run_id": self.mig_run.id})
        counts = dict.fromkeys(COUNTS, 0) | {"read": 3, "created": 2, "review": 1}
        counts["invalid"] = 4
        self.book.counts(line, counts)
        self.book.counts(line, counts)
        self.assertEqual(
            (
                line.read_count,
                line.created_count,
                line.review_count,
                line.invalid_value_count,
            ),
            (6, 4, 2, 8),
        )
