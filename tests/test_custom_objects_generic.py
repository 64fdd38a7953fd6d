"""Custom objects of the generic source (issue 13): a plain enrolments file is
found to be a custom object by its rows (the proposal says so in a field, not
in its reason's words), loaded as an x_ model of its own; an attachment and a
note naming one enrolment go on that record; closing or deleting the project
keeps a model holding migrated records (the company's data) and drops an empty
one with nothing of it left behind."""

from odoo.tests import TransactionCase, tagged

CONTACTS = (
    "Contact ID,First Name,Last Name,Email\n"
    "c-1,Mia,Chen,mia@example.com\n"
    "c-2,Noah,Reed,noah@example.com\n"
    "c-3,Lea,Park,lea@example.com\n"
)
ENROLMENTS = (
    "Enrolment ID,Student Email,Program,Cohort,Enrolled On\n"
    "e-1,mia@example.com,Data Science,2023A,02/13/2023\n"
    "e-2,MIA@example.com,Design,2023A,03/01/2023\n"
    "e-3,mia@example.com,Marketing,2023B,04/10/2023\n"
    "e-4,noah@example.com,Design,2023B,05/02/2023\n"
    "e-5,lea@example.com,Data Science,2023B,06/02/2023\n"
)
ATTACHMENTS = (
    "File Name,URL,Record Type,Record ID\n"
    "certificate.pdf,https://files.example.com/cert.pdf,Enrolment,e-2\n"
)
NOTES = (
    "Contact Email,Note,Date,Related Object,Related Object ID\n"
    "mia@example.com,Passed module 1,03/05/2023 10:00 AM,Enrolment,e-2\n"
)


class GenericCustomCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "School", "system": "generic"}
        )
        for name, text in (
            ("contacts.csv", CONTACTS),
            ("enrolments.csv", ENROLMENTS),
            ("attachments.csv", ATTACHMENTS),
            ("notes.csv", NOTES),
        ):
            cls.project._add_file(name, text.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        cls.omap = cls.project.object_map_ids.filtered(
            lambda m: m.object_name == "enrolments"
        )
        cls.full = cls.project._start_run("full", commit=False)

    def _enrolment(self, key):
        entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("source_key", "=", f"enrolments:id:{key}"),
                ("operation", "=", "create"),
            ]
        )
        return self.env[entry.res_model].browse(entry.res_id)


@tagged("post_install", "-at_install")
class TestGenericCustomObject(GenericCustomCase):
    def test_the_generic_source_proposes_the_file_as_a_custom_object(self):
        omap = self.omap
        self.assertEqual(
            (omap.target, omap.own_model, omap.link_column, omap.confidence),
            ("contact", True, "Student Email", 0.85),
        )
        self.assertEqual((omap.key_rule, omap.key_column), ("column", "Enrolment ID"))
        self.assertIn(
            "Each row names its contact by Student Email (5 rows, 3 contacts, up to "
            "3 rows for one)",
            omap.reason,
        )

    def test_each_row_is_a_record_and_files_and_notes_go_on_it(self):
        self.assertEqual(self.full.state, "done", self.full.log)
        model = self.env["x_enrolments"]
        self.assertEqual(model.search_count([]), 5)
        mia = self.env["res.partner"].search([("email", "=", "mia@example.com")])
        self.assertEqual(
            sorted(mia.x_enrolments_ids.mapped("x_program")),
            ["Data Science", "Design", "Marketing"],
        )
        design = self._enrolment("e-2")
        self.assertEqual((design.x_program, design.x_partner_id), ("Design", mia))
        attachment = self.env["ir.attachment"].search(
            [("name", "=", "certificate.pdf")]
        )
        self.assertEqual(
            (attachment.res_model, attachment.res_id, attachment.url),
            ("x_enrolments", design.id, "https://files.example.com/cert.pdf"),
        )
        note = self.env["mail.message"].search(
            [("model", "=", "x_enrolments"), ("message_type", "=", "comment")]
        )
        self.assertEqual(note.res_id, design.id)
        self.assertIn("Passed module 1", note.body)

    def test_a_reupload_and_delta_find_the_rows_again(self):
        # the staged rows keep the key the run booked (the object's own key
        # space): a new export with one change is one changed row, not five
        # new rows and five removed ones loaded again as duplicates
        changed = ENROLMENTS.replace(
            "e-4,noah@example.com,Design", "e-4,noah@example.com,Law"
        )
        source = self.project._add_file("enrolments.csv", changed.encode())
        self.assertEqual(
            source.last_stage_counts,
            {"new": 0, "changed": 1, "unchanged": 4, "removed": 0},
        )
        run = self.project._start_run("delta")
        line = run.line_ids.filtered(lambda li: li.object_name == "enrolments")
        self.assertEqual(
            (line.read_count, line.created_count, line.updated_count), (1, 0, 1)
        )
        self.assertEqual(self.env["x_enrolments"].search_count([]), 5)
        self.assertEqual(self._enrolment("e-4").x_program, "Law")

    def test_the_flag_is_a_field_not_words_of_the_reason(self):
        # a plain contacts file whose name holds the words "custom object": its
        # proposal's reason quotes the name, and it is no custom object
        project = self.env["migration.project"].create(
            {"name": "Words", "system": "generic"}
        )
        project._add_file("custom object contacts.csv", CONTACTS.encode())
        project.action_profile()
        project.action_propose()
        omap = project.object_map_ids
        self.assertIn("custom object", omap.reason)
        self.assertEqual((omap.target, omap.own_model), ("contact", False))


