"""Two parallel batches of one run (each its own transaction, as two queue_job
workers are) meet on the same inferred stage: the proposal and the crm.stage
are made once, and the batch that came second gets a serialization failure
(which the batch job retries with a fresh snapshot), never a duplicate nor a
unique violation counted as a failed attempt. Real PostgreSQL, two cursors."""

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..loader.cache import RunCache
from ..loader.resolve import Resolver
from ..loader.stages import StageInference
from .common import read_data


@tagged("post_install", "-at_install")
class TestStageProposalRace(TransactionCase):
    def setUp(self):
        super().setUp()
        # committed data: the two cursors below see only what is committed
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            project = env["migration.project"].create(
                {"name": "Stage race", "system": "generic"}
            )
            project._add_file("deals.csv", read_data("deals.csv"))
            project.action_profile()
            project.action_propose()
            omap = project.object_map_ids.filtered(
                lambda m: m.source_id.name == "deals.csv"
            )
            stage = omap.field_map_ids.filtered(lambda f: f.column == "Stage")
            target = env["migration.target.field"]._get(omap.target, "stage_id")
            stage.write({"action": "map", "target_field_id": target.id})
            # deals.csv has no pipeline column: every stage's pipeline is empty
            self.names = sorted(
                {p.name for p in env["migration.stage.proposal"]._sync(omap)}
            )
            env["migration.stage.proposal"].search(
                [("object_map_id", "=", omap.id)]
            ).unlink()
            self.project_id, self.omap_id = project.id, omap.id
        self.assertGreaterEqual(len(self.names), 2)
        self.addCleanup(self._drop)

    def _drop(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            proposals = env["migration.stage.proposal"].search(
                [("object_map_id", "=", self.omap_id)]
            )
            proposals.stage_id.unlink()
            sources = env["migration.source"].search(
                [("project_id", "=", self.project_id)]
            )
            env["ir.attachment"].search(
                [("res_model", "=", "migration.source"), ("res_id", "in", sources.ids)]
            ).unlink()
            env["migration.project"].browse(self.project_id).unlink()

    def _race(self, first, second):
        """``second(env)`` in transaction B, begun before ``first(env)`` ran
        and committed in transaction A (as a batch running beside another):
        B's outcome, its result or the exception it met."""
        outcome = {}
        with self.registry.cursor() as cr_b:
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            cr_b.execute("SELECT 1")  # B's snapshot: A has not run yet
            with self.registry.cursor() as cr_a:
                first(api.Environment(cr_a, SUPERUSER_ID, {}))
            try:
                # PostgreSQL's refusal is logged by odoo.sql_db as a bad query
                with mute_logger("odoo.sql_db"):
                    outcome["result"] = second(env_b)
                    env_b.flush_all()
            except Exception as exc:  # noqa: BLE001 - what B met is the test
                outcome["error"] = exc
                cr_b.rollback()
        return outcome

    def _proposals(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            proposals = env["migration.stage.proposal"].search(
                [("object_map_id", "=", self.omap_id)]
            )
            return sorted(proposals.mapped("name")), proposals.stage_id.ids

    def _sync(self, env):
        omap = env["migration.object.map"].browse(self.omap_id)
        return env["migration.stage.proposal"]._sync(omap).ids

    def test_two_batches_propose_each_stage_once(self):
        outcome = self._race(self._sync, self._sync)
        # B met A's proposals: a conflict queue_job retries, not a duplicate
        self.assertIsInstance(outcome.get("error"), errors.SerializationFailure)
        self.assertEqual(self._proposals()[0], self.names)
        # B's retry (a fresh snapshot) finds them and makes none
        with self.registry.cursor() as cr:
            ids = self._sync(api.Environment(cr, SUPERUSER_ID, {}))
        self.assertEqual(len(ids), len(self.names))
        self.assertEqual(self._proposals()[0], self.names)

    def test_two_batches_make_one_crm_stage_of_a_proposal(self):
        with self.registry.cursor() as cr:
            self._sync(api.Environment(cr, SUPERUSER_ID, {}))
        name = self.names[0]

        def proposal(env):
            return env["migration.stage.proposal"].search(
                [("object_map_id", "=", self.omap_id), ("name", "=", name)]
            )

        def make(env):
            found = proposal(env).stage_id.exists() or proposal(env)._claim_stage()
            if found:
                return found.id
            stage = env["crm.stage"].create({"name": f"{name} (race)"})
            proposal(env).stage_id = stage
            return stage.id

        outcome = self._race(make, make)
        self.assertIsInstance(outcome.get("error"), errors.SerializationFailure)
        # B's retry finds the stage A made
        with self.registry.cursor() as cr:
            again = make(api.Environment(cr, SUPERUSER_ID, {}))
        names, stage_ids = self._proposals()
        self.assertEqual(stage_ids, [again])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["crm.stage"].search_count([("name", "=", f"{name} (race)")]), 1
            )


@tagged("post_install", "-at_install")
class TestStageRaceTwoFiles(TransactionCase):
    """Two deal files of one project name the same stages; the first batch of
    each (two queue_job workers, two real cursors) makes its stages at the same
    time: one crm.stage per name (Odoo's own New or Qualified found, the others
    made once), shared by both files' proposals, as a synchronous run makes
    them. The batch that came second meets a serialization failure (queue_job
    tries it again without counting an attempt: TestParallel), and its retry
    finds the first one's stages."""

    FILES = ("deals.csv", "more-deals.csv")
    _race = TestStageProposalRace._race

    def setUp(self):
        super().setUp()
        deals = read_data("deals.csv").decode()
        more = "\n".join(
            line if i == 0 else "X" + line for i, line in enumerate(deals.splitlines())
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            project = env["migration.project"].create(
                {"name": "Stage race, two files", "system": "generic"}
            )
            project._add_file("deals.csv", deals.encode())
            project._add_file("more-deals.csv", (more + "\n").encode())
            project.action_profile()
            project.action_propose()
            omaps = project.object_map_ids
            self.assertEqual(sorted(omaps.mapped("source_id.name")), list(self.FILES))
            for omap in omaps:
                stage = omap.field_map_ids.filtered(lambda f: f.column == "Stage")
                target = env["migration.target.field"]._get(omap.target, "stage_id")
                stage.write({"action": "map", "target_field_id": target.id})
                # as the maps' proposal makes them: before the run
                env["migration.stage.proposal"]._sync(omap)
            self.names = sorted(
                {p.name for p in project.object_map_ids.stage_proposal_ids}
            )
            self.project_id = project.id
            self.omap_ids = {m.source_id.name: m.id for m in omaps}
            self.before = set(env["crm.stage"].search([]).ids)
            self.new_names = sorted(
                name
                for name in self.names
                if not env["crm.stage"].search_count(
                    [("team_id", "=", False), ("name", "=ilike", name)]
                )
            )
        self.assertGreaterEqual(len(self.names), 3)
        self.assertTrue(self.new_names)
        self.addCleanup(self._drop)

    def _drop(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            made = [i for ids in self._stages().values() for i in ids]
            env["crm.stage"].browse(made).unlink()
            project = env["migration.project"].browse(self.project_id)
            env["ir.attachment"].search(
                [
                    ("res_model", "=", "migration.source"),
                    ("res_id", "in", project.source_ids.ids),
                ]
            ).unlink()
            project.unlink()

    def _stages(self):
        """{stage name: [crm.stage ids]} of the stages made since setUp."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            found = {}
            for stage in env["crm.stage"].search([("id", "not in", list(self.before))]):
                found.setdefault(stage.name, []).append(stage.id)
            return found

    def _proposals(self):
        """{file: {stage name: crm.stage id}} as the proposals say."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return {
                name: {
                    p.name: p.stage_id.id
                    for p in env["migration.object.map"].browse(oid).stage_proposal_ids
                }
                for name, oid in self.omap_ids.items()
            }

    def _ensure(self, name):
        """What a deals batch does first: make the stages its file infers."""

        def ensure(env):
            omap = env["migration.object.map"].browse(self.omap_ids[name])
            cache = RunCache(env=env, run=env["migration.run"], project=omap.project_id)
            StageInference(env, cache, Resolver(env, cache, None)).ensure(omap)
            env.flush_all()  # as the batch's ledger does after it
            return True

        return ensure

    def _check_one_stage_per_name(self):
        stages = self._stages()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, object_map_id, project_id, pipeline, name, stage_id "
                "FROM migration_stage_proposal WHERE project_id = %s ORDER BY id",
                [self.project_id],
            )
            dump = cr.fetchall()
        self.assertEqual(sorted(stages), self.new_names)
        self.assertEqual([n for n, ids in stages.items() if len(ids) != 1], [])
        proposals = self._proposals()
        self.assertEqual(proposals["deals.csv"], proposals["more-deals.csv"], dump)
        self.assertEqual(sorted(proposals["deals.csv"]), self.names)
        self.assertTrue(all(proposals["deals.csv"].values()))
        for name, ids in stages.items():
            self.assertEqual(proposals["deals.csv"][name], ids[0])

    def test_two_files_make_each_stage_once(self):
        outcome = self._race(self._ensure("deals.csv"), self._ensure("more-deals.csv"))
        # the second batch met the first one's stages: retried, not doubled
        self.assertIsInstance(outcome.get("error"), errors.SerializationFailure)
        with self.registry.cursor() as cr:  # its retry, a fresh snapshot
            self._ensure("more-deals.csv")(api.Environment(cr, SUPERUSER_ID, {}))
        self._check_one_stage_per_name()

    def test_one_after_the_other_shares_the_stages(self):
        """Without a race (the first batch committed before the second began)
        the second file's stages are the first one's."""
        for name in self.FILES:
            with self.registry.cursor() as cr:
                self._ensure(name)(api.Environment(cr, SUPERUSER_ID, {}))
        self._check_one_stage_per_name()
