"""A run's own pieces (loader.run), each called alone on hand-built object
maps and staging rows: the load order of the maps, the rows each loads (a
resumed run only those its committed batches did not book, chatter oldest
first), the run's line per object, the batches of one object and the bulk
counts."""


from odoo.tests import tagged

from ..loader.cache import RunCache
from ..loader.run import RunLoader, ordered_maps
from ..loader.writer import Writer
from .loader_common import LoaderCase

PEOPLE = {"Name": ("name", "text"), "Email": ("email", "email")}


@tagged("post_install", "-at_install")
class TestLoaderRun(LoaderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project.batch_size = 2
        # made in the reverse of their load order
        cls.deals, _rows = cls._staged(
            "deals.csv",
            "lead",
            [{"ID": "D1", "Deal": "Big"}],
            {"Deal": ("name", "text")},
        )
        cls.memberships, _rows = cls._staged(
            "memberships.csv",
            "contact",
            [{"ID": "M1", "Email": "ann@x.example"}],
            {"Email": ("email", "email")},
            extends_only=True,
            sequence=1,
        )
        cls.contacts, cls.rows = cls._staged(
            "people.csv",
            "contact",
            [
                {"ID": "1", "Name": "Ann", "Email": "ann@x.example"},
                {"ID": "2", "Name": "Bob", "Email": "bob@x.example"},
                {"ID": "3", "Name": "Cy", "Email": "cy@x.example"},
            ],
            PEOPLE,
            sequence=5,
        )
        cls.companies, _rows = cls._staged(
            "companies.csv",
            "company",
            [{"ID": "C1", "Company": "Acme"}],
            {"Company": ("name", "text")},
            sequence=9,
        )
        # neither is loaded: no target, no file
        cls._staged("unknown.csv", False, [{"ID": "X"}], {})
        cls.env["migration.object.map"].create(
            {"project_id": cls.project.id, "object_name": "fileless", "target": "tag"}
        )

    def test_maps_load_in_dependency_order_custom_objects_after(self):
        self.assertEqual(
            ordered_maps(self.project).mapped("object_name"),
            ["companies.csv", "people.csv", "memberships.csv", "deals.csv"],
        )

    def test_every_row_in_line_order_and_a_resume_leaves_the_booked(self):
        loader = RunLoader(self.env, self.mig_run)
        per_object = loader.select(self.contacts | self.deals)
        self.assertEqual(
            per_object,
            {
                self.contacts.id: self.rows.ids,
                self.deals.id: self.deals.source_id.staging_row_ids.ids,
            },
        )
        # the first row's batch was committed by the run that died
        self.rows[0].last_run_id = self.mig_run
        self.assertEqual(
            loader.left_to_load(per_object),
            {
                self.contacts.id: self.rows[1:].ids,
                self.deals.id: per_object[self.deals.id],
            },
        )

    def test_notes_are_selected_oldest_first(self):
        notes, rows = self._staged(
            "notes.csv",
            "note",
            [
                {"ID": "N1", "Date": "2022-01-01", "Note": "late"},
                {"ID": "N2", "Date": "", "Note": "undated"},
                {"ID": "N3", "Date": "2020-06-01", "Note": "early"},
            ],
            {},
        )
        self.assertTrue(notes.converted)
        per_object = RunLoader(self.env, self.mig_run).select(notes)
        # an undated row first (it is held for review anyway), then by date
        self.assertEqual(per_object, {notes.id: [rows[1].id, rows[2].id, rows[0].id]})

    def test_the_run_line_plans_the_rows_and_a_resume_adds_to_it(self):
        loader = RunLoader(self.env, self.mig_run)
        line = loader.run_line(self.contacts, 2, 3)
        self.assertEqual(
            (line.run_id, line.object_map_id, line.sequence, line.object_name),
            (self.mig_run, self.contacts, 2, "people.csv"),
        )
        self.assertEqual((line.target, line.planned_count), ("contact", 3))
        line._write_book({"read_count": 2})
        resumed = RunLoader(self.env, self.mig_run, resume=True)
        self.assertEqual(resumed.run_line(self.contacts, 2, 1), line)
        self.assertEqual(line.planned_count, 3)
        self.assertEqual(len(self.mig_run.line_ids), 1)

    def test_one_object_loads_in_batches_of_the_project_size(self):
        seen = []
        env = self.env(
            context=dict(self.env.context, migration_progress=lambda *a: seen.append(a))
        )
        run = self.mig_run.with_env(env)
        loader = RunLoader(env, run)
        line = loader.run_line(self.contacts, 1, 3)
        cache = RunCache.build(env, run, self.contacts)
        loader.load_object(cache, self.contacts, line, self.rows.ids)
        self.assertEqual(seen, [("people.csv", 2, 3), ("people.csv", 3, 3)])
        self.assertEqual((run.done_rows, run.current_object), (3, "people.csv"))
        self.assertEqual(
            (line.read_count, line.created_count, line.review_count), (3, 3, 0)
        )
        ledger = self.env["migration.ledger"].search([("run_id", "=", run.id)])
        self.assertEqual(sorted(ledger.mapped("source_key")), ["id:1", "id:2", "id:3"])
        self.assertEqual(
            sorted(
                self.env["res.partner"].browse(ledger.mapped("res_id")).mapped("name")
            ),
            ["Ann", "Bob", "Cy"],
        )
        self.assertIn("Loading people.csv into res.partner", run.log)

    def test_bulk_counts_add_up_and_a_fallback_is_logged_once(self):
        loader = RunLoader(self.env, self.mig_run)
        writer = Writer(self.env, bulk=True)
        reason = ("res.partner", "field x_note has no column")
        for _batch in range(2):
            # what one batch of four rows left on the writer
            writer.bulk_rows += 3
            writer.fallbacks[reason] += 1
            loader.count_bulk(writer)
        self.assertEqual(
            (self.mig_run.bulk_rows, self.mig_run.orm_fallback_rows), (6, 2)
        )
        self.assertEqual(writer.take_counts(), (0, {}))
        self.assertEqual(
            self.mig_run.log.count(
                "res.partner: a batch went through create() instead of the bulk "
                "path (field x_note has no column)"
            ),
            1,
        )
