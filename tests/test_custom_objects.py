"""Custom objects as models of their own (issue 13): a crmConnect memberships
export becomes an x_ model made by the run as Odoo Studio makes one (manual
ir.model with a chatter, typed x_ fields, a many2one to the contact and its
one2many, views, action, menu, access), one record per row, so that a contact
with three enrolments keeps all three; a note naming a membership goes to that
record's chatter; a rollback removes the rows and keeps the model."""

import datetime as dt
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..loader import custom_models
from ..loader.custom_models import CustomModels
from .common import SALES_USERS, sales_user

CONTACTS = (
    "Contact ID,First Name,Last Name,Email,Created\n"
    "c-1,Mia,Chen,mia.chen@example.com,01/05/2023\n"
    "c-2,Noah,Reed,noah.reed@example.com,01/06/2023\n"
)
MEMBERSHIPS = (
    "Membership ID,Contact Email,Member Name,Offer,Course,Status,Enrolled On,"
    "Expires On,Progress (%)\n"
    "m-1,mia.chen@example.com,Mia Chen,Growth Academy,Funnel Bootcamp,active,"
    "02/13/2023,02/13/2024,26\n"
    "m-2,MIA.CHEN@example.com,Mia Chen,Client Portal,Sales Fundamentals,expired,"
    "03/01/2023,03/01/2024,100\n"
    "m-3,mia.chen@example.com,Mia Chen,VIP Mastermind,Funnel Bootcamp,active,"
    "04/10/2023,04/10/2024,5\n"
    "m-4,noah.reed@example.com,Noah Reed,Growth Academy,Sales Fundamentals,active,"
    "05/02/2023,05/02/2024,61\n"
    "m-5,ghost@example.com,Ghost Member,Growth Academy,Funnel Bootcamp,active,"
    "06/02/2023,06/02/2024,12\n"
)
ENGAGEMENTS = (
    "Engagement ID,Type,Contact Email,Subject,Body,Status,Date,User,"
    "Related Object,Related Object ID\n"
    "e-1,Note,mia.chen@example.com,,Asked to pause the portal,completed,"
    "03/05/2023 10:00 AM,alice@example.com,Membership,m-2\n"
    "e-2,Note,mia.chen@example.com,,Prefers email,completed,"
    "03/06/2023 10:00 AM,alice@example.com,,\n"
)


