"""Attachments of the generic source on any migrated record (issue 13): a file
naming a deal by its source id goes on the opportunity, one naming a company
by its id on the company (contacts and custom objects: see
test_custom_objects_generic)."""

from odoo.tests import tagged

from .common import MigrationCase

ATTACHMENTS = (
    "File Name,URL,Deal ID,Contact ID\n"
    "proposal.pdf,https://files.example.com/proposal.pdf,D1,\n"
    "logo.png,https://files.example.com/logo.png,,C1\n"
)


@tagged("post_install", "-at_install")
class TestGenericAttachments(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project._add_file("attachments.csv", ATTACHMENTS.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.loaded = cls._full_run(cls)

    def test_files_go_on_the_deal_and_the_company_they_name(self):
        self.assertEqual(self.loaded.state, "done", self.loaded.log)
        line = self.loaded.line_ids.filtered(lambda li: li.target == "attachment")
        self.assertEqual((line.read_count, line.created_count), (2, 2))
        found = {
            a.name: (a.res_model, a.res_id, a.url)
            for a in self.env["ir.attachment"].search(
                [("name", "in", ["proposal.pdf", "logo.png"])]
            )
        }
        self.assertEqual(
            found,
            {
                "proposal.pdf": (
                    "crm.lead",
                    self._record("lead", "id:D1").id,
                    "https://files.example.com/proposal.pdf",
                ),
                "logo.png": (
                    "res.partner",
                    self._record("company", "id:C1").id,
                    "https://files.example.com/logo.png",
                ),
            },
        )
