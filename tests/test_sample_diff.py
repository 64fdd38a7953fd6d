import base64
import io

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..loader.select import RowSelector
from .common import MigrationCase, read_data


@tagged("post_install", "-at_install")
class TestSampleDiff(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def _sample(self, size):
        self.project.sample_size = size
        self.project.action_sample_run()
        run = self.project.run_ids.sorted("id")[-1]
        self.assertEqual(run.kind, "sample")
        self.assertTrue(run.balanced, run.log)
        return run

    def _loaded_lines(self, run):
        """{file: source lines the run read}, from its ledger and review queue."""
        lines = {}
        for entry in self.env["migration.ledger"].search([("run_id", "=", run.id)]):
            if entry.staging_row_id:
                lines.setdefault(entry.staging_row_id.source_id.name, set()).add(
                    entry.staging_row_id.line
                )
        for item in run.review_ids.filtered("row_held"):
            lines.setdefault(item.source_id.name, set()).add(item.line)
        return {name: sorted(found) for name, found in lines.items()}

    def _diff(self, run, file_name, line, column):
        diff = self.env["migration.sample.diff"].search(
            [
                ("run_id", "=", run.id),
                ("object_map_id", "=", self.omap[file_name].id),
                ("line", "=", line),
                ("column", "=", column),
            ]
        )
        self.assertEqual(len(diff), 1, (file_name, line, column))
        return diff

    def _values(self, diff):
        return (diff.source_value, diff.transformed_value, diff.odoo_value, diff.match)

    def _select(self, project, size):
        """{file: staging lines a sample of ``size`` would load}, without loading."""
        probe = self.env["migration.run"].create(
            {"project_id": project.id, "kind": "sample", "sample_size": size}
        )
        omaps = project.object_map_ids.filtered("target").sorted(
            lambda m: ["company", "contact", "lead"].index(m.target)
        )
        selected = RowSelector(self.env).select(probe, omaps)
        Staging = self.env["migration.staging.row"]
        return {
            omap.source_id.name: Staging.browse(selected[omap.id]).mapped("line")
            for omap in omaps
        }

    # ------------------------------------------------------------- selection
    def test_sample_of_one_brings_the_deal_company_and_contact(self):
        run = self._sample(1)
        self.assertEqual(
            self._loaded_lines(run),
            {"companies.csv": [2], "contacts.csv": [2], "deals.csv": [2]},
        )
        self.assertEqual(run.total_rows, 3)
        renewal = self.env["crm.lead"].search([("name", "=", "Acme renewal")])
        self.assertEqual(renewal.partner_id.email, "ana@acme.example.com")
        self.assertEqual(renewal.partner_id.parent_id.name, "Acme Corp")

    def test_sample_follows_the_links_not_the_file_order(self):
        """When Globex's deal comes first, its company and contact (line 3 of
        their files) come along, not the first lines."""
        header, *deals = read_data("deals.csv").decode().splitlines()
        project = self.env["migration.project"].create({"name": "Reordered"})
        for name, data in (
            ("companies.csv", read_data("companies.csv")),
            ("contacts.csv", read_data("contacts.csv")),
            ("deals.csv", "\n".join([header, deals[1], deals[0], *deals[2:]]).encode()),
        ):
            project._add_file(name, data)
        project.action_profile()
        project.action_propose()
        TargetField = self.env["migration.target.field"]
        for omap in project.object_map_ids:
            for fmap in omap.field_map_ids:
                fname = {
                    "Company Name": "name",
                    "Email": "email",
                    "Company": "company_name",
                    "Account Name": "partner_name",
                    "Contact Email": "partner_email",
                }.get(fmap.column)
                if fname:
                    fmap.write(
                        {
                            "action": "map",
                            "target_field_id": TargetField._get(omap.target, fname).id,
                        }
                    )
        self.assertEqual(
            self._select(project, 1),
            {"companies.csv": [3], "contacts.csv": [3], "deals.csv": [2]},
        )
        self.assertEqual(
            project.source_ids.filtered(lambda s: s.name == "deals.csv")
            .staging_row_ids.filtered(lambda r: r.line == 2)
            .data["Deal ID"],
            "D2",
        )

    def test_sample_prefers_linked_rows_then_tops_up(self):
        """Three deals point at two emails (ana's twice in contacts.csv) and
        three companies: linked rows take the slots first, in file order, and
        an object with slots left is topped up with its next lines."""
        self.assertEqual(
            self._select(self.project, 3),
            # line 5 (ana's duplicate, linked) before line 4 (linked to no deal)
            {
                "companies.csv": [2, 3, 4],
                "contacts.csv": [2, 3, 5],
                "deals.csv": [2, 3, 4],
            },
        )
        run = self._sample(4)
        self.assertEqual(
            self._loaded_lines(run),
            {
                "companies.csv": [2, 3, 4],
                "contacts.csv": [2, 3, 4, 5],
                "deals.csv": [2, 3, 4, 5],
            },
        )

    # ------------------------------------------------------------------ diff
    def test_diff_has_a_row_per_record_and_mapped_field(self):
        run = self._sample(1)
        diffs = self.env["migration.sample.diff"].search([("run_id", "=", run.id)])
        expected = set()
        for entry in run.ledger_ids.filtered("object_map_id"):
            for fmap in entry.object_map_id.field_map_ids:
                if (fmap.action == "map" and fmap.target_field_id) or (
                    fmap.action == "create" and fmap.new_field_name
                ):
                    expected.add((entry.id, fmap.column))
        self.assertEqual({(d.ledger_id.id, d.column) for d in diffs}, expected)
        self.assertEqual(len(diffs), len(expected))
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Amount")),
            ("12,500.50", "12500.5", "12500.5", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Stage")),
            ("Proposition", "Proposition", "Proposition", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Owner")),
            ("alice@example.com", "alice@example.com", "Alice Seller", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Close Date")),
            ("06/30/2021", "2021-06-30", "2021-06-30", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Status")),
            ("Open", "open", "open", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "deals.csv", 2, "Contact Email")),
            (
                "ana@acme.example.com",
                "ana@acme.example.com",
                "ana@acme.example.com",
                True,
            ),
        )
        # the deal's id is its key (in the ledger), no field: nothing to compare
        self.assertFalse(
            self.env["migration.sample.diff"].search(
                [("run_id", "=", run.id), ("column", "=", "Deal ID")]
            )
        )
        self.assertEqual(
            self._values(self._diff(run, "contacts.csv", 2, "First Name")),
            ("Ana", "Ana", "Ana Souza", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "contacts.csv", 2, "Company")),
            ("Acme Corp", "Acme Corp", "Acme Corp", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "companies.csv", 2, "Created")),
            ("03/15/2021", "2021-03-15 00:00:00", "2021-03-15 00:00:00", True),
        )
        self.assertEqual(
            self._values(self._diff(run, "companies.csv", 2, "Tags")),
            ("VIP; Manufacturing", "Manufacturing, VIP", "Manufacturing, VIP", True),
        )
        self.assertFalse(diffs.filtered(lambda d: not d.match))
        self.assertEqual(run.sample_mismatch_count, 0)

    def test_diff_explains_mismatches(self):
        run = self._sample(4)
        email = self._diff(run, "contacts.csv", 4, "Email")
        self.assertEqual(self._values(email), ("not-an-email", "", "", False))
        self.assertIn("review queue", email.note)
        self.assertIn("not-an-email", email.note)
        owner = self._diff(run, "contacts.csv", 4, "Owner")
        self.assertEqual(
            self._values(owner),
            ("ghost@example.com", "ghost@example.com", "Fallback Owner", False),
        )
        self.assertIn("default owner", owner.note)
        amount = self._diff(run, "deals.csv", 4, "Amount")
        self.assertEqual(self._values(amount), ("abc", "", "0", False))
        self.assertIn("review queue", amount.note)
        # a won deal goes to the won stage: a match, and the note says so
        stage = self._diff(run, "deals.csv", 3, "Stage")
        self.assertEqual(
            self._values(stage), ("Negotiation Phase", "Negotiation Phase", "Won", True)
        )
        self.assertEqual(stage.note, "Loaded as Won.")
        # line 5 (Dan, ana's email) was merged into Ana: Ana keeps her name
        merged = self._diff(run, "contacts.csv", 5, "First Name")
        self.assertEqual(merged.ledger_id.operation, "merge")
        self.assertEqual(self._values(merged), ("Dan", "Dan", "Ana Souza", False))
        self.assertIn("Merged", merged.note)
        mismatches = self.env["migration.sample.diff"].search(
            [("run_id", "=", run.id), ("match", "=", False)]
        )
        self.assertEqual(run.sample_mismatch_count, len(mismatches))
        self.assertTrue(all(mismatches.mapped("note")))
        action = run.action_view_sample_diff()
        self.assertEqual(action["res_model"], "migration.sample.diff")
        self.assertEqual(action["domain"], [("run_id", "=", run.id)])
        self.assertIn("search_default_mismatch", action["context"])

    def test_xlsx_export_has_a_row_per_diff(self):
        run = self._sample(1)
        action = run.action_export_sample_diff()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("migration.run", run.id)
        )
        self.assertTrue(action["url"].endswith("?download=true"))
        sheet = load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0][:10],
            (
                "object",
                "target",
                "line",
                "column",
                "field",
                "source value",
                "transformed value",
                "Odoo value",
                "match",
                "note",
            ),
        )
        diffs = self.env["migration.sample.diff"].search([("run_id", "=", run.id)])
        self.assertEqual(len(rows), len(diffs) + 1)
        amount = next(row for row in rows if row[3] == "Amount")
        self.assertEqual(
            amount[:9],
            (
                "deals",
                "lead",
                2,
                "Amount",
                "expected_revenue",
                "12,500.50",
                "12500.5",
                "12500.5",
                "match",
            ),
        )
        # a second export replaces the file instead of piling them up
        again = run.action_export_sample_diff()
        self.assertEqual(again["url"], action["url"])

    def test_full_run_has_no_diff(self):
        self.project.action_full_run()
        run = self.project.run_ids
        self.assertEqual(run.kind, "full")
        self.assertEqual(run.state, "done", run.log)
        self.assertFalse(
            self.env["migration.sample.diff"].search([("run_id", "=", run.id)])
        )

    def test_user_reads_the_diff_of_own_sample_but_cannot_edit_it(self):
        user = new_test_user(
            self.env, login="diff-user", groups="crm_migration.group_migration_user"
        )
        self.project.sample_size = 1
        self.project.with_user(user).action_sample_run()
        run = self.project.run_ids
        diffs = (
            self.env["migration.sample.diff"]
            .with_user(user)
            .search([("run_id", "=", run.id)])
        )
        self.assertTrue(diffs)
        self.assertTrue(diffs[0].source_value is not None)
        with self.assertRaises(AccessError):
            diffs[0].write({"match": False})
        with self.assertRaises(AccessError):
            diffs.unlink()
        self.assertTrue(run.with_user(user).action_export_sample_diff()["url"])
