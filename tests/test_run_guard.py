"""A run's numbers belong to the run (issue 16, security): nobody writes a
run's states or counts by hand, over RPC or the ORM; a Migration User undoes
the sample they ran, and nothing else; going live is a Manager's, and only of
a project a full run loaded."""

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestRunGuard(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.sample_size = 2
        cls.user = new_test_user(
            cls.env, login="guard-user", groups="crm_migration.group_migration_user"
        )
        cls.other_user = new_test_user(
            cls.env, login="guard-user2", groups="crm_migration.group_migration_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="guard-manager",
            groups="crm_migration.group_migration_manager",
        )

    def _user_sample(self, user=None):
        project = self.project.with_user(user or self.user)
        before = self.project.run_ids
        project.action_sample_run()
        run = self.project.run_ids - before
        self.assertEqual((run.kind, run.state), ("sample", "done"))
        return run

    # ------------------------------------------------ counts and states
    def test_nobody_writes_a_run_or_its_counts_by_hand(self):
        run = self._user_sample()
        line = run.line_ids.filtered("created_count")[:1]
        self.assertTrue(line, run.log)
        for account in (self.user, self.manager):
            for vals in (
                {"state": "done"},
                {"created_count": 999},
                {"kind": "full"},
                {"user_id": account.id},
                {"log": "nothing happened"},
            ):
                target = line if "created_count" in vals else run
                with self.assertRaisesRegex(AccessError, "written by the migration"):
                    target.with_user(account).write(vals)
            with self.assertRaises(AccessError):
                line.with_user(account).write({"read_count": 0})
            with self.assertRaises(AccessError):
                self.env["migration.run"].with_user(account).create(
                    {"project_id": self.project.id, "kind": "full", "state": "done"}
                )
            with self.assertRaises(AccessError):
                self.env["migration.run.line"].with_user(account).create(
                    {"run_id": run.id, "read_count": 5, "created_count": 5}
                )
        run.invalidate_recordset()
        self.assertEqual(
            (run.state, run.kind, run.user_id), ("done", "sample", self.user)
        )
        self.assertTrue(run.balanced)
        # the chatter stays a person's
        run.with_user(self.user).message_post(body="checked")

    def test_a_user_cancels_their_queued_sample_through_the_run(self):
        queued = self.env["migration.run"].create(
            {"project_id": self.project.id, "kind": "sample", "state": "queued"}
        )
        with self.assertRaises(AccessError):
            queued.with_user(self.user).write({"state": "failed"})
        queued.with_user(self.user).action_cancel()
        self.assertEqual(queued.state, "failed")
        self.assertIn("Cancelled by", queued.log)

    # ------------------------------------------------ a User's rollback
    def test_a_user_rolls_back_their_own_sample(self):
        run = self._user_sample()
        created = run.ledger_ids.filtered(lambda e: e.operation == "create")
        self.assertTrue(created)
        records = [self.env[e.res_model].browse(e.res_id) for e in created]
        self.assertTrue(run.with_user(self.user).can_roll_back)
        action = run.with_user(self.user).action_rollback()
        wizard = (
            self.env["migration.rollback.wizard"]
            .with_user(self.user)
            .with_context(action["context"])
            .create({})
        )
        self.assertEqual(wizard.entry_count, len(run.ledger_ids))
        wizard.action_rollback()
        self.assertEqual(run.state, "rolled_back")
        self.assertTrue(all(run.ledger_ids.mapped("rolled_back")))
        self.assertEqual(set(run.ledger_ids.mapped("rollback_uid")), {self.user})
        self.assertFalse(any(record.exists() for record in records))
        self.assertIn(f"Rollback by {self.user.name}", run.log)

    def test_a_user_cannot_roll_back_another_run(self):
        theirs = self._user_sample(self.other_user)
        full = self.project.with_user(self.manager)._start_run("full")
        for run in (theirs, full):
            self.assertFalse(run.with_user(self.user).can_roll_back)
            with self.assertRaises(AccessError):
                run.with_user(self.user).action_rollback()
            wizard = (
                self.env["migration.rollback.wizard"]
                .with_user(self.user)
                .create({"run_id": run.id})
            )
            with self.assertRaisesRegex(AccessError, "only the sample runs"):
                wizard.action_rollback()
            self.assertFalse(run.ledger_ids.filtered("rolled_back"))
        # a whole project is a Manager's
        wizard = (
            self.env["migration.rollback.wizard"]
            .with_user(self.user)
            .create({"project_id": self.project.id})
        )
        with self.assertRaisesRegex(AccessError, "roll a project back"):
            wizard.action_rollback()
        # nor may a User force over someone's later changes, even on their own
        mine = self._user_sample()
        wizard = (
            self.env["migration.rollback.wizard"]
            .with_user(self.user)
            .create({"run_id": mine.id, "force": True})
        )
        with self.assertRaisesRegex(AccessError, "force"):
            wizard.action_rollback()
        self.assertEqual(mine.state, "done")
        self.assertEqual(full.state, "done")
        self.assertTrue(full.with_user(self.manager).can_roll_back)

    # ------------------------------------------------ going live
    def test_go_live_checks_group_and_state_on_the_server(self):
        project = self.project.with_user(self.manager)
        # nothing loaded yet: sampled at most
        self._user_sample()
        self.assertEqual(self.project.state, "sampled")
        for action in ("action_go_live", "action_request_go_live"):
            with self.assertRaisesRegex(UserError, "after a full run"):
                getattr(project, action)()
        self.assertFalse(self.project.cron_id)
        project._start_run("full")
        self.assertEqual(self.project.state, "loaded")
        for action in ("action_go_live", "action_request_go_live"):
            with self.assertRaises(AccessError, msg=action):
                getattr(self.project.with_user(self.user), action)()
        self.assertFalse(self.project.cron_id)
        project.action_go_live()
        self.assertEqual(self.project.state, "live")
        project.action_close()
        with self.assertRaisesRegex(UserError, "after a full run"):
            project.action_go_live()
        self.assertEqual(self.project.state, "closed")
        self.assertFalse(self.project.cron_id.active)


@tagged("post_install", "-at_install")
class TestManagerButtons(MigrationCase):
    """Every button the views show to Migration Managers only is refused to a
    Migration User by the server too (a button is only hidden in the page;
    its method is callable over RPC by anyone who may read the record)."""

    MANAGER = "crm_migration.group_migration_manager"

    def _manager_buttons(self):
        views = self.env["ir.ui.view"].search(
            [("model", "=like", "migration.%"), ("type", "in", ("form", "list"))]
        )
        found = set()
        for view in views:
            arch = etree.fromstring(view.arch_db)
            for button in arch.iter("button"):
                groups = (button.get("groups") or "").split(",")
                if button.get("type") == "object" and self.MANAGER in groups:
                    found.add((view.model, button.get("name")))
        return found

    def test_every_manager_button_is_refused_to_a_user(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        full = self.project._start_run("full")
        records = {"migration.project": self.project, "migration.run": full}
        user = new_test_user(
            self.env, login="buttons-user", groups="crm_migration.group_migration_user"
        )
        buttons = self._manager_buttons()
        self.assertIn(("migration.project", "action_full_run"), buttons)
        self.assertIn(("migration.run", "action_run_now"), buttons)
        allowed = []
        for model, method in sorted(buttons):
            with self.subTest(button=f"{model}.{method}"):
                record = records[model].with_user(user)
                try:
                    getattr(record, method)()
                except AccessError:
                    continue
                allowed.append(f"{model}.{method}")
        self.assertEqual(allowed, [])
        self.assertEqual((full.state, self.project.state), ("done", "loaded"))
        self.assertFalse(self.project.cron_id)
