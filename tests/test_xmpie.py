"""XMPie end to end: the exports of samples/xmpie (recipients, campaigns,
products, recipient-product links, print assets, segments) migrated the way an
admin does it, then checked record by record against the planted defects that
samples/xmpie/README.md documents."""

import datetime as dt
import json

from odoo.tests import TransactionCase, tagged

from .common import COUNTS, SALES_USERS, SampleCase


class XmpieSample:
    """The XMPie samples, with a customer Odoo already has (for SampleCase)."""

    system = "xmpie"
    extensions = (".csv", ".json")
    sample_users = SALES_USERS

    @classmethod
    def _before_run(cls):
        # a customer Odoo already has, spelled without the export's "LLC"
        cls.northwind = cls.env["res.partner"].create(
            {"name": "Northwind Traders", "is_company": True}
        )

    def _lead(self, rid):
        return self._record("lead", f"id:{rid}")


@tagged("post_install", "-at_install")
class TestXmpieSample(XmpieSample, SampleCase):
    project_vals = {"name": "XMPie print shop"}

    def test_reconciliation_per_file_in_dependency_order(self):
        self.assertEqual(self.full.state, "done")
        got = self._line_counts("target", *COUNTS)
        self.assertEqual(
            got,
            {
                "campaigns": ("team", 3, 2, 0, 1),
                "products": ("product", 5, 5, 0, 0),
                "recipients": ("lead", 30, 29, 1, 0),
                "recipient_products": ("product_link", 6, 0, 5, 1),
                "assets": ("attachment", 5, 4, 0, 1),
                "segments": ("segment", 3, 3, 0, 0),
            },
        )
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("id", "in", self._created_ids(target="lead")), ("type", "=", "lead")]
            ),
            29,
        )

    def test_recipient_becomes_a_lead_with_company_campaign_and_custom_fields(self):
        lead = self._lead("R0001")
        self.assertEqual(
            (lead.type, lead.contact_name, lead.email_from, lead.function),
            ("lead", "Ava Wilson", "ava.wilson1@example.com", "Print Buyer"),
        )
        self.assertEqual(
            (lead.street, lead.city, lead.zip), ("101 Main St", "Tampa", "33602")
        )
        self.assertEqual((lead.state_id.code, lead.country_id.code), ("FL", "US"))
        # the company text is a company partner, the lead's customer
        self.assertEqual(lead.partner_name, "Blue Ridge Bank")
        self.assertTrue(lead.partner_id.is_company)
        self.assertEqual(lead.partner_id.name, "Blue Ridge Bank")
        # the company partner takes no recipient's email or phone
        self.assertFalse(lead.partner_id.email)
        self.assertFalse(lead.partner_id.phone)
        same_company = self._lead("R0006")
        self.assertEqual(same_company.partner_id, lead.partner_id)
        self.assertEqual(same_company.email_from, "isabella.smith6@example.com")
        # the campaign: UTM campaign, dates, team and (no owner of its own) owner
        self.assertEqual(lead.campaign_id.name, "Loyalty Renewal")
        self.assertEqual(lead.x_campaign_start, dt.date(2024, 6, 15))
        self.assertEqual(lead.x_campaign_end, dt.date(2024, 8, 15))
        self.assertEqual(lead.team_id.name, "Retention")
        self.assertEqual(lead.user_id.login, "bob@example.com")
        spring = self._lead("R0002")
        self.assertEqual(spring.user_id.login, "alice@example.com")
        # a recipient's own owner comes before its campaign's (Spring: alice)
        own = self._lead("R0006")
        self.assertEqual(
            (own.campaign_id.name, own.user_id.login),
            ("Spring Catalog 2024", "bob@example.com"),
        )
        self.assertEqual(spring.team_id.name, "Direct Mail")
        # ADOR columns are typed x_ fields
        self.assertEqual(lead.x_region, "east")  # a selection: its key
        self.assertEqual(lead.x_loyalty_points, 3584)
        self.assertEqual(lead.x_last_order_date, dt.date(2024, 2, 2))
        # the original creation date is kept
        self.assertEqual(lead.create_date.date(), dt.date(2022, 2, 2))

    def test_companies_are_matched_by_their_normalised_name(self):
        blue_ridge = self._lead("R0001").partner_id
        # the same company in capitals, with punctuation and a legal suffix
        # ("Blue Ridge Bank Inc", "BLUE RIDGE BANK, INC."): the one customer
        for rid in ("R0016", "R0021"):
            lead = self._lead(rid)
            self.assertEqual(
                (lead.partner_id, lead.partner_name), (blue_ridge, "Blue Ridge Bank")
            )
        # a company Odoo already had ("Northwind Traders LLC" in the export)
        # is the customer of its recipients: found, not created again
        for rid in ("R0003", "R0008", "R0013"):
            self.assertEqual(self._lead(rid).partner_id, self.northwind)
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

    def test_teams_from_campaigns(self):
        teams = self.env["crm.team"].browse(self._created_ids(target="team"))
        self.assertEqual(sorted(teams.mapped("name")), ["Direct Mail", "Retention"])
        item = self._reviews("campaigns.csv", line=4)
        self.assertEqual(
            (item.kind, item.column, item.row_held), ("invalid_value", "Team", True)
        )
        self.assertIn("a campaign names no team", item.reason)
        self.assertEqual(
            item.staging_row_id.data["CampaignName"], "Trade Show Follow-up"
        )
        self.assertEqual(self._record("team", "id:CMP-02").name, "Retention")
        # its recipients: no team of the campaign, and an owner nobody is
        trade_show = self._lead("R0005")
        self.assertEqual(trade_show.campaign_id.name, "Trade Show Follow-up")
        # no team of its own: Odoo's default team, none of the campaigns' teams
        self.assertNotIn(trade_show.team_id.id, self._created_ids(target="team"))
        owner = self._reviews("recipients.csv", line=6, kind="unknown_owner")
        self.assertEqual(owner.value, "zed.unknown@example.com")

    def test_products_and_links(self):
        brochure = self._record("product", "id:P-100")
        self.assertEqual(
            (brochure.default_code, brochure.name, brochure.list_price),
            ("BRO-A4", "Personalised Brochure A4", 1250.0),
        )
        self.assertEqual(brochure.standard_price, 610.5)
        self.assertEqual(brochure.x_variable_data, "FirstName; Company; HeroImage")
        # the x_ fields the spec declares carry the file's header as label
        labels = {
            (f.model, f.name): f.field_description
            for f in self.env["ir.model.fields"].search(
                [("name", "in", ("x_variable_data", "x_campaign_start"))]
            )
        }
        self.assertEqual(
            labels,
            {
                ("product.product", "x_variable_data"): "VariableData",
                ("crm.lead", "x_campaign_start"): "Campaign Start",
            },
        )
        self.assertEqual(
            sorted(self._lead("R0001").source_product_ids.mapped("default_code")),
            ["BRO-A4", "PC-6x4"],
        )
        ghost = self._reviews("recipient_products.csv", kind="orphan")
        self.assertFalse(ghost)  # every link names a migrated recipient
        unknown = self._reviews("recipient_products.csv", line=7)
        self.assertEqual((unknown.kind, unknown.value), ("missing_parent", "GONE-1"))

    def test_duplicate_recipients_are_one_lead_with_everything(self):
        survivor = self._lead("R0012")
        merged_entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("source_key", "=", "id:R0027"),
                ("target", "=", "lead"),
            ]
        )
        self.assertEqual(
            (merged_entry.operation, merged_entry.res_id), ("merge", survivor.id)
        )
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("email_normalized", "=", "liam.anderson12@example.com")]
            ),
            1,
        )
        # merged only into empty fields: the first row's "N" is not flipped
        # by the duplicate's "Y" (a boolean always holds a value)
        self.assertFalse(survivor.x_opt_in)
        self.assertTrue(
            "".join(filter(str.isdigit, survivor.phone)).endswith("5125551012")
        )
        merged = self._reviews("recipients.csv", line=28)
        self.assertEqual(merged.kind, "duplicate")
        self.assertEqual(
            sorted(survivor.source_product_ids.mapped("default_code")),
            ["LTR-PURL", "PC-6x4"],
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", survivor.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["proof_R0027.pdf"])
        self.assertEqual(
            sorted(survivor.tag_ids.mapped("name")), ["Gold Tier", "West Region"]
        )

    def test_recipient_without_email_is_loaded_and_flagged(self):
        lead = self._lead("R0007")
        self.assertEqual(lead.contact_name, "Zoë Ångström")
        self.assertFalse(lead.email_from)
        item = self._reviews("recipients.csv", line=8, kind="missing_required")
        self.assertEqual(
            (item.column, item.value, item.row_held), ("Email", "Zoë Ångström", False)
        )
        unknown_campaign = self._reviews("recipients.csv", line=20)
        self.assertEqual(
            (unknown_campaign.kind, unknown_campaign.value),
            ("missing_parent", "CMP-99"),
        )

    def test_assets_and_segments(self):
        proof = self.env["ir.attachment"].browse(
            self._record("attachment", "id:A-1").id
        )
        self.assertEqual(
            (proof.res_model, proof.res_id, proof.type, proof.url),
            (
                "crm.lead",
                self._lead("R0001").id,
                "url",
                "https://assets.example.com/proof_R0001.pdf",
            ),
        )
        orphan = self._reviews("assets.csv", line=4)
        self.assertEqual(
            (orphan.kind, orphan.value, orphan.row_held), ("orphan", "R9999", True)
        )
        # no URL: the metadata waits for its file
        letter = self._record("attachment", "id:A-4")
        self.assertEqual(
            (letter.name, letter.res_model, letter.res_id, letter.type),
            ("letter_R0002.docx", "crm.lead", self._lead("R0002").id, "binary"),
        )
        self.assertFalse(letter.datas)
        self.assertEqual(self._reviews("assets.csv", line=5).kind, "not_loaded")
        # a campaign template names no recipient: kept unattached, reviewed
        template = self._record("attachment", "id:A-5")
        self.assertEqual(
            (template.name, template.res_model, template.url),
            (
                "Spring_Template.indd",
                False,
                "https://assets.example.com/Spring_Template.indd",
            ),
        )
        self.assertEqual(self._reviews("assets.csv", line=6).kind, "missing_parent")
        west = self.env["crm.tag"].search([("name", "=", "West Region")])
        tagged_ids = self.env["crm.lead"].search([("tag_ids", "in", west.ids)])
        self.assertEqual(len(tagged_ids), 9)
        gold = self.env["crm.tag"].search([("name", "=", "Gold Tier")])
        self.assertEqual(
            self.env["crm.lead"].search_count([("tag_ids", "in", gold.ids)]), 9
        )
        compound = self.env["crm.tag"].search([("name", "=", "Gold in the West")])
        self.assertTrue(compound)
        self.assertFalse(self.env["crm.lead"].search([("tag_ids", "in", compound.ids)]))
        item = self._reviews("segments.json", line=4)
        self.assertEqual(item.kind, "not_loaded")
        self.assertIn("Tier = 'Gold' AND Region = 'West'", item.reason)

    def test_workflows_are_the_inventory_rebuild_reference(self):
        omap = self.project.object_map_ids.filtered(
            lambda m: m.source_id.name == "workflows.json"
        )
        self.assertFalse(omap.target)
        report = self.env["migration.readiness"].create({"project_id": self.project.id})
        (workflows,) = report.inventory_json["not_migrated_sources"]
        self.assertEqual((workflows["file"], workflows["rows"]), ("workflows.json", 2))
        self.assertEqual(
            workflows["records"][0],
            {
                "WorkflowName": "Welcome series",
                "Trigger": "Recipient added",
                "Steps": '[{"action": "send email", "template": "welcome"}, '
                '{"action": "wait", "days": 3}]',
            },
        )
        never = [item["object"] for item in report.inventory_json["never_migrated"]]
        self.assertIn("Workflow and automation logic", never)

    def test_delta_during_cut_over_updates_and_adds_recipients(self):
        """The cut-over's delta: the data source exported again (cp1252,
        semicolons) with a recipient changed and one added."""
        self._assert_delta(
            "recipients.csv",
            "recipients",
            b"(512) 555-1001",
            b"(512) 555-1999",  # R0001 moved
            b"R0031;Nia;Okafor;nia.okafor31@example.com;(512) 555-1031;"
            b"blue ridge bank inc.;Print Buyer;131 Main St;Austin;TX;78701;US;"
            b"CMP-01;;West;Gold;120;Y;01/02/2024;11/20/2024 10:15\r\n",
        )
        ava = self._lead("R0001")
        self.assertTrue("".join(filter(str.isdigit, ava.phone)).endswith("5125551999"))
        nia = self._lead("R0031")
        self.assertEqual(
            (nia.type, nia.contact_name, nia.partner_id, nia.campaign_id.name),
            ("lead", "Nia Okafor", ava.partner_id, "Spring Catalog 2024"),
        )
        self.assertEqual(
            (nia.team_id.name, nia.user_id.login, nia.x_campaign_start),
            ("Direct Mail", "alice@example.com", dt.date(2024, 3, 1)),
        )
        self.assertEqual(nia.create_date.date(), dt.date(2024, 11, 20))
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("id", "in", self._created_ids(target="lead"))]
            ),
            30,
        )

    def test_rerun_is_idempotent_and_rollback_removes_it_all(self):
        self._assert_rerun_changes_nothing()
        survivor = self._lead("R0012")
        self.assertEqual(len(survivor.source_product_ids), 2)
        lead = self._lead("R0001")
        company = lead.partner_id
        brochure = self._record("product", "id:P-100")
        self._rollback_all()
        self.assertFalse(lead.exists())
        self.assertFalse(company.exists())
        self.assertFalse(brochure.exists())
        self.assertFalse(self.env["crm.team"].search([("name", "=", "Retention")]))
        self.assertFalse(self.env["crm.tag"].search([("name", "=", "West Region")]))

    def test_rollback_of_a_later_run_removes_only_the_tags_it_added(self):
        Tag, Lead = self.env["crm.tag"], self.env["crm.lead"]
        west = Tag.search([("name", "=", "West Region")])
        newsletter = Tag.create({"name": "Newsletter"})  # a tag Odoo had already
        leads = Lead.browse(self._created_ids(target="lead"))
        before = {lead.id: sorted(lead.tag_ids.ids) for lead in leads}
        # a later export of segments: West Region now takes the East recipients
        # too, and an existing tag takes the Silver ones
        later = {
            "Plan": "Summer 2024",
            "Segments": [
                {"Name": "West Region", "Rule": "Region = 'East'"},
                {"Name": "Newsletter", "Rule": "Tier = 'Silver'"},
            ],
        }
        self.project._add_file("segments_summer.json", json.dumps(later).encode())
        self.project.action_profile()
        self.project.action_propose()
        self.project._accept_proposals(0.0)
        second = self.project._start_run("full", commit=False)
        self.assertEqual(second.state, "done")
        east = leads.filtered(lambda lead: west in lead.tag_ids and not before[lead.id])
        gained = leads.filtered(
            lambda lead: sorted(lead.tag_ids.ids) != before[lead.id]
        )
        self.assertTrue(east and gained)
        self.assertTrue(Lead.search_count([("tag_ids", "in", newsletter.ids)]))
        added = self.env["migration.ledger"].search(
            [("run_id", "=", second.id), ("operation", "=", "add")]
        )
        self.assertEqual(
            sum(len(entry.after_values["tag_ids"]) for entry in added),
            sum(len(set(lead.tag_ids.ids) - set(before[lead.id])) for lead in gained),
        )
        result = second._rollback(force=False)
        self.assertFalse(result["conflicts"] or result["errors"], result)
        # exactly what the second run added is gone; the first run's tags and
        # the tags themselves (made by the first run, or there before) stay
        self.assertEqual({lead.id: sorted(lead.tag_ids.ids) for lead in leads}, before)
        self.assertTrue(west.exists() and newsletter.exists())
        self.assertEqual(Lead.search_count([("tag_ids", "in", west.ids)]), 9)
        self.assertFalse(Lead.search_count([("tag_ids", "in", newsletter.ids)]))


