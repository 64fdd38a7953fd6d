"""The typed run cache, on its own: what it loads once per run, what the
ledger of earlier runs preloads, what a batch made on the fly."""

from odoo.tests import tagged

from ..loader.cache import RunCache
from ..loader.prepare import Preparer
from ..loader.resolve import Resolver
from ..loader.writer import Writer
from .loader_common import LoaderCase, fake_omap


@tagged("post_install", "-at_install")
class TestLoaderCache(LoaderCase):
    def _ledger(self, target, key, record, operation="create", **extra):
        return (
            self.env["migration.ledger"]
            .sudo()
            .create(
                {
                    "run_id": self.mig_run.id,
                    "project_id": self.project.id,
                    "target": target,
                    "source_key": key,
                    "res_model": record._name,
                    "res_id": record.id,
                    "operation": operation,
                    **extra,
                }
            )
        )

    def test_build_reads_users_and_countries(self):
        cache = RunCache.build(self.env, self.mig_run, self.env["migration.object.map"])
        self.assertEqual(cache.project, self.project)
        self.assertEqual(cache.users["piece-owner"], self.owner.id)
        self.assertEqual(cache.users["owner@pieces.example.com"], self.owner.id)
        self.assertEqual(cache.users["piece owner"], self.owner.id)
        belgium = self.env.ref("base.be").id
        self.assertEqual(cache.countries["BE"], belgium)
        self.assertEqual(cache.countries["belgium"], belgium)
        self.assertEqual(
            (cache.keys, cache.merged, cache.auto_created), ({}, set(), [])
        )

    def test_preload_keeps_live_records_of_earlier_runs(self):
        Partner = self.env["res.partner"]
        acme = Partner.create({"name": "Acme, Inc.", "is_company": True})
        gone = Partner.create({"name": "Gone Ltd", "is_company": True})
        undone = Partner.create({"name": "Undone SA", "is_company": True})
        self._ledger("company", "id:1", acme)
        self._ledger("company", "id:2", gone)
        self._ledger("company", "id:3", undone, rolled_back=True)
        self._ledger("company", "id:4", acme, operation="merge")
        self._ledger("contact", "id:9", acme)  # another target: not preloaded
        gone.unlink()
        self.cache.preload_keys(fake_omap("company"))
        self.assertEqual(self.cache.keys, {("company", "id:1"): acme.id})
        self.assertEqual(self.cache.key_models, {("company", "id:1"): "res.partner"})
        self.assertEqual(self.cache.merged, {("company", "id:4")})
        self.assertEqual(self.cache.companies, {"acme": acme.id})

    def test_preloaded_contacts_are_found_by_email(self):
        ann = self.env["res.partner"].create({"name": "Ann", "email": "Ann@X.example"})
        self._ledger("contact", "id:7", ann)
        self.cache.preload_keys(fake_omap("contact"))
        self.assertEqual(self.cache.contacts, {"ann@x.example": ann.id})
        self.assertEqual(self.cache.dedupe, {("contact", "ann@x.example"): ann.id})

    def test_linked_keys_include_merges(self):
        ann = self.env["res.partner"].create({"name": "Ann"})
        bea = self.env["res.partner"].create({"name": "Bea"})
        self._ledger("contact", "id:1", ann)
        self._ledger("contact", "id:2", bea, operation="merge")
        self.assertEqual(self.cache.key_res("contact", " 2 "), bea.id)
        self.assertEqual(self.cache.key_res("contact", "1"), ann.id)
        self.assertIsNone(self.cache.key_res("contact", "3"))
        self.assertIsNone(self.cache.key_res("contact", ""))

    def test_auto_created_are_taken_once(self):
        tag = self.env["crm.tag"].create({"name": "Made"})
        self.cache.auto_created.append(tag)
        self.assertEqual(self.cache.take_auto_created(), [tag])
        self.assertEqual(self.cache.take_auto_created(), [])

    def test_names_and_named_ids_are_loaded_once(self):
        tag = self.env["crm.tag"].create({"name": "Hot Lead"})
        names = self.cache.names_of("crm.tag")
        self.assertEqual(names["hot lead"], tag.id)
        self.env["crm.tag"].create({"name": "Later"})
        self.assertIs(self.cache.names_of("crm.tag"), names)
        self.assertNotIn("later", self.cache.names_of("crm.tag"))
        self.assertEqual(self.cache.named_ids("crm.tag", [])["hot lead"], tag.id)

    def test_remember_user_and_key(self):
        user = self.env["res.users"].search([("login", "=", "piece-owner")])
        self.cache.users.clear()
        self.cache.remember_user(user)
        self.assertEqual(
            self.cache.users,
            {
                "piece-owner": user.id,
                "owner@pieces.example.com": user.id,
                "piece owner": user.id,
            },
        )
        self.cache.remember_key("user", "id:5", user)
        self.assertEqual(self.cache.keys[("user", "id:5")], user.id)
        self.assertEqual(self.cache.key_models[("user", "id:5")], "res.users")

    def test_value_maps_and_row_keys_are_read_once_per_run(self):
        """A value's map and a row's key are plain values after the run reads
        them once: resolving and keying later rows reads nothing (before,
        every cell read its value map and every row its object map through
        the ORM, a query again after each batch's cache invalidation)."""
        omap, _rows = self._staged(
            "deals.csv",
            "lead",
            [],
            {"Deal": ("name", "text"), "Stage": ("stage_id", "text")},
            key_rule="name",
        )
        stage = self.env["crm.stage"].create({"name": "Signed"})
        fmap = omap.field_map_ids.filtered(lambda f: f.column == "Stage")
        self.env["migration.value.map"].create(
            [
                {"object_map_id": omap.id, "field_map_id": fmap.id, "kind": "stage",
                 "source_value": "Won it", "target_ref": f"crm.stage,{stage.id}"},
                {"object_map_id": omap.id, "field_map_id": fmap.id, "kind": "stage",
                 "source_value": "Nope", "create_new": False},
            ]
        )  # fmt: skip
        cache = RunCache.build(self.env, self.mig_run, omap)
        resolver = Resolver(self.env, cache, Writer(self.env))
        preparer = Preparer(self.env, cache, resolver)
        keys = preparer.keys_of(omap)[0]
        self.assertEqual(keys({"Deal": "Big Deal "}, 2), "name:big deal")
        cache.names_of("crm.stage")  # the run's names, read once
        self.env.invalidate_all()  # as every batch's commit and bulk write do
        with self.assertQueryCount(0):
            self.assertEqual(resolver.value_map_id(fmap, "Won it"), stage.id)
            self.assertIsNone(resolver.value_map_id(fmap, "Nope"))
            self.assertIsNone(resolver.name_id("crm.stage", fmap, "Nope", True))
            self.assertEqual(
                preparer.keys_of(omap)[0]({"Deal": "Other"}, 3), "name:other"
            )
            self.assertEqual(preparer.keys_of(omap)[0]({}, 4), "line:deals.csv:4")

    def test_a_stage_value_reads_the_status_columns_once_per_run(self):
        """Whether a stage value is a deal's outcome ("Closed Won" without a
        status column) reads the object's status columns once: later rows
        read nothing (they read the object map's field maps through the ORM,
        a query again after each batch's cache invalidation)."""
        omap, _rows = self._staged(
            "deals.csv",
            "lead",
            [],
            {"Deal": ("name", "text"), "Stage": ("stage_id", "text")},
        )
        fmap = omap.field_map_ids.filtered(lambda f: f.column == "Stage")
        cache = RunCache.build(self.env, self.mig_run, omap)
        resolver = Resolver(self.env, cache, Writer(self.env))
        self.assertTrue(resolver.outcome_stage(omap, fmap, "Closed Won"))
        self.env.invalidate_all()  # as every batch's commit and bulk write do
        with self.assertQueryCount(0):
            self.assertTrue(resolver.outcome_stage(omap, fmap, "Closed Lost"))
            self.assertFalse(resolver.outcome_stage(omap, fmap, "Proposal"))
