"""Deals of shared companies, stages and review items loaded side by side by
two worker processes (issue 18: batches of one object must not hit
serialization failures on what they share). The workers' logs named the rows
two deal batches both wrote: a review item's stored counts
(migration_review_issue: a bad amount, an unknown owner on rows of every
batch) and the lead scoring frequencies of won and lost deals
(crm_lead_scoring_frequency). Both are now written once per object
(loader/shared.py): no batch is refused for a concurrent update, and the
frequencies and item counts are those of a synchronous run."""

from odoo.tests import tagged

from ..loader import shared
from .common import FIXTURE_MAPS, MigrationCase
from .test_parallel import books, scenario
from .test_parallel_workers import WorkerCase

COMPANIES, CONTACTS, DEALS = 40, 80, 600
SHARED = ("migration_review_issue", "crm_lead_scoring_frequency")


def deals_csv():
    """scenario()'s deals (three stages, won and lost ones, a bad amount every
    50th), every fifth one owned by someone Odoo does not know."""
    deals = list(scenario(COMPANIES, CONTACTS, DEALS))[2].decode().splitlines()
    for at in range(1, len(deals), 5):
        deals[at] = deals[at].replace("alice@example.com", "zed@nowhere.example.com")
    return ("\n".join(deals) + "\n").encode()


def named_scoring(env):
    """The scoring frequencies, a stage by its name (the stages the runs
    infer get new ids each run)."""
    env.flush_all()
    env.cr.execute(
        "SELECT f.variable, coalesce(s.name->>'en_US', f.value), f.won_count, "
        "f.lost_count, f.team_id FROM crm_lead_scoring_frequency f "
        "LEFT JOIN crm_stage s ON f.variable = 'stage_id' AND s.id::text = f.value "
        "ORDER BY 1, 2, 5"
    )
    return env.cr.fetchall()


def probabilities(env, run):
    """(deal, probability, automated probability, prorated revenue) of the
    run's leads."""
    env.flush_all()
    env.cr.execute(
        "SELECT l.name, l.probability, l.automated_probability, l.prorated_revenue "
        "FROM crm_lead l JOIN migration_ledger g ON g.res_id = l.id "
        "AND g.res_model = 'crm.lead' AND g.operation = 'create' "
        "WHERE g.run_id = %s ORDER BY 1",
        [run.id],
    )
    return env.cr.fetchall()


def issue_counts(env, project_id):
    return sorted(
        (
            i.kind,
            i.column or "",
            i.value or "",
            i.occurrence_count,
            i.open_count,
            i.record_count,
            i.row_held_count,
        )
        for i in env["migration.review.issue"].search([("project_id", "=", project_id)])
    )


