"""AllClients end to end: samples/allclients migrated the way an admin does it
(upload, profile, propose, confirm, full run), then checked record by record
against the planted defects that samples/allclients/README.md documents."""

import datetime as dt

from odoo.tests import tagged

from .common import SampleCase


@tagged("post_install", "-at_install")
class TestAllClientsSample(SampleCase):
    system = "allclients"
    project_vals = {"name": "Carver Insurance", "create_users": True}

    # ---------------------------------------------------------------- helpers
    def _contact(self, contact_id):
        return self._record("contact", f"id:{contact_id}")

    def _notes(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ],
            order="id",
        )

    # ------------------------------------------------------------------ tests
    def test_project_defaults_and_maps(self):
        self.assertEqual(self.project.source_tz, "America/Chicago")
        self.assertTrue(self.project.create_parent_companies)
        targets = {m.source_id.name: m.target for m in self.project.object_map_ids}
        self.assertEqual(
            targets,
            {
                "attachments.csv": "attachment",
                "campaigns.csv": "tag",
                "contacts.csv": "contact",
                "email_templates.csv": "template",
                "notes.csv": "note",
                "tasks.csv": "activity",
                "users.csv": "user",
            },
        )
        notes = self.project.object_map_ids.filtered(lambda m: m.target == "note")
        self.assertEqual(notes.key_rule, "content")  # no note id in the export
        self.assertFalse(notes.field_map_ids)
        self.assertEqual(self.full.state, "done")

    def test_reconciliation_per_file(self):
        expected = {
            # source: (read, created, merged, review)
            "users": (4, 4, 0, 0),
            "campaigns": (6, 5, 1, 0),
            "contacts": (50, 49, 1, 0),
            "tasks": (30, 27, 0, 3),
            "notes": (120, 116, 0, 4),
            "attachments": (12, 9, 0, 3),
            "email_templates": (5, 5, 0, 0),
        }
        got = self._line_counts()
        self.assertEqual(got, expected)
        self.assertEqual(
            self.full.line_ids.mapped("object_name"),
            list(expected),
            "loaded in dependency order: users before the contacts they own",
        )

    def test_contacts_owners_groups_and_parent_companies(self):
        rachel = self._contact(64706)
        self.assertEqual(rachel.name, "Rachel Kim")
        self.assertEqual(rachel.email, "rachel.kim@outlook.example")
        self.assertEqual(rachel.user_id.login, "linda@carver-insurance.example")
        self.assertEqual(rachel.create_date, dt.datetime(2015, 11, 27, 16, 43, 39))
        # a contact's company becomes its parent company (AllClients has none)
        ethan = self._contact(64726)
        self.assertEqual(ethan.parent_id.name, "Bluebonnet Bakery")
        self.assertTrue(ethan.parent_id.is_company)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "=", "Bluebonnet Bakery"), ("is_company", "=", True)]
            ),
            1,
        )
        samuel = self._contact(64874)
        self.assertIn("Group: Prospects 2024", samuel.category_id.mapped("name"))
        # owners: the inactive team member stays archived and keeps his contacts
        tom = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "tom@carver-insurance.example")])
        )
        self.assertFalse(tom.active)
        self.assertEqual(self._contact(64950).user_id, tom)
        # an unknown owner: the default owner meanwhile, and a review item
        self.assertEqual(self._contact(64865).user_id, self.project.default_user_id)
        item = self._reviews("contacts.csv", line=28, kind="unknown_owner")
        self.assertEqual(item.value, "Dana Whitfield")
        # money, custom fields and the duplicate email
        self.assertEqual(self._contact(64713).x_annual_premium, 1049.50)
        self.assertEqual(self._contact(64713).x_policy_count, 4)
        # a checkbox group (several choices per cell) becomes tags
        self.assertEqual(
            sorted(self._contact(64706).x_interests.mapped("name")),
            ["Boating", "Fishing"],
        )
        merged = self.env["migration.ledger"].search(
            [("project_id", "=", self.project.id), ("source_key", "=", "id:64891")]
        )
        self.assertEqual(merged.operation, "merge")  # into line 13's partner
        self.assertEqual(merged.res_id, self._contact(64762).id)
        dup = self._reviews("contacts.csv", line=33, kind="duplicate")
        self.assertIn("Javier Ortiz", dup.reason)

    def test_contact_defects_are_review_items(self):
        got = {
            (i.line, i.kind, i.column)
            for i in self._reviews("contacts.csv")
            if i.kind != "duplicate"
        }
        self.assertEqual(
            got,
            {
                (6, "invalid_value", "Birthday"),
                (8, "invalid_value", "Email"),
                (10, "invalid_value", "Policy Count"),
                (16, "invalid_value", "Phone 1"),
                (24, "invalid_value", "Add Date"),
                (28, "unknown_owner", "Team Member"),
            },
        )

    def test_notes_rejoined_with_their_original_dates(self):
        notes = self._notes(self._contact(64706))
        self.assertEqual(notes[0].date, dt.datetime(2014, 1, 19, 16, 45))
        self.assertEqual(notes[0].body, "<p>Birthday card mailed.</p>")
        self.assertEqual(notes[0].message_type, "comment")
        self.assertEqual(notes.mapped("date"), sorted(notes.mapped("date")))
        # US Central with daylight saving
        elijah = self._notes(self._contact(64791))
        dates = {m.body: m.date for m in elijah}
        self.assertEqual(
            dates["<p>Night claim call (before the DST change).</p>"],
            dt.datetime(2014, 3, 9, 7, 30),
        )
        self.assertEqual(
            dates["<p>Storm claim follow-up.</p>"], dt.datetime(2014, 11, 2, 8, 30)
        )
        # old email, joined by contact id; other email; system prefix removed
        self.assertEqual(len(self._notes(self._contact(64720))), 3)
        nora = self._notes(self._contact(64938))
        self.assertIn("<p>Wrote from his home address.</p>", nora.mapped("body"))
        ethan = self._notes(self._contact(64726)).mapped("body")
        self.assertIn("<p>Email sent: Welcome to Carver Insurance</p>", ethan)
        orphans = {(i.line, i.kind) for i in self._reviews("notes.csv")}
        self.assertEqual(
            orphans,
            {(18, "orphan"), (29, "invalid_value"), (121, "orphan"), (122, "orphan")},
        )
        conflict = self._reviews("notes.csv", line=18)
        self.assertIn("Conflict", conflict.reason)

    def test_tasks_become_activities_done_ones_archived(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        rachel = self._contact(64706)
        call = Activity.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", rachel.id)]
        )
        self.assertEqual(call.summary, "Call about renewal")
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertFalse(call.active)
        self.assertEqual(call.date_done, dt.date(2014, 9, 25))
        self.assertEqual(call.user_id.login, "linda@carver-insurance.example")
        done = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", rachel.id),
                ("mail_activity_type_id", "=", call.activity_type_id.id),
            ]
        )
        self.assertEqual(done.date, dt.datetime(2014, 9, 25, 12, 0))  # midday UTC
        self.assertIn("Call about renewal", done.body)
        quote = Activity.search(
            [
                ("res_id", "=", self._contact(64726).id),
                ("res_model", "=", "res.partner"),
            ]
        )
        self.assertTrue(quote.active)
        self.assertEqual(quote.date_deadline, dt.date(2014, 4, 24))
        self.assertEqual(
            quote.activity_type_id, self.env.ref("mail.mail_activity_data_email")
        )
        # closed without a completion date: done on its deadline
        review = Activity.search(
            [
                ("res_id", "=", self._contact(64755).id),
                ("summary", "=", "Review coverage"),
            ]
        )
        self.assertEqual(review.date_done, dt.date(2014, 7, 29))
        self.assertEqual(
            {(i.line, i.kind) for i in self._reviews("tasks.csv")},
            {
                (9, "invalid_value"),
                (13, "orphan"),
                (17, "invalid_value"),
                (21, "invalid_value"),
            },
        )

    def test_users_campaigns_templates_attachments(self):
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "like", "@carver-insurance.example")])
        )
        self.assertEqual(len(users), 4)
        self.assertEqual(
            self.env["crm.tag"].search_count([("name", "=ilike", "spring newsletter")]),
            1,
        )
        template = self.env["mail.template"].search([("name", "=", "Renewal Reminder")])
        self.assertEqual(template.model_id.model, "res.partner")
        self.assertNotIn("<script", template.body_html)
        self.assertNotIn("onclick", template.body_html)
        self.assertEqual(len(self._reviews("email_templates.csv", kind="external")), 6)
        # a file kept at the source: streamed into the filestore
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self._contact(64775).id),
                ("name", "=", "signed_application.pdf"),
            ]
        )
        content = self._sample_bytes("files/64775/signed_application.pdf")
        self.assertEqual(attachment.raw, content)
        self.assertEqual(attachment.file_size, len(content))
        self.assertEqual(attachment.mimetype, "application/pdf")
        link = self.env["ir.attachment"].search(
            [
                ("res_id", "=", self._contact(64755).id),
                ("res_model", "=", "res.partner"),
            ]
        )
        self.assertEqual(link.type, "url")
        self.assertTrue(link.url.endswith("/claim_photos.zip"))
        self.assertEqual(
            {(i.line, i.kind) for i in self._reviews("attachments.csv")},
            {(7, "orphan"), (9, "invalid_value"), (11, "invalid_value")},
        )

    def test_rerun_is_idempotent(self):
        chatter = [("model", "in", ("res.partner", "crm.lead"))]
        messages = self.env["mail.message"].search_count(chatter)
        reviews = self.env["migration.review"].search_count([])
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual(rerun.state, "done")
        self.assertEqual(rerun.created_count, 0)
        self.assertEqual(rerun.updated_count, 0)
        self.assertEqual(rerun.read_count, self.full.read_count)
        self.assertEqual(self.env["mail.message"].search_count(chatter), messages)
        self.assertEqual(rerun.unchanged_count, 217)  # the 2 merged rows too
        self.assertEqual(self.env["migration.review"].search_count([]), reviews)

    def test_rollback_removes_everything_the_run_made(self):
        rachel = self._contact(64706)
        notes = self._notes(rachel)
        self.full._rollback(force=False)
        self.assertFalse(rachel.exists())
        self.assertFalse(notes.exists())
        self.assertFalse(
            self.env["crm.tag"].search([("name", "=ilike", "spring newsletter")])
        )
        self.assertFalse(
            self.env["mail.template"].search([("name", "=", "Renewal Reminder")])
        )
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Bluebonnet Bakery")])
        )
        self.assertFalse(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("summary", "=", "Call about renewal")])
        )
        users = self.env["res.users"].with_context(active_test=False)
        self.assertFalse(users.search([("login", "=", "tom@carver-insurance.example")]))
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", "tom@carver-insurance.example")])
        )

    def test_groups_as_sales_teams_when_the_project_says_so(self):
        self.full._rollback(force=False)
        self.project.group_mode = "team"
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual(rerun.state, "done")
        samuel = self._contact(64874)
        team = self.env["crm.team"].search([("name", "=", "Prospects 2024")])
        self.assertEqual(len(team), 1)
        # Odoo 18 partners have no sales team: the tag keeps the membership
        self.assertIn("Group: Prospects 2024", samuel.category_id.mapped("name"))
        self.full._rollback(force=False)  # nothing left on a rollback of both
        rerun._rollback(force=False)
        self.assertFalse(team.exists())

    def test_delta_loads_only_the_new_note(self):
        delta = self._delta_of(
            "notes.csv",
            added=b"64706,rachel.kim@outlook.example,Rachel,Kim,6/1/2016 9:00 AM,"
            b"Renewal signed.\r\n",
        )
        self.assertEqual(delta.state, "done")
        self.assertEqual((delta.read_count, delta.created_count), (1, 1))
        signed = self._notes(self._contact(64706)).filtered(
            lambda m: m.body == "<p>Renewal signed.</p>"
        )
        self.assertEqual(signed.date, dt.datetime(2016, 6, 1, 14, 0))  # CDT is UTC-5

    def test_a_company_spelled_differently_is_the_same_parent(self):
        delta = self._delta_of(
            "contacts.csv", b'"Bluebonnet Bakery"', b'"BLUEBONNET BAKERY, Inc."'
        )
        self.assertEqual(delta.state, "done")
        self.assertEqual(delta.read_count, 1)
        ethan = self._contact(64726)
        self.assertEqual(ethan.parent_id.name, "Bluebonnet Bakery")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "=ilike", "bluebonnet bakery%"), ("is_company", "=", True)]
            ),
            1,
        )

    def test_a_task_closed_since_is_done_the_same_way(self):
        delta = self._delta_of(
            "tasks.csv",
            b"Quote prepared by Marcus,4/24/2014,Open,",
            b"Quote prepared by Marcus,4/24/2014,Closed,5/2/2014",
        )
        self.assertEqual((delta.read_count, delta.updated_count), (1, 1))
        quote = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self._contact(64726).id),
                ]
            )
        )
        self.assertFalse(quote.active)
        self.assertEqual(quote.date_done, dt.date(2014, 5, 2))
        done = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", quote.res_id),
                ("mail_activity_type_id", "=", quote.activity_type_id.id),
            ]
        )
        self.assertEqual(done.date, dt.datetime(2014, 5, 2, 12, 0))
