"""Converted objects' columns as maps: each input of a task, note... is proposed
from its header and its values' type, shown on the object map, and what the run
reads; a person who re-points it changes what is loaded."""

import datetime as dt

from odoo.tests import Form, tagged

from .common import MigrationCase

CONTACTS = (
    "Contact ID,First Name,Last Name,Email\n64706,Rachel,Kim,rachel.kim@example.com\n"
)
TODOS = (
    "To Do ID,Contact ID,Summary,Due Date,Completed,Status,Follow-up Date\n"
    "1,64706,Call back,03/04/2024,Yes,,03/20/2024\n"
    "2,64706,Send quote,03/09/2024,No,,03/25/2024\n"
)


@tagged("post_install", "-at_install")
class TestConverterColumns(MigrationCase):
    def _project(self, system, files):
        project = self.env["migration.project"].create(
            {"name": "Columns", "system": system, "default_user_id": self.owner.id}
        )
        for name, text in files.items():
            project._add_file(name, text.encode())
        project.action_profile()
        project.action_propose()
        omaps = {m.source_id.name: m for m in project.object_map_ids}
        return project, omaps

    def _inputs(self, omap):
        return {c.name: c for c in omap.converter_column_ids}

    def _activities(self, partner):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        )

    def _run(self, project):
        project.action_confirm_maps()
        run = project._start_run("full")
        self.assertEqual(run.state, "done", run.log)
        return run

    def test_a_yes_no_completed_column_is_the_done_flag_not_the_date(self):
        project, omaps = self._project(
            "allclients", {"Contacts.csv": CONTACTS, "ToDos.csv": TODOS}
        )
        inputs = self._inputs(omaps["ToDos.csv"])
        done_on, flag = inputs["Completion date"], inputs["Done (yes/no)"]
        self.assertFalse(done_on.column)
        self.assertIn(
            "Not Completed: its values look like yes/no, not dates.",
            done_on.reason,
        )
        self.assertEqual((flag.column, flag.confidence), ("Completed", 1.0))
        self.assertEqual(
            (inputs["Due date"].column, inputs["Due date"].samples),
            ("Due Date", "03/04/2024, 03/09/2024"),
        )
        run = self._run(project)
        rachel = self.env["res.partner"].search([("ref", "=", "64706")])
        got = {
            a.summary: (a.active, a.date_deadline, a.date_done)
            for a in self._activities(rachel)
        }
        # the done task is loaded, done on its due date: no completion date
        self.assertEqual(
            got,
            {
                "Call back": (False, dt.date(2024, 3, 4), dt.date(2024, 3, 4)),
                "Send quote": (True, dt.date(2024, 3, 9), False),
            },
        )
        self.assertFalse(
            run.review_ids.filtered(lambda r: r.source_id.name == "ToDos.csv")
        )

    def test_a_column_changed_in_the_form_is_what_the_run_reads(self):
        project, omaps = self._project(
            "allclients", {"Contacts.csv": CONTACTS, "ToDos.csv": TODOS}
        )
        due = self._inputs(omaps["ToDos.csv"])["Due date"]
        self.assertEqual(due.fallback_columns, ["Follow-up Date"])
        with Form(due) as form:
            form.column = "Follow-up Date"
        self.assertEqual(due.column, "Follow-up Date")
        self.assertEqual(due.reason, "Chosen by a person.")
        self.assertEqual(due.values_type, "date")
        self.assertFalse(due.fallback_columns)  # proposed: read when it is empty
        self._run(project)
        self.assertTrue(due.confirmed)
        rachel = self.env["res.partner"].search([("ref", "=", "64706")])
        got = {
            a.summary: (a.date_deadline, a.date_done) for a in self._activities(rachel)
        }
        self.assertEqual(
            got,
            {
                "Call back": (dt.date(2024, 3, 20), dt.date(2024, 3, 20)),
                "Send quote": (dt.date(2024, 3, 25), False),
            },
        )

    def test_a_picked_column_of_the_wrong_kind_is_said_and_no_column_reads_none(self):
        _project, omaps = self._project(
            "allclients", {"Contacts.csv": CONTACTS, "ToDos.csv": TODOS}
        )
        inputs = self._inputs(omaps["ToDos.csv"])
        inputs["Due date"].column = "Summary"
        self.assertIn("do not look like dates", inputs["Due date"].reason)
        inputs["Summary"].column = False
        self.assertEqual(
            inputs["Summary"].reason,
            "No column: a person chose that this input is not read.",
        )
        with self.assertRaises(Exception):  # noqa: B017 a header the file lacks
            inputs["Details"].column = "Nope"
            inputs["Details"].flush_recordset()

    def test_a_tasks_file_with_a_due_date_and_no_creation_date_loads_done_tasks(self):
        project, omaps = self._project(
            "generic",
            {
                "contacts.csv": "First Name,Last Name,Email\nAnn,Lee,ann@t.example\n",
                "tasks.csv": "Title,Due Date,Status,Contact Email\n"
                "Renewal call,2024-05-02,Completed,ann@t.example\n"
                "Quote,2024-05-09,Open,ann@t.example\n",
            },
        )
        inputs = self._inputs(omaps["tasks.csv"])
        self.assertFalse(inputs["Date (created or logged)"].column)
        self.assertEqual(inputs["Due date"].column, "Due Date")
        run = self._run(project)
        ann = self.env["res.partner"].search([("email", "=", "ann@t.example")])
        got = {
            a.summary: (a.active, a.date_deadline, a.date_done)
            for a in self._activities(ann)
        }
        self.assertEqual(
            got,
            {
                "Renewal call": (False, dt.date(2024, 5, 2), dt.date(2024, 5, 2)),
                "Quote": (True, dt.date(2024, 5, 9), False),
            },
        )
        self.assertFalse(run.review_ids)

    def test_a_notes_date_column_changed_moves_the_messages_date(self):
        project, omaps = self._project(
            "generic",
            {
                "contacts.csv": "First Name,Last Name,Email\nAnn,Lee,ann@n.example\n",
                "notes.csv": "Note,Date,Logged At,Contact Email\n"
                "Met at the fair,2024-01-05 10:00,2024-02-01 09:30,ann@n.example\n",
            },
        )
        when = self._inputs(omaps["notes.csv"])["Date (created or logged)"]
        self.assertEqual((when.column, when.kind), ("Date", "date"))
        when.column = "Logged At"
        self._run(project)
        ann = self.env["res.partner"].search([("email", "=", "ann@n.example")])
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", ann.id),
             ("body", "ilike", "Met at the fair")]
        )  # fmt: skip
        self.assertEqual(note.date, dt.datetime(2024, 2, 1, 9, 30))

    def test_a_phone_labelled_mobile_beside_an_unlabelled_one_and_accented_states(
        self,
    ):
        project, _omaps = self._project(
            "generic",
            {
                "contacts.csv": "First Name,Last Name,Email,Phone 1,Phone 1 Note,"
                "Phone 2,State,Country\n"
                "Dee,Roy,dee@p.example,312 555 0106,Mobile,312 555 0107,Québec,"
                "Canada\n",
            },
        )
        self._run(project)
        dee = self.env["res.partner"].search([("email", "=", "dee@p.example")])
        self.assertEqual(
            (dee.mobile, dee.phone, dee.state_id),
            ("+13125550106", "+13125550107", self.env.ref("base.state_ca_qc")),
        )

    def test_column_choices_travel_with_the_exported_maps(self):
        project, omaps = self._project(
            "allclients", {"Contacts.csv": CONTACTS, "ToDos.csv": TODOS}
        )
        self._inputs(omaps["ToDos.csv"])["Due date"].column = "Follow-up Date"
        exported = project._export_maps()
        todo = next(o for o in exported["objects"] if o["source"] == "ToDos.csv")
        self.assertIn(
            {"input": "due date", "column": "Follow-up Date", "confirmed": False},
            todo["columns"],
        )
        again, omaps2 = self._project(
            "allclients", {"Contacts.csv": CONTACTS, "ToDos.csv": TODOS}
        )
        todo["columns"].append({"input": "nope", "column": None, "confirmed": True})
        problems = again._import_maps(exported)
        self.assertEqual(problems, ["ToDos.csv has no input nope."])
        due = self._inputs(omaps2["ToDos.csv"])["Due date"]
        self.assertEqual((due.column, due.confirmed), ("Follow-up Date", False))

    def test_importing_maps_names_a_missing_column_of_a_mapped_object(self):
        project, _omaps = self._project(
            "generic",
            {"contacts.csv": "First Name,Last Name,Email\nAnn,Lee,ann@i.example\n"},
        )
        exported = project._export_maps()
        exported["objects"][0]["fields"].append(
            {"column": "Fax", "action": "ignore", "confirmed": True}
        )
        self.assertEqual(
            project._import_maps(exported), ["contacts.csv has no column Fax."]
        )
