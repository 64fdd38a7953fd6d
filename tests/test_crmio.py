"""CRM.io end to end: the seven CSV exports of samples/crmio (no ids, no parent
ids) migrated, every link rebuilt by a compound key, then checked record by
record against the planted defects that samples/crmio/README.md documents."""

import datetime as dt
from collections import Counter

from odoo.tests import tagged

from .common import SampleCase


@tagged("post_install", "-at_install")
class TestCrmIoSample(SampleCase):
    system = "crmio"
    project_vals = {"name": "CRM.io agency", "create_users": True}

    def _partner(self, name):
        return self.env["res.partner"].search(
            [("name", "=", name), ("id", "in", self._created_ids("res.partner"))]
        )

    def _lead(self, name):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "=", name)])
        )

    def _links(self):
        """(child, parent, key) -> how many records of the first run it linked."""
        entries = self.env["migration.ledger"].search(
            [("run_id", "=", self.full.id), ("link_keys", "!=", False)]
        )
        return Counter(
            (entry.target, parent, key)
            for entry in entries
            if entry.operation == "create"
            for parent, key in entry.link_keys.items()
        )

    def test_reconciliation_per_file(self):
        self.assertEqual(self.full.state, "done")
        got = self._line_counts()
        self.assertEqual(
            got,
            {
                "users": (3, 3, 0, 0),
                "accounts": (6, 6, 0, 0),
                "contacts": (9, 9, 0, 0),
                "deals": (10, 10, 0, 0),
                "leads": (3, 3, 0, 0),
                "activities": (8, 6, 1, 1),
                "documents": (5, 4, 0, 1),
                "email_templates": (2, 2, 0, 0),
            },
        )
        self.assertEqual(
            self.full.line_ids.mapped("target")[:3], ["user", "company", "contact"]
        )
        # every cell of the templates accounted for: a subject or body holding
        # CRM.io merge fields (or a script) is reviewed, the rest written
        cells = {
            c.column: (c.cell_count, c.written_count, c.review_count)
            for c in self.full.cell_check_ids
            if c.object_name == "email_templates"
        }
        self.assertEqual(
            cells,
            {"Template Name": (2, 2, 0), "Subject": (2, 1, 1), "Body": (2, 0, 2)},
        )

    def test_links_rebuilt_per_key(self):
        self.assertEqual(
            dict(self._links()),
            {
                ("contact", "company", "company name"): 5,
                ("lead", "contact", "email"): 4,
                ("lead", "company", "account name"): 6,
                ("lead", "company", "account name + deal value"): 1,
                ("activity", "contact", "email"): 5,
                ("activity", "lead", "deal name"): 1,
                ("attachment", "lead", "deal name"): 3,
                ("attachment", "contact", "email"): 1,
            },
        )
        acme = self._partner("Acme, Inc.")
        self.assertEqual(
            self._partner("Ann Lee").parent_id | self._partner("Raj Patel").parent_id,
            acme,
        )
        self.assertEqual(
            self._partner("Hugo Harper").parent_id.name, "Harper & Lowe LLP"
        )
        self.assertEqual(self._partner("Lucia Garcia").parent_id.name, "Umbrella S.A.")
        renewal = self._lead("Globex UK Renewal")
        self.assertEqual(renewal.partner_id.name, "Globex Corp")
        self.assertEqual(renewal.partner_id.city, "London")

    def test_report_lists_the_links_per_key(self):
        links = {
            (k["object"], k["parent"], k["key"]): k["count"]
            for k in self.full._report_data()["links"]
        }
        self.assertEqual(links, dict(self._links()))
        keys = {
            m.object_name: m.key_rule
            for m in self.project.object_map_ids
            if m.key_rule == "compound"
        }
        self.assertEqual(
            keys,
            {"accounts": "compound", "activities": "compound", "documents": "compound"},
        )

    def test_lead_opportunity_split_is_a_rule_of_the_map(self):
        maps = self.project.object_map_ids.filtered(lambda m: m.target == "lead")
        self.assertEqual(
            {m.object_name: m.lead_type for m in maps},
            {"deals": "opportunity", "leads": "lead"},
        )
        deals = maps.filtered(lambda m: m.object_name == "deals")
        self.assertIn(
            "Sales Pipeline: 1 Qualification (22.5%), 2 Proposal (60%), "
            "3 Negotiation (75%), 4 Closed Won (won)\n"
            "Partner Channel: 1 Partner Review (35%), 2 Signed (won)",
            deals.reason,
        )
        # the consultant makes the leads file opportunities, maps the inferred
        # stage "Signed" to Odoo's Won stage, and runs again
        self.project.run_ids._rollback(force=False)
        maps.filtered(lambda m: m.object_name == "leads").lead_type = "opportunity"
        won = self.env.ref("crm.stage_lead4")
        signed = deals.value_map_ids.filtered(lambda v: v.source_value == "Signed")
        signed.write({"target_ref": f"crm.stage,{won.id}", "confirmed": True})
        self.project._start_run("full", commit=False)
        nora = self.env["crm.lead"].search(
            [("email_from", "=", "nora.quinn@bluepeak.example.com")]
        )
        self.assertEqual(nora.type, "opportunity")
        self.assertEqual(self._lead("Globex Pilot").stage_id, won)
        self.assertFalse(self.env["crm.stage"].search([("name", "=", "Signed")]))

    def test_accounts_contacts_and_users(self):
        acme = self._partner("Acme, Inc.")
        self.assertTrue(acme.is_company)
        self.assertEqual(acme.website, "https://acme.example.com")
        self.assertEqual(acme.x_employees, 250)
        self.assertEqual(acme.user_id.login, "alice@example.com")
        self.assertEqual(acme.country_id.code, "US")
        ann = self._partner("Ann Lee")
        self.assertEqual(ann.email, "ann.lee@acme.example.com")
        self.assertEqual(ann.user_id.login, "alice@example.com")  # owner by name
        self.assertEqual(sorted(ann.category_id.mapped("name")), ["Newsletter", "VIP"])
        self.assertEqual(ann.x_customer_since, dt.date(2021, 3, 1))
        self.assertEqual(ann.x_budget, "5000")
        self.assertEqual(self._partner("Raj Patel").x_budget, "TBD")
        gina = self._partner("Gina Globe")
        self.assertFalse(gina.parent_id)
        self.assertEqual(gina.company_name, "Globex")
        self.assertEqual(
            len(self._partner("Globex Corp") | self._partner("Globex Corporation")), 2
        )
        users = self.env["res.users"].with_context(active_test=False)
        carol = users.search([("login", "=", "carol.former@example.com")])
        self.assertEqual((carol.name, carol.active), ("Carol Former", False))
        self.assertEqual(self._partner("Ingrid Weber").user_id, carol)

    def test_deals_leads_pipelines_and_stages(self):
        press = self._lead("Acme - Press Line")
        self.assertEqual(press.type, "opportunity")
        self.assertEqual(press.partner_id, self._partner("Ann Lee"))
        self.assertEqual(press.partner_name, "Acme, Inc.")
        self.assertEqual(press.team_id.name, "Sales Pipeline")
        self.assertEqual(press.stage_id.name, "Proposal")
        self.assertEqual(press.stage_id.team_id, press.team_id)
        self.assertEqual(press.expected_revenue, 24000)
        self.assertEqual(press.probability, 60)
        self.assertEqual(press.tag_ids.mapped("name"), ["Hardware"])
        self.assertEqual(press.date_deadline, dt.date(2026, 12, 15))
        spare = self._lead("Acme - Spare Parts")
        self.assertEqual(spare.partner_id, self._partner("Acme, Inc."))
        harper = self._lead("Harper Retainer")
        self.assertTrue(harper.stage_id.is_won)
        self.assertEqual(harper.probability, 100)
        audit = self._lead("Umbrella Audit")
        self.assertFalse(audit.active)
        self.assertEqual(audit.lost_reason_id.name, "Budget cut")
        initech = self._lead("Initech Licences")
        self.assertEqual(initech.user_id.login, "carol.former@example.com")
        self.assertFalse(self._lead("Globex Pilot").partner_id)
        self.assertFalse(self._lead("Acme - Service Plan").date_deadline)
        nora = self.env["crm.lead"].search(
            [("email_from", "=", "nora.quinn@bluepeak.example.com")]
        )
        self.assertEqual(
            (nora.type, nora.contact_name, nora.partner_name, nora.source_id.name),
            ("lead", "Nora Quinn", "Blue Peak Outfitters", "Web Form"),
        )
        self.assertFalse(nora.partner_id)
        # a lead's status is where it stands in qualification: a field of its own
        self.assertEqual(nora.x_lead_status, "New")
        self.assertEqual(nora.function, "Buyer")  # a person's Title: job title
        self.assertFalse(self._reviews("leads.csv"))
        # stages inferred from the deals: by the open deals' probability, won after
        teams = self.env["crm.team"].search(
            [("name", "in", ("Sales Pipeline", "Partner Channel"))]
        )
        self.assertEqual(len(teams), 2)
        stages = {
            team.name: [
                (s.name, s.is_won)
                for s in self.env["crm.stage"].search(
                    [("team_id", "=", team.id)], order="sequence, id"
                )
            ]
            for team in teams
        }
        self.assertEqual(
            stages,
            {
                "Sales Pipeline": [
                    ("Qualification", False),
                    ("Proposal", False),
                    ("Negotiation", False),
                    ("Closed Won", True),
                ],
                "Partner Channel": [("Partner Review", False), ("Signed", True)],
            },
        )

    def test_activities_keep_calls_and_links(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        ann = self._partner("Ann Lee")
        discovery = Activity.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", ann.id),
             ("summary", "=", "Discovery call")]
        )  # fmt: skip
        self.assertEqual(len(discovery), 1)  # the repeated row is the same call
        self.assertEqual(
            (discovery.migration_call_duration, discovery.migration_call_outcome),
            (25, "Interested"),
        )
        self.assertFalse(discovery.active)
        self.assertEqual(discovery.date_done, dt.date(2026, 10, 14))
        renewal = Activity.search([("summary", "=", "Renewal check-in")])
        self.assertEqual(renewal.res_id, self._partner("Lucia Garcia").id)
        self.assertEqual(renewal.migration_call_duration, 15)
        self.assertTrue(renewal.active)
        self.assertEqual(
            renewal.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        # a completed meeting: a meeting activity done on its day, on the contact
        meeting = Activity.search([("summary", "=", "Contract walkthrough")])
        self.assertEqual(
            (meeting.res_model, meeting.res_id, meeting.activity_type_id,
             meeting.active, meeting.date_done),
            ("res.partner", self._partner("Hugo Harper").id,
             self.env.ref("mail.mail_activity_data_meeting"), False,
             dt.date(2026, 11, 2)),
        )  # fmt: skip
        task = Activity.search([("summary", "=", "Send licence terms")])
        self.assertEqual(
            (task.res_model, task.res_id),
            ("crm.lead", self._lead("Initech Licences").id),
        )
        quote = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", ann.id),
             ("body", "ilike", "Quote sent")]
        )  # fmt: skip
        self.assertEqual(len(quote), 1)
        self.assertEqual(quote.date, dt.datetime(2026, 10, 20, 9, 0))
        self.assertEqual(quote.author_id.name, "Alice Seller")

    def test_documents(self):
        Attachment = self.env["ir.attachment"]
        quote = Attachment.search([("name", "=", "acme-press-quote.pdf")])
        self.assertEqual(
            (quote.type, quote.url, quote.res_model, quote.res_id),
            ("url", "https://files.crm.io/d/acme-press-quote.pdf", "crm.lead",
             self._lead("Acme - Press Line").id),
        )  # fmt: skip
        eula = Attachment.search([("name", "=", "initech-eula.docx")])
        self.assertEqual(
            (eula.type, eula.res_model, eula.res_id, eula.file_size),
            ("binary", "crm.lead", self._lead("Initech Licences").id, 0),
        )
        brief = Attachment.search([("name", "=", "tess-brief.pdf")])
        self.assertEqual(
            (brief.res_model, brief.res_id),
            ("res.partner", self._partner("Tess Solo").id),
        )
        self.assertFalse(Attachment.search([("name", "=", "old-proposal.pdf")]))

    def test_email_templates_load_with_their_merge_fields_for_review(self):
        Template = self.env["mail.template"]
        ids = self._created_ids("mail.template")
        welcome = Template.search([("name", "=", "Welcome"), ("id", "in", ids)])
        self.assertEqual(
            (welcome.model, welcome.subject),
            ("res.partner", "Welcome aboard, [contact.first_name]"),
        )
        self.assertIn("<p>Hi {{contact.first_name}},</p>", welcome.body_html)
        # Odoo renders the subject: the CRM.io merge field is not evaluated
        ann = self._partner("Ann Lee")
        self.assertEqual(
            welcome._render_field("subject", ann.ids)[ann.id],
            "Welcome aboard, [contact.first_name]",
        )
        quote = Template.search([("name", "=", "Quote follow-up"), ("id", "in", ids)])
        self.assertEqual(quote.subject, "Your quote")
        self.assertIn("Following up on the quote we sent last week.", quote.body_html)
        self.assertNotIn("script", quote.body_html)
        self.assertNotIn("track(", quote.body_html)

    def test_readiness_inventory_lists_what_does_not_migrate(self):
        report = self.env["migration.readiness"].create({"project_id": self.project.id})
        never = {
            item["object"]: item for item in report.inventory_json["never_migrated"]
        }
        self.assertEqual(
            sorted(never),
            ["Email templates", "Pipeline configuration", "Sales forecasting",
             "Workflows"],
        )  # fmt: skip
        self.assertIn("Automation Rules", str(never["Workflows"]))

    def test_review_items_of_every_planted_defect(self):
        def items(source):
            return sorted(
                (r.line, r.kind, r.value, r.row_held) for r in self._reviews(source)
            )

        self.assertEqual(
            items("contacts.csv"),
            [
                (7, "missing_parent", "Globex", False),
                (8, "missing_parent", "Vandelay Imports", False),
                (9, "invalid_value", "karl.long@@urbannest", False),
            ],
        )
        globex = self._reviews("contacts.csv", line=7)
        self.assertIn("Globex Corporation", globex.reason)
        self.assertIn("Globex Corp (#", globex.reason)
        # the deal whose value neither Globex account has: both candidates named
        pilot = self._reviews("deals.csv", line=8)
        self.assertIn("Globex Corporation (#", pilot.reason)
        self.assertIn("Globex Corp (#", pilot.reason)
        self.assertEqual(
            items("deals.csv"),
            [
                (6, "not_loaded", "50.0", False),  # a lost deal is 0% in Odoo
                (8, "missing_parent", "Globex", False),
                (9, "missing_parent", "Vandelay Industries", False),
                (10, "missing_parent", "tess.solo@example.net", False),
                (11, "invalid_value", "2026-02-30", False),
            ],
        )
        self.assertEqual(
            items("activities.csv"),
            [
                # the call of line 2 again: its compound key, one activity
                (
                    3,
                    "duplicate",
                    "key:ann.lee@acme.example.com|2026-10-14|discovery call",
                    False,
                ),  # fmt: skip
                # an open task of an archived owner: a person reassigns it
                (7, "unknown_owner", "Carol Former", False),
                (9, "missing_parent", "r.okafor@oldclient-mail.com", True),
            ],
        )
        self.assertEqual(
            items("documents.csv"),
            [
                (4, "not_loaded", "initech-eula.docx", False),
                (6, "missing_parent", "Wayne Expansion", True),
            ],
        )
        self.assertEqual(
            items("email_templates.csv"),
            [
                (2, "not_loaded", "{{contact.first_name}}", False),
                (2, "not_loaded", "{{contact.first_name}}, {{user.name}}", False),
                (3, "external", "<script> element", False),
            ],
        )

    def test_delta_during_cut_over_updates_and_links_new_rows_by_their_keys(self):
        """The cut-over's delta: contacts exported again, one changed and one
        new, whose account is found by its normalised name as in the full run."""
        run = self._assert_delta(
            "contacts.csv",
            "contacts",
            b"+1 312 555 0110",
            b"+1 312 555 0199",  # Ann moved
            b"Pia,Park,pia.park@initech.example.de,+49 30 5550199,INITECH GMBH,VIP,"
            b"Alice Seller,03/01/2026,,\r\n",
        )
        ann = self._partner("Ann Lee")
        self.assertEqual(len(ann), 1)
        self.assertTrue("".join(filter(str.isdigit, ann.phone)).endswith("3125550199"))
        pia = self._partner("Pia Park")
        self.assertEqual(pia.parent_id, self._partner("Initech GmbH"))
        self.assertEqual(pia.category_id.mapped("name"), ["VIP"])
        links = self.env["migration.ledger"].search(
            [
                ("run_id", "=", run.id),
                ("res_id", "=", pia.id),
                ("target", "=", "contact"),
            ]
        )
        self.assertEqual(links.link_keys, {"company": "company name"})

    def test_rerun_is_idempotent_and_rollback_removes_it_all(self):
        counts = {m: len(self._created_ids(m)) for m in ("res.partner", "crm.lead")}
        self._assert_rerun_changes_nothing()
        self.assertEqual(counts, {"res.partner": 15, "crm.lead": 13})
        stage = self.env["crm.stage"].search([("name", "=", "Partner Review")])
        team = stage.team_id
        press = self._lead("Acme - Press Line")
        eula = self.env["ir.attachment"].search([("name", "=", "initech-eula.docx")])
        welcome = self.env["mail.template"].browse(self._created_ids("mail.template"))
        self.assertEqual(len(welcome), 2)
        self._rollback_all()
        self.assertFalse(press.exists())
        self.assertFalse(eula.exists())
        self.assertFalse(welcome.exists())
        self.assertFalse(stage.exists())
        self.assertFalse(team.exists())
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Acme, Inc.")]))
