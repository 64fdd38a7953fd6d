import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MigrationCase

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@tagged("post_install", "-at_install")
class TestBadInput(MigrationCase):
    """Files that used to crash a screen, pollute the schema or lose text."""

    def _wizard(self, files, **vals):
        attachments = self.env["ir.attachment"].create(
            [{"name": name, "datas": base64.b64encode(data)} for name, data in files]
        )
        wizard = self.env["migration.import.wizard"].create(
            {"project_name": "Bad input", "attachment_ids": [(6, 0, attachments.ids)]}
            | vals
        )
        return wizard.action_import()

    def test_wizard_refusals_are_messages_naming_file_and_reason(self):
        action = self._wizard(
            [
                ("logo.csv", PNG),
                ("one-byte.csv", b"x"),
                ("zero.csv", b""),
                ("header-only.csv", b"Name,Email\r\n"),
                ("fine.csv", b"Name,Email\nAna,ana@fine.example.com\n"),
            ]
        )
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["type"], "danger")
        message = params["message"]
        self.assertIn("logo.csv: is a PNG image, not a table", message)
        self.assertIn("zero.csv: file is empty (0 bytes)", message)
        self.assertIn(
            "Warning: one-byte.csv has a header row but no data rows", message
        )
        self.assertIn("Warning: header-only.csv has a header row", message)
        self.assertNotIn("fine.csv", message)
        # what the web client opens next has its views (a bare act_window in a
        # notification's "next" is the "Oops!" reading 'map' of undefined)
        self.assertEqual(params["next"]["views"], [(False, "form")])
        project = self.env["migration.project"].browse(params["next"]["res_id"])
        self.assertEqual(
            sorted(
                project.source_ids.filtered(lambda s: s.state == "error").mapped("name")
            ),
            ["logo.csv", "zero.csv"],
        )
        self.assertEqual(
            project.source_ids.filtered(lambda s: s.name == "fine.csv").row_count, 1
        )

    def test_a_clean_upload_opens_the_project_with_its_views(self):
        action = self._wizard([("fine.csv", b"Name,Email\nAna,ana@fine.example.com\n")])
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["views"], [(False, "form")])

    def test_a_20000_column_file_is_refused_before_the_schema(self):
        header = ",".join(f"Custom {i}" for i in range(20000))
        row = ",".join(str(i) for i in range(20000))
        fields_before = self.env["ir.model.fields"].search_count([])
        (source,) = self.project._add_file("wide.csv", f"{header}\n{row}\n".encode())
        self.assertEqual(source.state, "error")
        self.assertIn(
            "wide.csv: has 20000 columns; the project allows 1000", source.error
        )
        self.project.action_propose()
        self.assertFalse(source.object_map_ids)
        self.assertFalse(
            self.env["migration.staging.row"].search([("source_id", "=", source.id)])
        )
        self.assertEqual(self.env["ir.model.fields"].search_count([]), fields_before)

    def test_new_fields_per_object_are_capped_before_the_schema(self):
        custom = ",".join(f"Loyalty code {i}" for i in range(6))
        values = ",".join(f"L{i}" for i in range(6))
        self.project._add_file(
            "members.csv",
            f"Email,First Name,{custom}\nana@cap.example.com,Ana,{values}\n".encode(),
        )
        self.project.action_profile()
        self.project.action_propose()
        omap = self.project.object_map_ids.filtered(
            lambda m: m.source_id.name == "members.csv"
        )
        count = len(omap.field_map_ids.filtered(lambda f: f.action == "create"))
        self.assertGreaterEqual(count, 5)
        self.project.max_new_fields = count - 1
        fields_before = self.env["ir.model.fields"].search_count([])
        with self.assertRaisesRegex(
            UserError,
            f"members would add {count} new fields to res.partner; the project "
            f"allows {count - 1} per object",
        ):
            self.project.action_sample_run()
        self.assertEqual(self.env["ir.model.fields"].search_count([]), fields_before)
        self.project.max_new_fields = count
        run = self.project.action_sample_run()
        self.assertTrue(run)

    def test_a_12_mb_note_is_kept_whole(self):
        self._fix_maps()
        text = ("Long call notes. " * 740_000)[:12_500_000] + "THE END"
        notes = f"Email,Date,Note\nana@acme.example.com,2021-03-20 09:30,{text}\n"
        (source,) = self.project._add_file("notes.csv", notes.encode())
        self.project.action_profile()
        self.project.action_propose()
        self.project._accept_proposals(0.0)
        run = self._full_run()
        self.assertEqual(run.state, "done")
        ana = self._record("contact", "id:P1")
        message = (
            self.env["mail.message"]
            .search([("model", "=", "res.partner"), ("res_id", "=", ana.id)])
            .filtered(lambda m: "Long call notes" in (m.body or ""))
        )
        self.assertEqual(len(message), 1)
        self.assertIn("the whole note is attached as note-line-2.txt", message.body)
        (attachment,) = message.attachment_ids
        self.assertEqual(attachment.raw.decode("utf-8"), text)
        review = self.env["migration.review"].search(
            [("source_id", "=", source.id), ("kind", "=", "long_text")]
        )
        self.assertEqual(len(review), 1)
        self.assertIn("12500007 characters", review.reason)
        self.assertFalse(review.row_held)
        # a rollback removes the attachment with its message
        run._rollback()
        self.assertFalse(attachment.exists())

    def test_size_and_row_limits_are_the_projects_and_refuse_at_upload(self):
        self.assertEqual((self.project.max_file_mb, self.project.max_rows), (200, 0))
        rows = b"Name,Email\n" + b"".join(
            b"P%d,p%d@limits.example.com\n" % (i, i) for i in range(40000)
        )
        self.assertGreater(len(rows), 1024 * 1024)
        self.project.write({"max_file_mb": 1, "max_rows": 100})
        big = self.project._add_file("big.csv", rows)
        self.assertEqual(big.state, "error")
        self.assertIn("big.csv", big.error)
        self.assertIn("is too large", big.error)
        self.assertIn("the limit is 1.0 MB", big.error)
        long_file = self.project._add_file("long.csv", rows[: rows.index(b"P150,")])
        self.assertEqual(long_file.state, "error")
        self.assertEqual(
            long_file.error,
            "long.csv: has more than 100 data rows, the project's limit ('Rows per "
            "file'). Split the file, or raise the limit.",
        )
        self.assertFalse(long_file.staging_row_ids)
        # within both limits: staged whole
        fine = self.project._add_file("fine.csv", rows[: rows.index(b"P100,")])
        self.assertEqual((fine.state, fine.row_count), ("staged", 100))
        # the wizard says it as it says any refusal
        action = self._wizard(
            [("long2.csv", rows[: rows.index(b"P150,")])], project_id=self.project.id
        )
        self.assertIn(
            "long2.csv: has more than 100 data rows", action["params"]["message"]
        )
