"""The customer companies a batch of XMPie recipients names (their company's
name, no companies file) are made once for the batch, not one create() per
row (loader/handlers/lead_companies.py), and end up as they did row by row."""

from unittest.mock import patch

from odoo.tests import tagged

from ..loader.partners import PartnerFinder
from .common import SampleCase
from .test_xmpie import XmpieSample


@tagged("post_install", "-at_install")
class TestLeadCompaniesPerBatch(XmpieSample, SampleCase):
    project_vals = {"name": "XMPie companies per batch"}
    run_full = False

    def test_the_companies_a_batch_names_are_made_at_once(self):
        calls = []
        original = PartnerFinder.parent_companies

        def counted(finder, wanted):
            calls.append(sorted(name.strip() for name, _vals in wanted))
            return original(finder, wanted)

        with patch.object(PartnerFinder, "parent_companies", counted):
            self.full = self.project._start_run("full", commit=False)
        self.assertEqual(self.full.state, "done")
        # the recipients' one batch: its four new companies in one call, not
        # one per recipient that names one first
        self.assertEqual(
            calls,
            [
                [
                    "Acme Print Co.",
                    "Blue Ridge Bank",
                    "Café Lumière",
                    "Summit Health, Inc.",
                ]
            ],
        )
        companies = self.env["res.partner"].search(
            [("is_company", "=", True), ("id", "in", self._created_ids("res.partner"))]
        )
        self.assertEqual(
            sorted(companies.mapped("name")),
            [
                "Acme Print Co.",
                "Blue Ridge Bank",
                "Café Lumière",
                "Summit Health, Inc.",
            ],
        )
        # as row by row: a later recipient naming the company an earlier one
        # made (spelled otherwise) has it as its customer, under its name
        blue_ridge = self._lead("R0001").partner_id
        self.assertEqual(blue_ridge.name, "Blue Ridge Bank")
        for rid in ("R0016", "R0021"):
            lead = self._lead(rid)
            self.assertEqual(
                (lead.partner_id, lead.partner_name), (blue_ridge, "Blue Ridge Bank")
            )
        for rid in ("R0003", "R0008", "R0013"):
            self.assertEqual(self._lead(rid).partner_id, self.northwind)
