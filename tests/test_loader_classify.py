"""The classifier, on its own: what each prepared row becomes from the run
cache's ledger keys, dedupe keys, review decisions and the partners in Odoo."""

from odoo.tests import tagged

from ..loader.classify import Classifier, Decision, review_decisions
from .loader_common import LoaderCase, fake_omap, prep


@tagged("post_install", "-at_install")
class TestLoaderClassify(LoaderCase):
    def setUp(self):
        super().setUp()
        self.project.match_existing = "none"
        self.classifier = Classifier(self.env, self.cache)
        self.omap = fake_omap("contact")

    def _keys(self, rows):
        return [p.key for p in rows]

    def test_ledger_keys_update_dedupe_merges_others_create(self):
        self.cache.keys[("contact", "id:1")] = 41
        self.cache.key_models[("contact", "id:1")] = "res.partner"
        self.cache.dedupe[("contact", "b@x.example")] = 42
        known, twin, new = prep(0, "id:1"), prep(1, "id:2"), prep(2, "id:3")
        twin.dedupe = "b@x.example"
        result = self.classifier.classify(self.omap, [known, twin, new], {})
        self.assertEqual(result.updates, [(known, 41)])
        self.assertEqual(result.merges, [(twin, 42)])
        self.assertEqual(result.creates, [new])
        self.assertEqual((result.held, result.skipped, result.matched), ([], [], {}))

    def test_a_second_row_of_the_batch_merges_into_the_first(self):
        first, same_key, same_email = prep(0, "id:1"), prep(1, "id:1"), prep(2, "id:9")
        first.dedupe = same_email.dedupe = "c@x.example"
        result = self.classifier.classify(self.omap, [first, same_key, same_email], {})
        self.assertEqual(result.creates, [first])
        self.assertEqual(result.merges, [(same_key, first), (same_email, first)])

    def test_held_rows_wait_unless_a_person_ignored_them(self):
        held, ignored = prep(0, "id:1"), prep(1, "id:2")
        held.held = ignored.held = {"kind": "orphan"}
        result = self.classifier.classify(
            self.omap, [held, ignored], {ignored.row_id: Decision(ignored=True)}
        )
        self.assertEqual((result.held, result.skipped), ([held], [ignored]))
        self.assertEqual(result.creates, [])

    def test_a_link_made_in_the_review_queue_updates_that_record(self):
        ann = self.env["res.partner"].create({"name": "Ann"})
        row = prep(0, "id:1")
        row.held = {"kind": "missing_required"}
        result = self.classifier.classify(
            self.omap, [row], {row.row_id: Decision(link=ann)}
        )
        self.assertIsNone(row.held)
        self.assertEqual(result.updates, [(row, ann.id)])
        self.assertEqual(self.cache.keys[("contact", "id:1")], ann.id)

    def test_a_link_to_another_model_is_not_applied(self):
        lead = self.env["crm.lead"].create({"name": "Deal"})
        row = prep(0, "id:1")
        result = self.classifier.classify(
            self.omap, [row], {row.row_id: Decision(link=lead)}
        )
        self.assertEqual(result.creates, [row])
        self.assertEqual(row.issues[0]["kind"], "invalid_value")
        self.assertEqual(row.issues[0]["value"], f"crm.lead,{lead.id}")

    def test_a_row_now_of_another_model_is_held(self):
        self.cache.keys[("note", "id:1")] = 7
        self.cache.key_models[("note", "id:1")] = "mail.activity"
        row = prep(0, "id:1")
        row.model = "mail.message"
        result = self.classifier.classify(fake_omap("note", "mail.message"), [row], {})
        self.assertEqual(result.held, [row])
        self.assertEqual(
            row.held["reason"],
            "This row was loaded as a mail.activity and is now a mail.message: "
            "remove the earlier record (or roll its run back) first.",
        )

    def test_partners_in_odoo_are_matched_by_email_or_vat(self):
        self.project.match_existing = "link"
        ann = self.env["res.partner"].create({"name": "Ann", "email": "ann@x.example"})
        acme = self.env["res.partner"].create(
            {"name": "Acme", "is_company": True, "vat": "BE0477472701"}
        )
        by_email = prep(0, "id:1", email="ANN@x.example")
        other = prep(1, "id:2", email="zed@x.example")
        result = self.classifier.classify(self.omap, [by_email, other], {})
        self.assertEqual(result.creates, [other])
        self.assertEqual(result.merges, [(by_email, ann.id)])
        self.assertEqual(result.matched, {id(by_email): ann.id})
        company = prep(2, "id:3", vat="be 0477.472.701")
        result = self.classifier.classify(fake_omap("company"), [company], {})
        self.assertEqual(result.merges, [(company, acme.id)])

    def test_a_custom_object_row_never_creates(self):
        row = prep(0, "memberships:id:1")
        row.dedupe = "nobody@x.example"
        omap = fake_omap("contact", extends_only=True, _columns_for=lambda *n: ["Mail"])
        result = self.classifier.classify(omap, [row], {})
        self.assertEqual((result.creates, result.held), ([], [row]))
        self.assertEqual(
            (row.held["kind"], row.held["column"], row.held["value"]),
            ("orphan", "Mail", "nobody@x.example"),
        )

    def test_review_decisions_read_the_queue(self):
        rows = self.env["migration.staging.row"]
        source = self.env["migration.source"].create(
            {"project_id": self.project.id, "name": "people.csv"}
        )
        for line in (2, 3):
            rows |= rows.create(
                {
                    "project_id": self.project.id,
                    "source_id": source.id,
                    "line": line,
                    "data": {},
                }
            )
        Review = self.env["migration.review"]
        common = {
            "project_id": self.project.id,
            "kind": "invalid_value",
            "reason": "check",
        }
        Review.create(
            [
                {
                    **common,
                    "staging_row_id": rows[0].id,
                    "column": "Email",
                    "corrected_value": "fixed@x.example",
                    "state": "resolved",
                },
                {
                    **common,
                    "staging_row_id": rows[1].id,
                    "row_held": True,
                    "state": "ignored",
                },
            ]
        )
        decisions = review_decisions(self.env, rows)
        self.assertEqual(
            decisions,
            {
                rows[0].id: Decision(corrections={"Email": "fixed@x.example"}),
                rows[1].id: Decision(ignored=True),
            },
        )
