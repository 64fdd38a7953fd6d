from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestMigrationSecurity(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.user = new_test_user(
            cls.env, login="mig-user", groups="crm_migration.group_migration_user"
        )
        cls.manager = new_test_user(
            cls.env, login="mig-manager", groups="crm_migration.group_migration_manager"
        )

    def test_user_cannot_start_a_full_run(self):
        with self.assertRaises(AccessError):
            self.project.with_user(self.user).action_full_run()
        self.assertFalse(self.project.run_ids)

    def test_user_can_run_a_sample(self):
        self.project.sample_size = 1
        self.project.with_user(self.user).action_sample_run()
        self.assertEqual(self.project.run_ids.state, "done")
        self.assertEqual(self.project.run_ids.user_id, self.user)

    def test_manager_runs_full(self):
        self.project.with_user(self.manager).action_full_run()
        self.assertEqual(self.project.run_ids.state, "done")

    def test_user_cannot_edit_the_ledger_or_delete_projects(self):
        self.project.action_full_run()
        ledger = self.env["migration.ledger"].search(
            [("project_id", "=", self.project.id)], limit=1
        )
        with self.assertRaises(AccessError):
            ledger.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self.project.with_user(self.user).unlink()

    def test_other_company_cannot_see_project(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = new_test_user(
            self.env,
            login="mig-other",
            groups="crm_migration.group_migration_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env["migration.project"]
            .with_user(outsider)
            .search([("id", "=", self.project.id)])
        )
