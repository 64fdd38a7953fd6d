"""What the consultant's screens say is true: the project's state after a
refused upload and after a rollback, confidence and reasons after a person's
choice, labels instead of codes, a re-run of unchanged data reported as
unchanged (issue 17), and a run's live progress."""

import base64
import io
from datetime import date, datetime

from PIL import Image

from odoo.fields import Command
from odoo.tests import Form, tagged

from ..loader.writer import Writer
from .common import MigrationCase, read_data


def png(width, height, color=(200, 30, 30)):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestHonestStates(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def test_a_project_whose_only_file_was_refused_is_not_mapped(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "logo.csv", "raw": read_data("logo.csv")}
        )
        with Form(self.env["migration.import.wizard"]) as wizard:
            wizard.project_name = "Refused only"
            wizard.attachment_ids.add(attachment)
        action = wizard.save().action_import()
        project = self.env["migration.project"].search([("name", "=", "Refused only")])
        self.assertEqual(action["params"]["next"]["res_id"], project.id)
        # the web client opens a notification's next action only with its views
        self.assertEqual(action["params"]["next"]["views"], [(False, "form")])
        self.assertEqual(project.source_ids.state, "error")
        self.assertEqual(project.state, "draft")
        self.assertEqual(project.loadable_count, 0)
        # the page offers neither a sample nor a full run: nothing to load
        arch = project.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_full_run"', arch)
        self.assertIn("not loadable_count", arch)
        # a readable file afterwards: profiled, proposed, mapped
        project._add_file("companies.csv", read_data("companies.csv"))
        project.action_profile()
        self.assertEqual(project.state, "profiled")
        project.action_propose()
        self.assertEqual(project.state, "mapped")
        project.invalidate_recordset(["loadable_count"])
        self.assertEqual(project.loadable_count, 1)

    def test_removing_a_refused_file_from_the_project(self):
        refused = self.project._add_file("logo.csv", read_data("logo.csv"))
        self.assertEqual(refused.state, "error")
        action = refused.action_remove()
        self.assertEqual(action["tag"], "soft_reload")
        self.assertFalse(refused.exists())
        self.assertEqual(len(self.project.source_ids), 3)
        # a file a run loaded stays until its run is rolled back
        run = self._full_run()
        companies = self.omap["companies.csv"].source_id
        with self.assertRaisesRegex(Exception, "roll the run back"):
            companies.action_remove()
        run._rollback()
        companies.action_remove()
        self.assertFalse(companies.exists())

    def test_rolling_back_every_run_unloads_the_project(self):
        sample = self.project._start_run("sample")
        self.assertEqual(self.project.state, "sampled")
        full = self._full_run()
        self.assertEqual((full.state, self.project.state), ("done", "loaded"))
        self.project.action_go_live()
        cron = self.project.cron_id
        self.assertTrue(cron.active)
        open_items = self.project.review_ids.filtered(lambda r: r.state == "open")
        self.assertTrue(open_items)
        resolved = open_items[0]
        resolved.action_resolve()
        # the full run rolled back: back to sampled, no "Go live", no schedule
        wizard = self.env["migration.rollback.wizard"].create({"run_id": full.id})
        wizard.action_rollback()
        self.assertEqual((sample.state, full.state), ("done", "rolled_back"))
        self.assertEqual(self.project.state, "sampled")
        self.assertFalse(cron.active)
        # and every run: back to mapped, nothing left open
        wizard = self.env["migration.rollback.wizard"].create(
            {"project_id": self.project.id}
        )
        wizard.action_rollback()
        self.assertEqual(sample.state, "rolled_back")
        self.assertEqual(self.project.state, "mapped")
        self.assertEqual(self.project.review_open_count, 0)
        self.assertEqual(set((open_items - resolved).mapped("state")), {"rolled_back"})
        self.assertIn("rolled back", (open_items - resolved)[0].resolution)
        # a person's decision is kept for the next run
        self.assertEqual(resolved.state, "resolved")

    def test_next_step_and_charts_follow_the_path(self):
        self.assertEqual(
            self.project.next_step,
            "Next: run a sample and check its diff (Sample run).",
        )
        self.project._start_run("sample")
        self.project.invalidate_recordset(["next_step"])
        self.assertIn("(Full run)", self.project.next_step)
        self._full_run()
        self.project.invalidate_recordset(["next_step", "review_open_count"])
        self.project.invalidate_recordset(["review_issue_count"])
        self.assertEqual(
            self.project.next_step,
            f"Next: work through the {self.project.review_issue_count} open review "
            f"items ({self.project.review_open_count} rows, To review); the next "
            "run applies your corrections.",
        )
        charts = self.project.action_view_charts()
        self.assertEqual(charts["views"][0], (False, "graph"))
        self.assertEqual(charts["domain"], [("project_id", "=", self.project.id)])
        self.assertEqual(
            self.env["migration.run.line"].search_count(charts["domain"]), 6
        )
        cells = self.project.action_view_cell_charts()
        self.assertTrue(self.env["migration.cell.check"].search_count(cells["domain"]))

    def test_rolling_back_one_of_two_full_runs_stays_loaded(self):
        self._full_run()
        second = self._full_run()
        second._rollback()
        self.assertEqual(self.project.state, "loaded")

    def test_rollback_counts_conflicting_records_not_ledger_rows(self):
        run = self._full_run()
        self.project._add_file(
            "companies.csv",
            read_data("companies.csv").replace(b"+1 212 555 0100", b"+1 212 555 0199"),
        )
        self._full_run()
        acme = self._record("company", "id:C1")
        acme.write({"website": "https://changed.example.com", "phone": "+1 1"})
        wizard = self.env["migration.rollback.wizard"].create(
            {"project_id": self.project.id}
        )
        # several ledger rows of Acme (created, then updated): one record
        self.assertGreater(
            self.env["migration.ledger"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", acme.id)]
            ),
            1,
        )
        self.assertEqual(wizard.conflict_count, 1)
        self.assertTrue(run)


