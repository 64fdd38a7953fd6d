from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestSourceSystems(TransactionCase):
    def _project(self, system, names):
        project = self.env["migration.project"].create(
            {"name": system, "system": system}
        )
        for name in names:
            with open(
                file_path(f"crm_migration/samples/{system}/{name}"), "rb"
            ) as handle:
                project._add_file(name, handle.read())
        project.action_propose()
        return {m.source_id.name: m for m in project.object_map_ids}

    def test_system_choices_come_from_the_engine(self):
        systems = dict(self.env["migration.project"]._selection_system())
        self.assertIn("generic", systems)
        self.assertIn("crmconnect", systems)

    def test_crmconnect_files_it_cannot_load_yet_are_not_guessed(self):
        maps = self._project(
            "crmconnect",
            ["contacts.csv", "opportunities.csv", "stages.csv", "engagements.csv"],
        )
        self.assertEqual(maps["contacts.csv"].target, "contact")
        self.assertEqual(maps["opportunities.csv"].target, "lead")
        self.assertFalse(maps["stages.csv"].target)
        self.assertFalse(maps["engagements.csv"].target)
        self.assertIn("not loaded by this version", maps["stages.csv"].reason)
