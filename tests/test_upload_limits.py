"""The project's limits on what one uploaded file may be (the fuzzer's slow
shapes): a zip of more tables than 'Tables per file' is refused at upload,
naming the file, the count and the setting, before any member is read or
staged; a limit lowered later does not refuse what is already staged."""

import io
import os
import tempfile
import zipfile

from odoo.tests import TransactionCase, tagged

from ..cli.crm_migration import EXIT_REFUSED, Runner, build_parser


def members_zip(count):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(count):
            z.writestr(f"m{i:03d}.csv", f"Name\nrow {i}\n")
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestUploadLimits(TransactionCase):
    def _staged(self, project):
        return self.env["migration.staging.row"].search_count(
            [("source_id.project_id", "=", project.id)]
        )

    def test_a_zip_of_more_tables_than_the_project_allows_is_refused(self):
        Project = self.env["migration.project"]
        self.assertEqual(Project.new().max_tables, 100)
        project = Project.create(
            {"name": "Tables", "system": "generic", "max_tables": 2}
        )
        sources = project._add_file("three.zip", members_zip(3))
        reason = (
            "three.zip: zip archive holds 3 tables (CSV or XLSX files); the "
            "project allows 2 per file ('Tables per file'). Split it into archives "
            "of at most 2, or raise the limit."
        )
        self.assertEqual(
            [(s.name, s.state, s.error) for s in sources],
            [("three.zip", "error", reason)],
        )
        self.assertEqual(self._staged(project), 0)
        project.max_tables = 3
        sources = project._add_file("three.zip", members_zip(3))
        self.assertEqual(
            sorted((s.name, s.state, s.row_count) for s in sources),
            [(f"three.zip/m{i:03d}.csv", "staged", 1) for i in range(3)],
        )
        # lowered after the upload: the staged file is read again whole
        project.max_tables = 1
        project.action_profile()
        self.assertEqual(
            sorted(s.state for s in project.source_ids), ["error", *["profiled"] * 3]
        )
        self.assertEqual([s.profile["rows"] for s in sources.sorted("name")], [1, 1, 1])

    def test_the_command_line_refuses_a_zip_over_the_default(self):
        folder = tempfile.mkdtemp(prefix="upload_limits_")
        path = os.path.join(folder, "many.zip")
        with open(path, "wb") as fh:
            fh.write(members_zip(101))
        out = io.StringIO()
        argv = ["run", path, "--project", "Many", "--full", "--accept-proposals"]
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(argv))
        os.unlink(path)
        os.rmdir(folder)
        self.assertEqual(code, EXIT_REFUSED)
        self.assertEqual(
            out.getvalue().splitlines()[-1],
            "refused: many.zip: zip archive holds 101 tables (CSV or XLSX files); "
            "the project allows 100 per file ('Tables per file'). Split it into "
            "archives of at most 100, or raise the limit.",
        )
        project = self.env["migration.project"].search([("name", "=", "Many")])
        self.assertFalse(project.run_ids)
        self.assertEqual(self._staged(project), 0)

    def test_a_zip_bomb_is_refused_naming_the_setting(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("big.csv", "Name,Note\nAna," + "a" * (2 * 1024 * 1024) + "\n")
        data = buf.getvalue()
        Project = self.env["migration.project"]
        self.assertEqual(Project.new().max_zip_ratio, 100)
        project = Project.create({"name": "Bomb", "system": "generic"})
        (source,) = project._add_file("bomb.zip", data)
        self.assertEqual(source.state, "error")
        self.assertRegex(
            source.error,
            r"^bomb\.zip/big\.csv: expands [\d,]+ times \(\d+\.\d KB to 2\.0 MB\), "
            r"over the project's limit of 100 \('Zip expansion ratio'\): a zip "
            r"bomb\? Upload the file itself, unzipped, or raise the limit\.$",
        )
        self.assertEqual(self._staged(project), 0)
        # no check: staged whole
        project.max_zip_ratio = 0
        (source,) = project._add_file("bomb.zip", data)
        self.assertEqual((source.name, source.row_count), ("bomb.zip/big.csv", 1))
        row = source.staging_row_ids
        self.assertEqual(len(row.data["Note"]), 2 * 1024 * 1024)
