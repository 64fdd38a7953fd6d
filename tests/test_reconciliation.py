import io
from unittest.mock import patch

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.migration_fill_rate import FILL_RATE_COLUMNS
from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestReconciliation(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls._employees_as_new_field()
        cls.project.action_confirm_maps()

    def _rates(self, run, source):
        return {
            rate.column: rate
            for rate in run.fill_rate_ids
            if rate.object_map_id == self.omap[source]
        }

    def _numbers(self, rate):
        return (
            rate.source_rows,
            rate.source_filled,
            rate.source_rate,
            rate.odoo_records,
            rate.odoo_filled,
            rate.odoo_rate,
            rate.difference,
            rate.flagged,
        )

    # ------------------------------------------------------------ fill rates
    def test_fill_rates_after_a_full_run(self):
        run = self._full_run()
        self.assertEqual(run.state, "done", run.log)
        companies = self._rates(run, "companies.csv")
        contacts = self._rates(run, "contacts.csv")
        deals = self._rates(run, "deals.csv")
        # every mapped column; the source ids are kept in ref
        self.assertEqual(
            set(companies),
            {
                "Company ID",
                "Company Name",
                "Website",
                "Phone",
                "Country",
                "Tags",
                "Employees",
                "Created",
            },
        )
        self.assertIn("Contact ID", contacts)
        self.assertEqual(len(contacts), 9)
        self.assertEqual(len(deals), 10)
        self.assertEqual(companies["Employees"].field_name, "x_employees")
        self.assertEqual(contacts["Email"].run_line_id.target, "contact")
        self.assertEqual(contacts["Email"].company_id, self.project.company_id)

        # 3 companies, all created: nothing lost on the way
        self.assertEqual(
            self._numbers(companies["Website"]),
            (3, 2, 66.67, 3, 2, 66.67, 0.0, False),
        )
        self.assertEqual(
            self._numbers(companies["Employees"]), (3, 3, 100.0, 3, 3, 100.0, 0, False)
        )
        # 6 contact rows -> 4 partners (P4 merged into P1, P5 held for review);
        # P3's email is invalid: 5 rows have one, 3 partners keep one
        self.assertEqual(
            self._numbers(contacts["Email"]), (6, 5, 83.33, 4, 3, 75.0, -8.33, True)
        )
        # a company kept as parent or as a name is filled
        self.assertEqual(
            self._numbers(contacts["Company"]), (6, 6, 100.0, 4, 4, 100.0, 0.0, False)
        )
        self.assertEqual(
            self._numbers(contacts["First Name"]),
            (6, 5, 83.33, 4, 4, 100.0, 16.67, True),
        )
        self.assertEqual(contacts["First Name"].field_name, "first_name")
        # D3's amount "abc" went to review: 4 rows have one, 2 of 3 leads
        self.assertEqual(
            self._numbers(deals["Amount"]), (4, 4, 100.0, 3, 2, 66.67, -33.33, True)
        )
        # the contact email of a deal lands as its partner; D3 has none but
        # is linked to its company by name: more partners than emails
        self.assertEqual(
            self._numbers(deals["Contact Email"]),
            (4, 2, 50.0, 3, 3, 100.0, 50.0, True),
        )
        self.assertFalse(deals["Stage"].flagged)
        self.assertEqual(
            set(run.fill_rate_ids.filtered("flagged").mapped("column"))
            & {"Website", "Company", "Stage", "Created"},
            set(),
        )

    def test_rerun_measures_unchanged_records_too(self):
        """A re-run writes nothing new: its fill rates still read the records."""
        first = self._full_run()
        second = self._full_run()
        self.assertEqual(second.created_count, 0)
        for source in ("companies.csv", "contacts.csv", "deals.csv"):
            before = self._rates(first, source)
            after = self._rates(second, source)
            self.assertEqual(set(before), set(after))
            for column, rate in after.items():
                self.assertEqual(
                    self._numbers(rate), self._numbers(before[column]), column
                )

    def test_sample_run_by_a_user_records_fill_rates_read_only(self):
        user = new_test_user(
            self.env, login="mig-fill-user", groups="crm_migration.group_migration_user"
        )
        # one row per object: the first deal's stage exists (a user may not
        # create stages)
        self.project.sample_size = 1
        self.project.with_user(user).action_sample_run()
        run = self.project.run_ids
        self.assertEqual(run.state, "done", run.log)
        rates = (
            self.env["migration.fill.rate"]
            .with_user(user)
            .search([("run_id", "=", run.id)])
        )
        # companies and contacts keep their source id in ref; a deal's is its key
        self.assertEqual(len(rates), 8 + 9 + 10)
        email = rates.filtered(lambda r: r.column == "Email" and r.target == "contact")
        self.assertEqual(
            (email.source_rows, email.source_filled, email.odoo_filled), (1, 1, 1)
        )
        with self.assertRaises(AccessError):
            rates[0].with_user(user).write({"source_filled": 0})
        with self.assertRaises(AccessError):
            self.env["migration.fill.rate"].with_user(user).create(
                {"run_id": run.id, "column": "x"}
            )

    def test_other_company_cannot_read_fill_rates(self):
        self._full_run()
        other = self.env["res.company"].create({"name": "Fill rate Co"})
        outsider = new_test_user(
            self.env,
            login="mig-fill-other",
            groups="crm_migration.group_migration_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env["migration.fill.rate"]
            .with_user(outsider)
            .search([("project_id", "=", self.project.id)])
        )

    # --------------------------------------------------------------- equation
    def test_unbalanced_run_is_marked_failed(self):
        """The equation is checked by _execute: a line whose counts do not add
        up fails the run, whatever the loader said."""
        Loader = type(self.env["migration.loader"])
        original = Loader._run

        def unbalanced(loader, run, commit=False, **kwargs):
            original(loader, run, commit=commit, **kwargs)
            line = run.line_ids.filtered(lambda item: item.target == "contact")
            line.created_count += 1  # a record counted that no row accounts for
            return True

        with patch.object(Loader, "_run", unbalanced):
            run = self._full_run()
        line = run.line_ids.filtered(lambda item: item.target == "contact")
        self.assertFalse(line.balanced)
        self.assertTrue(
            run.line_ids.filtered(lambda item: item.target == "company").balanced
        )
        self.assertFalse(run.balanced)
        self.assertEqual(run.state, "failed")
        self.assertIn("Reconciliation failed", run.log)
        self.assertNotEqual(self.project.state, "loaded")
        # a finished run, even failed, keeps its fill rates for the diagnosis
        self.assertTrue(run.fill_rate_ids)

    def test_line_balance_follows_its_counts(self):
        run = self._full_run()
        line = run.line_ids.filtered(lambda item: item.target == "lead")
        self.assertTrue(line.balanced)
        line.write({"skipped_count": line.skipped_count + 1})
        self.assertFalse(line.balanced)
        self.assertFalse(run.balanced)
        line.write({"skipped_count": line.skipped_count - 1})  # the books, as they were
        self.assertTrue(run.balanced)

    # ------------------------------------------------------------------- XLSX
    def test_export_reconciliation_xlsx(self):
        # a source value that a spreadsheet would run as a formula
        data = read_data("contacts.csv").replace(b"not-an-email", b"=cmd|' /C calc'!A0")
        self.project._add_file("contacts.csv", data)
        run = self._full_run()
        action = run.action_export_reconciliation()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "migration.run"), ("res_id", "=", run.id)]
        )
        self.assertEqual(attachment.name, f"reconciliation-run-{run.id}.xlsx")
        self.assertIn(f"/web/content/{attachment.id}", action["url"])
        book = load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Reconciliation", "Fill rates", "Review"])

        counts = book["Reconciliation"]
        self.assertEqual(counts.freeze_panes, "A2")
        self.assertEqual([c.value for c in counts[1]], list(run.RECONCILIATION_COLUMNS))
        self.assertTrue(counts["A1"].font.bold)
        self.assertEqual(
            [row[0] for row in counts.iter_rows(min_row=2, values_only=True)],
            ["companies", "contacts", "deals"],
        )
        self.assertEqual(counts["C3"].value, 6)  # contacts read
        self.assertEqual(counts["C3"].number_format, "#,##0")

        rates = book["Fill rates"]
        self.assertEqual(rates.freeze_panes, "A2")
        self.assertEqual([c.value for c in rates[1]], list(FILL_RATE_COLUMNS))
        rows = {(row[0].value, row[2].value): row for row in rates.iter_rows(min_row=2)}
        self.assertEqual(len(rows), 27)  # ids in ref (see above)
        email = rows[("contacts", "Email")]
        self.assertEqual(email[6].value, 0.8333)
        self.assertEqual(email[6].number_format, "0.00%")
        self.assertEqual(email[9].value, 0.75)
        self.assertEqual(email[10].value, -8.33)
        self.assertEqual(email[10].number_format, "#,##0.00")
        self.assertIs(email[11].value, True)
        self.assertTrue(email[0].fill.fgColor.rgb.endswith("F8D7DA"))
        website = rows[("companies", "Website")]
        self.assertIsNone(website[0].fill.fill_type)
        self.assertGreaterEqual(rates.column_dimensions["C"].width, len("Company Name"))

        review = book["Review"]
        self.assertEqual(
            [c.value for c in review[1]],
            ["kind", "file", "line", "column", "value", "reason", "state"],
        )
        values = [row[4] for row in review.iter_rows(min_row=2, values_only=True)]
        self.assertIn("'=cmd|' /C calc'!A0", values)
        self.assertFalse(
            [v for v in values if isinstance(v, str) and v.startswith("=")]
        )
