"""A delta whose attachment file changed (the same list row, the same file
name, other bytes) stores the new content and books an update, whose rollback
puts the previous content back; an unchanged file is not written again."""

import os
import shutil
import tempfile

from odoo.tests import tagged

from .common import MigrationCase

ATTACHMENTS = (
    "File Name,Path,Deal ID\n"
    "proposal.txt,proposal.txt,D1\n"
    "brochure.txt,brochure.txt,D1\n"
)


@tagged("post_install", "-at_install")
class TestAttachmentDelta(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.mkdtemp(prefix="crm_files_")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        cls._write("proposal.txt", b"first proposal")
        cls._write("brochure.txt", b"the brochure")
        cls.project.sudo().files_path = cls.folder
        cls.project._add_file("attachments.csv", ATTACHMENTS.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.first = cls.project._start_run("full", commit=False)

    def setUp(self):
        super().setUp()
        # the files are outside the test's transaction: as the first run read them
        self._write("proposal.txt", b"first proposal")
        self._write("brochure.txt", b"the brochure")

    @classmethod
    def _write(cls, name, data):
        with open(os.path.join(cls.folder, name), "wb") as handle:
            handle.write(data)

    def _file(self, name):
        return self.env["ir.attachment"].search(
            [("name", "=", name), ("res_model", "=", "crm.lead")]
        )

    def _entries(self, run, name):
        return self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("res_model", "=", "ir.attachment"),
             ("res_id", "=", self._file(name).id)]
        )  # fmt: skip

    def _line(self, run):
        return run.line_ids.filtered(lambda line: line.target == "attachment")

    def test_a_changed_file_is_stored_again_and_rolled_back(self):
        self.assertEqual(self.first.state, "done", self.first.log)
        self.assertEqual(self._file("proposal.txt").raw, b"first proposal")
        self._write("proposal.txt", b"second proposal, other bytes")
        delta = self.project._start_run("delta", commit=False)
        self.assertEqual(delta.state, "done", delta.log)
        proposal = self._file("proposal.txt")
        self.assertEqual(len(proposal), 1)
        self.assertEqual(proposal.raw, b"second proposal, other bytes")
        self.assertEqual(proposal.file_size, len(b"second proposal, other bytes"))
        line = self._line(delta)
        self.assertEqual((line.read_count, line.updated_count), (1, 1))
        (entry,) = self._entries(delta, "proposal.txt")
        self.assertEqual(entry.operation, "update")
        self.assertIn("checksum", entry.before_values)
        # the unchanged file is not read again by the delta, nor written
        self.assertFalse(self._entries(delta, "brochure.txt"))
        self.assertEqual(self._file("brochure.txt").raw, b"the brochure")
        self.assertEqual(delta.unaccounted_cell_count, 0)
        # the delta's rollback: the previous content is back
        result = delta._rollback()
        self.assertFalse(result["conflicts"] or result["errors"], result)
        proposal.invalidate_recordset()
        self.assertEqual(self._file("proposal.txt").raw, b"first proposal")
        self.assertTrue(entry.rolled_back)

    def test_an_unchanged_file_is_not_written_again(self):
        before = self._file("proposal.txt")
        checksum, written = before.checksum, before.write_date
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual(rerun.state, "done", rerun.log)
        line = self._line(rerun)
        self.assertEqual((line.read_count, line.updated_count), (2, 0))
        self.assertFalse(
            self.env["migration.ledger"].search(
                [("run_id", "=", rerun.id), ("res_model", "=", "ir.attachment"),
                 ("operation", "!=", "link")]
            )
        )  # fmt: skip
        after = self._file("proposal.txt")
        self.assertEqual((after.checksum, after.write_date), (checksum, written))

    def test_a_full_rerun_stores_a_changed_file_too(self):
        self._write("brochure.txt", b"the new brochure")
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual(rerun.state, "done", rerun.log)
        self.assertEqual(self._file("brochure.txt").raw, b"the new brochure")
        self.assertEqual(self._line(rerun).updated_count, 1)
