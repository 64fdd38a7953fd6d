"""A delta whose attachment file changed (the same list row, the same file
name, other bytes) stores the new content and books an update, whose rollback
puts the previous content back, in the filestore or in the database (the
``ir_attachment.location`` setting), even after Odoo's filestore cleanup ran;
an unchanged file is not written again."""

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


KEPT = [
    ("res_model", "=", "migration.run"),
    ("res_field", "=", "replaced_file_content"),
]


@tagged("post_install", "-at_install")
class TestAttachmentDelta(MigrationCase):
    storage = "file"  # ir_attachment.location

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "ir_attachment.location", cls.storage
        )
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

    def _kept(self):
        return self.env["ir.attachment"].sudo().search(KEPT)

    def test_a_changed_file_is_stored_again_and_rolled_back(self):
        self.assertEqual(self.first.state, "done", self.first.log)
        # nothing in the cache, as in a new transaction: the delta reads the
        # object's column choice itself (a query of its own, which once
        # replaced the changed files' rows on the cursor: none found)
        self.env.invalidate_all()
        first = self._file("proposal.txt")
        self.assertEqual(first.raw, b"first proposal")
        # where the bytes are: a filestore file, or the database column
        self.assertEqual(
            (bool(first.store_fname), bool(first.db_datas)),
            (self.storage == "file", self.storage == "db"),
        )
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
        # the previous content is kept by the run until its rollback
        (kept,) = self._kept()
        self.assertEqual((kept.res_id, kept.raw), (delta.id, b"first proposal"))
        self.assertEqual(entry.before_values["previous_attachment_id"], kept.id)
        # the delta's rollback: the previous content is back, the keeper gone
        result = delta._rollback()
        self.assertFalse(result["conflicts"] or result["errors"], result)
        proposal.invalidate_recordset()
        self.assertEqual(self._file("proposal.txt").raw, b"first proposal")
        self.assertEqual(self._file("proposal.txt").checksum, first.checksum)
        self.assertTrue(entry.rolled_back)
        self.assertFalse(self._kept())

    # ------------------------------------------------------------ cleanup
    def _guard_filestore(self, attachment):
        """The attachment's filestore file is put back after the test if a
        cleanup removed it (the filestore is outside the test's transaction,
        and the class's first run named that file)."""
        if not attachment.store_fname:
            return
        full = attachment._full_path(attachment.store_fname)
        data = attachment.raw

        def put_back():
            if not os.path.isfile(full):
                with open(full, "wb") as handle:
                    handle.write(data)

        self.addCleanup(put_back)

    def _filestore_cleanup(self, fname):
        """Odoo's filestore cleanup (the autovacuum's ``_gc_file_store``,
        without its commits) with ``fname`` on its checklist, as Odoo puts
        there a file an attachment stops naming; whether the file is left
        (None: the bytes are in the database, no file to clean)."""
        Attachment = self.env["ir.attachment"]
        if self.storage != "file":
            return None
        Attachment._mark_for_gc(fname)
        self.env.flush_all()
        Attachment._gc_file_store_unsafe()
        return os.path.isfile(Attachment._full_path(fname))

    def _on_disk(self, left):
        return left if self.storage == "file" else None

    def test_the_previous_content_outlives_the_filestore_cleanup(self):
        """Odoo's filestore cleanup runs between the delta and its rollback:
        the replaced file is kept (the run's keeper names it), and the
        rollback puts the old bytes back; then the delta's file, which no
        attachment names any more, is the cleanup's."""
        proposal = self._file("proposal.txt")
        self._guard_filestore(proposal)
        old = (proposal.store_fname, proposal.checksum)
        self._write("proposal.txt", b"second proposal, other bytes")
        delta = self.project._start_run("delta", commit=False)
        self.assertEqual(delta.state, "done", delta.log)
        self.assertNotEqual(self._file("proposal.txt").checksum, old[1])
        new_fname = self._file("proposal.txt").store_fname
        self.assertEqual(self._filestore_cleanup(old[0]), self._on_disk(True))
        # the kept content's own autovacuum keeps it: the run can roll back
        self.env["migration.run"]._gc_replaced_file_content()
        self.assertTrue(self._kept())
        result = delta._rollback()
        self.assertFalse(result["conflicts"] or result["errors"], result)
        self.env.invalidate_all()
        proposal = self._file("proposal.txt")
        self.assertEqual(proposal.raw, b"first proposal")
        self.assertEqual((proposal.store_fname, proposal.checksum), old)
        self.assertFalse(self._kept())
        self.assertEqual(self._filestore_cleanup(old[0]), self._on_disk(True))
        if new_fname:
            self.assertFalse(self._filestore_cleanup(new_fname))

    def test_the_kept_content_is_released_when_no_rollback_can_need_it(self):
        """The delta's ledger rows gone (the run or project deleted, by the
        database's cascade): the kept content's autovacuum removes the
        keeper, and the filestore cleanup then the file no attachment names."""
        proposal = self._file("proposal.txt")
        self._guard_filestore(proposal)
        old_fname = proposal.store_fname
        self._write("proposal.txt", b"second proposal, other bytes")
        delta = self.project._start_run("delta", commit=False)
        self.assertEqual(delta.state, "done", delta.log)
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM migration_ledger WHERE run_id = %s", [delta.id]
        )
        self.env.invalidate_all()
        self.env["migration.run"]._gc_replaced_file_content()
        self.assertFalse(self._kept())
        self.assertEqual(self._filestore_cleanup(old_fname), self._on_disk(False))
        self.assertEqual(
            self._file("proposal.txt").raw, b"second proposal, other bytes"
        )

    def test_a_deleted_run_takes_its_kept_content_with_it(self):
        self._guard_filestore(self._file("proposal.txt"))
        self._write("proposal.txt", b"second proposal, other bytes")
        delta = self.project._start_run("delta", commit=False)
        self.assertEqual(len(self._kept()), 1)
        delta.unlink()
        self.assertFalse(self._kept())

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


@tagged("post_install", "-at_install")
class TestAttachmentDeltaDb(TestAttachmentDelta):
    """The same with the attachments' bytes in the database."""

    allow_inherited_tests_method = True
    storage = "db"
