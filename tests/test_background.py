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

    def test_full_run_queued_then_run_by_a_worker(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True
        action = self.project.action_full_run()
        self.assertEqual(action["params"]["title"], "Full run queued")
        self.assertFalse(self.project.run_ids)
        job_record = self._jobs()
        self.assertEqual(len(job_record), 1)
        self.assertEqual(
            (job_record.state, job_record.args, job_record.kwargs),
            ("pending", ["full"], {"commit": True}),
        )
        self.assertEqual(job_record.records, self.project)
        # migration runs queue on their own channel (data/queue_job_data.xml)
        self.assertEqual(job_record.channel, "root.crm_migration")
        # what a worker does
        job = Job.load(self.env, job_record.uuid)
        job.perform()
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state, run.read_count), ("full", "done", 13))
        self.assertTrue(run.balanced)

    def test_background_run_is_refused_at_once_when_maps_are_unconfirmed(self):
        self.project.run_in_background = True
        with self.assertRaisesRegex(UserError, "confirmed"):
            self.project.action_full_run()
        self.assertFalse(self._jobs())