@tagged("post_install", "-at_install")
class TestCustomObjectModel(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        for login, name in SALES_USERS:
            sales_user(cls.env, login, name)
        cls.project = cls.env["migration.project"].create(
            {"name": "Academy", "system": "crmconnect"}
        )
        for name, text in (
            ("contacts.csv", CONTACTS),
            ("memberships.csv", MEMBERSHIPS),
            ("engagements.csv", ENGAGEMENTS),
        ):
            cls.project._add_file(name, text.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        cls.omap = cls.project.object_map_ids.filtered(
            lambda m: m.object_name == "memberships"
        )
        cls.full = cls.project._start_run("full", commit=False)

    def _model(self):
        return self.env[self.omap.custom_model_id.model]

    def test_the_proposal_gives_the_object_a_model_of_its_own(self):
        omap = self.omap
        self.assertTrue(omap.own_model)
        self.assertFalse(omap.extends_only)
        self.assertEqual(omap.link_column, "Contact Email")
        # every column goes to a field of the model, none to the contact
        self.assertEqual(set(omap.field_map_ids.mapped("action")), {"create"})

    def test_the_model_is_made_as_studio_makes_one(self):
        model = self.omap.custom_model_id
        self.assertEqual(model.model, "x_memberships")
        self.assertEqual(self.omap.model_name, "x_memberships")
        self.assertEqual(model.state, "manual")
        self.assertTrue(model.is_mail_thread)
        types = {f.name: f.ttype for f in model.field_id if f.name.startswith("x_")}
        self.assertEqual(
            types,
            {
                "x_name": "char",
                "x_partner_id": "many2one",
                "x_membership_id": "char",
                "x_contact_email": "char",
                "x_member_name": "char",
                "x_offer": "char",
                "x_course": "selection",
                "x_status": "selection",
                "x_enrolled_on": "date",
                "x_expires_on": "date",
                "x_progress": "integer",
            },
        )
        link = model.field_id.filtered(lambda f: f.name == "x_partner_id")
        self.assertEqual(link.relation, "res.partner")
        back = self.env["ir.model.fields"]._get("res.partner", "x_memberships_ids")
        self.assertEqual(
            (back.ttype, back.relation, back.relation_field),
            ("one2many", "x_memberships", "x_partner_id"),
        )
        # the model stays out of the contact's catalogue of target fields
        self.assertFalse(self.env["migration.target.field"]._get("contact", "x_offer"))

    def test_views_action_menu_and_access(self):
        views = self.env["ir.ui.view"].search([("model", "=", "x_memberships")])
        self.assertEqual(sorted(views.mapped("type")), ["form", "list"])
        form = views.filtered(lambda v: v.type == "form")
        self.assertIn('<field name="x_offer"/>', form.arch_db)
        self.assertIn("<chatter/>", form.arch_db)
        # the contact's form shows its rows of the object
        page = self.env["ir.ui.view"].search(
            [("name", "=", "x_memberships.partner"), ("model", "=", "res.partner")]
        )
        self.assertEqual(page.inherit_id, self.env.ref("base.view_partner_form"))
        self.assertIn('<field name="x_memberships_ids">', page.arch_db)
        contact_form = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('name="x_memberships_ids"', contact_form)
        action = self.env["ir.actions.act_window"].search(
            [("res_model", "=", "x_memberships")]
        )
        self.assertEqual(len(action), 1)
        menu = self.env["ir.ui.menu"].search(
            [("action", "=", f"ir.actions.act_window,{action.id}")]
        )
        self.assertEqual(
            menu.parent_id, self.env.ref("crm_migration.menu_migration_custom_objects")
        )
        access = {
            a.group_id: (a.perm_read, a.perm_write, a.perm_create, a.perm_unlink)
            for a in self.env["ir.model.access"].search(
                [("model_id", "=", self.omap.custom_model_id.id)]
            )
        }
        ref = self.env.ref
        self.assertEqual(
            access,
            {
                ref("crm_migration.group_migration_manager"): (True,) * 4,
                ref("crm_migration.group_migration_user"): (True,) * 4,
                ref("base.group_user"): (True, False, False, False),
            },
        )

    def test_each_row_is_a_record_linked_to_its_contact(self):
        self.assertEqual(self.full.state, "done")
        self.assertTrue(self.full.balanced)
        line = self.full.line_ids.filtered(lambda ln: ln.object_name == "memberships")
        self.assertEqual((line.read_count, line.created_count), (5, 5))
        mia = self.env["res.partner"].search([("email", "=", "mia.chen@example.com")])
        self.assertEqual(len(mia), 1)
        rows = mia.x_memberships_ids.sorted("x_enrolled_on")
        self.assertEqual(
            [
                (r.x_name, r.x_offer, r.x_status, r.x_enrolled_on, r.x_progress)
                for r in rows
            ],
            [
                ("Mia Chen / Growth Academy", "Growth Academy", "active",
                 dt.date(2023, 2, 13), 26),
                ("Mia Chen / Client Portal", "Client Portal", "expired",
                 dt.date(2023, 3, 1), 100),
                ("Mia Chen / VIP Mastermind", "VIP Mastermind", "active",
                 dt.date(2023, 4, 10), 5),
            ],
        )  # fmt: skip
        self.assertEqual(rows[1].x_contact_email, "MIA.CHEN@example.com")
        self.assertEqual(rows[1].x_expires_on, dt.date(2024, 3, 1))
        # the contact itself is not touched by its memberships
        self.assertNotIn("x_offer", mia._fields)
        self.assertEqual(mia.name, "Mia Chen")
        ghost = self._model().search([("x_membership_id", "=", "m-5")])
        self.assertFalse(ghost.x_partner_id)
        item = self.env["migration.review"].search(
            [
                ("project_id", "=", self.project.id),
                ("source_id.name", "=", "memberships.csv"),
            ]
        )
        self.assertEqual(
            sorted((i.kind, i.column, i.value) for i in item),
            [
                ("orphan", "Contact Email", "ghost@example.com"),
            ],
        )
        entries = self.env["migration.ledger"].search(
            [("run_id", "=", self.full.id), ("res_model", "=", "x_memberships")]
        )
        self.assertEqual(
            sorted(entries.mapped("source_key")),
            [f"memberships:id:m-{n}" for n in range(1, 6)],
        )
        self.assertEqual(set(entries.mapped("operation")), {"create"})

    def test_every_cell_is_accounted_for(self):
        checks = self.full.cell_check_ids.filtered(
            lambda c: c.object_name == "memberships"
        )
        self.assertEqual(
            {
                c.column: (c.written_count, c.review_count, c.unaccounted_count)
                for c in checks
            },
            {
                "Membership ID": (5, 0, 0),
                "Contact Email": (4, 1, 0),
                "Member Name": (5, 0, 0),
                "Offer": (5, 0, 0),
                "Course": (5, 0, 0),
                "Status": (5, 0, 0),
                "Enrolled On": (5, 0, 0),
                "Expires On": (5, 0, 0),
                "Progress (%)": (5, 0, 0),
            },
        )

    def test_a_note_naming_a_membership_goes_to_its_chatter(self):
        portal = self._model().search([("x_membership_id", "=", "m-2")])
        notes = self.env["mail.message"].search(
            [("model", "=", "x_memberships"), ("res_id", "=", portal.id)]
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("Asked to pause the portal", notes.body)
        self.assertEqual(notes.date, dt.datetime(2023, 3, 5, 10, 0))
        mia = portal.x_partner_id
        on_contact = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", mia.id),
             ("message_type", "=", "comment")]
        )  # fmt: skip
        self.assertIn("Prefers email", on_contact.body)
        self.assertNotIn("pause", on_contact.body)

    def test_rollback_removes_the_rows_and_keeps_the_model(self):
        ids = self._model().search([]).ids
        self.assertEqual(len(ids), 5)
        self.full._rollback(force=True)
        self.assertFalse(self._model().browse(ids).exists())
        self.assertFalse(
            self.env["mail.message"].search([("model", "=", "x_memberships")])
        )
        self.assertTrue(self.env["ir.model"]._get("x_memberships"))
        # a second run loads them again into the same model
        again = self.project._start_run("full", commit=False)
        self.assertEqual(again.state, "done")
        self.assertEqual(self._model().search_count([]), 5)
        self.assertEqual(len(self.project.object_map_ids.custom_model_id), 1)

    def test_a_project_makes_a_limited_number_of_models(self):
        other = self.env["migration.object.map"].create(
            {
                "project_id": self.project.id,
                "object_name": "enrolments",
                "target": "contact",
                "own_model": True,
            }
        )
        models = CustomModels(self.env)
        with patch.object(custom_models, "MAX_CUSTOM_MODELS", 1):
            with self.assertRaisesRegex(UserError, "enrolments would make 2 custom"):
                models.create(other)
        self.assertFalse(other.custom_model_id)
        self.assertEqual(models.free_name(other), "x_enrolments")
        self.assertEqual(
            models.free_name(self.omap), f"x_memberships_{self.project.id}"
        )

    def test_a_migration_users_sample_makes_no_model(self):
        user = new_test_user(
            self.env,
            login="mig-user-objects",
            groups="crm_migration.group_migration_user,sales_team.group_sale_salesman",
        )
        project = self.env["migration.project"].create(
            {"name": "Academy 2", "system": "crmconnect"}
        )
        project._add_file("memberships.csv", MEMBERSHIPS.encode())
        project.action_profile()
        project.action_propose()
        project._accept_proposals(0.0)
        omap = project.object_map_ids
        self.assertTrue(omap.own_model)
        run = project.with_user(user)._start_run("sample", commit=False)
        self.assertEqual((run.state, run.balanced), ("done", True))
        self.assertFalse(omap.custom_model_id)
        self.assertEqual(omap.model_name, "res.partner")  # until a model is made
        held = self.env["migration.review"].search([("run_id", "=", run.id)])
        self.assertEqual(len(held), 5)
        self.assertEqual(set(held.mapped("kind")), {"not_loaded"})
        self.assertIn("Migration Manager's run", held[0].reason)
        self.assertFalse(self.env["migration.ledger"].search([("run_id", "=", run.id)]))
