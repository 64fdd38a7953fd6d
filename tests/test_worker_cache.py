"""The ledger's preload kept by a worker process between the batch jobs of a
parallel run (loader/worker_cache.py, issue 18): read once per object map
and state of the run, not once per job, and the same books as before."""

import gc
from unittest.mock import patch

from odoo.tests import tagged

from ..loader import worker_cache
from ..loader.batch import BatchLoader
from ..loader.cache import RunCache
from .common import MigrationCase, job_runner_on
from .test_parallel import Workers, scenario


@tagged("post_install", "-at_install")
class TestWorkerCache(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Worker cache",
                "system": "generic",
                "default_user_id": cls.owner.id,
                "batch_size": 10,
                "run_in_background": True,
                "parallel_batches": True,
            }
        )
        for name, data in zip(
            ("companies.csv", "contacts.csv", "deals.csv"),
            scenario(n_companies=20, n_contacts=40, n_deals=40),
            strict=True,
        ):
            cls.project._add_file(name, data)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project.object_map_ids.field_map_ids.filtered(
            lambda f: f.action == "create"
        ).write({"action": "ignore"})
        cls.project.action_confirm_maps()

    def setUp(self):
        super().setUp()
        job_runner_on(self)

    def parallel_run(self):
        """The project's full run by the in-process workers (one process):
        (the run, [the object map of each preload read])."""
        reads = []
        real = RunCache.preload_keys

        def preload_keys(cache, omap):
            reads.append(omap.object_name)
            return real(cache, omap)

        self.project.action_full_run()
        run = self.project.run_ids.sorted("id")[-1]
        with patch.object(RunCache, "preload_keys", preload_keys):
            Workers(self.env).run()
        run.invalidate_recordset()
        return run, reads

    def test_a_worker_reads_each_preload_once_per_state_of_the_run(self):
        run, reads = self.parallel_run()
        self.assertEqual((run.state, run.balanced), ("done", True))
        per_object = [
            len(run.batch_ids.filtered(lambda b, ln=line: b.line_id == ln))
            for line in run.line_ids.sorted("sequence")
        ]
        # a job read each object it waits for: the old code read the
        # companies in every batch, the contacts in every contact's and
        # deal's batch...
        self.assertGreater(sum(n * k for k, n in enumerate(per_object, 1)), 5)
        # ...a process: the companies while they load and once loaded, the
        # contacts likewise, the deals while they load
        self.assertEqual(
            sorted(reads),
            ["companies", "companies", "contacts", "contacts", "deals"],
        )

    def test_a_preload_leaves_out_what_the_objects_still_loading_wrote(self):
        run, _reads = self.parallel_run()
        kept = worker_cache.kept_preloads(self.env, run)
        omaps = {m.object_name: m for m in self.project.object_map_ids}
        contacts = omaps["contacts"]
        while_loading = kept[(contacts.id, ())]
        loaded = kept[(contacts.id, (contacts.id,))]
        # no earlier run: nothing while the contacts loaded, then every one
        self.assertEqual(while_loading.keys, {})
        self.assertEqual(while_loading.contacts, {})
        created = run.line_ids.filtered(lambda ln: ln.object_name == "contacts")
        self.assertEqual(len(loaded.keys), created.created_count)
        partners = self.env["res.partner"].browse(list(loaded.keys.values()))
        self.assertEqual(
            set(loaded.contacts.values()), set(partners.filtered("email").ids)
        )

    def test_another_run_does_not_find_the_preloads_of_the_last_one(self):
        run, _reads = self.parallel_run()
        self.assertTrue(worker_cache.kept_preloads(self.env, run))
        other = self.env["migration.run"]._create_book(
            [{"project_id": self.project.id, "kind": "full", "state": "queued"}]
        )
        self.assertEqual(worker_cache.kept_preloads(self.env, other), {})
        self.assertEqual(worker_cache.kept_preloads(self.env, run), {})

    def test_the_batches_and_the_runs_end_run_with_the_heap_frozen(self):
        """As a synchronous run's (loader/heap.py): a worker's full
        collections skip its registry while a job loads or ends the run."""
        check_cls = type(self.env["migration.cell.check"])
        before = len(gc.get_objects())
        seen = {}
        for cls, method in ((BatchLoader, "load"), (check_cls, "_build_for_run")):
            original = getattr(cls, method)

            def spy(*args, _original=original, _name=method, **kwargs):
                seen.setdefault(_name, []).append(gc.get_freeze_count())
                return _original(*args, **kwargs)

            self.enterContext(patch.object(cls, method, spy))
        self.assertEqual(gc.get_freeze_count(), 0)
        run, _reads = self.parallel_run()
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(len(seen["_build_for_run"]), 1)
        self.assertGreater(len(seen["load"]), 3)
        self.assertGreater(min(seen["load"] + seen["_build_for_run"]), before // 2)
        self.assertEqual(gc.get_freeze_count(), 0)
