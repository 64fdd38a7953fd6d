from odoo.exceptions import UserError
from odoo.tests import tagged

from ..engine import propose
from ..models.migration_cell_check import VIRTUAL_READS
from ..models.migration_project import ACCEPT_CONFIDENCE
from .common import MigrationCase


@tagged("post_install", "-at_install")
class TestCellConservation(MigrationCase):
    """Nothing silently wrong: one target per column, a writer for every target,
    and every non-empty source cell accounted for after a run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()

    def _cells(self, run, source, column):
        return self.env["migration.cell.check"].search(
            [
                ("run_id", "=", run.id),
                ("object_map_id", "=", self.omap[source].id),
                ("column", "=", column),
            ]
        )

    # ------------------------------------------------- one target, one column
    def test_two_columns_for_one_field_are_refused_at_confirm(self):
        self._map("contacts.csv", "Job Title", "email")
        with self.assertRaises(UserError) as caught:
            self.omap["contacts.csv"].action_confirm()
        message = str(caught.exception)
        self.assertIn("'Email'", message)
        self.assertIn("'Job Title'", message)
        with self.assertRaises(UserError):
            self.project.action_full_run()

    def test_a_full_name_beside_first_and_last_name_is_refused(self):
        self._map("contacts.csv", "Job Title", "name")
        fmap = self.omap["contacts.csv"].field_map_ids.filtered(
            lambda f: f.column == "Job Title"
        )
        with self.assertRaises(UserError) as caught:
            fmap.action_confirm()
        self.assertIn("'First Name'", str(caught.exception))
        self.assertIn("'Last Name'", str(caught.exception))

    def test_accepting_proposals_skips_unsure_and_conflicting_ones(self):
        self._map("contacts.csv", "Job Title", "email")
        contacts = self.omap["contacts.csv"].field_map_ids
        unsure = contacts.filtered(lambda f: f.column == "Phone")
        unsure.confidence = ACCEPT_CONFIDENCE - 0.1
        sure = contacts.filtered(lambda f: f.column == "Last Name")
        sure.confidence = ACCEPT_CONFIDENCE
        self.project._accept_proposals()
        for column in ("Email", "Job Title"):
            fmap = contacts.filtered(lambda f, c=column: f.column == c)
            self.assertFalse(fmap.confirmed, column)
        self.assertFalse(unsure.confirmed)
        self.assertTrue(sure.confirmed)

    # ----------------------------------------------- every target has a writer
    def test_every_target_in_the_catalogue_has_a_writer(self):
        for target, spec in propose.TARGETS.items():
            model = self.env[spec["model"]]
            for tfield in spec["fields"]:
                if tfield.virtual:
                    self.assertIn(
                        tfield.name,
                        VIRTUAL_READS,
                        f"{target}.{tfield.name} is resolved by no one",
                    )
                    reads = [
                        n for n in VIRTUAL_READS[tfield.name] if n in model._fields
                    ]
                    self.assertTrue(reads, (target, tfield.name))
                else:
                    self.assertIn(tfield.name, model._fields, (target, tfield.name))
        contact = {f.name for f in propose.TARGETS["contact"]["fields"]}
        self.assertNotIn("source_id", contact)  # res.partner has no source

    # ---------------------------------------------------------- conservation
    def test_every_cell_of_a_full_run_is_accounted_for(self):
        self.project.action_confirm_maps()
        run = self._full_run()
        self.assertEqual(run.state, "done", run.log)
        checks = run.cell_check_ids
        self.assertTrue(checks)
        self.assertEqual(run.unaccounted_cell_count, 0, checks.mapped("example"))
        for check in checks:
            self.assertEqual(
                check.cell_count,
                check.written_count
                + check.ignored_count
                + check.review_count
                + check.unaccounted_count,
            )
        email = self._cells(run, "contacts.csv", "Email")
        # six contacts, one email blank, one invalid (a review item), one a
        # duplicate merged into the first (written there, or reviewed)
        self.assertEqual(email.cell_count, 5)
        self.assertGreaterEqual(email.review_count, 1)
        self.assertEqual(email.written_count + email.review_count, 5)
        data = run._report_data()
        self.assertEqual(data["unaccounted_cells"], 0)
        self.assertIn("Email", {c["column"] for c in data["cells"]})

    def test_a_value_lost_after_the_write_is_caught_by_reading_back(self):
        self.project.action_confirm_maps()
        run = self._full_run()
        partner = self._record("contact", "id:P1")
        self.assertEqual(partner.function, "CEO")
        partner.function = False  # what a silent loss looks like in Odoo
        self.env["migration.cell.check"]._build_for_run(run)
        title = self._cells(run, "contacts.csv", "Job Title")
        self.assertEqual(title.unaccounted_count, 1)
        self.assertIn("CEO", title.example)
        self.assertEqual(run.unaccounted_cell_count, 1)


@tagged("post_install", "-at_install")
class TestLoaderRulesSeenBlind(MigrationCase):
    """Classes of loss the blind fidelity check found, each on a small file."""

    def _migrate(self, name, text, system="generic"):
        project = self.env["migration.project"].create(
            {
                "name": f"Blind {name}",
                "system": system,
                "default_user_id": self.owner.id,
            }
        )
        project._add_file(name, text.encode())
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        run = project._start_run("full")
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(run.unaccounted_cell_count, 0)
        return project, run

    def test_a_lost_deals_probability_is_reviewed_not_replaced_silently(self):
        project, run = self._migrate(
            "deals.csv",
            "Deal Name,Stage,Probability,Status,Amount\n"
            "Big one,Negotiation,75,Lost,1000\n"
            "Small one,Negotiation,40,Open,500\n",
        )
        lost = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "=", "Big one")])
        )
        self.assertEqual((lost.active, lost.probability), (False, 0.0))
        review = run.review_ids.filtered(lambda r: r.column == "Probability")
        self.assertEqual(review.mapped("value"), ["75.0"])
        self.assertEqual(review.kind, "not_loaded")
        open_ = self.env["crm.lead"].search([("name", "=", "Small one")])
        self.assertEqual(open_.probability, 40.0)

    def test_a_leads_file_loads_leads_a_deals_file_opportunities(self):
        text = "Name,Email,Lead Status,Company\nAnn Lee,ann@x.example.com,Open,X\n"
        self._migrate("Leads_2026-11-30.csv", text)
        lead = self.env["crm.lead"].search([("email_from", "=", "ann@x.example.com")])
        self.assertEqual(lead.type, "lead")
        self._migrate("Deals export.csv", text.replace("ann@", "bo@"))
        deal = self.env["crm.lead"].search([("email_from", "=", "bo@x.example.com")])
        self.assertEqual(deal.type, "opportunity")

    def test_a_street_on_two_lines_fills_street_and_street2(self):
        _project, run = self._migrate(
            "contacts.csv",
            "First Name,Last Name,Email,Street,City\n"
            'Ann,Lee,ann@y.example.com,"909 Robson St\nBureau 300",Ottawa\n'
            "Bob,Ray,bob@y.example.com,1 Main St,Ottawa\n",
        )
        ann = self.env["res.partner"].search([("email", "=", "ann@y.example.com")])
        self.assertEqual((ann.street, ann.street2), ("909 Robson St", "Bureau 300"))
        bob = self.env["res.partner"].search([("email", "=", "bob@y.example.com")])
        self.assertEqual((bob.street, bob.street2), ("1 Main St", False))
        street = run.cell_check_ids.filtered(lambda c: c.column == "Street")
        self.assertEqual((street.cell_count, street.written_count), (2, 2))

    def test_stage_rows_naming_their_pipeline_make_its_team(self):
        _project, run = self._migrate(
            "pipelines-and-stages.csv",
            "Pipeline,Stage,Stage Order,Win Probability\n"
            "Blind Pipeline,Blind New,1,10%\n"
            "Blind Pipeline,Blind Won,2,100%\n",
            system="crmconnect",
        )
        team = self.env["crm.team"].search([("name", "=", "Blind Pipeline")])
        self.assertEqual(len(team), 1)
        stages = self.env["crm.stage"].search([("team_id", "=", team.id)])
        self.assertEqual(
            stages.sorted("sequence").mapped("name"), ["Blind New", "Blind Won"]
        )
        self.assertFalse(run.review_ids.filtered("row_held"))

    def test_won_deals_stay_in_a_new_stage_whose_name_says_won(self):
        self._migrate(
            "deals.csv",
            "Deal Name,Stage,Status,Amount\n"
            "Won here,Blind Closed Won,Won,1000\n"
            "Won elsewhere,Blind Negotiation,Won,500\n",
        )
        Lead = self.env["crm.lead"]
        here = Lead.search([("name", "=", "Won here")])
        self.assertEqual(here.stage_id.name, "Blind Closed Won")
        self.assertTrue(here.stage_id.is_won)
        elsewhere = Lead.search([("name", "=", "Won elsewhere")])
        self.assertTrue(elsewhere.stage_id.is_won)
        self.assertNotEqual(elsewhere.stage_id.name, "Blind Negotiation")
        negotiation = self.env["crm.stage"].search([("name", "=", "Blind Negotiation")])
        self.assertFalse(negotiation.is_won)

    def test_a_file_of_unknown_role_waits_for_a_person(self):
        project = self.env["migration.project"].create(
            {"name": "Blind roles", "default_user_id": self.owner.id}
        )
        project._add_file(
            "stuff.csv",
            b"File Name,File URL,Uploaded On,Size (KB)\n"
            b"contract.pdf,https://files.example.com/1,2025-01-02,120\n",
        )
        project.action_profile()
        project.action_propose()
        omap = project.object_map_ids
        self.assertFalse(omap.target)
        self.assertIn("not loaded until a person chooses", omap.reason)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "contract.pdf")])
        )

    def test_a_systems_own_spelling_of_a_column_is_proposed_as_it(self):
        self._migrate(
            "Contacts.csv",
            'First Name,Last Name,Email,Flags\nAnn,Lee,ann@z.example.com,"VIP, Gold"\n',
            system="allclients",
        )
        fmap = self.env["migration.field.map"].search(
            [("column", "=", "Flags"), ("project_id.name", "=", "Blind Contacts.csv")]
        )
        self.assertEqual(fmap.target_field_id.name, "category_id")
        self.assertIn("Flags is allclients's Tags", fmap.reason)
        ann = self.env["res.partner"].search([("email", "=", "ann@z.example.com")])
        self.assertEqual(set(ann.category_id.mapped("name")), {"VIP", "Gold"})

    def test_a_renamed_column_kept_in_its_own_field_keeps_its_header(self):
        self._migrate(
            "Contacts.csv",
            "First Name,Last Name,Email,Lead Source\nAnn,Lee,ann@w.example.com,Zillow\n",
            system="allclients",
        )
        fmap = self.env["migration.field.map"].search(
            [
                ("column", "=", "Lead Source"),
                ("project_id.name", "=", "Blind Contacts.csv"),
            ]
        )
        self.assertEqual(
            (fmap.action, fmap.new_field_name, fmap.new_field_label),
            ("create", "x_lead_source", "Lead Source"),
        )

    def test_a_leads_first_and_last_name_are_its_contact_name(self):
        self._migrate(
            "Leads.csv",
            "First Name,Last Name,Email,Company,Title\n"
            "Björn,Castaño,bc@v.example.com,Nimbus,Project Manager\n"
            + "".join(
                f"P{i},Lee,p{i}@v.example.com,Acme,{('CEO', 'Buyer', 'CTO')[i % 3]}\n"
                for i in range(12)
            ),
        )
        lead = self.env["crm.lead"].search([("email_from", "=", "bc@v.example.com")])
        self.assertEqual(lead.contact_name, "Björn Castaño")
        self.assertEqual(lead.function, "Project Manager")
        self.assertNotEqual(lead.name, "Project Manager")

    def test_a_phone_labelled_mobile_goes_to_mobile(self):
        _project, run = self._migrate(
            "contacts.csv",
            "First Name,Last Name,Email,Phone 1,Phone 1 Note,Phone 2,Phone 2 Note\n"
            "Ann,Lee,ann@u.example.com,312 555 0101,Mobile,312 555 0102,Office\n"
            "Bob,Ray,bob@u.example.com,312 555 0103,Office,312 555 0104,Mobile\n"
            "Cy,Fox,cy@u.example.com,312 555 0105,Cell,,\n",
        )
        Partner = self.env["res.partner"]
        ann = Partner.search([("email", "=", "ann@u.example.com")])
        self.assertEqual((ann.phone, ann.mobile), ("+13125550102", "+13125550101"))
        bob = Partner.search([("email", "=", "bob@u.example.com")])
        self.assertEqual((bob.phone, bob.mobile), ("+13125550103", "+13125550104"))
        cy = Partner.search([("email", "=", "cy@u.example.com")])
        self.assertEqual((cy.phone, cy.mobile), (False, "+13125550105"))
        phone = run.cell_check_ids.filtered(lambda c: c.column == "Phone 1")
        self.assertEqual((phone.cell_count, phone.written_count), (3, 3))

    def test_a_deals_account_is_written_as_the_account_spells_it(self):
        project = self.env["migration.project"].create(
            {"name": "Blind accounts", "default_user_id": self.owner.id}
        )
        project._add_file(
            "accounts.csv",
            b"Account Name,Website\nNimbus Cloud Works Co.,nimbus.example.com\n",
        )
        project._add_file(
            "deals.csv",
            b"Deal Name,Account Name,Stage,Amount\nRenewal,nimbus cloud works co,New,10\n",
        )
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        run = project._start_run("full")
        self.assertEqual(run.state, "done", run.log)
        deal = self.env["crm.lead"].search([("name", "=", "Renewal")])
        self.assertEqual(deal.partner_name, "Nimbus Cloud Works Co.")
        self.assertEqual(deal.partner_id.name, "Nimbus Cloud Works Co.")
        self.assertEqual(run.unaccounted_cell_count, 0)
