"""Two parallel batches of one run (each its own transaction, as two queue_job
workers are) meet on the same inferred stage: the proposal and the crm.stage
are made once, and the batch that came second gets a serialization failure
(which the batch job retries with a fresh snapshot), never a duplicate nor a
unique violation counted as a failed attempt. Real PostgreSQL, two cursors."""

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

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
