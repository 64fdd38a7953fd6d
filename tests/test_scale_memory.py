"""The run phase's memory does not grow with the rows loaded (issue 18): the
run cache kept the source key of every row it loaded (two dicts, a tuple, the
key and the record id per row: the largest growth of a 200,000-row run in
tracemalloc's snapshots, bench/bench_scale.py --trace-memory). A batch now
reads its rows' keys back from the ledger and forgets them when it is booked;
what the run writes stays the same."""

from unittest.mock import patch

from odoo.tests import tagged

from ..loader.batch import BatchLoader
from .common import MigrationCase
from .test_parallel import Rollback, books, scenario

BATCH = 10


@tagged("post_install", "-at_install")
class TestRunKeysPerBatch(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Keys per batch",
                "system": "generic",
                "default_user_id": cls.owner.id,
            }
        )
        cls.files = dict(
            zip(
                ("companies.csv", "contacts.csv", "deals.csv"),
                scenario(12, 60, 40),
                strict=True,
            )
        )
        for name, data in cls.files.items():
            cls.project._add_file(name, data)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def _run(self, batch_size):
        """(books of a synchronous run in batches of ``batch_size``, the
        run cache's sizes after each batch), rolled back."""
        self.project.batch_size = batch_size
        sizes = []
        real = BatchLoader.load

        def load(loader, rows):
            tally = real(loader, rows)
            cache = loader.cache
            sizes.append(
                (
                    len(rows),
                    len(cache.keys),
                    len(cache.key_models),
                    len(cache.batch_keys),
                )
            )
            return tally

        try:
            with self.env.cr.savepoint(), patch.object(BatchLoader, "load", load):
                run = self.project._start_run("full")
                out = books(self.env, run)
                raise Rollback
        except Rollback:
            self.env.invalidate_all()
        return out, sizes

    def test_the_run_cache_holds_one_batch_of_keys(self):
        whole, _sizes = self._run(1000)
        batched, sizes = self._run(BATCH)
        self.assertEqual(whole["state"], ("done", True, 0))
        # the same records, ledger, reviews and counts, batch by batch
        self.assertEqual(batched, whole)
        self.assertGreater(len(sizes), 10)
        # after every batch: no key left of the rows it loaded
        self.assertEqual({(k, m, b) for _rows, k, m, b in sizes}, {(0, 0, 0)})

    def test_a_key_of_an_earlier_batch_is_read_back_from_the_ledger(self):
        """Contact P3 again on a new last line (another job title), five
        batches after its first row: an update of the record that row made,
        not a second contact nor a merge by its email."""
        line = b"P3,First3,Last3,p3@c3.example.com,,Company 3 Corp,CEO,,04/01/2021\n"
        self.project._add_file("contacts.csv", self.files["contacts.csv"] + line)
        before, _sizes = self._run(1000)  # in one batch: merged into P3's record
        out, sizes = self._run(BATCH)
        read, created, updated, _unchanged, merged = out["lines"]["contacts"][:5]
        self.assertEqual(
            (read, created, updated, merged),
            (61, before["lines"]["contacts"][1], 1, before["lines"]["contacts"][4] - 1),
        )
        self.assertEqual({(k, m, b) for _rows, k, m, b in sizes}, {(0, 0, 0)})