@tagged("post_install", "-at_install")
class TestHonestWords(MigrationCase):
    def test_owner_value_map_mapped_by_a_person_drops_the_proposal_words(self):
        self._fix_maps()
        ghost = self.env["migration.value.map"].search(
            [
                ("project_id", "=", self.project.id),
                ("source_value", "=", "ghost@example.com"),
            ]
        )
        self.assertEqual(ghost.kind, "owner")
        self.assertFalse(ghost.target_ref)
        self.assertIn("no existing", ghost.reason.lower())
        ghost.target_ref = f"res.users,{self.alice.id}"
        self.assertEqual(ghost.confidence, 1.0)
        self.assertEqual(ghost.reason, f"Chosen by {self.env.user.name}.")
        self.assertFalse(ghost.confirmed)
        ghost.target_ref = False
        self.assertEqual(ghost.confidence, 0.0)
        self.assertIn("removed the Odoo value", ghost.reason)

    def test_field_map_chosen_by_a_person(self):
        fmap = self.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Employees"
        )
        proposed = fmap.reason
        fmap.empty_clears = True  # not a choice of destination: words kept
        self.assertEqual(fmap.reason, proposed)
        fmap.action_set_create()
        self.assertEqual((fmap.action, fmap.confidence), ("create", 1.0))
        self.assertEqual(fmap.reason, f"Chosen by {self.env.user.name}.")

    def test_dropdowns_show_words_not_codes(self):
        labels = dict(
            self.env["migration.field.map"]
            ._fields["transform"]
            ._description_selection(self.env)
        )
        self.assertEqual(labels["vat_br"], "Brazilian tax number (CPF/CNPJ)")
        self.assertEqual(labels["lead_status"], "Lead status (won, lost, open)")
        self.assertEqual(labels["text"], "Text as written")
        self.assertFalse([code for code, label in labels.items() if code == label])
        # what the profile found reads as words too
        website = self.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Website"
        )
        self.assertEqual(website.inferred_type, "url")
        labels = dict(
            website._fields["inferred_type_label"]._description_selection(self.env)
        )
        self.assertEqual(labels[website.inferred_type_label], "Web addresses")

    def test_confidence_is_a_percentage_everywhere(self):
        """A 0-1 confidence needs the percentage widget (0.95 -> 95%): a
        progress bar or a plain float reads it as 1 %."""
        views = {
            "migration.field.map": ["list", "form"],
            "migration.value.map": ["list"],
            "migration.object.map": ["list", "form"],
            "migration.project": ["form"],
        }
        for model, kinds in views.items():
            for kind in kinds:
                arch = self.env[model].get_views([(False, kind)])["views"][kind]["arch"]
                widgets = arch.split('name="confidence"')[1:]
                self.assertTrue(widgets or model == "migration.project", model)
                for rest in widgets:
                    self.assertIn(
                        'widget="percentage"', rest.split("/>")[0], f"{model} {kind}"
                    )
        # the editable field-map lists open the form (confirm, value maps)
        arch = self.env["migration.object.map"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('open_form_view="True"', arch)


@tagged("post_install", "-at_install")
class TestUnchangedRerun(MigrationCase):
    """A re-run of identical data writes nothing: every value is compared as
    Odoo stores it."""

    def test_every_field_type_written_compares_as_stored(self):
        writer = Writer(self.env)
        tag = self.env["res.partner.category"].create({"name": "VIP"})
        country = self.env.ref("base.br")
        source = {
            "name": "  Acme Corp ",  # char: trimmed
            "website": "acme.example.com",  # rewritten: http:// added
            "email": "info@acme.example.com",
            "comment": "<p>Good <b>client</b><script>x()</script></p>",  # html
            "partner_latitude": 12.345678912,  # float rounded to its digits
            "color": "3",  # integer given as text
            "employee": True,  # boolean
            "type": "contact",  # selection
            "country_id": country.id,  # many2one
            "category_id": [Command.link(tag.id)],  # many2many
        }
        partner = self.env["res.partner"].create(source)
        self.assertEqual(partner.website, "http://acme.example.com")
        changes, before = writer.changes(partner, source)
        self.assertEqual(changes, {}, before)
        stage = self.env["crm.stage"].create({"name": "Proposal X"})
        lead_source = {
            "name": "Acme renewal",
            "website": "www.acme.example.com",
            "expected_revenue": 12500.505,  # monetary: currency rounding
            "probability": 33.333333,
            "date_deadline": "2021-06-30",  # date as text
            "date_closed": "2021-05-31 10:00:00",  # datetime as text
            "priority": "2",
            "stage_id": stage.id,
            "description": "<p>Long deal</p>",
            "active": True,
        }
        lead = self.env["crm.lead"].create(lead_source)
        self.assertEqual(lead.date_deadline, date(2021, 6, 30))
        self.assertEqual(lead.date_closed, datetime(2021, 5, 31, 10, 0))
        changes, before = writer.changes(lead, lead_source)
        self.assertEqual(changes, {}, before)
        # and a real change is still one
        changes, before = writer.changes(
            partner, {"website": "acme2.example.com", "color": 4}
        )
        self.assertEqual(changes, {"website": "acme2.example.com", "color": 4})
        self.assertEqual(before, {"website": "http://acme.example.com", "color": 3})

    def test_binary_fields_compare_as_stored(self):
        """An image and a file given again are unchanged: an image larger than
        1920 pixels is stored resized (the source's bytes are never what Odoo
        holds), base64 may be wrapped or given as text; other bytes are a
        change. The other field types of an attachment too (text, char,
        selection, integer, boolean)."""
        writer = Writer(self.env)
        big, small = png(2400, 1200), png(64, 64)
        partner = self.env["res.partner"].create(
            {"name": "Logo Co", "image_1920": base64.b64encode(big)}
        )
        self.assertNotEqual(base64.b64decode(partner.image_1920), big)
        for given in (
            base64.b64encode(big),
            base64.b64encode(big).decode(),
            base64.encodebytes(big),  # wrapped every 76 characters
        ):
            changes, before = writer.changes(partner, {"image_1920": given})
            self.assertEqual(changes, {}, before)
        changes, before = writer.changes(
            partner, {"image_1920": base64.b64encode(small)}
        )
        self.assertEqual(changes, {"image_1920": base64.b64encode(small)})
        # an image within the size is kept as given
        partner.image_1920 = base64.b64encode(small)
        self.assertEqual(base64.b64decode(partner.image_1920), small)
        changes, before = writer.changes(
            partner, {"image_1920": base64.encodebytes(small)}
        )
        self.assertEqual(changes, {}, before)
        pdf = read_data("brochure.pdf")
        vals = {
            "name": " brochure.pdf ",
            "datas": base64.encodebytes(pdf).decode(),
            "description": "Sent in March\nsecond line",
            "type": "binary",
            "res_model": "res.partner",
            "res_id": partner.id,
            "public": False,
        }
        attachment = self.env["ir.attachment"].create(dict(vals))
        changes, before = writer.changes(attachment, vals)
        self.assertEqual(changes, {}, before)
        changes, before = writer.changes(
            attachment, {"datas": base64.b64encode(pdf + b"%% changed")}
        )
        self.assertEqual(list(changes), ["datas"])
        self.assertEqual(base64.b64decode(before["datas"]), pdf)

    def test_rerun_of_a_website_without_scheme_is_unchanged(self):
        self._fix_maps()
        self.project.action_confirm_maps()
        data = read_data("companies.csv").replace(
            b"https://acme.example.com", b"acme.example.com"
        )
        self.project._add_file("companies.csv", data)
        first = self._full_run()
        acme = self._record("company", "id:C1")
        self.assertEqual(acme.website, "http://acme.example.com")
        second = self._full_run()
        company = second.line_ids.filtered(lambda line: line.target == "company")
        self.assertEqual(company.updated_count, 0, second.log)
        self.assertEqual(
            company.unchanged_count,
            company.read_count - company.review_count - company.skipped_count,
        )
        self.assertEqual(second.updated_count, 0)
        self.assertEqual(
            second.unchanged_count, first.created_count + first.merged_count
        )


@tagged("post_install", "-at_install")
class TestReviewAlike(MigrationCase):
    def test_items_sharing_kind_column_and_value_are_one_decision(self):
        # ghost@example.com owns three contacts: one unknown owner, three rows
        data = read_data("contacts.csv") + (
            b"P7,Gus,Grey,gus@example.org,,Initech,,ghost@example.com,04/06/2021\n"
            b"P8,Hal,Hill,hal@example.org,,Initech,,ghost@example.com,04/07/2021\n"
        )
        self.project._add_file("contacts.csv", data)
        self._fix_maps()
        self.project.action_confirm_maps()
        self._full_run()
        # the project's review button: one item per kind, column and value
        action = self.project.action_view_reviews()
        self.assertEqual(action["res_model"], "migration.review.issue")
        issues = self.env["migration.review.issue"].search(action["domain"])
        ghost = issues.filtered(lambda i: i.value == "ghost@example.com")
        self.assertEqual(
            (ghost.kind, ghost.column, ghost.occurrence_count, ghost.record_count),
            ("unknown_owner", "Owner", 3, 3),
        )
        self.assertEqual(
            sum(issues.mapped("occurrence_count")), self.project.review_open_count
        )
        self.assertEqual(self.project.review_issue_count, len(issues))
        ghosts = ghost.review_ids
        self.assertEqual(len(ghosts), 3)
        self.assertEqual(ghosts.mapped("occurrence_count"), [3, 3, 3])
        self.assertIn("Unknown owner: 1 owners on 3 rows", self.project.review_summary)
        # one correction, one resolution: for every row alike
        ghosts[0].corrected_value = "alice@example.com"
        self.assertEqual(set(ghosts.mapped("corrected_value")), {"alice@example.com"})
        ghosts[0].action_resolve()
        self.assertEqual(set(ghosts.mapped("state")), {"resolved"})
        self.assertEqual(ghost.state, "resolved")
        self.project.invalidate_recordset(["review_summary"])
        self.assertNotIn("Unknown owner", self.project.review_summary or "")
        # ignore a whole item at once, with one reason
        other = (issues - ghost)[:1]
        rows = other.review_ids
        context = other.action_ignore()["context"]
        wizard = (
            self.env["migration.review.ignore.wizard"]
            .with_context(**context)
            .create({"resolution": "known problem"})
        )
        self.assertEqual(wizard.review_ids, rows)
        wizard.action_ignore()
        self.assertEqual(set(rows.mapped("state")), {"ignored"})
        self.assertEqual((other.state, other.resolution), ("ignored", "known problem"))


@tagged("post_install", "-at_install")
class TestCallFieldsShown(MigrationCase):
    """A migrated call's duration and outcome are kept in fields: the activity
    popup, the activity list and the message form show them."""

    def test_the_activity_popup_and_message_form_show_a_calls_fields(self):
        partner = self.env["res.partner"].create({"name": "Call target"})
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "summary": "Discovery call",
                "migration_call_duration": 15,
                "migration_call_outcome": "Left voicemail",
            }
        )
        popup = Form(activity, view="mail.mail_activity_view_form_popup")
        self.assertEqual(popup.migration_call_duration, 15)
        self.assertEqual(popup.migration_call_outcome, "Left voicemail")
        columns = self.env["mail.activity"].get_view(
            self.env.ref("mail.mail_activity_view_tree").id, "list"
        )["arch"]
        self.assertIn('name="migration_call_outcome"', columns)
        message = partner.message_post(body="Call logged")
        message.write(
            {"migration_call_duration": 7.5, "migration_call_outcome": "Done"}
        )
        form = Form(message, view="mail.mail_message_view_form")
        self.assertEqual(form.migration_call_duration, 7.5)
        self.assertEqual(form.migration_call_outcome, "Done")
