"""10 MB and 60 MB cells through the wizard (issue 16), made at test time: a
cell under the project's 'Cell size (MB)' is loaded whole and read back (a
value stored cut is an unaccounted cell of its column), a cell over it refuses
the file at upload with its line, column and size, before anything is staged;
the limit is the project's own."""

import base64

from odoo.tests import tagged
from odoo.tools import SQL

from .test_bad_corpus import CorpusCase
from .test_long_values import text_of

MB = 1024 * 1024


@tagged("post_install", "-at_install")
class TestBadCells(CorpusCase):
    def _upload(self, project, name):
        attachment = self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(self._bytes(name))}
        )
        wizard = self.env["migration.import.wizard"].create(
            {"project_id": project.id, "attachment_ids": attachment.ids}
        )
        return wizard.action_import()

    def _check(self, run, column):
        return self.env["migration.cell.check"].search(
            [("run_id", "=", run.id), ("column", "=", column)]
        )

    def test_a_10_mb_cell_is_loaded_whole_and_read_back(self):
        action, project = self._wizard("cell-10mb.csv")
        self.assertEqual(action["res_id"], project.id)  # no refusal, no warning
        self.assertEqual(project.source_ids.row_count, 2)
        # the consultant says what the file holds, as on the object map's form
        project.object_map_ids.write({"target": "contact", "confirmed": True})
        project.action_propose()
        project._accept_proposals(0.0)
        project.action_full_run()
        run = project.run_ids
        self.assertEqual((run.state, run.balanced), ("done", True), run.log)
        ana = self.env["res.partner"].search(
            [("id", "in", run.ledger_ids.mapped("res_id")), ("name", "=", "Ana")]
        )
        self.assertEqual(len(text_of(ana.comment)), 10 * MB)
        self.assertEqual(text_of(ana.comment), "x" * (10 * MB))
        check = self._check(run, "Note")
        self.assertEqual(
            (check.cell_count, check.written_count, check.unaccounted_count),
            (2, 2, 0),
        )
        # stored cut (as the sanitiser cut a 12 MB note at 10 MB): the read-back
        # of the cells finds it
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET comment = left(comment, %s) WHERE id = %s",
                5 * MB,
                ana.id,
            )
        )
        self.env.invalidate_all()
        self.env["migration.cell.check"]._build_for_run(run)
        check = self._check(run, "Note")
        self.assertEqual(
            (check.cell_count, check.written_count, check.unaccounted_count),
            (2, 1, 1),
        )
        self.assertTrue(check.example)
        self.assertEqual(run.unaccounted_cell_count, 1)

    def test_the_cell_limit_is_the_projects(self):
        project = self.env["migration.project"].create(
            {"name": "Cell limit", "system": "generic", "max_cell_mb": 20}
        )
        self.assertEqual(self.env["migration.project"].new().max_cell_mb, 50)
        self._upload(project, "cell-10mb.csv")
        staged = project.source_ids
        self.assertEqual((staged.state, staged.row_count), ("profiled", 2))
        # a lower limit: the same file again is refused, naming the cell; what
        # the first upload staged stays whole (nothing half-staged)
        project.max_cell_mb = 5
        action = self._upload(project, "cell-10mb.csv")
        reason = (
            "cell-10mb.csv: line 2, column Note holds 10.0 MB, over the project's "
            "limit of 5 MB per cell ('Cell size (MB)'); nothing of the file was "
            "staged. Shorten the value (or keep it as a file), or raise the limit."
        )
        self.assertEqual(action["params"]["message"], f"Refused: {reason}")
        refused = project.source_ids - staged
        self.assertEqual((refused.state, refused.error), ("error", reason))
        self.assertEqual((staged.state, staged.row_count), ("profiled", 2))
        rows = staged.staging_row_ids.sorted("line")
        self.assertEqual([len(r.data["Note"]) for r in rows], [10 * MB, 5])
        # a higher one: the 60 MB cell is staged whole
        project.max_cell_mb = 70
        action = self._upload(project, "cell-60mb.csv")
        self.assertEqual(action["res_id"], project.id)
        big = project.source_ids.filtered(lambda s: s.name == "cell-60mb.csv")
        self.assertEqual((big.state, big.row_count), ("profiled", 1))
        self.assertEqual(len(big.staging_row_ids.data["Note"]), 60 * MB)
