"""Who may do what (issue 16, security): every model of the addon against the
intended access matrix, written out here once (not read from the access file it
checks), the multi-company rules, the API key's fields and the manager-only
buttons called by a Migration User."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MigrationCase

ALL, NONE = "rwcu", ""
# the intended rights: model -> (Migration User, Migration Manager). A plain
# internal user, a CRM salesman and a portal user have none on any of them.
MATRIX = {
    # a User profiles, maps and samples; only a Manager deletes a project
    "migration.project": ("rwc", ALL),
    "migration.source": (ALL, ALL),
    "migration.staging.row": (ALL, ALL),
    "migration.object.map": (ALL, ALL),
    "migration.field.map": (ALL, ALL),
    "migration.value.map": (ALL, ALL),
    # a converted object's column choices, edited like the field maps
    "migration.converter.column": (ALL, ALL),
    # stages inferred from the deals, edited before the run like the maps
    "migration.stage.proposal": (ALL, ALL),
    # the catalogue of Odoo fields is read by Users, kept by Managers
    "migration.target.field": ("r", ALL),
    "migration.map.template": ("rwc", ALL),
    # a User's sample run writes its run, counts and review items (the run's
    # own fields only through its code: test_run_guard)
    "migration.run": ("rwc", ALL),
    "migration.run.line": ("rwc", ALL),
    # a parallel run's batches are written by its jobs
    "migration.run.batch": ("r", ALL),
    "migration.review": ("rwc", ALL),
    # what a run wrote is the run's own record: Users read it
    "migration.ledger": ("r", ALL),
    "migration.sample.diff": ("r", ALL),
    "migration.fill.rate": ("r", ALL),
    "migration.cell.check": ("r", ALL),
    # append-only, for everyone (the code writes it as superuser)
    "migration.audit": ("r", "r"),
    # a database view over the review items; resolving one writes its rows
    "migration.review.issue": ("rwc", ALL),
    # wizards
    "migration.import.wizard": (ALL, ALL),
    "migration.readiness": (ALL, ALL),
    "migration.review.ignore.wizard": (ALL, ALL),
    # a User rolls back the samples they ran (the wizard checks which run)
    "migration.rollback.wizard": (ALL, ALL),
    "migration.go.live.wizard": (NONE, ALL),
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# models whose records belong to one company: nobody of another company sees them
COMPANY_MODELS = {
    "migration.project",
    "migration.source",
    "migration.staging.row",
    "migration.object.map",
    "migration.field.map",
    "migration.value.map",
    "migration.converter.column",
    "migration.stage.proposal",
    "migration.run",
    "migration.run.line",
    "migration.run.batch",
    "migration.review",
    "migration.review.issue",
    "migration.ledger",
    "migration.sample.diff",
    "migration.fill.rate",
    "migration.cell.check",
    "migration.audit",
}
API_FIELDS = ("api_key_token", "api_base_url", "api_account_id")


@tagged("post_install", "-at_install")
class TestAccessMatrix(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.sample_size = 2
        cls.project._start_run("sample")
        cls.loaded_run = cls.project._start_run("full")
        groups = {
            "user": "crm_migration.group_migration_user",
            "manager": "crm_migration.group_migration_manager",
            "internal": "base.group_user",
            "salesman": "sales_team.group_sale_salesman_all_leads",
            "portal": "base.group_portal",
        }
        cls.users = {
            name: new_test_user(cls.env, login=f"matrix-{name}", groups=group)
            for name, group in groups.items()
        }
        cls.user, cls.manager = cls.users["user"], cls.users["manager"]
        cls.project._keep_api_credentials({"api_key": "MATRIX-KEY-5d1e"})

    def _addon_models(self):
        return {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "crm_migration" and not model._abstract
        }

    def test_every_model_has_the_intended_rights(self):
        self.assertEqual(self._addon_models(), set(MATRIX))
        Access = self.env["ir.model.access"]
        wrong = []
        for model, (user, manager) in MATRIX.items():
            want = {"user": user, "manager": manager}
            for profile, account in self.users.items():
                for letter, operation in OPERATIONS.items():
                    allowed = Access.with_user(account).check(
                        model, operation, raise_exception=False
                    )
                    if allowed != (letter in want.get(profile, NONE)):
                        wrong.append(f"{profile} {operation} {model}: {allowed}")
        self.assertEqual(wrong, [])

    def test_no_access_outside_the_migration_groups(self):
        # a downloaded report is an attachment of its run: as private as the run
        action = self.loaded_run.action_export_reconciliation()
        report = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        self.assertTrue(report.with_user(self.user).raw)
        root = self.env.ref("crm_migration.menu_migration_root")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(root.id, Menu.with_user(self.user)._visible_menu_ids())
        for profile in ("internal", "salesman", "portal"):
            account = self.users[profile]
            if not account.share:  # a portal user reads no menu at all
                self.assertNotIn(root.id, Menu.with_user(account)._visible_menu_ids())
            with self.assertRaises(AccessError, msg=profile):
                report.with_user(account).read(["raw"])
            with self.assertRaises(AccessError, msg=profile):
                self.project.with_user(account).read(["name"])
            with self.assertRaises(AccessError, msg=profile):
                self.env["migration.project"].with_user(account).create({"name": "X"})
            with self.assertRaises(AccessError, msg=profile):
                self.project.with_user(account).action_sample_run()

    def test_records_of_another_company_are_invisible(self):
        models = {
            name
            for name in self._addon_models()
            # a wizard's records are its creator's alone
            if not self.env[name]._transient and "company_id" in self.env[name]._fields
        }
        self.assertEqual(models, COMPANY_MODELS)
        other = self.env["res.company"].create({"name": "Matrix Other Co"})
        outsider = new_test_user(
            self.env,
            login="matrix-outsider",
            groups="crm_migration.group_migration_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        # a run in parallel batches has batch records (this one ran at once)
        line = self.loaded_run.line_ids[:1]
        self.env["migration.run.batch"].create(
            {"run_id": self.loaded_run.id, "line_id": line.id, "number": 1}
        )
        self.env["migration.stage.proposal"].create(
            {"object_map_id": self.omap["deals.csv"].id, "name": "Matrix stage"}
        )
        self.env["migration.converter.column"].create(
            {"object_map_id": self.omap["deals.csv"].id, "role": "r", "name": "R"}
        )
        self.env.flush_all()
        for model in sorted(COMPANY_MODELS):
            # the records exist (seen as superuser) ...
            self.assertTrue(
                self.env[model].search_count(
                    [("company_id", "=", self.env.company.id)]
                ),
                model,
            )
            # ... and the manager of another company sees none of them
            self.assertEqual(
                self.env[model].with_user(outsider).search_count([]), 0, model
            )

    def test_user_cannot_read_or_set_the_api_key(self):
        project = self.project.with_user(self.user)
        for field in API_FIELDS:
            with self.assertRaises(AccessError, msg=field):
                project.read([field])
            with self.assertRaises(AccessError, msg=field):
                project.search([(field, "!=", False)])
        self.assertNotIn("api_key_token", project.read()[0])
        # whether a key is kept is no secret, the key is
        self.assertTrue(project.api_key_stored)
        with self.assertRaises(AccessError):
            project.write({"api_key_token": "forged"})
        with self.assertRaises(AccessError):
            project.action_forget_api_key()
        with self.assertRaises(AccessError):
            project._keep_api_credentials({"api_key": "USER-KEY-1234"})
        wizard = (
            self.env["migration.import.wizard"]
            .with_user(self.user)
            .create(
                {
                    "project_id": self.project.id,
                    "use_api": True,
                    "api_key": "USER-KEY-1234",
                    "api_base_url": "http://127.0.0.1:9",  # never asked
                    "keep_api_key": True,
                    "propose": False,
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_import()
        self.assertEqual(
            self.project._stored_api_credentials()[0], {"api_key": "MATRIX-KEY-5d1e"}
        )
        # a manager reads that a token is kept, and may forget it
        token = self.project.with_user(self.manager).read(["api_key_token"])[0]
        self.assertNotIn("MATRIX-KEY-5d1e", token["api_key_token"])
        self.project.with_user(self.manager).action_forget_api_key()
        self.assertFalse(self.project.api_key_stored)

    def test_user_cannot_call_manager_actions(self):
        project = self.project.with_user(self.user)
        for action in ("action_full_run", "action_go_live", "action_delta_run"):
            with self.assertRaises(AccessError, msg=action):
                getattr(project, action)()
        self.assertEqual(self.project.state, "loaded")
        self.assertFalse(self.project.cron_id)
        # rollback: a full run or a whole project is out of reach
        for default in (
            {"run_id": self.loaded_run.id},
            {"project_id": self.project.id},
        ):
            wizard = (
                self.env["migration.rollback.wizard"]
                .with_user(self.user)
                .create(default)
            )
            with self.assertRaises(AccessError):
                wizard.action_rollback()
        with self.assertRaises(AccessError):
            self.project.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self.loaded_run.with_user(self.user).unlink()
        self.assertFalse(self.loaded_run.ledger_ids.filtered("rolled_back"))
        # going live, then closing, are a Manager's
        self.project.with_user(self.manager).action_go_live()
        self.assertEqual(self.project.state, "live")
        with self.assertRaises(AccessError):
            project.action_close()
        self.assertEqual(self.project.state, "live")
        self.assertTrue(self.project.cron_id.active)
        self.project.with_user(self.manager).action_close()
        self.assertEqual(self.project.state, "closed")

    def test_user_cannot_start_or_cancel_a_queued_full_run(self):
        queued = self.env["migration.run"].create(
            {"project_id": self.project.id, "kind": "full", "state": "queued"}
        )
        for action in ("action_run_now", "action_cancel"):
            with self.assertRaises(AccessError, msg=action):
                getattr(queued.with_user(self.user), action)()
            self.assertEqual(queued.state, "queued", action)
        queued.with_user(self.manager).action_cancel()
        self.assertEqual(queued.state, "failed")

    def test_manager_rolls_back_what_a_user_may_not(self):
        wizard = (
            self.env["migration.rollback.wizard"]
            .with_user(self.manager)
            .create({"run_id": self.loaded_run.id})
        )
        wizard.action_rollback()
        self.assertEqual(self.loaded_run.state, "rolled_back")

    def test_a_user_sample_is_capped_on_the_server(self):
        self.project.sample_size = 1001
        with self.assertRaises(AccessError):
            self.project.with_user(self.user).action_sample_run()
        runs = self.project.run_ids
        self.project.sample_size = 1000
        self.project.with_user(self.user).action_sample_run()
        new = self.project.run_ids - runs
        self.assertEqual(
            (new.kind, new.sample_size, new.user_id), ("sample", 1000, self.user)
        )
        # a Manager's sample may be larger
        self.project.sample_size = 5000
        self.project.with_user(self.manager).action_sample_run()
        self.assertEqual(len(self.project.run_ids - runs), 2)
