"""Stages inferred from the deals (a source without pipeline configuration) are
proposed as records before the run; the consultant reorders them and changes
their won/folded flags, and the run makes the crm.stage records exactly so."""

from odoo.fields import Command
from odoo.tests import tagged

from .common import SampleCase

INFERRED = [
    ("Partner Channel", "Partner Review", False, False),
    ("Partner Channel", "Signed", True, True),
    ("Sales Pipeline", "Qualification", False, False),
    ("Sales Pipeline", "Proposal", False, False),
    ("Sales Pipeline", "Negotiation", False, False),
    ("Sales Pipeline", "Closed Won", True, True),
]


@tagged("post_install", "-at_install")
class TestStageProposals(SampleCase):
    system = "crmio"
    project_vals = {"name": "CRM.io stages", "create_users": True}
    run_full = False

    def _deals(self):
        return self.project.object_map_ids.filtered(lambda m: m.object_name == "deals")

    @staticmethod
    def _listed(proposals):
        return [
            (p.pipeline, p.name, p.is_won, p.fold)
            for p in proposals.sorted(lambda p: (p.pipeline, p.sequence, p.id))
        ]

    def _stages(self, team_name):
        team = self.env["crm.team"].search([("name", "=", team_name)])
        return [
            (s.name, s.is_won, s.fold)
            for s in self.env["crm.stage"].search(
                [("team_id", "=", team.id)], order="sequence, id"
            )
        ]

    def test_the_run_makes_the_stages_as_the_consultant_edited_them(self):
        deals = self._deals()
        proposals = deals.stage_proposal_ids
        # proposed before any run, in the inferred order, with the deal counts
        self.assertFalse(self.project.run_ids)
        self.assertEqual(self._listed(proposals), INFERRED)
        signed = proposals.filtered(lambda p: p.name == "Signed")
        self.assertEqual((signed.won_count, signed.open_count), (1, 0))
        # the consultant, on the deals map's Stages tab: Negotiation before
        # Proposal, and Signed an open stage (neither won nor folded)
        by_name = {p.name: p for p in proposals}
        by_name["Negotiation"].sequence, by_name["Proposal"].sequence = (
            by_name["Proposal"].sequence,
            by_name["Negotiation"].sequence,
        )
        # what the Stages tab saves: the map with its edited lines
        deals.write(
            {
                "stage_proposal_ids": [
                    Command.update(signed.id, {"is_won": False, "fold": False})
                ]
            }
        )
        run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done")
        self.assertEqual(
            self._stages("Sales Pipeline"),
            [
                ("Qualification", False, False),
                ("Negotiation", False, False),
                ("Proposal", False, False),
                ("Closed Won", True, True),
            ],
        )
        self.assertEqual(
            self._stages("Partner Channel"),
            [("Partner Review", False, False), ("Signed", False, False)],
        )
        # the edits survive the rows being read again; a reset brings the
        # inferred order and flags back
        self.env["migration.stage.proposal"]._sync(deals)
        sales = deals.stage_proposal_ids.filtered(
            lambda p: p.pipeline == "Sales Pipeline"
        )
        self.assertEqual(
            sales.sorted("sequence").mapped("name"),
            ["Qualification", "Negotiation", "Proposal", "Closed Won"],
        )
        self.assertFalse(signed.is_won)
        deals.action_reset_stages()
        self.assertEqual(self._listed(deals.stage_proposal_ids), INFERRED)
