"""The garbage collector during the other steps that make objects by the hundred
thousand (loader/heap.py froze the run's batches): staging a file, profiling
it, proposing its maps, and the whole run (its set-up and its tail after the
last batch: fill rates, cell check) leave the objects of the process from
before the step (Odoo's registry) out of full collections, and give them back
after it."""

import gc
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from ..loader import heap
from ..loader.batch import BatchLoader
from ..models import migration_source_profile
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestFrozenHeap(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "Heap", "system": "generic"}
        )
        lines = ["Contact ID,First Name,Last Name,Email"] + [
            f"P{i},Ann{i},Lee{i},ann{i}@example.com" for i in range(30)
        ]
        cls.data = "\n".join(lines).encode()

    def setUp(self):
        super().setUp()
        self.assertEqual(gc.get_freeze_count(), 0)

    def _frozen_during(self, owner, name, call):
        """gc.get_freeze_count() seen by ``owner.name`` (patched) while ``call``
        runs."""
        seen = []
        original = getattr(owner, name)

        def spy(*args, **kwargs):
            seen.append(gc.get_freeze_count())
            return original(*args, **kwargs)

        with patch.object(owner, name, spy):
            call()
        self.assertTrue(seen, "the step did not run")
        return seen

    def test_the_registry_is_frozen_while_a_file_is_staged_profiled_proposed(self):
        """Staging, profiling and proposing skip the objects from before them
        (the profile did three full collections of Odoo's whole heap at 20,000
        rows, 0.6 of its 1.9 CPU s); the freeze ends with the step."""
        before = len(gc.get_objects())  # the process's objects: many, frozen
        source_cls = type(self.env["migration.source"])
        staged = self._frozen_during(
            source_cls,
            "_stage",
            lambda: self.project._add_file("contacts.csv", self.data),
        )
        # the staging pass made the profile (in _stage); one read again from
        # the stored file (a file this process did not stage) is frozen too
        migration_source_profile.STAGED_PROFILES.clear()
        profiled = self._frozen_during(
            migration_source_profile, "profile_table", self.project.action_profile
        )
        omap_cls = type(self.env["migration.object.map"])
        proposed = self._frozen_during(
            omap_cls, "_propose_for_source", self.project.action_propose
        )
        for seen in (staged, profiled, proposed):
            self.assertGreater(min(seen), before // 2)
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_the_registry_is_frozen_while_a_run_loads_and_ends(self):
        """A run's batches and its tail (fill rates, cell check) skip the
        objects from before the run (seven full collections at 20,000 rows);
        after the run, nothing stays frozen."""
        self.project._add_file("contacts.csv", self.data)
        self.project.action_profile()
        self.project.action_propose()
        self.project.action_confirm_maps()
        loader_cls = type(self.env["migration.loader"])
        check_cls = type(self.env["migration.cell.check"])
        before = len(gc.get_objects())
        seen = []
        for cls, method in ((loader_cls, "_run"), (check_cls, "_build_for_run")):
            original = getattr(cls, method)

            def spy(*args, _original=original, **kwargs):
                seen.append(gc.get_freeze_count())
                return _original(*args, **kwargs)

            self.enterContext(patch.object(cls, method, spy))
        run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(len(seen), 2)
        self.assertGreater(min(seen), before // 2)
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_nested_steps_share_one_freeze(self):
        """A step inside another (a propose that profiles, the batches inside
        the run) does not unfreeze what the outer one froze."""
        before = len(gc.get_objects())
        with heap.frozen():
            with heap.frozen():
                pass
            # still frozen (a frozen object freed by its refcount leaves the count)
            self.assertGreater(gc.get_freeze_count(), before // 2)
        self.assertEqual(gc.get_freeze_count(), 0)


@tagged("post_install", "-at_install")
class TestRefrozenRegistry(MigrationCase):
    """A run that creates a custom field sets Odoo's registry up again inside
    its freeze (ir.model.fields.create: every model's fields made anew)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls._employees_as_new_field()
        cls.project.action_confirm_maps()

    def test_the_registry_set_up_again_by_the_run_joins_its_freeze(self):
        """The fields made by the custom field's registry set-up are frozen
        when the batches run (else every full collection of the run walks
        the new registry): none of them in the collector's generations."""
        before = dict(self.env.registry["res.partner"]._fields)
        seen = []
        original = BatchLoader.load

        def spy(loader, rows):
            if not seen:
                fields_ = self.env.registry["res.partner"]._fields
                new = [f for name, f in fields_.items() if before.get(name) is not f]
                walked = {id(obj) for obj in gc.get_objects()}
                seen.append(
                    (
                        "x_employees" in fields_,
                        len(new),
                        sum(gc.is_tracked(f) for f in new),
                        sum(id(f) in walked for f in new),
                    )
                )
            return original(loader, rows)

        with patch.object(BatchLoader, "load", spy):
            run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        (made, new, tracked, walked), *_rest = seen
        self.assertTrue(made)
        self.assertGreater(new, 50)  # the registry was set up again
        self.assertEqual(tracked, new)
        self.assertEqual(walked, 0)
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_what_the_run_keeps_joins_the_freeze_at_each_object(self):
        """The run's cache, made after the run froze the heap and kept for all
        its objects, is frozen from the first object's batches on (else each
        object's full collections walk what the earlier ones left: the run's
        caches and memos)."""
        walked = {}
        original = BatchLoader.load

        def spy(loader, rows):
            if loader.omap.target not in walked:
                ids = {id(obj) for obj in gc.get_objects()}
                walked[loader.omap.target] = id(loader.cache) in ids
            return original(loader, rows)

        with patch.object(BatchLoader, "load", spy):
            run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(walked, {"company": False, "contact": False, "lead": False})

    def test_a_freeze_not_made_here_is_left_as_it_is(self):
        self.assertFalse(heap.refreeze())
        with heap.frozen():
            self.assertTrue(heap.refreeze())
        self.assertEqual(gc.get_freeze_count(), 0)
        gc.freeze()
        try:
            self.assertFalse(heap.refreeze())
        finally:
            gc.unfreeze()
