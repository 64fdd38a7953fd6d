import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestBackgroundRun(MigrationCase):
    def _jobs(self):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "migration.project"),
                ("method_name", "=", "_start_run"),
            ]
        )

    def _perform(self, uuid):
        """What a worker does: the job function allows commits, so queue_job
        runs it in a cursor of its own; in test mode that cursor shares this
        test's transaction (what this test wrote is flushed first, as the
        commit before a real job is)."""
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            Job.load(self.env, uuid).perform()
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()

    def setUp(self):
        super().setUp()
        # a job runner is there (queue_job server-wide, or its cron runner);
        # test_no_job_runner_is_said_instead_of_queueing stops this
        Project = type(self.env["migration.project"])
        self.runner = patch.object(Project, "_job_runner_available", return_value=True)
        self.runner.start()
        self.addCleanup(self.runner.stop)

    def test_full_run_queued_then_run_by_a_worker(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        action = self.project.action_full_run()
        # the run exists at once, queued: its page follows it (issue 17)
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state), ("full", "queued"))
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("migration.run", run.id)
        )
        self.assertEqual(run.time_left, "waiting for a job worker")
        job_record = self._jobs()
        self.assertEqual(len(job_record), 1)
        self.assertEqual(
            (job_record.state, job_record.args, job_record.kwargs),
            ("pending", ["full"], {"commit": True, "run_id": run.id}),
        )
        self.assertEqual(job_record.records, self.project)
        # migration runs queue on their own channel (data/queue_job_data.xml)
        self.assertEqual(job_record.channel, "root.crm_migration")
        # one run of a project at a time, queued ones included
        with self.assertRaisesRegex(UserError, "still running"):
            self.project.action_full_run()
        # what a worker does
        self._perform(job_record.uuid)
        self.assertEqual(self.project.run_ids, run)
        self.assertEqual((run.kind, run.state, run.read_count), ("full", "done", 13))
        self.assertEqual((run.done_rows, run.total_rows, run.progress), (13, 13, 100.0))
        self.assertTrue(run.balanced)
        self.assertEqual(self.project.state, "loaded")

    def test_queued_run_run_here_now_then_its_job_skips_it(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        self.project.action_full_run()
        run = self.project.run_ids
        run.action_run_now()
        self.assertEqual(run.state, "done")
        self._perform(self._jobs().uuid)
        self.assertEqual(self.project.run_ids, run)
        self.assertEqual(run.read_count, 13)

    def test_queued_run_that_can_no_longer_start_says_why(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        self.project.action_full_run()
        run = self.project.run_ids
        # a map withdrawn while the run waited in the queue
        self.omap["companies.csv"].field_map_ids[0].action_unconfirm()
        self._perform(self._jobs().uuid)
        self.assertEqual(run.state, "failed")
        self.assertIn("every map confirmed", run.log)

    def test_cancel_a_queued_run(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        self.project.action_full_run()
        run = self.project.run_ids
        run.action_cancel()
        self.assertEqual(run.state, "failed")
        self.assertIn("Cancelled", run.log)
        self._perform(self._jobs().uuid)
        self.assertEqual(run.read_count, 0)

    def test_no_job_runner_is_said_instead_of_queueing(self):
        """The test server loads no queue_job runner (server_wide_modules is
        base,web) and no cron runner is installed: the button says so and
        queues nothing that would never run."""
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        self.runner.stop()
        # the test database has the cron runner (see the test below): not here
        cron_runner = self.env["ir.module.module"].search(
            [("name", "=", "queue_job_cron_jobrunner")]
        )
        cron_runner.state = "uninstalled"
        self.assertFalse(self.env["migration.project"]._job_runner_available())
        with self.assertRaisesRegex(
            UserError, "server_wide_modules = base,web,queue_job"
        ):
            self.project.action_full_run()
        self.assertFalse(self._jobs())
        # the OCA cron-based runner counts as a runner
        self.env["ir.module.module"].search(
            [("name", "=", "queue_job_cron_jobrunner")]
        ).state = "installed"
        self.env["ir.module.module"].flush_model()
        if not self.env["ir.module.module"].search(
            [("name", "=", "queue_job_cron_jobrunner")]
        ):
            self.env["ir.module.module"].create(
                {"name": "queue_job_cron_jobrunner", "state": "installed"}
            )
        self.assertTrue(self.env["migration.project"]._job_runner_available())
        self.project.action_full_run()
        self.assertEqual(len(self._jobs()), 1)

    def test_the_cron_runner_runs_a_queued_run(self):
        """Where no runner process can be kept alive (hosted Odoo), the OCA
        cron-based runner queue_job_cron_jobrunner is the fallback: installed,
        it counts as a runner, a queued run triggers its scheduled action, and
        that action (queue.job._job_runner) runs the run to the end."""
        module = self.env["ir.module.module"].search(
            [("name", "=", "queue_job_cron_jobrunner")]
        )
        self.assertEqual(
            module.state,
            "installed",
            "tools/run_tests.sh installs queue_job_cron_jobrunner beside the addon "
            "(pip install odoo-addon-queue-job-cron-jobrunner)",
        )
        self.runner.stop()  # the real check, not this class's stand-in
        self.assertTrue(self.env["migration.project"]._job_runner_available())
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        cron = self.env.ref("queue_job_cron_jobrunner.queue_job_cron")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        self.project.action_full_run()
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state), ("full", "queued"))
        # the queued job asks the runner's scheduled action to run now
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]) - triggers)
        # what the scheduled action runs (model._job_runner()), without its
        # commits: the job's own cursor shares this test's transaction
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            self.env["queue.job"]._job_runner(commit=False)
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        self.assertEqual(self._jobs().state, "done")
        self.assertEqual((run.state, run.read_count, run.done_rows), ("done", 13, 13))
        self.assertTrue(run.balanced)
        self.assertEqual(self.project.state, "loaded")

    def test_background_run_is_refused_at_once_when_maps_are_unconfirmed(self):
        self.project.run_in_background = True
        with self.assertRaisesRegex(UserError, "confirmed"):
            self.project.action_full_run()
        self.assertFalse(self._jobs())


