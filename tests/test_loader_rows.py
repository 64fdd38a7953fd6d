"""The loader's own rows in bulk (loader.rows, issue 18): ledger and review
rows inserted by one multi-row INSERT store exactly what create() stores,
column by column (the same rows written both ways, each in a savepoint rolled
back afterwards); the review items they join count them the same; a batch's
after-values read field by field equal the per-record snapshot."""

import datetime as dt
import json
import re
from types import SimpleNamespace
from unittest.mock import patch

from psycopg2.extras import execute_values

from odoo.tests import tagged

from ..loader import rows as loader_rows
from ..loader.book import Book, snapshots
from ..loader.common import snapshot
from ..loader.rows import OwnRows, execute_rows
from .common import each_way
from .loader_common import LoaderCase, prep
from .test_loader_bulk import StoredRows


@tagged("post_install", "-at_install")
class TestLoaderRows(LoaderCase):
    ISSUE_COLUMNS = (
        "key",
        "kind",
        "column",
        "value",
        "reason",
        "state",
        "occurrence_count",
        "open_count",
        "record_count",
        "row_held_count",
        "resolution",
    )

    def setUp(self):
        super().setUp()
        self.stored = StoredRows(self.env)
        self.source = self.env["migration.source"].create(
            {"project_id": self.project.id, "name": "people.csv"}
        )
        self.rows = self.env["migration.staging.row"].create(
            [
                {
                    "project_id": self.project.id,
                    "source_id": self.source.id,
                    "line": line,
                    "data": {"Name": f"Row {line}"},
                }
                for line in range(2, 8)
            ]
        )
        self.partners = self.env["res.partner"].create(
            [{"name": f"Partner {i}"} for i in range(4)]
        )
        omap = SimpleNamespace(
            id=False, target="contact", model_name="res.partner", source_id=self.source
        )
        self.omap = omap

    def both_ways(self, write, read):
        """{bulk: read()} after write(Book(bulk)), each in a savepoint rolled
        back: both start from the same database."""

        def one_way(bulk):
            return read(write(Book(self.env, self.mig_run, self.omap, bulk=bulk)))

        results = each_way(self.env, one_way)
        return results[False], results[True]

    def ledger_vals(self):
        row_ids = self.rows.ids
        base = {
            "run_id": self.mig_run.id,
            "project_id": self.project.id,
            "target": "contact",
            "res_model": "res.partner",
        }
        return [
            # a create with after-values, links and the source's dates
            base
            | {
                "source_key": "id:1",
                "staging_row_id": row_ids[0],
                "line": 2,
                "res_id": self.partners[0].id,
                "operation": "create",
                "before_values": False,
                "after_values": {"name": "Partner 0", "tags": [3, 1]},
                "link_keys": {"company": "acme"},
                "written_at": dt.datetime(2026, 1, 2, 3, 4, 5),
                "original_create_date": dt.datetime(2019, 5, 6, 7, 8, 9),
                "original_write_date": False,
            },
            # an update with before-values, no staging row
            base
            | {
                "source_key": "id:2",
                "staging_row_id": False,
                "line": 0,
                "res_id": self.partners[1].id,
                "operation": "update",
                "before_values": {"email": False, "phone": "+1 555"},
                "after_values": {"email": "a@b.example"},
                "link_keys": False,
                "written_at": False,
                "original_create_date": False,
                "original_write_date": dt.datetime(2020, 2, 29, 0, 0),
            },
            # a lookup record made on the fly (few keys, as auto_created_ledger)
            {
                "run_id": self.mig_run.id,
                "project_id": self.project.id,
                "target": "lookup",
                "source_key": "auto:res.partner:Partner 2",
                "res_model": "res.partner",
                "res_id": self.partners[2].id,
                "operation": "create",
                "written_at": dt.datetime(2026, 1, 2, 3, 4, 6),
                "after_values": {"name": "Partner 2"},
            },
            # a many2many addition (its own key, operation add)
            base
            | {
                "source_key": "id:3>res.partner:4",
                "line": 5,
                "res_id": self.partners[3].id,
                "operation": "add",
                "after_values": {"category_id": [7]},
                "written_at": dt.datetime(2026, 1, 2, 3, 4, 7),
            },
        ]

    def test_ledger_rows_are_stored_as_create_stores_them(self):
        def write(book):
            return book.write_ledger([dict(vals) for vals in self.ledger_vals()])

        def read(ledger):
            # every column, the timestamps included (one transaction: one now())
            return self.stored.rows("migration.ledger", ledger.ids)

        orm, bulk = self.both_ways(write, read)
        self.assertEqual(len(orm), 4)
        company = self.project.company_id
        self.assertEqual(orm[0]["company_id"], ("res.company", company.display_name))
        for i, (bulk_row, orm_row) in enumerate(zip(bulk, orm, strict=True)):
            self.assertEqual(bulk_row, orm_row, f"ledger row {i}")

    def test_ledger_rows_keep_their_timestamps(self):
        """create_date, write_date and their users, compared too (StoredRows
        leaves the dates out)."""

        def write(book):
            return book.write_ledger([dict(vals) for vals in self.ledger_vals()])

        def read(ledger):
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT create_uid, create_date, write_uid, write_date "
                "FROM migration_ledger WHERE id = ANY(%s) ORDER BY id",
                [ledger.ids],
            )
            return self.env.cr.fetchall()

        orm, bulk = self.both_ways(write, read)
        self.assertEqual(bulk, orm)
        self.assertEqual(orm[0][:1], (self.env.uid,))

    def review_vals(self, book):
        problems = [
            ("unknown_owner", "Owner", "Zed", "No user Zed.", False, False),
            ("unknown_owner", "Owner", "Zed", "No user Zed.", True, False),
            ("invalid_value", "Amount", "TBD", "Not a number.", False, True),
            ("orphan", False, False, "No parent.", True, False),
            ("missing_required", "Name", False, "No name.", True, False),
        ]
        out = []
        for i, (kind, column, value, reason, held, linked) in enumerate(problems):
            row = prep(self.rows[i].id, f"id:{i}")
            row.line = self.rows[i].line
            problem = {"kind": kind, "column": column, "value": value, "reason": reason}
            out.append(
                book.review_vals(
                    row,
                    problem,
                    held=held,
                    record_id=self.partners[0].id if linked else None,
                    res_model="res.partner",
                )
            )
        return out

    def test_review_rows_are_stored_as_create_stores_them(self):
        # an item a person ignored earlier: its new rows are ignored too
        ignored = self.env["migration.review"].create(
            {
                "project_id": self.project.id,
                "staging_row_id": self.rows[5].id,
                "kind": "invalid_value",
                "column": "Amount",
                "value": "TBD",
                "reason": "Not a number.",
            }
        )
        ignored.resolution = "Amounts come later."
        ignored.action_ignore()

        def write(book):
            book.create_reviews(self.review_vals(book))
            return self.env["migration.review"].search(
                [("run_id", "=", self.mig_run.id)], order="id"
            )

        def read(reviews):
            issues = reviews.issue_id.sorted("key")
            return (
                self.stored.rows("migration.review", reviews.ids),
                [issue.read(self.ISSUE_COLUMNS)[0] for issue in issues],
            )

        (orm_rows, orm_issues), (bulk_rows, bulk_issues) = self.both_ways(write, read)
        self.assertEqual(len(orm_rows), 5)
        self.assertEqual(
            [(r["kind"], r["state"], r["row_held"]) for r in orm_rows],
            [
                ("unknown_owner", "open", False),
                ("unknown_owner", "open", True),
                ("invalid_value", "ignored", False),
                ("orphan", "open", True),
                ("missing_required", "open", True),
            ],
        )
        for i, (bulk_row, orm_row) in enumerate(zip(bulk_rows, orm_rows, strict=True)):
            self.assertEqual(bulk_row, orm_row, f"review row {i}")
        strip = [{k: v for k, v in i.items() if k != "id"} for i in orm_issues]
        self.assertEqual(
            [{k: v for k, v in i.items() if k != "id"} for i in bulk_issues], strip
        )
        owner = next(i for i in strip if i["kind"] == "unknown_owner")
        self.assertEqual(
            (owner["occurrence_count"], owner["row_held_count"], owner["state"]),
            (2, 1, "open"),
        )
        amount = next(i for i in strip if i["kind"] == "invalid_value")
        self.assertEqual((amount["occurrence_count"], amount["record_count"]), (2, 1))

    def test_a_rerun_does_not_repeat_review_rows_in_bulk(self):
        book = Book(self.env, self.mig_run, self.omap, bulk=True)
        book.create_reviews(self.review_vals(book))
        book.create_reviews(self.review_vals(book))  # a retried batch
        reviews = self.env["migration.review"].search(
            [("staging_row_id", "in", self.rows.ids)]
        )
        self.assertEqual(len(reviews), 5)
        self.assertEqual(reviews.issue_id.mapped("occurrence_count").count(2), 1)

    def test_what_create_does_beyond_its_columns_is_refused(self):
        partners = OwnRows(self.env["res.partner"])
        self.assertTrue(partners.refusal([{"name": "x"}]))
        ledger = OwnRows(self.env["migration.ledger"].sudo())
        self.assertIsNone(ledger.refusal(self.ledger_vals()))
        # the rows the tests above compare are the bulk path's, not create()'s
        book = Book(self.env, self.mig_run, self.omap, bulk=True)
        reviews = self.review_vals(book)
        self.env["migration.review"]._join_issues(reviews)
        self.assertEqual({bool(v["issue_id"]) for v in reviews}, {True})
        self.assertIsNone(OwnRows(self.env["migration.review"]).refusal(reviews))
        self.assertEqual(
            ledger.refusal([{"display_name": "x"}]),
            "field display_name has no plain column",
        )
        self.assertEqual(
            ledger.refusal([{"company_id": 1}]), "field company_id has no plain column"
        )
        # a refused batch goes through create(): the rows are still written
        (stored,) = book._store(self.env["res.partner"], [{"name": "Via create"}])
        self.assertEqual(stored.display_name, "Via create")

    def test_batch_after_values_equal_the_per_record_snapshot(self):
        tags = self.env["crm.tag"].create([{"name": "B"}, {"name": "A"}])
        company = self.env["res.partner"].create({"name": "Co", "is_company": True})
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": "One",
                    "partner_id": company.id,
                    "tag_ids": [(6, 0, tags.ids)],
                    "description": "<p>Hi</p>",
                    "date_deadline": dt.date(2020, 1, 2),
                    "expected_revenue": 12.5,
                },
                {"name": "Two", "email_from": "two@example.com"},
            ]
        )
        fnames = ["name", "partner_id", "tag_ids", "description", "date_deadline"]
        # a computed many2many (not stored) and a one2many (never in a snapshot)
        fnames += ["email_from", "expected_revenue", "duplicate_lead_ids"]
        fnames += ["activity_ids"]
        fnames += ["no_such_field", "active", "color", "write_date"]
        pairs = [(lead, fnames) for lead in leads] + [(leads[0], ["name"])]
        self.env.invalidate_all()
        self.assertEqual(snapshots(pairs), [snapshot(r, f) for r, f in pairs])
        one, two, _name = snapshots(pairs)
        self.assertEqual(one["tag_ids"], sorted(tags.ids))
        self.assertEqual(
            (one["partner_id"], one["date_deadline"], one["expected_revenue"]),
            (company.id, "2020-01-02", 12.5),
        )
        self.assertEqual(one["duplicate_lead_ids"], [leads[0].id])
        self.assertNotIn("activity_ids", one)
        self.assertEqual((two["partner_id"], two["tag_ids"]), (False, []))

    def test_row_states_and_keys_in_one_update(self):
        """A row given a key only keeps its state, a row given a state only
        keeps its key, a row booked twice ends in its later state, and a row
        first loaded by an earlier run keeps that run as its first."""
        earlier = self.env["migration.run"].create(
            {"project_id": self.project.id, "kind": "full"}
        )
        first, second, third, fourth = self.rows[:4]
        for row in (first, second):
            row.write({"source_key": "id:old", "state": "loaded"})
        fourth.write({"first_run_id": earlier.id, "state": "loaded"})
        when = dt.datetime(2022, 3, 4, 5, 6, 7)
        book = Book(self.env, self.mig_run, self.omap, bulk=True)
        book.row_states(
            {"merged": [second.id, third.id], "review": [third.id, fourth.id]},
            {first.id: ("id:1", when), third.id: ("id:3", None)},
        )
        got = [
            (r.source_key, r.source_write_date, r.state, r.first_run_id, r.last_run_id)
            for r in self.rows[:4]
        ]
        run = self.mig_run
        none = self.env["migration.run"]
        self.assertEqual(
            got,
            [
                ("id:1", when, "loaded", none, none),
                ("id:old", False, "merged", run, run),
                ("id:3", False, "review", run, run),
                (False, False, "review", earlier, run),
            ],
        )

    def test_a_constant_column_is_quoted_once(self):
        """execute_rows quotes a column holding one value in every row once,
        into the row's template (the run, the project, the users and the
        transaction's dates of a batch's ledger): psycopg2 is given only the
        other columns row by row (every column on the old code), and the
        rows stored are those of the plain execute_values."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE quoted (a int, b text, c timestamp, d jsonb, e text, f float)"
        )
        when = dt.datetime(2026, 1, 2, 3, 4, 5, 6)
        rows = [
            # b and c equal in every row (c another object each row); e True
            # and 1 are equal but quoted apart; f 0.0 and -0.0 as well
            (
                i,
                "50% off",
                dt.datetime(2026, 1, 2, 3, 4, 5, 6),
                json.dumps({"i": i}),
                True if i % 2 else 1,
                -0.0 if i % 2 else 0.0,
            )
            for i in range(4)
        ]
        query = "INSERT INTO quoted VALUES %s"
        given = []

        def spy(cur, sql, argslist, **kwargs):
            given.append((kwargs["template"], argslist))
            return execute_values(cur, sql, argslist, **kwargs)

        with patch.object(loader_rows, "execute_values", spy):
            execute_rows(cr, query, rows, template="(%s, %s, %s, %s::jsonb, %s, %s)")
        ((template, passed),) = given
        self.assertEqual(
            template,
            "(%s, '50%% off', '2026-01-02T03:04:05.000006'::timestamp, %s::jsonb, %s, %s)",
        )
        self.assertEqual(passed, [(r[0], r[3], r[4], r[5]) for r in rows])
        cr.execute("SELECT * FROM quoted ORDER BY a")
        stored = cr.fetchall()
        cr.execute("DELETE FROM quoted")
        execute_values(cr._obj, query, rows, template="(%s, %s, %s, %s::jsonb, %s, %s)")
        cr.execute("SELECT * FROM quoted ORDER BY a")
        self.assertEqual(stored, cr.fetchall())
        self.assertEqual(stored[1][1:3], ("50% off", when))

    def test_a_batch_ledger_quotes_its_constant_columns_once(self):
        """The ledger rows of one batch (Book.write_ledger, bulk): the run,
        project, company, users and transaction dates quoted once for the
        statement, not once per row."""
        given = []

        def spy(cur, sql, argslist, **kwargs):
            given.append((sql, kwargs["template"], argslist))
            return execute_values(cur, sql, argslist, **kwargs)

        book = Book(self.env, self.mig_run, self.omap, bulk=True)
        with patch.object(loader_rows, "execute_values", spy):
            ledger = book.write_ledger([dict(vals) for vals in self.ledger_vals()])
        self.assertEqual(len(ledger), 4)
        ((query, template, passed),) = given
        columns = re.search(
            r"\((.*?)\) VALUES", query.as_string(self.env.cr._obj)
        ).group(1)
        columns = [c.strip('" ') for c in columns.split(",")]
        quoted = template.strip("()").split(", ")
        self.assertEqual(len(quoted), len(columns))
        once = {c for c, q in zip(columns, quoted, strict=True) if q != "%s"}
        self.assertLessEqual(
            {
                "run_id",
                "project_id",
                "company_id",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
                "res_model",
            },
            once,
        )
        self.assertEqual({len(row) for row in passed}, {len(columns) - len(once)})
