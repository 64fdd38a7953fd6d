import io
import json
import os
import tempfile
from unittest.mock import patch

from openpyxl import load_workbook

from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..cli.crm_migration import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_REVIEW,
    Runner,
    build_parser,
    split_odoo_args,
)
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestCommandLine(MigrationCase):
    def cli(self, *argv):
        out = io.StringIO()
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(list(argv)))
        return code, out.getvalue()

    def data(self, name=""):
        return (
            file_path("crm_migration/tests/data/" + name)
            if name
            else os.path.dirname(file_path("crm_migration/tests/data/deals.csv"))
        )

    def test_arguments_parsed(self):
        opts = build_parser().parse_args(
            [
                "run",
                "a.csv",
                "b.zip",
                "--project",
                "P",
                "--full",
                "--accept-proposals",
                "--min-confidence",
                "0.8",
            ]
        )
        self.assertEqual(
            (opts.verb, opts.paths, opts.project, opts.full),
            ("run", ["a.csv", "b.zip"], "P", True),
        )
        self.assertTrue(opts.accept_proposals)
        self.assertEqual(opts.min_confidence, 0.8)
        self.assertEqual(
            build_parser().parse_args(["report", "7", "--json", "r.json"]).run_id, 7
        )

    def test_odoo_options_anywhere_in_both_spellings(self):
        """-c FILE / -d DB (or --config=, --database, -dDB) anywhere on the line,
        for every verb; the run verb's paths no longer swallow their values."""
        cases = {
            ("run", "-c", "o.conf", "-d", "DB", "a.csv", "b/", "--project", "P"): (
                ["run", "a.csv", "b/", "--project", "P"],
                ["-c", "o.conf", "-d", "DB"],
            ),
            (
                "run",
                "a.csv",
                "--config",
                "o.conf",
                "b.zip",
                "--database=DB",
                "--full",
            ): (
                ["run", "a.csv", "b.zip", "--full"],
                ["--config", "o.conf", "--database=DB"],
            ),
            ("run", "--project", "P", "--api", "-c", "o.conf", "-dDB"): (
                ["run", "--project", "P", "--api"],
                ["-c", "o.conf", "-dDB"],
            ),
            ("status", "--project", "P", "--db_host", "h", "-d", "DB"): (
                ["status", "--project", "P"],
                ["--db_host", "h", "-d", "DB"],
            ),
            ("rollback", "-c", "o.conf", "12", "--force", "--log-level=warn"): (
                ["rollback", "12", "--force"],
                ["-c", "o.conf", "--log-level=warn"],
            ),
            ("report", "7", "-d", "DB", "--json", "r.json"): (
                ["report", "7", "--json", "r.json"],
                ["-d", "DB"],
            ),
            ("maps", "export", "-c", "o.conf", "P", "m.json", "--database", "DB"): (
                ["maps", "export", "P", "m.json"],
                ["-c", "o.conf", "--database", "DB"],
            ),
        }
        for argv, expected in cases.items():
            with self.subTest(argv=argv):
                ours, odoo_args = split_odoo_args(list(argv))
                self.assertEqual((ours, odoo_args), expected)
                if ours[0] != "run" or "--project" in ours:
                    build_parser().parse_args(ours)  # nothing unrecognised
        opts = build_parser().parse_args(split_odoo_args(list(next(iter(cases))))[0])
        self.assertEqual(opts.paths, ["a.csv", "b/"])
        # none of our options is one of Odoo's: a run's --project stays ours
        from odoo.tools import config

        parser = build_parser()
        ours = {
            opt
            for verb in parser._subparsers._group_actions[0].choices.values()
            for action in verb._actions
            for opt in action.option_strings
            if opt not in ("-h", "--help")
        }
        self.assertFalse({o for o in ours if config.parser.has_option(o)})

    def test_full_run_refused_with_unconfirmed_maps(self):
        code, out = self.cli(
            "run", self.data("contacts.csv"), "--project", "CLI refused", "--full"
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("refused:", out)
        self.assertIn("maps are not confirmed", out)
        self.assertRegex(out, r"Email → .*confidence \d\.\d\d")
        project = self.env["migration.project"].search([("name", "=", "CLI refused")])
        self.assertFalse(project.run_ids)

    def test_a_file_of_unknown_role_is_named_and_not_loaded(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "stuff.csv")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("File Name,File URL\ncontract.pdf,https://f.example.com/1\n")
            code, out = self.cli(
                "run",
                self.data("contacts.csv"),
                path,
                "--project",
                "CLI roles",
                "--full",
                "--accept-proposals",
                "--min-confidence",
                "0",
            )
        self.assertEqual(code, EXIT_REVIEW, out)
        self.assertIn("not loaded: stuff.csv: What stuff.csv holds is not clear", out)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "contract.pdf")])
        )

    def test_source_time_zone_is_the_projects(self):
        code, out = self.cli(
            "run",
            self.data("contacts.csv"),
            "--project",
            "CLI tz",
            "--sample",
            "2",
            "--source-tz",
            "America/Chicago",
        )
        self.assertIn(code, (EXIT_OK, EXIT_REVIEW), out)
        project = self.env["migration.project"].search([("name", "=", "CLI tz")])
        self.assertEqual(project.source_tz, "America/Chicago")
        code, out = self.cli(
            "run",
            self.data("contacts.csv"),
            "--project",
            "CLI tz",
            "--sample",
            "2",
            "--source-tz",
            "Mars/Olympus",
        )
        self.assertEqual(code, EXIT_REFUSED, out)
        self.assertIn("Mars/Olympus", out)

    def test_accept_proposals_runs_like_the_wizard(self):
        code, out = self.cli(
            "run",
            self.data("contacts.csv"),
            "--project",
            "CLI",
            "--full",
            "--accept-proposals",
            "--min-confidence",
            "0",
        )
        self.assertEqual(code, EXIT_REVIEW, out)
        project = self.env["migration.project"].search([("name", "=", "CLI")])
        run = project.run_ids
        self.assertEqual(run.kind, "full")
        self.assertTrue(run.balanced)
        self.assertIn(
            "accepted",
            project.message_ids.mapped("body")[0]
            + "".join(project.message_ids.mapped("body")),
        )
        self.assertRegex(out, r"contacts\s+contact\s+6\s+")
        self.assertIn("review items:", out)
        # the wizard path on the same file gives the same records
        # (always create: the CLI's partners must not be matched as existing ones)
        other = self.env["migration.project"].create(
            {"name": "Wizard", "system": "generic", "match_existing": "none"}
        )
        other._add_file("contacts.csv", open(self.data("contacts.csv"), "rb").read())
        other.action_profile()
        other.action_propose()
        other._accept_proposals(0.0)
        other.action_full_run()

        def made(prj):
            entries = self.env["migration.ledger"].search([("project_id", "=", prj.id)])
            return sorted(
                (e.source_key, e.operation, self.env[e.res_model].browse(e.res_id).name)
                for e in entries
            )

        self.assertEqual(made(project), made(other))
        self.assertEqual(
            [
                (r["read"], r["created"], r["merged"], r["review"])
                for r in run._reconciliation_rows()
            ],
            [
                (r["read"], r["created"], r["merged"], r["review"])
                for r in other.run_ids._reconciliation_rows()
            ],
        )
        # a second run of the same source updates instead of duplicating
        partners = self.env["res.partner"].search_count([])
        code, out = self.cli(
            "run", self.data("contacts.csv"), "--project", "CLI", "--full"
        )
        self.assertEqual(code, EXIT_REVIEW, out)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(project.run_ids.sorted("id")[-1].created_count, 0)

    def test_exit_zero_when_clean(self):
        code, out = self.cli(
            "run",
            self.data("clean"),
            "--project",
            "Clean",
            "--full",
            "--accept-proposals",
        )
        self.assertEqual(code, EXIT_OK, out)
        self.assertIn("review items: none", out)
        self.assertTrue(
            self.env["res.partner"].search(
                [("name", "=", "Kappa Labs"), ("is_company", "=", True)]
            )
        )

    def test_refusals(self):
        code, out = self.cli("run", self.data("empty.csv"), "--project", "Bad file")
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("empty.csv", out)
        code, out = self.cli("run", "/nonexistent/folder", "--project", "Bad path")
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("no such file", out)
        code, out = self.cli(
            "run",
            self.data("clean"),
            "--project",
            "Bad system",
            "--system",
            "nosuchcrm",
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("unknown system", out)

    def test_failed_run_exit_code(self):
        loader = type(self.env["migration.loader"])
        with (
            patch.object(loader, "_run", side_effect=RuntimeError("disk on fire")),
            self.assertLogs(
                "odoo.addons.crm_migration.models.migration_run", level="ERROR"
            ),
        ):
            code, out = self.cli(
                "run",
                self.data("clean"),
                "--project",
                "Boom",
                "--full",
                "--accept-proposals",
            )
        self.assertEqual(code, EXIT_FAILED)
        self.assertIn(": failed", out)
        run = self.env["migration.project"].search([("name", "=", "Boom")]).run_ids
        self.assertEqual(run.state, "failed")
        self.assertIn("disk on fire", run.log)

    def test_maps_export_import_identical(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        with tempfile.TemporaryDirectory() as tmp:
            first = os.path.join(tmp, "maps.json")
            self.assertEqual(
                self.cli("maps", "export", self.project.name, first)[0], EXIT_OK
            )
            other = self.env["migration.project"].create(
                {"name": "Copy", "system": "generic"}
            )
            for name in ("companies.csv", "contacts.csv", "deals.csv"):
                other._add_file(name, open(self.data(name), "rb").read())
            other.action_profile()
            code, out = self.cli("maps", "import", "Copy", first)
            self.assertEqual(code, EXIT_OK, out)
            second = os.path.join(tmp, "copy.json")
            self.cli("maps", "export", "Copy", second)
            exported = [json.load(open(p)) for p in (first, second)]
        for data in exported:
            data.pop("project")
        self.assertEqual(exported[0], exported[1])
        self.assertFalse(other._unconfirmed_maps())

    def test_rollback_verb(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.action_full_run()
        run = self.project.run_ids
        acme = self.env["res.partner"].search([("name", "=", "Acme Corp")])
        acme.website = "https://changed.example.com"
        code, out = self.cli("rollback", str(run.id))
        self.assertEqual(code, EXIT_REVIEW, out)
        self.assertIn("1 conflicts", out)
        self.assertIn("website", out)
        self.assertTrue(acme.exists())
        code, out = self.cli("rollback", "--project", self.project.name, "--force")
        self.assertEqual(code, EXIT_OK, out)
        self.assertFalse(acme.exists())
        self.assertEqual(run.state, "rolled_back")
        self.assertEqual(self.cli("rollback", "424242")[0], EXIT_REFUSED)

    def test_report_and_status(self):
        code, _out = self.cli(
            "run",
            self.data("clean"),
            "--project",
            "Reported",
            "--full",
            "--accept-proposals",
        )
        run = self.env["migration.project"].search([("name", "=", "Reported")]).run_ids
        with tempfile.TemporaryDirectory() as tmp:
            jpath, xpath = os.path.join(tmp, "r.json"), os.path.join(tmp, "r.xlsx")
            code, out = self.cli(
                "report", str(run.id), "--json", jpath, "--xlsx", xpath
            )
            self.assertEqual(code, EXIT_OK)
            data = json.load(open(jpath))
            self.assertEqual(data["objects"][0]["read"], 2)
            self.assertEqual(data["objects"][0]["created"], 2)
            self.assertTrue(data["balanced"])
            sheet = load_workbook(xpath)["Reconciliation"]
            self.assertEqual(sheet["C1"].value, "read")
            self.assertEqual(sheet["C2"].value, 2)
        code, out = self.cli("status", "--project", "Reported")
        self.assertEqual(code, EXIT_OK)
        self.assertIn(f"run {run.id} full", out)
        self.assertEqual(self.cli("report", "999999")[0], EXIT_REFUSED)
