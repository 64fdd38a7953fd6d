"""The x_ fields of a run made in one ir.model.fields create (loader.custom_
fields): Odoo sets the whole registry up again after each create (every
model's fields made anew, then the models' tables checked), 0.3-0.4 CPU s a
time at 20,000 rows; a run with new fields on companies and deals made one
create per model."""

from datetime import date
from unittest.mock import patch

from odoo.modules.registry import Registry
from odoo.tests import tagged

from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestCustomFieldSetup(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls._employees_as_new_field()
        cls.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Close Date"
        ).write(
            {
                "action": "create",
                "new_field_name": "x_close_date",
                "new_field_type": "date",
                "new_field_label": "Close Date",
            }
        )
        cls.project.action_confirm_maps()

    def test_the_new_fields_of_every_model_in_one_registry_setup(self):
        setups = []
        original = Registry.setup_models

        def counted(registry, cr):
            setups.append(registry.db_name)
            return original(registry, cr)

        with patch.object(Registry, "setup_models", counted):
            run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(len(setups), 1)
        self.assertEqual(self.env["res.partner"]._fields["x_employees"].type, "integer")
        self.assertEqual(self.env["crm.lead"]._fields["x_close_date"].type, "date")
        deal = self._record("lead", "id:D1")
        self.assertEqual(deal.x_close_date, date(2021, 6, 30))
        self.assertFalse(deal.date_deadline)
