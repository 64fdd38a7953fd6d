"""The one writer per model, on its own: a failing batch is bisected down to
its bad rows, an update writes only what differs."""

from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import tagged

from ..loader.writer import Writer
from .loader_common import LoaderCase, prep


@tagged("post_install", "-at_install")
class TestLoaderWriter(LoaderCase):
    def setUp(self):
        super().setUp()
        self.writer = Writer(self.env)

    def test_model_carries_the_speed_and_model_contexts(self):
        context = self.writer.model("res.users").env.context
        self.assertTrue(context["tracking_disable"])
        self.assertTrue(context["mail_create_nolog"])
        self.assertTrue(context["no_reset_password"])
        self.assertNotIn("no_reset_password", self.writer.model("crm.tag").env.context)

    def test_a_batch_with_one_bad_row_is_bisected_to_that_row(self):
        self.env["crm.tag"].create({"name": "Taken"})
        preps = [prep(i, f"k{i}", name=f"Tag {i}") for i in range(5)]
        preps[2].vals["name"] = "Taken"  # crm.tag names are unique
        Tag = type(self.env["crm.tag"])
        original, sizes = Tag.create, []

        def spy(model, vals_list):
            sizes.append(len(vals_list))
            return original(model, vals_list)

        with patch.object(Tag, "create", spy):
            ok, bad = self.writer.create(self.writer.model("crm.tag"), preps)
        # 5 fails -> 2 ok + 3 fails -> 1 bad + 2 ok: no row-by-row retries
        self.assertEqual(sizes, [5, 2, 3, 1, 2])
        self.assertEqual([p.key for p, _r in ok], ["k0", "k1", "k3", "k4"])
        self.assertEqual([r.name for _p, r in ok], ["Tag 0", "Tag 1", "Tag 3", "Tag 4"])
        self.assertEqual(len(bad), 1)
        self.assertIs(bad[0][0], preps[2])
        self.assertIn("crm_tag_name_uniq", bad[0][1])
        self.assertEqual(len(bad[0][1].splitlines()), 1)

    def test_nothing_to_create(self):
        self.assertEqual(self.writer.create(self.writer.model("crm.tag"), []), ([], []))

    def test_update_writes_what_differs_and_returns_before_values(self):
        partner = self.env["res.partner"].create({"name": "Ann", "phone": "1"})
        before, error = self.writer.update(
            partner,
            {"name": "Ann", "phone": "2", "function": "CEO", "is_company": True},
        )
        self.assertIsNone(error)
        self.assertEqual(before, {"phone": "1", "function": False})
        self.assertEqual((partner.phone, partner.function), ("2", "CEO"))
        self.assertFalse(partner.is_company)  # never switched by an update
        self.assertEqual(self.writer.update(partner, {"phone": "2"}), ({}, None))

    def test_a_merge_fills_only_empty_fields(self):
        partner = self.env["res.partner"].create({"name": "Ann", "phone": "1"})
        before, _error = self.writer.update(
            partner, {"phone": "2", "function": "CEO"}, only_empty=True
        )
        self.assertEqual(before, {"function": False})
        self.assertEqual((partner.phone, partner.function), ("1", "CEO"))

    def test_tags_are_added_and_cleared_never_replaced(self):
        red, blue = self.env["res.partner.category"].create(
            [{"name": "Red"}, {"name": "Blue"}]
        )
        partner = self.env["res.partner"].create(
            {"name": "Ann", "category_id": [Command.link(red.id)]}
        )
        before, _error = self.writer.update(
            partner, {"category_id": [Command.link(red.id), Command.link(blue.id)]}
        )
        self.assertEqual(before, {"category_id": [red.id]})
        self.assertEqual(partner.category_id, red | blue)
        before, _error = self.writer.update(partner, {"category_id": False})
        self.assertEqual(before, {"category_id": sorted((red | blue).ids)})
        self.assertFalse(partner.category_id)

    def test_dates_and_floats_compare_as_values(self):
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "expected_revenue": 10.0, "date_deadline": "2024-03-01"}
        )
        self.assertEqual(
            self.writer.update(
                lead, {"expected_revenue": "10.0", "date_deadline": "2024-03-01"}
            ),
            ({}, None),
        )

    def test_a_refused_update_is_an_error_text(self):
        partner = self.env["res.partner"].create({"name": "Ann"})
        before, error = self.writer.update(partner, {"parent_id": partner.id})
        self.assertEqual(before, {})
        self.assertIn("recursive", error.lower())
