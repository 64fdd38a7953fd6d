"""The choices a person confirms on an object map (field maps, value maps,
converter columns) are one mixin (migration.map.choice.mixin): confirm and
withdraw, a person's edit withdraws the confirmation and says who chose (a
proposal's write, which gives its reason, does not), and the confirmation's
audit line."""

from odoo.tests import tagged

from ..models.migration_map_choice_mixin import MigrationMapChoiceMixin
from .common import MigrationCase

TODOS = (
    "To Do ID,Contact ID,Summary,Due Date,Completed\n1,P1,Call back,03/04/2024,Yes\n"
)


@tagged("post_install", "-at_install")
class TestMapChoices(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project._add_file("todos.csv", TODOS.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}

    def _audit(self, action):
        return self.env["migration.audit"].search(
            [("project_id", "=", self.project.id), ("action", "=", action)],
            order="id",
        )

    def test_the_three_models_share_the_mixin(self):
        for model in (
            "migration.field.map",
            "migration.value.map",
            "migration.converter.column",
        ):
            self.assertIn(MigrationMapChoiceMixin, type(self.env[model]).__mro__)

    def test_a_field_map_confirmed_then_edited_by_a_person(self):
        fmap = self.omap["contacts.csv"].field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        fmap.action_confirm()
        self.assertTrue(fmap.confirmed)
        self.assertEqual(
            self._audit("confirm")[-1].description,
            f"1 field maps confirmed: {fmap.display_name}",
        )
        fmap.write({"transform": "html"})
        self.assertEqual(
            (fmap.confirmed, fmap.confidence, fmap.reason),
            (False, 1.0, f"Chosen by {self.env.user.name}."),
        )
        self.assertIn("(transform)", self._audit("edit")[-1].description)
        fmap.action_confirm()
        fmap.action_unconfirm()
        self.assertFalse(fmap.confirmed)
        # a proposal's write gives its reason: no person chose
        fmap.write({"transform": "text", "reason": "proposed", "confirmed": True})
        self.assertEqual((fmap.confirmed, fmap.reason), (True, "proposed"))

    def test_a_value_map_confirmed_then_edited_by_a_person(self):
        vmap = self.omap["deals.csv"].value_map_ids[:1]
        self.assertTrue(vmap)
        vmap.action_confirm()
        self.assertTrue(vmap.confirmed)
        self.assertEqual(
            self._audit("confirm")[-1].description, "1 value maps confirmed."
        )
        vmap.write({"create_new": not vmap.create_new, "target_ref": False})
        self.assertFalse(vmap.confirmed)
        vmap.action_confirm()
        vmap.action_unconfirm()
        self.assertFalse(vmap.confirmed)

    def test_a_converter_column_is_confirmed_and_withdrawn(self):
        column = self.omap["todos.csv"].converter_column_ids[:1]
        self.assertTrue(column)
        audited = len(self._audit("confirm"))
        column.action_confirm()
        self.assertTrue(column.confirmed)
        # not audited (as before the mixin): a converter input is no field map
        self.assertEqual(len(self._audit("confirm")), audited)
        column.action_unconfirm()
        self.assertFalse(column.confirmed)
