from types import SimpleNamespace
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..loader.lease import Lease
from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestSafety(MigrationCase):
    """What must never happen: a wrong address, a silent overwrite, a rollback
    that deletes someone's work, two runs at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def test_industry_names_become_industries(self):
        project = self.env["migration.project"].create(
            {"name": "Industries", "system": "generic"}
        )
        project._add_file(
            "companies.csv",
            b"Company Name,Industry\nOne Co,Falconry\nTwo Co,Falconry\n",
        )
        project.action_propose()
        project._accept_proposals(0.0)
        project.action_full_run()
        run = project.run_ids
        self.assertEqual((run.created_count, run.review_count), (2, 0), run.log)
        one = self.env["res.partner"].search([("name", "=", "One Co")])
        two = self.env["res.partner"].search([("name", "=", "Two Co")])
        self.assertEqual(one.industry_id.name, "Falconry")
        self.assertEqual(one.industry_id, two.industry_id)

    def test_contact_living_elsewhere_keeps_its_address(self):
        project = self.env["migration.project"].create(
            {"name": "Addresses", "system": "generic"}
        )
        project._add_file("companies.csv", b"Company Name,City\nNorth Co,Boston\n")
        project._add_file(
            "contacts.csv",
            b"First Name,Last Name,Email,Company,City\n"
            b"Ann,Far,ann@north.example.com,North Co,Seattle\n"
            b"Ben,Near,ben@north.example.com,North Co,Boston\n",
        )
        project.action_propose()
        project._accept_proposals(0.0)
        project.action_full_run()
        ann = self.env["res.partner"].search([("email", "=", "ann@north.example.com")])
        ben = self.env["res.partner"].search([("email", "=", "ben@north.example.com")])
        self.assertEqual(
            (ann.city, ann.type, ann.parent_id.name), ("Seattle", "other", "North Co")
        )
        self.assertEqual((ben.city, ben.type), ("Boston", "contact"))
        self.assertEqual(ann.parent_id.city, "Boston")

    def test_rollback_of_an_older_run_waits_for_the_later_one(self):
        first = self._full_run()
        data = read_data("companies.csv").replace(
            b"+1 212 555 0100", b"+1 212 555 0199"
        )
        self.project._add_file("companies.csv", data)
        self._full_run()
        acme = self._record("company", "id:C1")
        totals = first._rollback()
        self.assertEqual(len(totals["conflicts"]), 1)
        self.assertIn("roll that run back first", totals["conflicts"][0][1])
        self.assertTrue(acme.exists())
        self.assertEqual(acme.phone, "+12125550199")

    def test_edit_of_an_unmapped_field_by_someone_else_is_a_conflict(self):
        run = self._full_run()
        acme = self._record("company", "id:C1")
        other = new_test_user(
            self.env,
            login="sales-rep",
            groups="base.group_user,base.group_partner_manager",
        )
        acme.with_user(other).write({"comment": "<p>call back in May</p>"})
        acme.flush_recordset()
        # the edit happens after the run: in a later transaction, so later in time
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = write_date + interval '1 hour' WHERE id = %s",
            [acme.id],
        )
        acme.invalidate_recordset()
        totals = run._rollback()
        self.assertEqual(len(totals["conflicts"]), 1)
        self.assertIn("edited by", totals["conflicts"][0][1])
        self.assertTrue(acme.exists())

    def test_one_run_at_a_time(self):
        run = self._full_run()
        run.state = "running"
        # a live worker holds the run's lease (one whose process died does not:
        # the next run resumes it, see test_resume)
        lease = Lease(self.env.cr.dbname, run.id)
        self.assertTrue(lease.acquire())
        try:
            with self.assertRaisesRegex(UserError, "still running"):
                self.project.action_sample_run()
        finally:
            lease.release()

    def test_a_released_lease_is_free_before_its_session_ends(self):
        """Closing a connection returns before its server process exits and
        drops its locks: a lease released (or probed by held()) unlocks first,
        so the next run does not find the run "worked on by another process"
        in that moment (TestReviewItems failed so on a loaded machine)."""
        run = self._full_run()
        lease = Lease(self.env.cr.dbname, run.id)
        sessions = []

        def lingering():  # a session whose close() leaves it alive a while
            cnx = real_connect(lease)
            sessions.append(cnx)
            return SimpleNamespace(cursor=cnx.cursor, close=lambda: None)

        real_connect = Lease._connect
        try:
            with patch.object(Lease, "_connect", lambda _self: lingering()):
                self.assertFalse(lease.held())
                self.assertFalse(self._advisory_locks(run), "held() kept its probe's lock")
                self.assertTrue(lease.acquire())
                self.assertEqual(len(self._advisory_locks(run)), 1)
                lease.release()
                self.assertFalse(self._advisory_locks(run), "release() kept the lock")
        finally:
            for cnx in sessions:
                cnx.close()

    def _advisory_locks(self, run):
        self.env.cr.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s::oid AND objid = %s::oid AND objsubid = 2",
            Lease(self.env.cr.dbname, run.id).key,
        )
        return self.env.cr.fetchall()

    def test_default_owner_is_not_written_over_a_reassigned_lead(self):
        self.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Owner"
        ).write({"action": "ignore", "confirmed": True})
        self._full_run()
        lead = self._record("lead", "id:D1")
        self.assertEqual(lead.user_id, self.owner)
        lead.user_id = self.bob
        data = read_data("deals.csv").replace(b"12,500.50", b"13,000.00")
        self.project._add_file("deals.csv", data)
        self._full_run()
        self.assertEqual(lead.expected_revenue, 13000)
        self.assertEqual(lead.user_id, self.bob)

    def test_link_to_a_record_of_another_model_is_not_applied(self):
        run = self._full_run()
        item = run.review_ids.filtered(
            lambda i: i.file_name == "deals.csv" and i.line == 5
        )
        partner = self.env["res.partner"].create({"name": "Wrong kind of record"})
        item.link_ref = f"res.partner,{partner.id}"
        item.action_resolve()
        again = self._full_run()
        self.assertTrue(again.balanced)
        refused = again.review_ids.filtered(lambda i: "not applied" in (i.reason or ""))
        self.assertEqual(refused.line, 5)
        self.assertEqual(partner.name, "Wrong kind of record")

    def test_value_map_without_create_new_creates_nothing(self):
        vmap = self.omap["deals.csv"].value_map_ids.filtered(
            lambda v: v.source_value == "Negotiation Phase"
        )
        vmap.write({"create_new": False, "confirmed": True})
        run = self._full_run()
        self.assertFalse(
            self.env["crm.stage"].search([("name", "=", "Negotiation Phase")])
        )
        issue = run.review_ids.filtered(lambda i: i.value == "Negotiation Phase")
        self.assertIn("says not to create", issue.reason)

    def test_user_sample_does_not_change_the_schema(self):
        fmap = self.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Employees"
        )
        fmap.write(
            {
                "action": "create",
                "new_field_name": "x_headcount",
                "new_field_type": "integer",
            }
        )
        user = new_test_user(
            self.env,
            login="mig-user-schema",
            groups="crm_migration.group_migration_user",
        )
        self.project.sample_size = 1
        self.project.with_user(user).action_sample_run()
        self.assertEqual(self.project.run_ids.state, "done")
        self.assertFalse(self.env["ir.model.fields"]._get("res.partner", "x_headcount"))
