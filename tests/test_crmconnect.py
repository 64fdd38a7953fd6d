"""crmConnect end to end: the eleven CSV exports of samples/crmconnect migrated
in dependency order, then checked record by record against the planted
defects that samples/crmconnect/README.md documents."""

import datetime as dt
from unittest.mock import patch

from odoo.tests import tagged

from ..loader.handlers.invoice import InvoiceHandler
from .common import SALES_USERS, SampleCase


@tagged("post_install", "-at_install")
class TestCrmConnectSample(SampleCase):
    system = "crmconnect"
    project_vals = {"name": "crmConnect agency", "source_tz": "America/New_York"}

    sample_users = SALES_USERS

    def _lead(self, key):
        return self._record("lead", f"id:{key}")

    def test_reconciliation_per_file_in_dependency_order(self):
        self.assertEqual(self.full.state, "done")
        got = self._line_counts()
        self.assertEqual(
            got,
            {
                "pipelines": (2, 2, 0, 0),
                "stages": (9, 9, 0, 0),
                "companies": (40, 40, 0, 0),
                "contacts": (100, 100, 0, 0),
                "memberships": (30, 30, 0, 0),
                "products": (6, 6, 0, 0),
                "opportunities": (60, 60, 0, 0),
                "appointments": (24, 24, 0, 0),
                "engagements": (120, 119, 0, 1),
                "tasks": (30, 30, 0, 0),
                "invoices": (12, 12, 0, 0),
            },
        )
        self.assertEqual(
            list(got),
            [
                "pipelines",
                "stages",
                "companies",
                "contacts",
                "memberships",
                "products",
                "opportunities",
                "appointments",
                "engagements",
                "tasks",
                "invoices",
            ],
        )

    def test_pipelines_and_stages(self):
        team = self._record("team", "id:On0rwbSf9faiIqG4yc6i")
        self.assertEqual(team.name, "Renewals")
        stages = self.env["crm.stage"].search(
            [("team_id", "=", team.id)], order="sequence"
        )
        self.assertEqual(
            stages.mapped("name"), ["Renewal Due", "Renewal Quote Sent", "Renewed"]
        )
        self.assertEqual(stages.mapped("is_won"), [False, False, True])
        self.assertEqual(stages[0].requirements, "Win probability in crmconnect: 50%")
        negotiation = self._record("stage", "id:Fx7nEUWzBqgcsoCyCqDA")
        self.assertEqual(negotiation.sequence, 5)
        self.assertFalse(negotiation.requirements)
        item = self._reviews("stages.csv", line=4)
        self.assertEqual(
            (item.kind, item.column, item.value),
            ("invalid_value", "Win Probability", "120"),
        )

    def test_opportunities(self):
        won = self._lead("xmuOx120FhJ5CjNkWaHK")
        self.assertEqual(won.team_id.name, "Renewals")
        self.assertEqual(won.stage_id.name, "Renewed")
        self.assertEqual(won.stage_id.team_id, won.team_id)
        self.assertEqual(won.expected_revenue, 750.0)
        self.assertEqual(
            won.partner_id.email, "noah.anderson@pioneerlawgroup.example.com"
        )
        abandoned = self._lead("368S7XSJ9d65ulNFn30l")
        self.assertFalse(abandoned.active)
        self.assertEqual(abandoned.lost_reason_id.name, "Abandoned")
        self.assertEqual(abandoned.stage_id.name, "Proposal Sent")
        self.assertEqual(abandoned.stage_id.team_id.name, "Sales Pipeline")
        ghost = self._reviews("opportunities.csv", line=13)
        self.assertEqual(ghost.kind, "missing_parent")
        self.assertIn("Contact not found", ghost.reason)
        owner = self._reviews("opportunities.csv", line=25)
        self.assertEqual(
            (owner.kind, owner.value), ("unknown_owner", "zed.unknown@example.com")
        )

    def test_contacts_companies_and_the_custom_object(self):
        ella = self._record("contact", "id:IRlDb9PBcsB1hJlNpfVd")
        self.assertEqual(ella.parent_id.name, "Lakeside Roofing")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "=ilike", "lakeside roofing")]
            ),
            1,
        )
        mia = self.env["res.partner"].search(
            [("email", "=ilike", "mia.chen@example.com")]
        )
        self.assertEqual(len(mia), 1)
        # the custom object is a model of its own: a record per membership,
        # linked to the contact (issue 13), not x_ fields of the contact
        membership = mia.x_memberships_ids
        self.assertEqual(len(membership), 1)
        self.assertEqual(membership.x_offer, "growth_academy")
        self.assertEqual(membership.x_enrolled_on, dt.date(2023, 2, 13))
        self.assertEqual(membership.x_progress, 26)
        self.assertNotIn("x_offer", mia._fields)
        self.assertEqual(mia.name, "Mia Chen")
        self.assertEqual(
            self._record("company", "id:n0DNRUQxA71p2Td8VKqx").x_annual_contract_value,
            27000.0,
        )
        self.assertFalse(self._reviews("memberships.csv"))
        # its rows have their own keys: a membership id is not a contact id
        entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("res_model", "=", "x_memberships"),
                ("res_id", "=", membership.id),
                ("operation", "=", "create"),
            ]
        )
        self.assertEqual(entry.source_key, "memberships:id:JYzTcyJO2ehCdiQaHkkY")

    def test_appointments_engagements_and_tasks(self):
        cancelled = self._record("event", "id:iztIt3IF5uFtd7Kkv7vg")
        self.assertFalse(cancelled.active)
        self.assertEqual(cancelled.start, dt.datetime(2023, 4, 17, 19, 0))
        self.assertEqual(
            sorted(cancelled.partner_ids.mapped("email")),
            ["bob@example.com", "owen.davis@vertexcoaching.example.com"],
        )
        stranger = self._reviews("appointments.csv", line=7)
        self.assertEqual(stranger.value, "stranger@unknown-example.org")
        note = self._record("activity", "id:G3DuvTojMLqKBCWDeM9X")
        self.assertEqual(note._name, "mail.message")
        self.assertEqual(
            note.body,
            "<p>Call summary:<br>wants the annual plan<br>send contract Monday</p>",
        )
        self.assertEqual(note.date, dt.datetime(2023, 2, 13, 18, 15))
        self.assertEqual(note.author_id.email, "bob@example.com")
        bad = self._reviews("engagements.csv", line=21)
        self.assertEqual((bad.kind, bad.row_held), ("invalid_value", True))
        task = self._record("activity", "id:S8xpHZ1xlNIUWvbLGQMG")
        self.assertEqual(task._name, "mail.activity")
        self.assertTrue(task.active)
        self.assertEqual(task.res_model, "crm.lead")
        self.assertEqual(task.res_id, self._lead("DklLVn6ihnyB0zrrsR9W").id)
        self.assertEqual(task.date_deadline, dt.date(2023, 4, 3))
        self.assertEqual(task.user_id.login, "bob@example.com")

    def test_products_and_invoices(self):
        starter = self._record("product", "id:toZ3txpxbcKXzo1gozHJ")
        self.assertEqual(
            (starter.name, starter.default_code, starter.list_price),
            ("Starter Package", "SP-001", 497.0),
        )
        self.assertEqual(starter.type, "service")
        invoice = self._record("invoice", "id:INV-001001")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.ref, "INV-001001")
        self.assertEqual(
            invoice.partner_id.email, "emma.taylor@granitelawgroup.example.com"
        )
        self.assertEqual(invoice.invoice_date, dt.date(2023, 5, 2))
        self.assertEqual(invoice.invoice_line_ids.product_id, starter)
        self.assertEqual(invoice.amount_untaxed, 497.0)
        self.assertEqual(invoice.amount_total, 497.0)  # no default sales tax added
        legacy = self._record("invoice", "id:INV-001008")
        self.assertFalse(legacy.invoice_line_ids.product_id)
        self.assertEqual(legacy.invoice_line_ids.name, "Legacy Setup Fee")
        unknown = self._reviews("invoices.csv", kind="invalid_value")
        self.assertEqual(unknown.mapped("line"), [9])

    def test_rerun_is_idempotent_and_rollback_removes_it_all(self):
        self._assert_rerun_changes_nothing()
        team = self._record("team", "id:On0rwbSf9faiIqG4yc6i")
        lead = self._lead("xmuOx120FhJ5CjNkWaHK")
        invoice = self._record("invoice", "id:INV-001001")
        self._rollback_all()
        self.assertFalse(team.exists())
        self.assertFalse(lead.exists())
        self.assertFalse(invoice.exists())
        self.assertFalse(
            self.env["res.partner"].search(
                [("email", "=ilike", "mia.chen@example.com")]
            )
        )

    def test_without_accounting_each_invoice_is_a_review_item(self):
        for move in self.env["account.move"].search([("ref", "like", "INV-00")]):
            move.unlink()  # a fresh start for the invoices file only
        with patch.object(InvoiceHandler, "accounting_installed", return_value=False):
            rerun = self.project._start_run("full", commit=False)
        line = rerun.line_ids.filtered(lambda rl: rl.object_name == "invoices")
        self.assertEqual((line.read_count, line.review_count), (12, 12))
        items = self._reviews("invoices.csv", kind="not_loaded")
        self.assertEqual(len(items), 12)
        self.assertEqual(
            set(items.mapped("reason")),
            {"Invoice not loaded: Accounting is not installed."},
        )
        self.assertFalse(self.env["account.move"].search([("ref", "=", "INV-001001")]))

    def test_a_second_row_of_an_invoice_is_held_not_dropped(self):
        delta = self._delta_of(
            "invoices.csv",
            added=b"INV-001001,05/02/2023,05/16/2023,"
            b"emma.taylor@granitelawgroup.example.com,Granite Law Group Co.,"
            b"Monthly Retainer,1,1500.00,1500.00,0.00,sent,,USD\n",
        )
        self.assertEqual((delta.read_count, delta.review_count), (1, 1))
        item = self._reviews("invoices.csv", line=14)
        self.assertEqual(item.kind, "duplicate")
        self.assertIn("several rows", item.reason)
        invoice = self._record("invoice", "id:INV-001001")
        self.assertEqual(invoice.amount_untaxed, 497.0)

    def test_a_changed_invoice_row_updates_its_invoice(self):
        delta = self._delta_of(
            "invoices.csv",
            b"INV-001002,05/19/2023,06/02/2023",
            b"INV-001002,05/20/2023,06/02/2023",
        )
        self.assertEqual(
            (delta.read_count, delta.updated_count, delta.review_count), (1, 1, 0)
        )
        invoice = self._record("invoice", "id:INV-001002")
        self.assertEqual(invoice.invoice_date, dt.date(2023, 5, 20))
