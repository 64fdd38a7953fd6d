from odoo.tests import tagged

from .common import MigrationCase, calls_of, read_data


@tagged("post_install", "-at_install")
class TestDelta(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.action_full_run()
        cls.first = cls.project.run_ids

    def test_delta_applies_new_and_changed_rows_and_reviews_removed_ones(self):
        initech = self._record("company", "id:C3")
        data = read_data("companies.csv")
        data = data.replace(b"+1 212 555 0100", b"+1 212 555 0177")  # C1 changed
        data = b"\n".join(
            line for line in data.split(b"\n") if not line.startswith(b"C3,")
        )  # C3 removed
        data += (
            b"C4,Umbrella,https://umbrella.example.com,,US,,900,05/05/2021\n"  # C4 new
        )
        source = self.project._add_file("companies.csv", data)
        self.assertEqual(
            source.last_stage_counts,
            {"new": 1, "changed": 1, "unchanged": 1, "removed": 1},
        )
        run = self.project._start_run("delta")
        self.assertEqual(run.state, "done", run.log)
        companies = run.line_ids.filtered(lambda line: line.target == "company")
        self.assertEqual(
            (
                companies.read_count,
                companies.created_count,
                companies.updated_count,
                companies.review_count,
            ),
            (2, 1, 1, 0),
        )
        self.assertEqual(
            run.line_ids.filtered(lambda line: line.target == "contact").read_count, 0
        )
        self.assertEqual(self._record("company", "id:C1").phone, "+12125550177")
        self.assertEqual(self._record("company", "id:C4").name, "Umbrella")
        # nothing deleted: the removed row is a review item pointing at its record
        self.assertTrue(initech.exists())
        removed = self.env["migration.review"].search(
            [("project_id", "=", self.project.id), ("kind", "=", "removed")]
        )
        self.assertEqual(
            (removed.line, removed.value, removed.res_id), (4, "id:C3", initech.id)
        )
        self.assertTrue(run.balanced)

    def test_delta_with_nothing_new_reads_nothing(self):
        for source in self.project.source_ids:
            self.assertEqual(
                source._stage(source._get_table())["unchanged"], source.row_count
            )
        run = self.project._delta_pickup()
        self.assertEqual(run.kind, "delta")
        self.assertEqual((run.state, run.read_count, run.created_count), ("done", 0, 0))

    def test_a_reupload_reads_its_key_rule_once(self):
        """The re-uploaded rows are keyed by one function of the object map,
        built once for the file (it was built again for every row: the map's
        rule, columns and source read per row)."""
        source = self.project.source_ids.filtered(lambda s: s.row_count > 1)[:1]
        with calls_of(self.env["migration.object.map"], "_key_function") as calls:
            counts = source._stage(source._get_table())
        self.assertEqual(counts["unchanged"], source.row_count)
        self.assertEqual(calls, source.object_map_ids.filtered("target")[:1].ids)

    def test_reupload_keeps_review_decisions(self):
        item = self.first.review_ids.filtered(
            lambda i: i.kind == "invalid_value" and i.column == "Email"
        )
        row = item.staging_row_id
        self.project._add_file("contacts.csv", read_data("contacts.csv"))
        self.assertTrue(row.exists())
        self.assertEqual(item.staging_row_id, row)

    def test_go_live_schedules_one_cron(self):
        self.project.delta_interval_hours = 6
        self.project.action_go_live()
        cron = self.project.cron_id
        self.assertEqual(
            (cron.interval_number, cron.interval_type, cron.active), (6, "hours", True)
        )
        self.assertEqual(cron.code, f"model._cron_delta({self.project.id})")
        # a copy of the module's template (data/ir_cron_data.xml), which stays off
        template = self.env.ref("crm_migration.ir_cron_migration_delta_template")
        self.assertNotEqual(cron, template)
        self.assertEqual(cron.model_id, template.model_id)
        self.assertFalse(template.active)
        self.assertEqual(self.project.state, "live")
        self.project.action_go_live()
        self.assertEqual(
            self.env["ir.cron"].search_count([("code", "=", cron.code)]), 1
        )
        self.project.delta_interval_hours = 12
        self.assertEqual(cron.interval_number, 12)
        self.env["migration.project"]._cron_delta(self.project.id)
        self.assertEqual(self.project.run_ids.sorted("id")[-1].kind, "delta")
        self.project.action_close()
        self.assertFalse(cron.active)

    def test_an_empty_cell_keeps_odoos_value_unless_its_map_clears(self):
        def rerun_without_phone():
            data = read_data("companies.csv").replace(b"+1 212 555 0100", b"")
            self.project._add_file("companies.csv", data)
            run = self.project._start_run("delta")
            self.assertEqual(run.state, "done", run.log)

        acme = self._record("company", "id:C1")
        self.assertEqual(acme.phone, "+12125550100")
        rerun_without_phone()
        self.assertEqual(acme.phone, "+12125550100")  # default: kept
        phone = self.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Phone"
        )
        phone.empty_clears = True
        self.assertFalse(phone.confirmed)  # a person's edit: confirm again
        phone.action_confirm()
        data = read_data("companies.csv").replace(
            b"+1 212 555 0100", b"+1 212 555 0199"
        )
        self.project._add_file("companies.csv", data)
        self.project._start_run("delta")
        self.assertEqual(acme.phone, "+12125550199")
        rerun_without_phone()
        self.assertFalse(acme.phone)
