from datetime import datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from .common import MigrationCase


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


@tagged("post_install", "-at_install")
class TestGenericChatter(MigrationCase):
    def test_a_generic_notes_file_becomes_chatter_notes(self):
        """A consultant's export from any CRM: notes.csv is recognised by its
        name, converted with the generic aliases and joined by email."""
        self._fix_maps()
        notes = (
            b"Email,Date,Note\n"
            b"ana@acme.example.com,2021-03-20 09:30,First call: wants a demo\n"
            b"nobody@nowhere.example,2021-03-21 10:00,Lost note\n"
        )
        (source,) = self.project._add_file("notes.csv", notes)
        self.project.action_profile()
        self.project.action_propose()
        omap = self.project.object_map_ids.filtered(lambda m: m.source_id == source)
        self.assertEqual((omap.target, omap.key_rule), ("note", "content"))
        self.project._accept_proposals(0.0)
        run = self._full_run()
        self.assertEqual(run.state, "done")
        ana = self._record("contact", "id:P1")
        message = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", ana.id),
                ("body", "ilike", "wants a demo"),
            ]
        )
        self.assertEqual(message.date, datetime(2021, 3, 20, 9, 30))
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        orphan = self.env["migration.review"].search(
            [("source_id", "=", source.id), ("kind", "=", "orphan")]
        )
        self.assertEqual(orphan.line, 3)
