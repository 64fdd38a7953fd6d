"""The consultant's screens in headless Chromium (issue 17): the manager's
whole path, the part a Migration User may walk, and a background run whose
page follows it live. Tours in static/tests/tours/crm_migration_tours.js."""

import logging
import threading
import time
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import read_data
from .tour_screenshots import TourScreenshots

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "is_tour")
class TestScreensTour(TourScreenshots, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="mig_manager",
            name="Mia Manager",
            groups="base.group_user,crm_migration.group_migration_manager",
        )
        cls.user = new_test_user(
            cls.env,
            login="mig_user",
            name="Ugo User",
            groups="base.group_user,crm_migration.group_migration_user",
        )
        cls.project = cls.env["migration.project"].create(
            {"name": "Tour CRM", "system": "generic", "sample_size": 2}
        )
        for name in ("companies.csv", "contacts.csv", "deals.csv"):
            cls.project._add_file(name, read_data(name))
        cls.project.action_profile()
        cls.project.action_propose()
        omaps = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls.project.action_confirm_maps()
        # known numbers to read on the page ("reason" in the values: a
        # proposal's own words, not a person's choice)
        omaps["companies.csv"].confidence = 0.9
        fmaps = {f.column: f for f in omaps["companies.csv"].field_map_ids}
        fmaps["Company Name"].write({"confidence": 0.95, "reason": "same name"})
        fmaps["Employees"].write({"confidence": 0.4, "reason": "a guess"})
        fmaps["Website"].write(
            {"confidence": 0.5, "reason": "planted reason: a website column"}
        )
        fmaps["Website"].action_unconfirm()

    def _url(self):
        return f"/odoo/action-crm_migration.action_migration_project/{self.project.id}"

    def test_manager_walks_the_whole_flow(self):
        self.start_tour(
            self._url(), "crm_migration_manager_flow", login="mig_manager", timeout=300
        )
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state, run.read_count), ("full", "done", 13))
        self.assertEqual(self.project.state, "loaded")
        website = self.project.object_map_ids.field_map_ids.filtered(
            lambda f: f.column == "Website"
        )
        self.assertTrue(website.confirmed)

    def test_user_walks_the_allowed_part(self):
        self.start_tour(
            self._url(), "crm_migration_user_flow", login="mig_user", timeout=300
        )
        run = self.project.run_ids
        self.assertEqual(
            (run.kind, run.state, run.user_id), ("sample", "done", self.user)
        )
        self.assertEqual(self.project.state, "sampled")
        refused = self.project.source_ids.filtered(lambda s: s.name == "brochure.pdf")
        self.assertEqual(refused.state, "error")
        self.assertIn("brochure.pdf", refused.error)

    def test_manager_reviews_items_and_reads_the_dashboard(self):
        # unknown owners: ghost on two contacts, phantom on one (and the
        # fixture's alice and bob, who are no users of this database)
        self.project._add_file(
            "contacts.csv",
            read_data("contacts.csv")
            + b"P7,Gus,Grey,gus@example.org,,Initech,,ghost@example.com,04/06/2021\n"
            + b"P8,Hal,Hill,hal@example.org,,Initech,,phantom@example.com,04/07/2021\n",
        )
        self.project.action_confirm_maps()
        self.project.object_map_ids.field_map_ids.action_confirm()
        self.project.action_full_run()
        self.assertIn(
            "Unknown owner: 4 owners on 9 rows",
            self.project.review_summary,
            self.project.review_ids.mapped(lambda r: (r.kind, r.column, r.value)),
        )
        _logger.info("steps: %s", self.project.steps_html)
        self.start_tour(
            self._url(),
            "crm_migration_review_and_dashboard",
            login="mig_manager",
            timeout=300,
        )
        issues = self.env["migration.review.issue"].search(
            [("project_id", "=", self.project.id), ("kind", "=", "unknown_owner")]
        )
        ghost = issues.filtered(lambda i: i.value == "ghost@example.com")
        phantom = issues.filtered(lambda i: i.value == "phantom@example.com")
        self.assertEqual(ghost.state, "resolved")
        self.assertEqual(
            ghost.review_ids.mapped("corrected_value"), ["alice@example.com"] * 2
        )
        self.assertEqual(phantom.state, "ignored")
        self.assertEqual(phantom.review_ids.resolution, "left the company")
        # "Review first": nothing scheduled
        self.assertEqual(self.project.state, "loaded")
        self.assertFalse(self.project.cron_id)

    def test_background_run_page_follows_the_run(self):
        self.project.object_map_ids.field_map_ids.action_confirm()
        self.project.run_in_background = True
        worker = threading.Thread(target=self._worker, daemon=True)
        self.failure = None
        worker.start()
        # the worker thread below stands for queue_job's runner
        Project = type(self.env["migration.project"])
        with patch.object(Project, "_job_runner_available", return_value=True):
            self.start_tour(
                self._url(),
                "crm_migration_run_progress",
                login="mig_manager",
                timeout=300,
            )
        worker.join(30)
        self.assertIsNone(self.failure)
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state, run.read_count), ("full", "done", 13))

    def _worker(self):
        """A job worker: once the run's page is watching (its log note), run
        the queued job, in its own cursor, as queue_job's runner would."""
        try:
            for _attempt in range(240):
                time.sleep(0.25)
                with self.registry.cursor() as cr:
                    env = self.env(cr=cr, su=True)  # as queue_job's runner
                    watched = env["mail.message"].search_count(
                        [("model", "=", "migration.run"), ("body", "ilike", "watching")]
                    )
                    _logger.info("worker: watched=%s", watched)
                    if not watched:
                        continue
                    job = env["queue.job"].search(
                        [
                            ("model_name", "=", "migration.project"),
                            ("state", "=", "pending"),
                        ]
                    )
                    _logger.info("worker: performing %s", job.uuid)
                    Job.load(env, job.uuid).perform()
                    _logger.info("worker: done")
                    return
            self.failure = "the run's page never watched the run"
        except Exception as exc:  # noqa: BLE001 - reported by the test
            _logger.info("worker failed: %r", exc, exc_info=True)
            self.failure = repr(exc)
