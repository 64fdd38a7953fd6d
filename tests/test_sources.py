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

    def test_crmconnect_files_get_their_own_targets(self):
        maps = self._project(
            "crmconnect",
            ["contacts.csv", "opportunities.csv", "stages.csv", "engagements.csv"],
        )
        self.assertEqual(maps["contacts.csv"].target, "contact")
        self.assertEqual(maps["opportunities.csv"].target, "lead")
        self.assertEqual(maps["stages.csv"].target, "stage")
        self.assertEqual(maps["stages.csv"].model_name, "crm.stage")
        self.assertEqual(
            (maps["stages.csv"].key_rule, maps["stages.csv"].key_column),
            ("column", "Stage ID"),
        )
        self.assertTrue(maps["engagements.csv"].converted)
        self.assertFalse(maps["engagements.csv"].field_map_ids)
        self.assertIn("converted by the crmconnect rules", maps["stages.csv"].reason)

    def test_a_file_kind_not_loaded_is_never_guessed(self):
        project = self.env["migration.project"].create(
            {"name": "groups", "system": "allclients"}
        )
        project._add_file("groups.csv", b"Group Name,Members\nVIP,12\nGold,3\n")
        project.action_propose()
        omap = project.object_map_ids
        self.assertFalse(omap.target)
        self.assertIn("not loaded by this version", omap.reason)