@tagged("post_install", "-at_install")
class TestRunProgress(MigrationCase):
    def _notifications(self, run):
        self.env.cr.precommit.run()  # what a commit does: the bus rows are made
        return [
            json.loads(bus.message)["payload"]
            for bus in self.env["bus.bus"].search([], order="id")
            if json.loads(bus.message)["type"] == "crm_migration/run_progress"
            and json.loads(bus.message)["payload"]["run_id"] == run.id
        ]

    def test_a_run_tells_its_page_how_far_it_is_batch_by_batch(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.batch_size = 2
        run = self._full_run()
        sent = self._notifications(run)
        # before loading (every object planned), one per batch, then the end
        self.assertEqual(sent[0]["done_rows"], 0)
        self.assertEqual(sent[0]["total_rows"], 13)
        batches = [(p["object"], p["done_rows"]) for p in sent[1:-1]]
        self.assertEqual(
            batches,
            [
                ("companies", 2),
                ("companies", 3),
                ("contacts", 5),
                ("contacts", 7),
                ("contacts", 9),
                ("deals", 11),
                ("deals", 13),
            ],
        )
        self.assertEqual(
            (sent[-1]["state"], sent[-1]["object"], sent[-1]["done_rows"]),
            ("done", "", 13),
        )
        # every object's line with its planned rows, read to the end
        self.assertEqual(
            [
                (line.object_name, line.planned_count, line.progress)
                for line in run.line_ids.sorted("sequence")
            ],
            [("companies", 3, 100.0), ("contacts", 6, 100.0), ("deals", 4, 100.0)],
        )

    def test_time_left_from_the_rate_so_far(self):
        run = self.env["migration.run"].create(
            {
                "project_id": self.project.id,
                "kind": "full",
                "state": "running",
                "date_start": fields.Datetime.now() - timedelta(seconds=100),
                "total_rows": 1000,
                "done_rows": 100,
            }
        )
        # about a row a second, 900 rows left
        self.assertAlmostEqual(run.rate, 1.0, places=1)
        self.assertEqual(run.time_left, "about 15 min")
        run.done_rows = 0
        self.assertEqual(run.time_left, "estimating...")
        run.done_rows = 990
        self.assertEqual(run.time_left, "less than a minute")
        run.write({"total_rows": 100000, "done_rows": 1000})
        self.assertRegex(run.time_left, r"^about 2 h 4[3-7] min$")
        run.state = "done"
        self.assertEqual(run.time_left, "")
