"""CSV/formula injection (issue 16, security): source values that a spreadsheet
would run (= + - @, a tab, a carriage return first) go through a real sample and
full run into every spreadsheet the addon produces (reconciliation, sample diff,
run report) and into the CSV and XLSX exports of its lists (review queue, audit
log, ledger, sample diff, fill rates, cell checks) through Odoo's own export
routes; none of them holds a formula or a text starting with one of those."""

import csv
import io
import json

from openpyxl import load_workbook

from odoo import http
from odoo.tests import HttpCase, tagged

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "key": "=2+3",
    "first": '=HYPERLINK("http://evil.example/","click")',
    "last": "+Smith",
    "email": "@evil",
    "title": "-1+2",
    "owner": "@SUM(A1:A9)",
    # read as "Tabbed": the readers strip the tab (escape_cell's own tests
    # cover a tab or carriage return first)
    "city": "\tTabbed",
}
PEOPLE = (
    "Contact ID,First Name,Last Name,Email,Job Title,Owner,City\r\n"
    '"=2+3","=HYPERLINK(""http://evil.example/"",""click"")",+Smith,@evil,-1+2,'
    '@SUM(A1:A9),"\tTabbed"\r\n'
    "C2,Ana,Lima,ana@calm.example.com,Buyer,,Recife\r\n"
)
# the lists a person exports with Odoo's Export button, and their text columns
LISTS = {
    "migration.review": ["kind", "file_name", "column", "value", "reason"],
    "migration.audit": ["action", "description"],
    "migration.ledger": ["target", "source_key", "res_model"],
    "migration.sample.diff": ["column", "field_name", "source_value", "odoo_value"],
    "migration.fill.rate": ["object_name", "column", "field_name"],
    "migration.cell.check": ["object_name", "column", "field_name", "example"],
    "migration.review.issue": ["kind", "column", "value", "reason"],
}


@tagged("post_install", "-at_install")
class TestFormulaInjection(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "Hostile", "system": "generic", "sample_size": 5}
        )
        cls.project._add_file("=1+1 people.csv", PEOPLE.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        omap = cls.project.object_map_ids
        omap.write({"key_rule": "column", "key_column": "Contact ID"})
        cls.project._accept_proposals(0.0)
        cls.sample = cls.project._start_run("sample")
        cls.full = cls.project._start_run("full")

    # ------------------------------------------------------------ helpers
    def _dangerous(self, value):
        return isinstance(value, str) and value.startswith(FORMULA_STARTS)

    def _workbook_cells(self, data):
        """Every cell of an XLSX file: (sheet, coordinate, type, value)."""
        book = load_workbook(io.BytesIO(data))
        return [
            (sheet.title, cell.coordinate, cell.data_type, cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]

    def assertSafeWorkbook(self, data, name):
        cells = self._workbook_cells(data)
        self.assertTrue(cells, name)
        formulas = [c for c in cells if c[2] == "f"]
        self.assertEqual(formulas, [], f"{name}: formula cells")
        dangerous = [c for c in cells if self._dangerous(c[3])]
        self.assertEqual(dangerous, [], f"{name}: cells a spreadsheet would run")
        return [c[3] for c in cells if isinstance(c[3], str)]

    def assertSafeCsv(self, text, name):
        rows = list(csv.reader(io.StringIO(text)))
        self.assertGreater(len(rows), 1, name)
        dangerous = [v for row in rows for v in row if self._dangerous(v)]
        self.assertEqual(dangerous, [], f"{name}: cells a spreadsheet would run")
        return [v for row in rows for v in row]

    def assertHostileKept(self, texts, name, *keys):
        """The hostile values reached the export, quoted, not dropped."""
        for key in keys:
            self.assertIn("'" + HOSTILE[key], texts, f"{name}: {key}")

    def _attachment_bytes(self, action):
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id).raw

    def _export(self, fmt, model, fields):
        records = self.env[model].search([("project_id", "=", self.project.id)])
        self.assertTrue(records, model)
        params = {
            "model": model,
            "fields": [{"name": f, "label": f} for f in fields],
            "ids": records.ids,
            "domain": [],
            "groupby": [],
            "import_compat": False,
        }
        response = self.url_open(
            f"/web/export/{fmt}",
            data={
                "data": json.dumps(params),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.content

    # ------------------------------------------------------------ tests
    def test_the_run_read_the_hostile_values(self):
        self.assertEqual(self.full.state, "done")
        values = set(self.project.review_ids.mapped("value"))
        self.assertIn(HOSTILE["email"], values)
        self.assertIn(HOSTILE["owner"], values)
        partner = self.env["res.partner"].search(
            [("email", "=", "ana@calm.example.com")]
        )
        self.assertTrue(partner)

    def test_addon_workbooks_never_hold_a_formula(self):
        texts = []
        for run in self.sample | self.full:
            texts += self.assertSafeWorkbook(
                self._attachment_bytes(run.action_export_reconciliation()),
                f"reconciliation of {run.kind}",
            )
        self.assertHostileKept(texts, "reconciliation", "email", "owner")
        texts = self.assertSafeWorkbook(
            self._attachment_bytes(self.sample.action_export_sample_diff()),
            "sample diff",
        )
        self.assertHostileKept(texts, "sample diff", "first", "last", "title")
        texts = []
        for run in self.sample | self.full:
            texts += self.assertSafeWorkbook(run._report_xlsx(), "run report")
        self.assertHostileKept(texts, "run report", "email", "owner")

    def test_list_exports_never_hold_a_formula(self):
        self.authenticate("admin", "admin")
        kept = {}
        for model, fields in LISTS.items():
            texts = self.assertSafeWorkbook(
                self._export("xlsx", model, fields), f"{model} xlsx"
            )
            csv_texts = self.assertSafeCsv(
                self._export("csv", model, fields).decode("utf-8-sig"),
                f"{model} csv",
            )
            kept[model] = set(texts) | set(csv_texts)
        self.assertHostileKept(kept["migration.review"], "review", "email", "owner")
        self.assertHostileKept(
            kept["migration.sample.diff"], "diff", "first", "last", "title"
        )
        self.assertIn("'=1+1 people.csv", kept["migration.review"])
        self.assertTrue(
            [t for t in kept["migration.audit"] if t.startswith("'=1+1 people")]
        )
