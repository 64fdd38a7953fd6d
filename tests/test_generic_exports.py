import io
import os
import tempfile

from odoo.tests import tagged

from ..cli.crm_migration import EXIT_REVIEW, Runner, build_parser
from .common import MigrationCase

COMPANIES = (
    "Organization - ID,Organization - Name,Organization - Owner,"
    "Organization - Loyalty Level\n"
    "1,Acme Blind Corp,Ann Owner,Gold\n"
    "2,Globex Blind GmbH,Ann Owner,Silver\n"
)
PEOPLE = (
    "Person - ID,Person - Name,Person - Organization,Person - Email (Work),"
    "Person - Hobby\n"
    "10,Zoe Blindcase,Acme Blind Corp,zoe@acme-blind.example,Sailing\n"
    "11,Max Blindcase,Globex Blind GmbH,max@globex-blind.example,Chess\n"
)


@tagged("post_install", "-at_install")
class TestGenericExports(MigrationCase):
    """Exports of CRMs the generic source was not written against (Pipedrive,
    HubSpot, Zoho conventions), each rule on a small set of files."""

    def _migrate(self, files, create_users=False, tz="UTC"):
        project = self.env["migration.project"].create(
            {
                "name": f"Exports {len(files)} {sorted(files)[0]}",
                "system": "generic",
                "default_user_id": self.owner.id,
                "create_users": create_users,
                "source_tz": tz,
            }
        )
        for name, text in files.items():
            project._add_file(name, text.encode())
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        run = project._start_run("full")
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(run.unaccounted_cell_count, 0)
        return project, run

    def _lead(self, name):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "=", name)])
        )

    def test_custom_fields_are_labelled_without_the_own_object_prefix(self):
        # columns no other test has: the registry keeps the fields a rolled
        # back test made, and a taken label gets the object's name
        companies = COMPANIES.replace("Loyalty Level", "Fleet Band")
        people = PEOPLE.replace("Person - Hobby", "Person - Sport")
        self._migrate({"organizations.csv": companies, "people.csv": people})
        Fields = self.env["ir.model.fields"]
        band = Fields._get("res.partner", "x_fleet_band")
        sport = Fields._get("res.partner", "x_sport")
        self.assertEqual(
            (band.field_description, sport.field_description),
            ("Fleet Band", "Sport"),
        )
        zoe = self.env["res.partner"].search([("email", "=", "zoe@acme-blind.example")])
        self.assertEqual(zoe.parent_id.name, "Acme Blind Corp")

    def test_a_deal_naming_a_person_and_a_company_goes_to_the_person(self):
        deals = (
            "Deal - ID,Deal - Title,Organization,Contact person,Deal - Value\n"
            "100,Acme renewal,Acme Blind Corp,Zoe Blindcase,1000\n"
            "101,Globex upsell,Globex Blind GmbH,,500\n"
            "102,Orbital deal,Orbital Unknown Blind AG,,700\n"
        )
        _project, run = self._migrate(
            {"organizations.csv": COMPANIES, "people.csv": PEOPLE, "deals.csv": deals}
        )
        acme = self._lead("Acme renewal")
        self.assertEqual(acme.partner_id.name, "Zoe Blindcase")
        self.assertEqual(acme.partner_id.parent_id.name, "Acme Blind Corp")
        self.assertEqual(acme.partner_id.commercial_partner_id.name, "Acme Blind Corp")
        self.assertEqual(
            self._lead("Globex upsell").partner_id.name, "Globex Blind GmbH"
        )
        # a company the export does not have: kept as a name, and reviewed
        orbital = self._lead("Orbital deal")
        self.assertFalse(orbital.partner_id)
        self.assertEqual(orbital.partner_name, "Orbital Unknown Blind AG")
        review = run.review_ids.filtered(lambda r: r.kind == "missing_parent")
        self.assertEqual(review.mapped("value"), ["Orbital Unknown Blind AG"])
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Orbital Unknown Blind AG")])
        )

    def test_won_and_lost_moments_are_the_closing_dates(self):
        deals = (
            "Deal - Title,Deal - Status,Deal - Stage,Deal - Won time,Deal - Lost time\n"
            "Won blind,Won,Proposal,2026-03-04 10:30:00,\n"
            "Lost blind,Lost,Proposal,,2026-05-06 16:00:00\n"
            "Open blind,Open,Proposal,,\n"
        )
        _project, run = self._migrate({"deals.csv": deals}, tz="America/Chicago")
        won, lost = self._lead("Won blind"), self._lead("Lost blind")
        self.assertEqual(str(won.date_closed), "2026-03-04 16:30:00")
        self.assertEqual(str(lost.date_closed), "2026-05-06 21:00:00")
        self.assertEqual((won.probability, lost.active), (100, False))
        self.assertFalse(self._lead("Open blind").date_closed)

    def test_a_stage_that_is_the_outcome_wins_or_loses_the_deal(self):
        deals = (
            "Deal Name;Deal Stage;Close Date;Amount\n"
            "HS won;Closed Won;17.07.2026 14:21;1.000,00\n"
            "HS lost;Closed Lost;18.07.2026 09:00;500,00\n"
            "HS open;Contract Sent;19.09.2026 12:00;700,00\n"
        )
        self._migrate({"deals.csv": deals}, tz="America/Chicago")
        won, lost, open_ = (self._lead(n) for n in ("HS won", "HS lost", "HS open"))
        self.assertTrue(won.stage_id.is_won)
        self.assertEqual((won.probability, won.active), (100, True))
        self.assertEqual(str(won.date_closed), "2026-07-17 19:21:00")
        self.assertEqual((lost.active, lost.probability), (False, 0))
        self.assertEqual(str(lost.date_closed), "2026-07-18 14:00:00")
        self.assertEqual(open_.stage_id.name, "Contract Sent")
        self.assertFalse(open_.date_closed)
        self.assertFalse(
            self.env["crm.stage"].search(
                [("name", "in", ("Closed Won", "Closed Lost"))]
            )
        )

    def test_owner_emails_become_users_when_the_project_creates_users(self):
        companies = (
            "Record ID,Company name,Website URL,Company Domain Name,Company owner\n"
            "1,Blind Owners Inc,https://www.blind-owners.example,"
            "blind-owners.example,carla.mendes@blind-sales.example\n"
        )
        self._migrate({"companies.csv": companies}, create_users=True)
        company = self.env["res.partner"].search([("name", "=", "Blind Owners Inc")])
        self.assertEqual(company.user_id.login, "carla.mendes@blind-sales.example")
        self.assertEqual(company.user_id.name, "Carla Mendes")
        self.assertEqual(company.website, "https://www.blind-owners.example")

    def test_an_owner_outside_the_users_file_is_reviewed_not_created(self):
        users = "Name,Email,Role\nErin Staff,erin@blind-sales.example,Admin\n"
        companies = (
            "Company name,Company owner\n"
            "Blind Owners Three,erin@blind-sales.example\n"
            "Blind Owners Four,gone@old-agency.example\n"
        )
        _project, run = self._migrate(
            {"users.csv": users, "companies.csv": companies}, create_users=True
        )
        Partner = self.env["res.partner"]
        three = Partner.search([("name", "=", "Blind Owners Three")])
        self.assertEqual(three.user_id.login, "erin@blind-sales.example")
        four = Partner.search([("name", "=", "Blind Owners Four")])
        self.assertEqual(four.user_id, self.owner)
        self.assertIn(
            "gone@old-agency.example",
            run.review_ids.filtered(lambda r: r.kind == "unknown_owner").mapped(
                "value"
            ),
        )
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "gone@old-agency.example")])
        )

    def test_owner_emails_stay_reviewed_without_create_users(self):
        companies = (
            "Company name,Company owner\nBlind Owners Two,dan@blind-sales.example\n"
        )
        _project, run = self._migrate({"companies.csv": companies})
        company = self.env["res.partner"].search([("name", "=", "Blind Owners Two")])
        self.assertEqual(company.user_id, self.owner)
        self.assertEqual(
            run.review_ids.filtered(lambda r: r.kind == "unknown_owner").mapped(
                "value"
            ),
            ["dan@blind-sales.example"],
        )
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "dan@blind-sales.example")])
        )

    def test_notes_and_activities_find_their_records_by_name_or_email(self):
        deals = (
            "Deal - ID,Deal - Title,Organization,Contact person\n"
            "100,Acme renewal,Acme Blind Corp,Zoe Blindcase\n"
        )
        notes = (
            "Note - ID\tNote - Content\tNote - Add time\tDeal\tContact person\t"
            "Organization\n"
            "1\t<p>On the deal</p>\t2026-02-02 16:39:29\tAcme renewal\tZoe Blindcase\t\n"
            "2\tOn the person\t2026-02-03 10:00:00\t\tMax Blindcase\t\n"
            "3\tOn the company\t2026-02-04 10:00:00\t\t\tGlobex Blind GmbH\n"
            "4\tOrphan\t2026-02-05 10:00:00\tArchived blind deal\t\t\n"
        )
        tasks = (
            "Task Title\tTask Type\tDue Date\tTask Status\tAssociated Contact\n"
            "Call Zoe\tCall\t2026-12-10\tNot started\tzoe@acme-blind.example\n"
        )
        _project, run = self._migrate(
            {
                "organizations.csv": COMPANIES,
                "people.csv": PEOPLE,
                "deals.csv": deals,
                "notes.tsv": notes,
                "tasks.tsv": tasks,
            }
        )
        Message = self.env["mail.message"]
        lead = self._lead("Acme renewal")
        zoe = self.env["res.partner"].search([("name", "=", "Zoe Blindcase")])
        max_ = self.env["res.partner"].search([("name", "=", "Max Blindcase")])
        globex = self.env["res.partner"].search([("name", "=", "Globex Blind GmbH")])
        for body, record in (
            ("On the deal", lead),
            ("On the person", max_),
            ("On the company", globex),
        ):
            found = Message.search([("body", "ilike", body)])
            self.assertEqual((found.model, found.res_id), (record._name, record.id))
        # a note exported as HTML is HTML in Odoo, not text showing its tags
        on_deal = Message.search([("body", "ilike", "On the deal")])
        self.assertEqual(str(on_deal.body), "<p>On the deal</p>")
        self.assertFalse(Message.search([("body", "ilike", "Orphan")]))
        orphan = run.review_ids.filtered(lambda r: r.value == "Archived blind deal")
        self.assertEqual(orphan.kind, "missing_parent")
        activity = self.env["mail.activity"].search([("summary", "=", "Call Zoe")])
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", zoe.id))

    def test_a_notes_parent_module_says_which_record_related_to_names(self):
        """Zoho's notes name their record in "Related To" and its kind in
        "Parent Module": a company and a person of one name each keep theirs."""
        companies = (
            "Organization - ID,Organization - Name\n1,Jordan Lee\n2,Acme Blind Corp\n"
        )
        people = (
            "Person - ID,Person - Name,Person - Organization,Person - Email (Work)\n"
            "10,Jordan Lee,Acme Blind Corp,jordan@acme-blind.example\n"
        )
        notes = (
            "Record Id\tNote Content\tParent Module\tRelated To\tCreated Time\n"
            "1\tOn the company\tAccounts\tJordan Lee\t2026-02-02 10:00:00\n"
            "2\tOn the person\tContacts\tJordan Lee\t2026-02-03 10:00:00\n"
        )
        _project, run = self._migrate(
            {"organizations.csv": companies, "people.csv": people, "notes.txt": notes}
        )
        Partner = self.env["res.partner"]
        company = Partner.search(
            [("name", "=", "Jordan Lee"), ("is_company", "=", True)]
        )
        person = Partner.search(
            [("name", "=", "Jordan Lee"), ("is_company", "=", False)]
        )
        self.assertEqual((len(company), len(person)), (1, 1))
        for body, record in (("On the company", company), ("On the person", person)):
            found = self.env["mail.message"].search([("body", "ilike", body)])
            self.assertEqual((found.model, found.res_id), (record._name, record.id))
        # the kind column is read by the link rule: no review item for it
        module = run.cell_check_ids.filtered(lambda c: c.column == "Parent Module")
        self.assertEqual((module.cell_count, module.written_count), (2, 2))
        self.assertFalse(run.review_ids.filtered(lambda r: r.column == "Parent Module"))


@tagged("post_install", "-at_install")
class TestCommandLineExitReason(MigrationCase):
    def test_exit_code_one_says_why(self):
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "contacts.csv")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("Name,Email\nAnn Exit,ann@@exit.example\n")
            opts = build_parser().parse_args(
                ["run", path, "--project", "Exit reason", "--full",
                 "--accept-proposals", "--min-confidence", "0"]
            )  # fmt: skip
            code = Runner(self.env, out=out).dispatch(opts)
        self.assertEqual(code, EXIT_REVIEW, out.getvalue())
        self.assertIn("exit code 1: done, but 1 review item open", out.getvalue())
