"""Attachments of the generic source on any migrated record (issue 13): a file
naming a deal by its source id goes on the opportunity, one naming a company
by its id on the company (contacts and custom objects: see
test_custom_objects_generic); a file naming its deal, company or contact by
name (an export without ids) goes on the one record of that name, and a name
that finds none or several is a review item naming the file."""

from odoo.tests import tagged

from .common import MigrationCase

ATTACHMENTS = (
    "File Name,URL,Deal ID,Contact ID\n"
    "proposal.pdf,https://files.example.com/proposal.pdf,D1,\n"
    "logo.png,https://files.example.com/logo.png,,C1\n"
)


BY_NAME = (
    "File Name,URL,Deal ID,Deal Name,Company,Contact Name\n"
    "renewal.pdf,https://files.example.com/renewal.pdf,,Acme renewal,,\n"
    "globex.png,https://files.example.com/globex.png,,,GLOBEX LTDA.,\n"
    # the deal comes before the company a row also names
    "expansion.pdf,https://files.example.com/expansion.pdf,,Globex expansion,Acme Corp,\n"
    # an id is exact: it wins over the name
    "by-id.pdf,https://files.example.com/by-id.pdf,D1,Globex expansion,,\n"
    "card.png,https://files.example.com/card.png,,,,ana souza\n"
    "ghost.pdf,https://files.example.com/ghost.pdf,,Ghost deal,,\n"
    "twins.pdf,https://files.example.com/twins.pdf,,,Twin Co,\n"
)


@tagged("post_install", "-at_install")
class TestGenericAttachments(MigrationCase):
    attachments = ATTACHMENTS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._before_run()
        cls.project._add_file("attachments.csv", cls.attachments.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.loaded = cls._full_run(cls)

    @classmethod
    def _before_run(cls):
        """What Odoo holds before the run, besides the fixture's users."""

    def _attached(self, *names):
        """{file name: (res_model, res_id)} of the attachments named."""
        return {
            a.name: (a.res_model, a.res_id)
            for a in self.env["ir.attachment"].search([("name", "in", names)])
        }

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


@tagged("post_install", "-at_install")
class TestGenericAttachmentsByName(TestGenericAttachments):
    attachments = BY_NAME

    @classmethod
    def _before_run(cls):
        # two companies Odoo already has, whose names are one key ("twin")
        cls.twins = cls.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Twin Co", "Twin Co.")]
        )

    def test_files_go_on_the_deal_and_the_company_they_name(self):
        self.assertEqual(self.loaded.state, "done", self.loaded.log)
        line = self.loaded.line_ids.filtered(lambda li: li.target == "attachment")
        self.assertEqual(
            (line.read_count, line.created_count, line.review_count), (7, 5, 2)
        )
        renewal, expansion = (self._record("lead", f"id:{d}") for d in ("D1", "D2"))
        self.assertEqual(
            (renewal.name, expansion.name), ("Acme renewal", "Globex expansion")
        )
        ana = self._record("contact", "id:P1")
        self.assertEqual(ana.name, "Ana Souza")
        self.assertEqual(
            self._attached(
                "renewal.pdf",
                "globex.png",
                "expansion.pdf",
                "by-id.pdf",
                "card.png",
                "ghost.pdf",
                "twins.pdf",
            ),
            {
                "renewal.pdf": ("crm.lead", renewal.id),
                "globex.png": ("res.partner", self._record("company", "id:C2").id),
                "expansion.pdf": ("crm.lead", expansion.id),
                "by-id.pdf": ("crm.lead", renewal.id),
                "card.png": ("res.partner", ana.id),
            },
        )

    def test_a_name_that_finds_none_or_several_is_reviewed_with_the_file(self):
        items = self._reviews_of("attachments.csv")
        self.assertEqual(
            [(i.line, i.kind, i.column, i.value, i.row_held) for i in items],
            [
                (7, "missing_parent", "Deal Name", "Ghost deal", True),
                (8, "missing_parent", "Company", "Twin Co", True),
            ],
        )
        self.assertEqual(
            items[0].reason,
            "ghost.pdf is not attached: Deal name 'Ghost deal' matches no lead "
            "(in the export or in Odoo). Not linked.",
        )
        first, second = self.twins
        self.assertEqual(
            items[1].reason,
            "twins.pdf is not attached: Company name 'Twin Co' matches 2 company "
            f"records: Twin Co (#{first.id}), Twin Co. (#{second.id}). Not linked: "
            "link the right one.",
        )

    def _reviews_of(self, source):
        return self.env["migration.review"].search(
            [("project_id", "=", self.project.id), ("source_id.name", "=", source)],
            order="line",
        )
