"""A parallel run's new x_ fields and the workers' registries (issue 18).

The plan job makes the run's new fields; another worker process knows them
only once it reloads its registry (Odoo signals the change after the plan's
commit). A batch job that starts on a worker which has not reloaded yet must
not load its rows without those fields' cells: the bench's 20,000-row run on
two workers ended failed so (cell conservation: companies.Employees,
companies.Customer Since, contacts.Newsletter), every job done."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.queue_job.job import PENDING

from .common import MigrationCase, job_runner_on
from .test_parallel import CHANNEL, Workers, scenario
from .test_parallel_workers import WorkerCase

FIELD = "x_site_url"


@tagged("post_install", "-at_install")
class TestParallelRegistry(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Parallel new fields",
                "system": "generic",
                "default_user_id": cls.owner.id,
                "batch_size": 10,
                "run_in_background": True,
                "parallel_batches": True,
            }
        )
        companies, contacts, _deals = scenario(n_companies=20, n_contacts=20)
        cls.project._add_file("companies.csv", companies)
        cls.project._add_file("contacts.csv", contacts)
        cls.project.action_profile()
        cls.project.action_propose()
        omaps = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls.project.object_map_ids.field_map_ids.filtered(
            lambda f: f.action == "create"
        ).write({"action": "ignore"})
        omaps["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Website"
        ).write(
            {
                "action": "create",
                "new_field_name": FIELD,
                "new_field_type": "char",
                "new_field_label": "Site",
            }
        )
        cls.project.action_confirm_maps()

    def setUp(self):
        super().setUp()
        job_runner_on(self)

    def pending(self):
        return self.env["queue.job"].search(
            [("state", "=", PENDING), ("channel", "=", CHANNEL)]
        )

    def test_a_batch_on_a_registry_without_the_runs_new_field_waits_for_it(self):
        self.project.action_full_run()
        run = self.project.run_ids.sorted("id")[-1]
        workers = Workers(self.env)
        workers.perform(self.pending().uuid)  # the plan: it makes x_site_url
        self.assertEqual(run.state, "running")
        Partner = type(self.env["res.partner"])
        self.assertIn(FIELD, Partner._fields)
        first = self.pending()
        self.assertEqual(first.method_name, "_parallel_batch")
        # another worker, whose registry has not been reloaded since the plan
        field = Partner._fields.pop(FIELD)
        try:
            workers.perform(first.uuid)
        finally:
            Partner._fields[FIELD] = field
        self.assertEqual(workers.performed[-1][2], "retry")
        self.assertIn(FIELD, first.result)
        # tried again at once, not as one of its attempts: the job function's
        # retry pattern made it wait 10 s (an attempt spent)
        first.invalidate_recordset()
        self.assertEqual(first.retry, 0)
        self.assertLessEqual(first.eta, fields.Datetime.now() + timedelta(seconds=2))
        batch = run.batch_ids.filtered(lambda b: b.number == 1 and b.sequence == 1)
        self.assertEqual(batch.state, "pending")
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Company 0 Corp")])
        )
        # the worker's registry reloaded (here: the field back), it loads
        workers.run()
        run.invalidate_recordset()
        self.assertEqual((run.state, run.balanced, run.unaccounted_cell_count),
                         ("done", True, 0))  # fmt: skip
        companies = self.env["res.partner"].search(
            [("name", "=like", "Company % Corp"), ("is_company", "=", True)]
        )
        self.assertEqual(len(companies), 20)
        self.assertEqual(
            sorted(companies.mapped(FIELD)),
            sorted(f"https://c{i}.example.com" for i in range(20)),
        )


WORKER_FIELD = "x_workers_site"


@tagged("post_install", "-at_install")
class TestParallelRegistryOnWorkers(WorkerCase):
    """The same on two worker processes: the plan makes the field on one of
    them, the other one loads batches of the object that writes it."""

    def drop_field(self):
        """The committed x_ field, gone (this process's registry never had
        it: the workers made it)."""
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_model_fields WHERE model = 'res.partner' AND name = %s",
                [WORKER_FIELD],
            )
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner DROP COLUMN IF EXISTS %s",
                    SQL.identifier(WORKER_FIELD),
                )
            )

    def test_a_field_the_plan_makes_on_one_worker_is_written_by_the_other(self):
        companies, contacts, _deals = scenario(n_companies=60, n_contacts=120)
        files = {"companies.csv": companies, "contacts.csv": contacts}
        project_id = self.committed_project("Workers' new field", 10, files)
        self.addCleanup(self.drop_field)
        self.addCleanup(self.undo, project_id)
        with self.registry.cursor() as cr:
            project = self.env_of(cr)["migration.project"].browse(project_id)
            project.object_map_ids.field_map_ids.filtered(
                lambda f: f.column == "Website"
            ).write(
                {
                    "action": "create",
                    "new_field_name": WORKER_FIELD,
                    "new_field_type": "char",
                    "new_field_label": "Workers' site",
                }
            )
            project.action_confirm_maps()
        run_id = self.queue_parallel_run(project_id)
        # each worker waits after a job: the next one goes to the other
        lines, codes = self.run_workers(kill=None, pause=0.5)
        self.assertEqual(codes, [0, 0])
        plan = [line.split()[1] for line in lines if "_parallel_plan" in line]
        batches = {
            line.split()[1]
            for line in lines
            if line.startswith("done") and "_parallel_batch" in line
        }
        self.assertEqual(len(plan), 1)
        self.assertTrue(batches - set(plan), "no batch on the other worker")
        with self.registry.cursor() as cr:
            run = self.env_of(cr)["migration.run"].browse(run_id)
            self.assertEqual(
                (run.state, run.balanced, run.unaccounted_cell_count),
                ("done", True, 0),
                run.log,
            )
            cr.execute(
                SQL(
                    "SELECT count(*), count(%s) FROM res_partner "
                    "WHERE is_company AND name LIKE 'Company %% Corp'",
                    SQL.identifier(WORKER_FIELD),
                )
            )
            self.assertEqual(cr.fetchone(), (60, 60))
