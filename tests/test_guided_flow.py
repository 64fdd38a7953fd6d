"""The guided path of issue 17: review rows that share a kind, column and
value are one review item with its occurrences, the project's steps say what
is left and what waits, going live with open items is a knowing choice, the
dashboard opens as charts, and samples and deltas go to the background like
full runs."""

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import MigrationCase, job_runner_on, read_data

OWNERS = ("Jane Roe", "Rui Costa", "Mei Lin")


def contacts_owned_by_names(rows_per_owner=4):
    """contacts.csv with owners written as names (as a generic export does):
    no Odoo user has these names as login or email."""
    lines = [
        b"Contact ID,First Name,Last Name,Email,Phone,Company,Job Title,Owner,Created"
    ]
    number = 0
    for owner in OWNERS:
        for _i in range(rows_per_owner):
            number += 1
            lines.append(
                f"N{number},First{number},Last{number},p{number}@example.org,,"
                f"Initech,,{owner},04/0{1 + number % 9}/2021".encode()
            )
    return b"\n".join(lines) + b"\n"


@tagged("post_install", "-at_install")
class TestReviewItems(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project._add_file("contacts.csv", contacts_owned_by_names())
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def _owner_issues(self):
        return self.env["migration.review.issue"].search(
            [("project_id", "=", self.project.id), ("kind", "=", "unknown_owner")]
        )

    def test_owner_names_on_many_rows_are_one_item_per_owner(self):
        run = self._full_run()
        rows = run.review_ids.filtered(lambda r: r.kind == "unknown_owner")
        # one row per cell, as cell conservation counts them
        self.assertEqual(len(rows), 12)
        cells = run.cell_check_ids.filtered(
            lambda c: c.object_name == "contacts" and c.column == "Owner"
        )
        self.assertEqual((cells.review_count, cells.unaccounted_count), (12, 0))
        # one item per owner, with its occurrences
        issues = self._owner_issues()
        self.assertEqual(sorted(issues.mapped("value")), sorted(OWNERS))
        self.assertEqual(issues.mapped("occurrence_count"), [4, 4, 4])
        self.assertEqual(issues.mapped("record_count"), [4, 4, 4])
        self.assertEqual(set(issues.mapped("column")), {"Owner"})
        self.assertEqual(rows.issue_id, issues)
        self.project.invalidate_recordset(["review_summary", "review_issue_count"])
        self.assertIn("Unknown owner: 3 owners on 12 rows", self.project.review_summary)
        open_issues = self.env["migration.review.issue"].search(
            [("project_id", "=", self.project.id), ("state", "=", "open")]
        )
        self.assertEqual(self.project.review_issue_count, len(open_issues))
        self.assertEqual(
            sum(open_issues.mapped("open_count")), self.project.review_open_count
        )

    def test_correcting_an_item_loads_every_row_with_the_value(self):
        self._full_run()
        jane = self._owner_issues().filtered(lambda i: i.value == "Jane Roe")
        action = jane.action_open_correct()
        self.assertEqual((action["res_id"], action["target"]), (jane.id, "new"))
        with Form(
            jane, view="crm_migration.migration_review_issue_view_form_correct"
        ) as form:
            form.corrected_value = "alice@example.com"
            form.resolution = "Jane is Alice's maiden name"
        jane.action_correct()
        self.assertEqual(jane.state, "resolved")
        self.assertEqual(
            set(jane.review_ids.mapped("corrected_value")), {"alice@example.com"}
        )
        self.assertEqual(set(jane.review_ids.mapped("state")), {"resolved"})
        # the next run loads the four contacts with Alice as their owner
        again = self._full_run()
        owned = jane.review_ids.mapped(lambda r: self.env[r.res_model].browse(r.res_id))
        self.assertEqual(len(owned), 4)
        self.assertEqual(set(owned.mapped("user_id")), {self.alice}, again.log)
        self.assertFalse(
            again.review_ids.filtered(lambda r: r.value == "Jane Roe"),
            "a corrected value is not asked about again",
        )
        # an item with nothing to correct says so
        with self.assertRaisesRegex(UserError, "corrected value"):
            self._owner_issues().filtered(
                lambda i: i.value == "Mei Lin"
            ).action_correct()

    def test_a_rerun_adds_rows_to_the_item_and_an_ignored_item_stays_ignored(self):
        self._full_run()
        self._full_run()
        issues = self._owner_issues()
        self.assertEqual(len(issues), 3)
        self.assertEqual(issues.mapped("occurrence_count"), [4, 4, 4])
        mei = issues.filtered(lambda i: i.value == "Mei Lin")
        wizard = (
            self.env["migration.review.ignore.wizard"]
            .with_context(**mei.action_ignore()["context"])
            .create({"resolution": "Mei left before the migration"})
        )
        wizard.action_ignore()
        self.assertEqual(mei.state, "ignored")
        # the export grows: one more contact of Mei's, one of Jane's
        self.project._add_file(
            "contacts.csv",
            contacts_owned_by_names()
            + b"N90,Late,Comer,late@example.org,,Initech,,Mei Lin,04/09/2021\n"
            + b"N91,Other,Late,other@example.org,,Initech,,Jane Roe,04/09/2021\n",
        )
        self._full_run()
        self.assertEqual(self._owner_issues(), issues)
        self.assertEqual((mei.occurrence_count, mei.open_count), (5, 0))
        self.assertEqual(mei.state, "ignored")
        late = mei.review_ids.filtered(lambda r: r.value == "Mei Lin").sorted("id")[-1]
        self.assertEqual(
            (late.state, late.resolution), ("ignored", "Mei left before the migration")
        )
        jane = issues.filtered(lambda i: i.value == "Jane Roe")
        self.assertEqual((jane.occurrence_count, jane.open_count), (5, 5))

    def test_rows_without_a_value_share_an_item_by_reason(self):
        data = read_data("contacts.csv") + b"P9,,,,,Nowhere Inc,,,04/09/2021\n"
        self.project._add_file("contacts.csv", data)
        run = self._full_run()
        missing = run.review_ids.filtered(
            lambda r: r.kind == "missing_required" and r.column == "First Name"
        )
        self.assertEqual(len(missing), 2)
        self.assertEqual(len(missing.issue_id), 1)
        issue = missing.issue_id
        self.assertFalse(issue.value)
        self.assertEqual(issue.occurrence_count, 2)
        # two rows with nothing in common to correct: one by one
        with self.assertRaisesRegex(UserError, "row by row"):
            issue.action_open_correct()
        missing[0].corrected_value = "Paula"
        self.assertFalse(missing[1].corrected_value)
        # every item holds rows of one kind, column and value only
        items = self.env["migration.review.issue"].search(
            [("project_id", "=", self.project.id)]
        )
        for item in items:
            self.assertEqual(
                {
                    (r.kind, r.column or False, r.value or False)
                    for r in item.review_ids
                },
                {(item.kind, item.column or False, item.value or False)},
            )
        self.assertEqual(len(set(items.mapped("key"))), len(items))
        self.assertLess(len(run.review_ids.issue_id), len(run.review_ids))

    def test_rolled_back_rows_roll_their_item_back(self):
        run = self._full_run()
        issues = run.review_ids.issue_id
        self.assertEqual(self._owner_issues() & issues, self._owner_issues())
        self.project.invalidate_recordset(["review_issue_count"])
        before = self.project.review_issue_count
        run._rollback()
        self.assertEqual(set(issues.mapped("state")), {"rolled_back"})
        self.project.invalidate_recordset(["review_issue_count"])
        self.assertEqual(self.project.review_issue_count, before - len(issues))


@tagged("post_install", "-at_install")
class TestGuidedPath(MigrationCase):
    def _statuses(self, project):
        project.invalidate_recordset()
        return {step: status for step, _label, status, _text in project._steps()}

    def test_each_step_says_what_is_left_and_what_waits(self):
        project = self.env["migration.project"].create(
            {"name": "Guided", "system": "generic", "default_user_id": self.owner.id}
        )
        steps = self._statuses(project)
        self.assertEqual(project.step, "upload")
        self.assertEqual(steps["upload"], "current")
        self.assertEqual(
            {s for step, s in steps.items() if step != "upload"}, {"blocked"}
        )
        self.assertIn(
            "Waits for Upload",
            dict((step, text) for step, _l, _s, text in project._steps())["profile"],
        )
        for name in ("companies.csv", "contacts.csv", "deals.csv"):
            project._add_file(name, read_data(name))
        steps = self._statuses(project)
        self.assertEqual((steps["upload"], steps["profile"]), ("done", "current"))
        project.action_propose()
        steps = self._statuses(project)
        self.assertEqual(project.step, "maps")
        # a sample is possible before every map is confirmed, a full run is not
        self.assertEqual((steps["maps"], steps["sample"]), ("current", "todo"))
        self.assertEqual(steps["full"], "blocked")
        texts = {step: text for step, _l, _s, text in project._steps()}
        self.assertRegex(texts["maps"], r"^\d+ maps to confirm")
        self.assertIn("Waits for Sample & diff", texts["full"])
        project.action_confirm_maps()
        steps = self._statuses(project)
        self.assertEqual(
            (steps["maps"], steps["sample"], steps["full"]), ("done", "current", "todo")
        )
        project._start_run("sample")
        self.assertEqual(self._statuses(project)["sample"], "done")
        self.assertEqual(project.step, "full")
        project.action_full_run()
        steps = self._statuses(project)
        self.assertEqual(
            (steps["full"], steps["reconcile"], steps["review"], steps["live"]),
            ("done", "done", "current", "todo"),
        )
        self.assertEqual(project.step, "review")
        self.assertIn("review items open", project.steps_html)
        self.assertIn('data-status="current"', project.steps_html)
        # everything reviewed: going live is what is left
        for issue in self.env["migration.review.issue"].search(
            [("project_id", "=", project.id), ("state", "=", "open")]
        ):
            issue.action_resolve()
        steps = self._statuses(project)
        self.assertEqual((steps["review"], steps["live"]), ("done", "current"))
        self.assertEqual(project.action_request_go_live(), True)
        self.assertEqual(project.state, "live")
        self.assertEqual(self._statuses(project)["live"], "done")

    def test_a_failed_full_run_blocks_at_the_reconciliation(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        run = self._full_run()
        run.state = "failed"
        run.cell_check_ids[:1].unaccounted_count = 2
        steps = self._statuses(self.project)
        self.assertEqual(steps["reconcile"], "current")
        texts = {step: text for step, _l, _s, text in self.project._steps()}
        self.assertIn("2 cells unaccounted for", texts["reconcile"])

    def test_going_live_with_open_items_names_them_first(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self._full_run()
        self.project.invalidate_recordset()
        count = self.project.review_issue_count
        self.assertTrue(count)
        action = self.project.action_request_go_live()
        self.assertEqual(action["res_model"], "migration.go.live.wizard")
        self.assertEqual(self.project.state, "loaded")
        wizard = (
            self.env["migration.go.live.wizard"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertTrue(
            wizard.message.startswith(
                f"{count} review items ({self.project.review_open_count} rows) of "
                "Fixture CRM are still open: "
            ),
            wizard.message,
        )
        wizard.action_go_live()
        self.assertEqual(self.project.state, "live")
        audit = self.env["migration.audit"].search(
            [
                ("project_id", "=", self.project.id),
                ("description", "ilike", "went live"),
            ]
        )
        self.assertIn(f"with {count} review items", audit.description)
        # the page offers the plain button only when nothing is open
        arch = self.project.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("invisible=\"state != 'loaded' or review_issue_count\"", arch)

    def test_the_dashboard_opens_as_charts_of_the_last_run(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        self._full_run()
        last = self._full_run()
        counts = self.project.action_view_charts()
        self.assertEqual(
            [view for _id, view in counts["views"]], ["graph", "pivot", "list"]
        )
        self.assertEqual(
            self.env["migration.run.line"].search_count(counts["domain"]), 6
        )
        for action in (
            self.project.action_view_fill_rate_charts(),
            self.project.action_view_cell_charts(),
        ):
            self.assertEqual(
                [view for _id, view in action["views"]], ["graph", "pivot", "list"]
            )
            self.assertEqual(action["domain"], [("run_id", "=", last.id)])
            records = self.env[action["res_model"]].search(action["domain"])
            self.assertTrue(records)
            self.assertEqual(records.run_id, last)
        fill = self.env["migration.fill.rate"].search(
            [("run_id", "=", last.id), ("column", "=", "Company Name")]
        )
        self.assertEqual((fill.source_rate, fill.odoo_rate), (100.0, 100.0))
        # the graph and pivot views load for these models
        for model in (
            "migration.fill.rate",
            "migration.cell.check",
            "migration.run.line",
        ):
            views = self.env[model].get_views([(False, "graph"), (False, "pivot")])
            self.assertIn("<graph", views["views"]["graph"]["arch"])
            self.assertIn("<pivot", views["views"]["pivot"]["arch"])


@tagged("post_install", "-at_install")
class TestBackgroundSampleAndDelta(MigrationCase):
    def setUp(self):
        super().setUp()
        job_runner_on(self)
        self._fix_maps()
        self.project.action_confirm_maps()
        self.project.run_in_background = True

    def _job(self, method):
        return self.env["queue.job"].search(
            [("model_name", "=", "migration.project"), ("method_name", "=", method)]
        )

    def _perform(self, job):
        """What a worker does: these job functions allow commits, so
        queue_job runs them in a cursor of their own, which in test mode
        shares this test's transaction (see TestBackgroundRun._perform)."""
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            Job.load(self.env, job.uuid).perform()
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()

    def _notifications(self, run):
        self.env.cr.precommit.run()
        return [
            json.loads(bus.message)["payload"]
            for bus in self.env["bus.bus"].search([], order="id")
            if json.loads(bus.message)["type"] == "crm_migration/run_progress"
            and json.loads(bus.message)["payload"]["run_id"] == run.id
        ]

    def test_a_sample_goes_to_the_background_with_its_progress(self):
        user = new_test_user(
            self.env,
            login="mig_sampler",
            groups="base.group_user,crm_migration.group_migration_user",
        )
        project = self.project.with_user(user)
        action = project.action_sample_run()
        run = self.project.run_ids
        self.assertEqual((run.kind, run.state, run.user_id), ("sample", "queued", user))
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("migration.run", run.id)
        )
        self.assertEqual(run.time_left, "waiting for a job worker")
        job = self._job("_start_run")
        self.assertEqual(
            (job.args, job.kwargs, job.channel),
            (["sample"], {"commit": True, "run_id": run.id}, "root.crm_migration"),
        )
        self._perform(job)
        self.assertEqual(self.project.run_ids, run)
        self.assertEqual((run.state, run.done_rows, run.total_rows), ("done", 13, 13))
        self.assertTrue(
            self.env["migration.sample.diff"].search_count([("run_id", "=", run.id)])
        )
        self.assertEqual(self.project.state, "sampled")
        sent = self._notifications(run)
        self.assertEqual((sent[0]["done_rows"], sent[-1]["state"]), (0, "done"))
        self.assertEqual(sent[-1]["done_rows"], 13)
        # a Migration User still cannot queue a full run or a delta
        with self.assertRaises(AccessError):
            project.action_full_run()

    def test_a_user_cancels_a_queued_sample_not_a_full_run(self):
        user = new_test_user(
            self.env,
            login="mig_canceller",
            groups="base.group_user,crm_migration.group_migration_user",
        )
        self.project.with_user(user).action_sample_run()
        sample = self.project.run_ids
        sample.with_user(user).action_cancel()
        self.assertEqual(sample.state, "failed")
        self.assertIn("Cancelled by", sample.log)
        self.project.action_full_run()
        full = self.project.run_ids.sorted("id")[-1]
        with self.assertRaises(AccessError):
            full.with_user(user).action_cancel()
        self.assertEqual(full.state, "queued")

    def test_a_delta_goes_to_the_background_and_rereads_the_source(self):
        self.project.run_in_background = False
        self._full_run()
        self.project.run_in_background = True
        self.project._add_file(
            "companies.csv",
            read_data("companies.csv").replace(b"+1 212 555 0100", b"+1 212 555 0199"),
        )
        action = self.project.action_delta_run()
        run = self.project.run_ids.sorted("id")[-1]
        self.assertEqual((run.kind, run.state), ("delta", "queued"))
        self.assertEqual(action["res_id"], run.id)
        job = self._job("_delta_pickup")
        self.assertEqual(
            (job.args, job.kwargs, job.channel),
            ([], {"commit": True, "run_id": run.id}, "root.crm_migration"),
        )
        self._perform(job)
        self.assertEqual(run.state, "done", run.log)
        company = run.line_ids.filtered(lambda line: line.target == "company")
        self.assertEqual((company.read_count, company.updated_count), (1, 1))
        self.assertIn("0199", self._record("company", "id:C1").phone)
        sent = self._notifications(run)
        self.assertEqual(sent[-1]["state"], "done")

    def test_a_queued_delta_that_cannot_reread_says_why(self):
        self.project.run_in_background = False
        self._full_run()
        self.project.run_in_background = True
        self.project.action_delta_run()
        run = self.project.run_ids.sorted("id")[-1]
        self.project.sudo().delta_path = "/nonexistent/crm-migration-delta"
        self._perform(self._job("_delta_pickup"))
        self.assertEqual(run.state, "failed")
        self.assertIn("does not exist on the server", run.log)
        # run here now, for a queued delta, does the same pickup
        self.project.sudo().delta_path = False
        self.project.action_delta_run()
        queued = self.project.run_ids.sorted("id")[-1]
        queued.action_run_now()
        self.assertEqual((queued.kind, queued.state), ("delta", "done"), queued.log)