@tagged("post_install", "-at_install")
class TestParallelSharedParents(WorkerCase):
    def make_project(self):
        companies, contacts, _deals = scenario(COMPANIES, CONTACTS, DEALS)
        files = (companies, contacts, deals_csv())
        return self.committed_project(
            "Parallel shared parents", 25, dict(zip(FIXTURE_MAPS, files, strict=True))
        )

    def synchronous(self, project_id):
        """Books, scoring frequencies and review item counts of a synchronous
        run, rolled back."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            run = env["migration.project"].browse(project_id)._start_run("full")
            env.flush_all()
            out = (
                books(env, run),
                named_scoring(env),
                issue_counts(env, project_id),
                probabilities(env, run),
            )
            cr.rollback()
        return out

    def test_deal_batches_side_by_side_write_no_shared_row_twice(self):
        """... and score the leads as one synchronous run does: the same
        frequencies and the same probability for every lead, though each
        batch of the synchronous run was scored with the won and lost deals
        of the batches before it and the parallel batches with none."""
        project_id = self.make_project()
        self.addCleanup(self.undo, project_id)
        sync_books, sync_scoring, sync_issues, sync_chances = self.synchronous(
            project_id
        )
        # open deals scored by the won and lost ones
        self.assertTrue([p for _n, p, _a, _r in sync_chances if 0 < p < 100])
        self.assertEqual(sync_books["state"], ("done", True, 0))
        self.assertTrue(sync_scoring, "won and lost deals")
        unknown = [i for i in sync_issues if i[2] == "zed@nowhere.example.com"]
        self.assertEqual([i[3] for i in unknown], [120])
        run_id = self.queue_parallel_run(project_id)
        lines, codes = self.run_workers(kill=None)
        self.assertEqual(codes, [0, 0])
        self.assertFalse([line for line in lines if line.startswith("failed")])
        # deal batches ran side by side, in both workers
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            run = env["migration.run"].browse(run_id)
            deal_batches = run.batch_ids.filtered(lambda b: b.object_name == "deals")
            self.assertGreater(len(deal_batches), 20)
            done = {
                line.split()[1]
                for line in lines
                if line.startswith("done ")
                and "_parallel_batch" in line
                and int(line.split("[")[1].split("]")[0]) in deal_batches.ids
            }
            self.assertEqual(len(done), 2)
            # no batch refused for writing what another batch wrote
            # (not queue_job's own update of the jobs waiting for a batch:
            # a ``depfail`` line, whose run the watchdog queues again)
            conflicts = [
                line
                for line in lines
                if "concurrent update" in line and not line.startswith("depfail")
            ]
            self.assertEqual(conflicts, [])
            shared = [q for q in self.refused if any(t in q for t in SHARED)]
            self.assertEqual(shared, [])
            # and what they share is what a synchronous run writes
            self.assertEqual(books(env, run), sync_books)
            self.assertEqual(named_scoring(env), sync_scoring)
            self.assertEqual(issue_counts(env, project_id), sync_issues)
            self.assertEqual(probabilities(env, run), sync_chances)
            self.assertFalse(run.batch_ids.filtered("deferred_scoring") - deal_batches)


@tagged("post_install", "-at_install")
class TestSharedEffectsOnce(MigrationCase):
    """In one transaction: what a batch of a parallel run leaves to its
    object's job, and what that job writes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def test_a_batch_leaves_the_item_counts_and_scoring_to_its_object(self):
        run = self._full_run()
        Issue = self.env["migration.review.issue"]
        issue = Issue.search([("project_id", "=", self.project.id)], limit=1)
        rows = self.stored_count(issue)
        review = issue.review_ids[:1]
        batch = self.env["migration.run.batch"].create(
            {"run_id": run.id, "line_id": run.line_ids[:1].id, "number": 1}
        )
        with shared.batch_effects(self.env, run, batch) as env:
            env["migration.review"].create(
                {
                    "project_id": self.project.id,
                    "run_id": run.id,
                    "kind": review.kind,
                    "column": review.column,
                    "value": review.value,
                    "reason": review.reason,
                }
            )
            for name in shared.ISSUE_COUNTS:
                field = Issue._fields[name]
                self.assertFalse(self.env.records_to_compute(field) & issue, name)
            self.assertEqual(self.stored_count(issue), rows, "not rewritten")
            before = self.scoring()
            # a deal created won: crm.lead.create increments the scoring
            won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
            lead = (
                env["crm.lead"]
                .with_context(tracking_disable=True)
                .create(
                    {
                        "name": "Won in a batch",
                        "type": "opportunity",
                        "stage_id": won.id,
                    }
                )
            )
        self.assertEqual(self.stored_count(issue), rows, "not rewritten")
        self.assertEqual(self.scoring(), before, "kept aside")
        (entry,) = batch.deferred_scoring
        self.assertEqual(entry["step"], 1)
        team = str(lead.team_id.id or 0)
        self.assertEqual(
            entry["frequencies"][team]["stage_id"][str(lead.stage_id.id)],
            {"won": 1, "lost": 0},
        )
        # the object's job: the increment applied, the item recounted
        shared.apply_object_effects(self.env, run, batch)
        self.env.flush_all()
        issue.invalidate_recordset()
        self.assertEqual(issue.occurrence_count, rows + 1)
        after = self.scoring()
        self.assertGreater(sum(r[2] for r in after), sum(r[2] for r in before))

    def stored_count(self, issue):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT occurrence_count FROM migration_review_issue WHERE id = %s",
            [issue.id],
        )
        return self.env.cr.fetchone()[0]

    def scoring(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT variable, value, won_count, lost_count, team_id "
            "FROM crm_lead_scoring_frequency ORDER BY 1, 2, 5"
        )
        return self.env.cr.fetchall()
