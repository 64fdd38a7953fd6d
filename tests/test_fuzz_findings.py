"""What bench/fuzz_e2e.py found driving bad input through a real run, each
class end to end through the command line (``crm-migration run FILE --full
--accept-proposals``): the run ends done, balanced, every cell accounted for,
never a traceback out of the command."""

import io
import json
import os
import tempfile

from odoo.tests import TransactionCase, tagged

from ..cli.crm_migration import EXIT_OK, Runner, build_parser


@tagged("post_install", "-at_install")
class TestFuzzFindings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.folder = tempfile.mkdtemp(prefix="fuzz_findings_")

    @classmethod
    def tearDownClass(cls):
        for name in os.listdir(cls.folder):
            os.unlink(os.path.join(cls.folder, name))
        os.rmdir(cls.folder)
        super().tearDownClass()

    def _run(self, name, data):
        path = os.path.join(self.folder, name)
        with open(path, "wb") as fh:
            fh.write(data)
        out = io.StringIO()
        argv = [
            "run",
            path,
            "--project",
            name,
            "--full",
            "--accept-proposals",
            "--min-confidence",
            "0",
        ]
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(argv))
        project = self.env["migration.project"].search([("name", "=", name)])
        run = project.run_ids
        self.assertEqual((run.state, run.balanced), ("done", True), run.log)
        self.assertEqual(run.unaccounted_cell_count, 0)
        return code, out.getvalue().splitlines(), run

    def _partners(self, run):
        created = run.ledger_ids.filtered(lambda e: e.operation == "create")
        partners = self.env["res.partner"].browse(created.mapped("res_id"))
        return {p.name: p for p in partners}

    def test_a_json_exports_nul_and_lone_surrogate(self):
        """A ``\\u0000`` in a value reached the profile's samples and the
        field maps' INSERT failed in psycopg2 (a ValueError out of the
        command): stored as staging stores it, NUL dropped, a lone surrogate
        as U+FFFD."""
        records = [
            {"Name": "Ana", "Email": "ana@x.example", "Note": "x\u0000y \ud800"},
            {"Name": "Ben", "Email": "ben@x.example", "Note": "\u0000"},
        ]
        data = json.dumps(records).encode()
        self.assertIn(b"\\u0000", data)
        code, lines, run = self._run("contacts-nul.json", data)
        self.assertEqual(code, EXIT_OK, lines)
        self.assertEqual(run.read_count, 2)
        partners = self._partners(run)
        self.assertEqual(sorted(partners), ["Ana", "Ben"])
        self.assertEqual(str(partners["Ana"].comment), "<p>xy \ufffd</p>")
        self.assertFalse(partners["Ben"].comment)

    def test_a_nul_past_the_first_64_kb_of_a_csv(self):
        """The first 64 KB refuse a file with a NUL as binary; one later was
        in the profile's samples (the field maps' INSERT failed)."""
        pad = "p" * (70 * 1024)
        data = (
            "Name,Email,Note,Padding\n"
            f"Ana,ana@x.example,short,{pad}\n"
            "Zed,zed@x.example,a\x00b,\n"
        ).encode()
        code, lines, run = self._run("contacts-late-nul.csv", data)
        self.assertEqual(code, EXIT_OK, lines)
        self.assertEqual(run.read_count, 2)
        partners = self._partners(run)
        self.assertEqual(str(partners["Zed"].comment), "<p>ab</p>")

    def test_a_new_field_never_writes_into_a_field_of_another_type(self):
        """Another project's run made x_last_order_date a date and time; this
        file's dates were proposed into a new date field of the same name,
        which the run (making only missing fields) took as made: the dates
        went into the other field (2024-02-02 00:00:00), every cell
        unaccounted, the run failed (the fuzzer's xmpie recipients.csv). Now
        the new field is x_last_order_date_2, a date field, and the run is
        done."""
        self.env["ir.model.fields"].create(
            {
                "name": "x_last_order_date",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "ttype": "datetime",
                "field_description": "Last order (another project)",
                "state": "manual",
            }
        )
        data = (
            b"Name,Email,Last Order Date\n"
            b"Ana,ana@x.example,2024-02-02\n"
            b"Ben,ben@x.example,2024-03-15\n"
        )
        code, lines, run = self._run("contacts-dates.csv", data)
        self.assertEqual(code, EXIT_OK, lines)
        fmap = run.project_id.object_map_ids.field_map_ids.filtered(
            lambda f: f.column == "Last Order Date"
        )
        self.assertEqual(
            (fmap.action, fmap.new_field_name, fmap.new_field_type),
            ("create", "x_last_order_date_2", "date"),
        )
        self.assertIn(
            "(x_last_order_date is already a datetime field of res.partner)",
            fmap.reason,
        )
        partners = self._partners(run)
        self.assertEqual(
            [
                (n, str(p.x_last_order_date_2), p.x_last_order_date)
                for n, p in sorted(partners.items())
            ],
            [("Ana", "2024-02-02", False), ("Ben", "2024-03-15", False)],
        )