@tagged("post_install", "-at_install")
class TestXmpieCampaignsWithoutTeam(TransactionCase):
    def test_campaigns_without_a_team_column_are_one_review_issue(self):
        project = self.env["migration.project"].create(
            {"name": "XMPie without teams", "system": "xmpie"}
        )
        project._add_file(
            "campaigns.csv",
            b"CampaignID,CampaignName,StartDate,EndDate,Owner\n"
            b"C-1,Spring Mailing,03/01/2024,05/31/2024,\n"
            b"C-2,Summer Mailing,06/01/2024,08/31/2024,\n"
            b"C-3,Fall Mailing,09/01/2024,11/30/2024,\n",
        )
        project.action_profile()
        project.action_propose()
        project._accept_proposals(0.0)
        run = project._start_run("full", commit=False)
        self.assertEqual((run.state, run.review_count), ("done", 3))
        issues = self.env["migration.review.issue"].search(
            [("project_id", "=", project.id)]
        )
        # one decision for the file, its three campaigns as its rows
        self.assertEqual(
            [(i.kind, i.column, i.occurrence_count, i.row_held_count) for i in issues],
            [("invalid_value", "Team", 3, 3)],
        )
        self.assertEqual(
            issues.reason,
            "the campaigns file has no team column: the recipients of its "
            "campaigns keep the default sales team",
        )
        self.assertEqual(
            sorted(i.staging_row_id.data["CampaignName"] for i in issues._items()),
            ["Fall Mailing", "Spring Mailing", "Summer Mailing"],
        )
