from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestAudit(MigrationCase):
    def _entries(self, action):
        return self.env["migration.audit"].search(
            [("project_id", "=", self.project.id), ("action", "=", action)], order="id"
        )

    def test_who_did_what_and_when(self):
        # proposing maps (done in setUpClass) is not a person's edit
        self.assertFalse(self._entries("edit"))
        self.assertEqual(len(self._entries("create")), 1)
        self.assertEqual(len(self._entries("upload")), 3)
        self.assertIn("contacts.csv (6 rows", self._entries("upload")[1].description)
        manager = new_test_user(
            self.env,
            login="audit-manager",
            groups="crm_migration.group_migration_manager",
        )
        project = self.project.with_user(manager)
        fmap = project.object_map_ids.field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        fmap.write({"action": "ignore"})
        edit = self._entries("edit")
        self.assertEqual(len(edit), 1)
        self.assertEqual(edit.user_id, manager)
        self.assertIn("Job Title", edit.description)
        self.assertEqual(
            (edit.res_model, edit.res_id), ("migration.field.map", fmap.id)
        )
        self._fix_maps()
        project.action_confirm_maps()
        self.assertTrue(
            self._entries("confirm").filtered(lambda e: e.user_id == manager)
        )
        project.action_full_run()
        run_entry = self._entries("run")
        self.assertEqual(run_entry.user_id, manager)
        self.assertIn("done", run_entry.description)
        project.run_ids._rollback()
        self.assertEqual(self._entries("rollback").user_id, manager)

    def test_entries_cannot_be_edited_or_deleted_but_by_the_superuser(self):
        entry = self._entries("create")
        manager = new_test_user(
            self.env,
            login="audit-manager2",
            groups="crm_migration.group_migration_manager",
        )
        with self.assertRaises(UserError):
            entry.with_user(manager).write({"description": "nothing happened"})
        with self.assertRaises(UserError):
            entry.with_user(manager).unlink()
        with self.assertRaises(UserError):
            entry.with_user(self.env.ref("base.user_admin")).write(
                {"description": "not even admin"}
            )
        entry.sudo().write({"description": "corrected by the superuser"})
        self.assertEqual(entry.description, "corrected by the superuser")
        entry.sudo().unlink()
        self.assertFalse(entry.exists())
