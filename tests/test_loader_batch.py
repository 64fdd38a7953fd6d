"""One batch, on its own (loader.batch): a hand-built contacts source of five
staging rows loaded by BatchLoader alone, without a run around it, and its
create / merge / update steps called one by one; each asserts what the batch
returns (its Tally) and what it booked (ledger, review items, row states,
the run line's counts)."""

from types import SimpleNamespace

from odoo.tests import tagged

from ..loader.batch import BatchLoader, Tally
from ..loader.cache import RunCache
from ..loader.common import COUNTS
from .loader_common import LoaderCase, prep

CONTACTS = [
    {"ID": "1", "Name": "Ann Lee", "Email": "ann@x.example", "Job": ""},
    {"ID": "2", "Name": "Bob Ray", "Email": "bob@x.example", "Job": "Buyer"},
    # the same person as line 2 (email in another case): merged into Ann
    {"ID": "3", "Name": "Ann L.", "Email": " ANN@x.example", "Job": "CEO"},
    {"ID": "4", "Name": "", "Email": "", "Job": "Ghost"},  # nobody: held
    {"ID": "5", "Name": "Cy Dee", "Email": "cy at nowhere", "Job": ""},
]


@tagged("post_install", "-at_install")
class TestLoaderBatch(LoaderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omap, cls.rows = cls._staged(
            "people.csv",
            "contact",
            CONTACTS,
            {
                "Name": ("name", "text"),
                "Email": ("email", "email"),
                "Job": ("function", "text"),
            },
            dedupe_rule="email",
        )
        cls.line = cls.env["migration.run.line"].create(
            {"run_id": cls.mig_run.id, "object_map_id": cls.omap.id}
        )

    def loader(self, run=None):
        """A BatchLoader over a run cache that read the ledger of earlier
        batches, as a run builds one per object."""
        run = run or self.mig_run
        cache = RunCache.build(self.env, run, self.omap)
        cache.preload_keys(self.omap)
        return BatchLoader(self.env, cache, run, self.omap, self.line)

    def ledger(self, run=None):
        entries = self.env["migration.ledger"].search(
            [("run_id", "=", (run or self.mig_run).id)], order="id"
        )
        return [(e.line, e.operation, e.source_key, e.res_id) for e in entries]

    def partner(self, key):
        entry = self.env["migration.ledger"].search(
            [("source_key", "=", key), ("operation", "=", "create")]
        )
        return self.env["res.partner"].browse(entry.res_id)

    def test_a_batch_creates_merges_holds_and_books(self):
        tally = self.loader().load(self.rows)
        ann, bob, cy = (self.partner(f"id:{n}") for n in (1, 2, 5))
        self.assertEqual(
            tally.counts,
            dict.fromkeys(COUNTS, 0)
            | {"read": 5, "created": 3, "merged": 1, "review": 1, "invalid": 1},
        )
        # the merge wrote only into Ann's empty field, her name stays
        self.assertEqual(
            [(p.name, p.email, p.function) for p in ann | bob | cy],
            [
                ("Ann Lee", "ann@x.example", "CEO"),
                ("Bob Ray", "bob@x.example", "Buyer"),
                ("Cy Dee", False, False),
            ],
        )
        self.assertEqual(
            self.ledger(),
            [
                (2, "create", "id:1", ann.id),
                (3, "create", "id:2", bob.id),
                (6, "create", "id:5", cy.id),
                (4, "merge", "id:3", ann.id),
            ],
        )
        r1, r2, r3, r4, r5 = self.rows
        self.assertEqual(
            tally.row_states,
            {"loaded": [r1.id, r2.id, r5.id], "merged": [r3.id], "review": [r4.id]},
        )
        self.assertEqual(
            self.rows.mapped("state"),
            ["loaded", "loaded", "merged", "review", "loaded"],
        )
        self.assertEqual(
            self.rows.mapped("source_key"), ["id:1", "id:2", "id:3", "id:4", "id:5"]
        )
        reviews = self.env["migration.review"].search(
            [("project_id", "=", self.project.id)], order="line"
        )
        self.assertEqual(
            [(r.line, r.kind, r.row_held, r.column, r.value) for r in reviews],
            [
                (4, "duplicate", False, False, "ann@x.example"),
                (5, "missing_required", True, "Name", False),
                (6, "invalid_value", False, "Email", "cy at nowhere"),
            ],
        )
        self.assertEqual(reviews[0].reason, "Merged into Ann Lee (line 2): same email.")
        self.assertEqual(
            (
                self.line.read_count,
                self.line.created_count,
                self.line.merged_count,
                self.line.review_count,
                self.line.invalid_value_count,
            ),
            (5, 3, 1, 1, 1),
        )

    def test_a_second_batch_of_the_same_rows_updates_what_changed(self):
        self.loader().load(self.rows)
        bob = self.partner("id:2")
        self.rows[1].data = dict(CONTACTS[1], Job="Head buyer")
        rerun = self.env["migration.run"].create(
            {"project_id": self.project.id, "kind": "full"}
        )
        tally = self.loader(rerun).load(self.rows)
        self.assertEqual(
            tally.counts,
            dict.fromkeys(COUNTS, 0)
            | {"read": 5, "updated": 1, "unchanged": 3, "review": 1, "invalid": 1},
        )
        self.assertEqual(bob.function, "Head buyer")
        (update,) = self.env["migration.ledger"].search([("run_id", "=", rerun.id)])
        self.assertEqual(
            (update.operation, update.res_id, update.before_values),
            ("update", bob.id, {"function": "Buyer"}),
        )
        self.assertEqual(
            [(p.key, record, before) for p, record, before in tally.updated],
            [("id:2", bob, {"function": "Buyer"})],
        )

    def test_prepare_reads_the_rows_with_their_review_corrections(self):
        self.env["migration.review"].create(
            {
                "project_id": self.project.id,
                "staging_row_id": self.rows[4].id,
                "kind": "invalid_value",
                "column": "Email",
                "reason": "check",
                "corrected_value": "cy@x.example",
                "state": "resolved",
            }
        )
        prepared, decisions = self.loader().prepare(self.rows)
        self.assertEqual(list(decisions), [self.rows[4].id])
        self.assertEqual(
            [(p.line, p.key, p.dedupe, p.vals.get("email")) for p in prepared],
            [
                (2, "id:1", "ann@x.example", "ann@x.example"),
                (3, "id:2", "bob@x.example", "bob@x.example"),
                (4, "id:3", "ann@x.example", "ann@x.example"),
                (5, "id:4", None, None),
                (6, "id:5", "cy@x.example", "cy@x.example"),
            ],
        )
        self.assertEqual(prepared[3].held["kind"], "missing_required")
        self.assertEqual([p.issues for p in prepared], [[]] * 5)

    def test_create_holds_a_row_odoo_refuses_and_writes_the_others(self):
        batch = self.loader()
        good = prep(self.rows[0].id, "id:1", name="Good")
        # the database refuses a contact without a name (res_partner_check_name)
        bad = prep(self.rows[1].id, "id:2", name=False, email="bad@x.example")
        tally = Tally()
        batch.create([good, bad], tally)
        ((done, record),) = tally.created
        self.assertEqual((done, record.name), (good, "Good"))
        self.assertEqual(tally.created_ids, {id(good): record.id})
        self.assertEqual(tally.counts["created"], 1)
        self.assertEqual(tally.held, [bad])
        self.assertEqual(bad.held["kind"], "error")
        self.assertTrue(bad.held["reason"].startswith("Odoo refused the row: "))
        self.assertEqual(
            [(v["operation"], v["source_key"], v["res_id"]) for v in tally.ledger],
            [("create", "id:1", record.id)],
        )
        self.assertEqual(batch.cache.keys[("contact", "id:1")], record.id)
        self.assertEqual(tally.row_states, {"loaded": [good.row_id]})

    def test_merge_into_a_refused_row_is_held(self):
        first, twin = prep(self.rows[0].id, "id:1"), prep(self.rows[2].id, "id:3")
        first.line = self.rows[0].line  # the file's line 2
        tally = Tally()
        self.loader().merge(twin, first, {}, tally)
        self.assertEqual(tally.held, [twin])
        self.assertEqual(
            (twin.held["kind"], twin.held["reason"]),
            ("duplicate", "Duplicate of line 2, which was not loaded."),
        )
        self.assertEqual((tally.ledger, tally.counts["merged"]), ([], 0))

    def test_merge_fills_only_empty_fields_unless_the_project_updates(self):
        ann = self.env["res.partner"].create({"name": "Ann", "function": "CEO"})
        for match_existing, function in (("link", "CEO"), ("update", "CTO")):
            self.project.match_existing = match_existing
            row = prep(self.rows[2].id, f"id:{match_existing}", function="CTO")
            row.dedupe = "ann@x.example"
            tally = Tally()
            self.loader().merge(row, ann.id, {id(row): ann.id}, tally)
            self.assertEqual(ann.function, function)
            self.assertEqual(tally.row_states, {"merged": [row.row_id]})
            self.assertEqual(
                row.issues[0]["reason"],
                "Merged into Ann: same email or VAT as a partner already in Odoo.",
            )
        self.assertEqual(tally.ledger[0]["before_values"], {"function": "CEO"})

    def test_update_writes_what_the_source_says_never_a_default(self):
        bob = self.env["res.partner"].create({"name": "Bob", "function": "Buyer"})
        row = prep(self.rows[1].id, "id:2", name="Bob", function=False, lang="fr_FR")
        row.defaults = {"lang"}
        tally = Tally()
        self.loader().update(row, bob.id, tally)
        self.assertEqual((bob.function, bob.lang), (False, "en_US"))
        self.assertEqual(tally.counts["updated"], 1)
        self.assertEqual(tally.ledger[0]["before_values"], {"function": "Buyer"})
        same = Tally()
        self.loader().update(row, bob.id, same)
        self.assertEqual((same.counts["updated"], same.counts["unchanged"]), (0, 1))
        self.assertEqual((same.ledger, same.row_states), ([], {"loaded": [row.row_id]}))

    def test_written_ids_are_the_records_in_odoo_it_updates_or_merges_into(self):
        first, twin, other = prep(1, "a"), prep(2, "b"), prep(3, "c")
        sorted_rows = SimpleNamespace(
            updates=[(other, 30)],
            merges=[(twin, first), (prep(4, "d"), 10)],
            matched={id(first): 20},
        )
        self.assertEqual(BatchLoader._written_ids(sorted_rows), [10, 20, 30])
