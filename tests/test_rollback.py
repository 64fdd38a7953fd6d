from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestRollback(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def _records(self, run, operation="create"):
        entries = self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("operation", "=", operation)]
        )
        return [
            self.env[e.res_model].with_context(active_test=False).browse(e.res_id)
            for e in entries
        ]

    def test_rollback_deletes_what_the_run_created(self):
        run = self._full_run()
        created = self._records(run)
        acme = self._record("company", "id:C1")
        acme.message_post(body="a note made by the run's world")
        stage = self.env["crm.stage"].search([("name", "=", "Negotiation Phase")])
        self.assertTrue(stage)
        lookups = self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("target", "=", "lookup")]
        )
        self.assertEqual(
            sorted(lookups.mapped("source_key")),
            [
                "auto:crm.stage:Negotiation Phase",
                "auto:crm.tag:Renewal",
                "auto:crm.tag:Upsell",
                "auto:res.partner.category:Manufacturing",
                "auto:res.partner.category:Partner",
                "auto:res.partner.category:VIP",
            ],
        )
        self.assertEqual(
            len(created), 3 + 4 + 3 + 6
        )  # companies, contacts, leads, lookups
        totals = run._rollback()
        self.assertEqual(
            totals["done"],
            len(self.env["migration.ledger"].search([("run_id", "=", run.id)])),
        )
        self.assertEqual(
            (totals["conflicts"], totals["errors"], totals["remaining"]), ([], [], 0)
        )
        self.assertFalse([r for r in created if r.exists()])
        self.assertFalse(stage.exists())
        self.assertFalse(
            self.env["crm.tag"].search([("name", "in", ("Renewal", "Upsell"))])
        )
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "=", acme.id)]
            )
        )
        self.assertEqual(run.state, "rolled_back")
        self.assertIn("Rollback by", run.log)
        self.assertEqual(
            set(self.project.source_ids.staging_row_ids.mapped("state")),
            {"staged", "review"},
        )
        # idempotent: nothing left to do
        self.assertEqual(run._rollback()["done"], 0)
        # and a new run creates the records again instead of updating ghosts
        again = self._full_run()
        self.assertEqual(again.created_count, run.created_count)
        self.assertTrue(self._record("company", "id:C1").exists())

    def test_rollback_of_an_update_restores_before_values(self):
        first = self._full_run()
        acme = self._record("company", "id:C1")
        data = read_data("companies.csv").replace(
            b"+1 212 555 0100", b"+1 212 555 0199"
        )
        self.project._add_file("companies.csv", data)
        second = self._full_run()
        self.assertEqual(acme.phone, "+12125550199")
        totals = second._rollback()
        self.assertEqual(totals["done"], 1)
        self.assertEqual(acme.phone, "+12125550100")
        self.assertTrue(acme.exists())
        self.assertEqual(first.state, "done")
        self.assertEqual(second.state, "rolled_back")

    def test_conflict_after_a_user_edit(self):
        run = self._full_run()
        acme = self._record("company", "id:C1")
        ana = self._record("contact", "id:P1")
        acme.website = "https://acme-new.example.com"
        wizard = self.env["migration.rollback.wizard"].create({"run_id": run.id})
        self.assertEqual(wizard.conflict_count, 1)
        self.assertIn("website", wizard.conflict_html)
        wizard.action_rollback()
        self.assertTrue(acme.exists())
        self.assertEqual(acme.website, "https://acme-new.example.com")
        self.assertFalse(ana.exists())
        self.assertEqual(run.state, "done")
        self.assertIn("conflicts", run.log)
        left = self.env["migration.ledger"].search(
            [("run_id", "=", run.id), ("rolled_back", "=", False)]
        )
        self.assertEqual(left.mapped("source_key"), ["id:C1"])
        # the manager forces it
        forced = self.env["migration.rollback.wizard"].create(
            {"run_id": run.id, "force": True}
        )
        forced.action_rollback()
        self.assertFalse(acme.exists())
        self.assertEqual(run.state, "rolled_back")

    def test_resumed_rollback(self):
        run = self._full_run()
        total = self.env["migration.ledger"].search_count([("run_id", "=", run.id)])
        first = run._rollback(limit=5)
        self.assertEqual((first["done"], first["remaining"]), (5, total - 5))
        self.assertEqual(run.state, "done")
        self.assertEqual(
            self.env["migration.ledger"].search_count(
                [("run_id", "=", run.id), ("rolled_back", "=", True)]
            ),
            5,
        )
        rest = run._rollback()
        self.assertEqual((rest["done"], rest["remaining"]), (total - 5, 0))
        self.assertEqual(run.state, "rolled_back")
        self.assertFalse([r for r in self._records(run) if r.exists()])

    def test_project_rollback_and_manager_only(self):
        self.project.sample_size = 1
        self.project.action_sample_run()
        self._full_run()
        user = new_test_user(
            self.env, login="mig-user-rb", groups="crm_migration.group_migration_user"
        )
        with self.assertRaises(AccessError):
            self.env["migration.rollback.wizard"].with_user(user).create(
                {"project_id": self.project.id}
            ).action_rollback()
        manager = new_test_user(
            self.env,
            login="mig-manager-rb",
            groups="crm_migration.group_migration_manager",
        )
        self.env["migration.rollback.wizard"].with_user(manager).create(
            {"project_id": self.project.id}
        ).action_rollback()
        self.assertEqual(set(self.project.run_ids.mapped("state")), {"rolled_back"})
        self.assertFalse(
            self.env["migration.ledger"].search_count(
                [("project_id", "=", self.project.id), ("rolled_back", "=", False)]
            )
        )

    def test_merge_into_existing_partner_and_roll_it_back(self):
        existing = self.env["res.partner"].create(
            {"name": "Ana (already in Odoo)", "email": "ANA@acme.example.com"}
        )
        run = self._full_run()
        contacts = run.line_ids.filtered(lambda line: line.target == "contact")
        self.assertEqual((contacts.created_count, contacts.merged_count), (3, 2))
        self.assertEqual(existing.name, "Ana (already in Odoo)")
        self.assertEqual(existing.function, "CEO")
        self.assertEqual(existing.phone, "+12125550101")
        merges = self.env["migration.ledger"].search(
            [
                ("run_id", "=", run.id),
                ("res_id", "=", existing.id),
                ("res_model", "=", "res.partner"),
            ]
        )
        self.assertEqual(sorted(merges.mapped("source_key")), ["id:P1", "id:P4"])
        self.assertEqual(set(merges.mapped("operation")), {"merge"})
        first = merges.filtered(lambda e: e.source_key == "id:P1")
        self.assertEqual(first.before_values["function"], False)
        self.assertEqual(first.before_values["phone"], False)
        # the deal of that contact links to the existing partner
        renewal = self._record("lead", "id:D1")
        self.assertEqual(renewal.partner_id, existing)
        run._rollback()
        self.assertTrue(existing.exists())
        self.assertFalse(existing.function)
        self.assertFalse(existing.phone)
        self.assertEqual(existing.name, "Ana (already in Odoo)")
