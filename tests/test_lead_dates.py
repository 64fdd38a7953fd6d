"""A migrated deal's days to assign and to close are counted from the
source's creation date, as Odoo counts them for a lead created then
(crm.lead ``_compute_day_open``, ``_compute_day_close``), on the ORM path
and on the bulk path: not from the moment of the load."""

import datetime as dt

from odoo.tests import tagged
from odoo.tools import SQL

from .common import MigrationCase, each_way, upgrade_script

DEALS = ("id:D1", "id:D2", "id:D3")

FIELDS = (
    "create_date",
    "date_open",
    "date_last_stage_update",
    "date_closed",
    "day_open",
    "day_close",
)


@tagged("post_install", "-at_install")
class TestLeadSourceDates(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()

    def leads(self):
        """{source key: (FIELDS of its lead)} of the fixture's deals."""
        self.env.invalidate_all()
        return {
            key: tuple(self._record("lead", key)[f] for f in FIELDS) for key in DEALS
        }

    def both_ways(self):
        """{bulk: (leads, rows written in bulk)} of a full run with the
        project's bulk write off, then on, each rolled back."""

        def one_way(bulk):
            self.project.bulk_write = bulk
            run = self.project._start_run("full", commit=False)
            self.assertEqual(run.state, "done")
            return self.leads(), run.bulk_rows

        return each_way(self.env, one_way)

    def test_days_count_from_the_source_dates_on_both_paths(self):
        got = self.both_ways()
        (orm, orm_bulk_rows), (bulk, bulk_rows) = got[False], got[True]
        self.assertEqual(orm_bulk_rows, 0)
        self.assertGreaterEqual(bulk_rows, 3, "the deals were written in bulk")
        self.assertEqual(bulk, orm)
        day = dt.datetime
        self.assertEqual(
            orm,
            {
                # open, owned: assigned when created, never closed
                "id:D1": (
                    day(2021, 3, 20),
                    day(2021, 3, 20),
                    day(2021, 3, 20),
                    False,
                    0.0,
                    0.0,
                ),
                # won on its close date: its last stage change; 51 days to close
                "id:D2": (
                    day(2021, 4, 10),
                    day(2021, 4, 10),
                    day(2021, 5, 31),
                    day(2021, 5, 31),
                    0.0,
                    51.0,
                ),
                # lost (archived in its stage) 20 days after it was created
                "id:D3": (
                    day(2021, 4, 11),
                    day(2021, 4, 11),
                    day(2021, 4, 11),
                    day(2021, 5, 1),
                    0.0,
                    20.0,
                ),
            },
        )

    def test_a_rerun_keeps_the_leads_dates(self):
        """The dates a new lead takes from its creation are not written again
        by the next run: the deals are unchanged."""
        self.project.bulk_write = True
        self.project._start_run("full", commit=False)
        first = self.leads()
        again = self.project._start_run("full", commit=False)
        line = again.line_ids.filtered(lambda x: x.object_map_id.target == "lead")
        self.assertEqual((line.updated_count, line.unchanged_count), (0, 3))
        self.assertEqual(self.leads(), first)

    def test_the_upgrade_puts_an_earlier_versions_dates_right(self):
        """What 18.0.1.1.0 left (the load's moment as assignment and stage date,
        days counted from it) is set right by the upgrade, as a new run writes
        it; an owner a person changed after the run keeps its date."""
        self.project.bulk_write = True
        run = self.project._start_run("full", commit=False)
        right = self.leads()
        leads = {key: self._record("lead", key) for key in DEALS}
        load = run.date_start
        reassigned = (run.date_end or load) + dt.timedelta(days=2)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET date_open = CASE WHEN id = %s THEN %s "
                "WHEN user_id IS NOT NULL THEN %s END, date_last_stage_update = %s, "
                "day_open = 1800, day_close = CASE WHEN date_closed IS NOT NULL "
                "THEN 1800 END WHERE id = ANY(%s)",
                leads["id:D1"].id,
                reassigned,
                load,
                load,
                [lead.id for lead in leads.values()],
            )
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.leads()["id:D2"][3:], (dt.datetime(2021, 5, 31), 1800, 1800)
        )
        upgrade_script("18.0.1.2.0")(self.env.cr, "18.0.1.1.0")
        got = self.leads()
        self.assertEqual(got["id:D2"], right["id:D2"])
        self.assertEqual(got["id:D3"], right["id:D3"])
        created = dt.datetime(2021, 3, 20)
        self.assertEqual(
            got["id:D1"],
            (
                created,
                reassigned,
                created,
                False,
                float((reassigned - created).days),
                0.0,
            ),
        )