@tagged("post_install", "-at_install")
class TestGenericCustomObjectLifetime(GenericCustomCase):
    def _left_of(self, name):
        """What is left of the x_ model ``name``, by kind."""
        self.env.flush_all()
        self.env.cr.execute("SELECT to_regclass(%s)", [name])
        table = bool(self.env.cr.fetchone()[0])
        return {
            "model": bool(self.env["ir.model"]._get(name)),
            "table": table,
            "registry": name in self.env.registry,
            "contact field": "x_enrolments_ids" in self.env["res.partner"]._fields,
            "views": self.env["ir.ui.view"].search_count(
                ["|", ("model", "=", name), ("name", "=", f"{name}.partner")]
            ),
            "actions": self.env["ir.actions.act_window"].search_count(
                [("res_model", "=", name)]
            ),
            "menus": self.env["ir.ui.menu"].search_count([("name", "=", "Enrolments")]),
            "access": self.env["ir.model.access"].search_count(
                [("model_id.model", "=", name)]
            ),
            "messages": self.env["mail.message"].search_count([("model", "=", name)]),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "=", name)]
            ),
        }

    def test_closing_keeps_a_model_with_records_and_drops_an_empty_one(self):
        kept = {
            "model": True, "table": True, "registry": True, "contact field": True,
            "views": 3, "actions": 1, "menus": 1, "access": 3,
        }  # fmt: skip
        left = self._left_of("x_enrolments")
        self.assertEqual({k: left[k] for k in kept}, kept)
        self.assertEqual((left["messages"], left["attachments"]), (1, 1))
        self.full._rollback(force=False)
        self.assertEqual(self.env["x_enrolments"].search_count([]), 0)
        left = self._left_of("x_enrolments")
        self.assertEqual({k: left[k] for k in kept}, kept)
        self.project._start_run("full", commit=False)
        self.assertEqual(self.env["x_enrolments"].search_count([]), 5)
        # closing ends the migration, not the company's data: the enrolments
        # that went live keep their model, screens, notes and files
        self.project.action_close()
        self.assertEqual(self.project.state, "closed")
        left = self._left_of("x_enrolments")
        self.assertEqual({k: left[k] for k in kept}, kept)
        self.assertEqual((left["messages"], left["attachments"]), (1, 1))
        self.assertEqual(self.env["x_enrolments"].search_count([]), 5)
        design = self.env["x_enrolments"].search([("x_enrolment_id", "=", "e-2")])
        self.assertEqual(design.x_partner_id.email, "mia@example.com")
        # every run rolled back after closing: the model is empty, and
        # deleting the project then drops it and all made for it
        result = self.project.run_ids._rollback(force=False)
        self.assertFalse(result["errors"], result)
        self.assertEqual(self.env["x_enrolments"].search_count([]), 0)
        self.project.unlink()
        gone = dict.fromkeys(kept, False) | {"messages": 0, "attachments": 0}
        self.assertEqual(self._left_of("x_enrolments"), gone)


@tagged("post_install", "-at_install")
class TestGenericCustomObjectDelete(GenericCustomCase):
    _left_of = TestGenericCustomObjectLifetime._left_of

    def test_deleting_a_project_keeps_a_model_with_records(self):
        self.project.unlink()
        left = self._left_of("x_enrolments")
        self.assertEqual(
            (left["model"], left["table"], left["contact field"], left["views"]),
            (True, True, True, 3),
        )
        self.assertEqual(self.env["x_enrolments"].search_count([]), 5)

    def test_deleting_a_project_never_run_drops_its_empty_model(self):
        self.full._rollback(force=False)
        self.project.unlink()
        left = self._left_of("x_enrolments")
        self.assertEqual(
            (left["model"], left["table"], left["contact field"], left["views"]),
            (False, False, False, 0),
        )
