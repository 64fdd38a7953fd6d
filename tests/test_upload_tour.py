"""Bad files through the real upload widget in headless Chromium (issue 16):
a PNG renamed .csv, a 1-byte and a 0-byte file each come back as a message
naming the file and the reason, never Odoo's "Oops!" dialog; a header-only
file is a warning. Tour in static/tests/tours/crm_migration_upload_tour.js."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "is_tour")
class TestUploadTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="upl_user",
            name="Uma Uploader",
            groups="base.group_user,crm_migration.group_migration_user",
        )
        cls.project = cls.env["migration.project"].create(
            {"name": "Upload CRM", "system": "generic"}
        )

    def test_bad_files_are_messages_never_oops(self):
        self.start_tour(
            f"/odoo/action-crm_migration.action_migration_project/{self.project.id}",
            "crm_migration_bad_uploads",
            login="upl_user",
            timeout=300,
        )
        sources = {s.name: s for s in self.project.source_ids}
        self.assertEqual(
            sorted(sources),
            ["header-only.csv", "logo.csv", "one-byte.csv", "zero.csv"],
        )
        self.assertEqual(
            {n: s.state for n, s in sources.items() if s.state == "error"},
            {"logo.csv": "error", "zero.csv": "error"},
        )
        self.assertIn("PNG", sources["logo.csv"].error)
        self.assertEqual(sources["header-only.csv"].row_count, 0)
