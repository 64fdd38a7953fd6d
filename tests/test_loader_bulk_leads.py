"""The bulk path of crm.lead (loader.bulk_lead, loader.bulk_scoring) stores
what Odoo's create() stores: the same leads loaded once through the ORM writer
and once through the bulk writer, in savepoints rolled back in between,
compared column by column (ids aside; the creation dates too, after the
loader's own write of the source's dates), with their tags, the partners a
lead changes and the lead scoring frequency table row by row."""

import datetime as dt
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged

from ..loader import shared
from ..loader.bulk_computed import LeadComputed
from ..loader.bulk_lead_values import LeadValues
from ..loader.writer import Writer
from .loader_common import prep
from .test_loader_bulk_crm import BulkCrmCase

# every variable the scoring can count, besides the stage and the team
PLS_FIELDS = "phone_state,email_state,tag_ids,country_id,source_id,lang_id"


@tagged("post_install", "-at_install")
class TestLoaderBulkLeads(BulkCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("crm.pls_fields", PLS_FIELDS)
        cls.team_a = env["crm.team"].create({"name": "Bulk team A"})
        cls.team_b = env["crm.team"].create({"name": "Bulk team B"})
        cls.early = env["crm.stage"].create({"name": "Bulk early", "sequence": 5})
        cls.source = env["utm.source"].create({"name": "Bulk fair"})

    def test_leads_and_opportunities_are_stored_as_create_stores_them(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Gil Costa",
                "email": "gil@old.example.com",
                "phone": "+1 555 0100",
            }
        )
        ann = self.env["res.partner"].create(
            {"name": "Ann Bell", "phone": "+1 512 555 0142", "mobile": "not a number"}
        )
        lia = self.env["res.partner"].create(
            {
                "name": "Lia Prado",
                "phone": "(11) 5555-0123",
                "mobile": "+55 11 98888-0001",
                "city": "Santos",
                "country_id": self.brazil.id,
            }
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        rui = self.env["res.partner"].create(
            {
                "name": "Rui Mota",
                "parent_id": self.acme.id,
                "function": "CFO",
                "title": self.env["res.partner.title"].create({"name": "Bulk Dr."}).id,
                "website": "rui.example.com",
                "lang": "fr_FR",
            }
        )
        team = self.env["crm.team"].search([], limit=1)
        plan = self.env["crm.recurring.plan"].create(
            {"name": "Bulk yearly", "number_of_months": 12}
        )
        vals_list = [
            {  # won: the stage's probability, date_closed, scoring frequencies
                "name": "Won deal",
                "type": "opportunity",
                "partner_id": self.acme.id,
                "stage_id": self.won.id,
                "team_id": team.id,
                "user_id": self.owner.id,
                "expected_revenue": 12500.5,
                "probability": 100,
                "date_deadline": dt.date(2024, 3, 1),
                "tag_ids": [Command.link(self.hot.id)],
                "x_legacy_ref": "D-1",
                "x_legacy_score": 90,
            },
            {  # lost: archived, probability 0, a lost reason
                "name": "Lost deal",
                "type": "opportunity",
                "partner_id": self.bare.id,
                "stage_id": self.mid.id,
                "team_id": team.id,
                "active": False,
                "probability": 0,
                "lost_reason_id": self.reason.id,
                "tag_ids": [Command.set([self.hot.id, self.cold.id])],
            },
            {  # open, in a stage; its email and phone change its contact's (inverses)
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": contact.id,
                "email_from": "gil@new.example.com",
                "phone": "+1 555 0199",
                "stage_id": self.mid.id,
                "user_id": self.owner.id,
                "website": "deal.example.com",
            },
            {  # a lead without a stage or partner
                "name": "Cold lead",
                "type": "lead",
                "contact_name": "Hana Ito",
                "partner_name": "Ito KK",
                "email_from": "hana@ito.example.com",
                "user_id": False,
            },
            {  # an email that is none, and a display name and address
                "name": "Bad email",
                "type": "lead",
                "email_from": "not an email",
            },
            {
                "name": "Named email",
                "type": "lead",
                "email_from": '"Ivo Reis" <Ivo.Reis@Example.COM>',
            },
            {  # given no phone nor address: the partner's, and what they make
                "name": "Lia deal",
                "type": "opportunity",
                "partner_id": lia.id,
                "email_from": "lia@prado.example.com",
            },
            {  # its partner's phone as "Open deal" rewrites it (left to Odoo)
                "name": "Gil follow-up",
                "type": "opportunity",
                "partner_id": contact.id,
            },
            {  # the partner's phone without a country: the company's country
                "name": "Ann deal",
                "type": "opportunity",
                "partner_id": ann.id,
            },
            {  # a probability of its own: its prorated revenue; a recurring
                # revenue on a plan (Odoo's compute)
                "name": "Recurring deal",
                "type": "opportunity",
                "partner_id": self.bare.id,
                "expected_revenue": 999.99,
                "probability": 37.5,
                "recurring_revenue": 1200.0,
                "recurring_plan": plan.id,
            },
            {  # a person of a company: the lead takes its name, job, title...
                "name": "Rui deal",
                "type": "opportunity",
                "partner_id": rui.id,
            },
            {  # ...but not what the row gives
                "name": "Rui again",
                "type": "opportunity",
                "partner_id": rui.id,
                "contact_name": "R. Mota",
                "function": "Buyer",
                "website": False,
            },
        ]
        got = self.load_both_ways("crm.lead", vals_list, watched=(contact, self.acme))
        rows = got["rows"]
        self.assertEqual(rows[0]["probability"], 100)
        self.assertFalse(rows[1]["active"])
        self.assertEqual(rows[2]["website"], "http://deal.example.com")
        # the watched partners in id order: Acme Brasil, then the contact
        self.assertEqual(got["watched"][1]["email"], "gil@new.example.com")
        self.assertTrue(got["frequencies"], "a won lead counts in lead scoring")
        self.assertEqual(got["relations"][1]["tag_ids"], ["Cold", "Hot"])
        self.assertEqual(
            (rows[0]["x_legacy_ref"], rows[0]["x_legacy_score"]), ("D-1", 90)
        )
        # the values of a given email, made by the bulk path (loader.bulk_computed);
        # a lead given none takes its partner's, computed by Odoo
        self.assertEqual(
            [
                (r["email_normalized"], r["email_domain_criterion"], r["email_state"])
                for r in rows[2:6]
            ],
            [
                ("gil@new.example.com", "@new.example.com", "correct"),
                ("hana@ito.example.com", "@ito.example.com", "correct"),
                (None, None, "incorrect"),
                ("ivo.reis@example.com", "ivo.reis@example.com", "correct"),
            ],
        )
        self.assertEqual(rows[0]["email_normalized"], None)
        phones = [
            (r["phone"], r["mobile"], r["phone_state"], r["phone_sanitized"], r["city"])
            for r in rows
        ]
        self.assertEqual(
            phones[0], (None, None, None, None, "São Paulo"), "Acme: no phone"
        )
        self.assertEqual(
            phones[6],
            (
                "(11) 5555-0123",
                "+55 11 98888-0001",
                "correct",
                "+5511988880001",
                "Santos",
            ),
        )
        self.assertEqual(phones[7][0], "+1 555 0199")
        self.assertEqual(phones[8][:3], ("+1 512 555 0142", "not a number", "correct"))
        # days and revenues (loader.bulk_lead_values)
        self.assertEqual(
            [(r["prorated_revenue"], r["recurring_revenue_monthly"]) for r in rows],
            [(12500.5, 0.0)] + [(0.0, 0.0)] * 8 + [(375.0, 100.0)] + [(0.0, 0.0)] * 2,
        )
        self.assertEqual(
            [
                (r["contact_name"], r["partner_name"], r["function"], r["website"])
                for r in rows[-2:]
            ],
            [
                ("Rui Mota", "Acme Brasil", "CFO", "http://rui.example.com"),
                ("R. Mota", "Acme Brasil", "Buyer", None),
            ],
        )
        self.assertEqual(
            [(r["title"], r["lang_id"]) for r in rows[-2:]],
            [(("res.partner.title", "Bulk Dr."), ("res.lang", "French / Français"))]
            * 2,
        )
        self.assertEqual(rows[0]["lang_id"], ("res.lang", "English (US)"))
        self.assertEqual(
            (rows[0]["contact_name"], rows[0]["partner_name"]), (None, "Acme Brasil")
        )
        self.assertEqual({r["day_open"] for r in rows}, {0.0})
        computed = LeadComputed(self.env["crm.lead"])
        self.assertEqual(
            (sorted(computed.taken), computed.phones, computed.left),
            (["email_domain_criterion", "email_normalized", "email_state"], True, {}),
            "the bulk path computes these itself: the comparison above covers them",
        )
        self.assertTrue(computed.partner_sanitized, "Lia's, from her own")
        self.assertEqual(LeadValues(self.env["crm.lead"]).left, {})

    # ------------------------------------------------------------ scoring
    def scored_leads(self):
        """Won and lost leads of two teams and none, with tags, countries,
        sources, emails and phones good and bad; a lead lost in a won stage
        (it reaches won and leaves lost), open leads that count nowhere."""
        fr = self.env.ref("base.fr")
        a, b = self.team_a.id, self.team_b.id
        won, mid, early = self.won.id, self.mid.id, self.early.id
        hot, cold = self.hot.id, self.cold.id
        rows = [
            (a, won, True, 100, [hot], self.brazil.id, "ana@x.example.com", "+55 11 5555-0101"),
            (a, won, True, 100, [hot, cold], self.brazil.id, "bad email", False),
            (a, mid, False, 0, [cold], fr.id, "li@y.example.com", "not a phone"),
            (b, early, False, 0, [], False, False, "+33 1 23 45 67 89"),
            (b, won, True, 100, [cold], fr.id, "mo@z.example.com", False),
            (False, won, True, 100, [], False, False, False),
            (False, mid, False, 0, [hot], self.us.id, "no@w.example.com", False),
            (a, won, False, 0, [hot], False, False, False),  # lost in a won stage
            (a, mid, True, 30, [hot], self.brazil.id, "open@x.example.com", False),
            (b, early, True, 10, [], False, False, False),
        ]  # fmt: skip
        return [
            {
                "name": f"Scored {i}",
                "type": "opportunity",
                "team_id": team,
                "stage_id": stage,
                "active": active,
                "probability": probability,
                "tag_ids": [Command.set(tags)],
                "country_id": country,
                "source_id": self.source.id if i % 3 == 0 else False,
                "email_from": email,
                "phone": phone,
                "user_id": False,
            }
            for i, (team, stage, active, probability, tags, country, email, phone)
            in enumerate(rows)
        ]  # fmt: skip

    def test_won_and_lost_leads_score_as_create_scores_them(self):
        """The frequency table after a batch of won and lost leads, row by
        row, is the one create() leaves lead by lead: counts added to the rows
        found, rows made for the values not found (at the count plus 0.1),
        for every variable, team and stage; twice, so that the second batch
        finds the rows the first made."""
        Frequency = self.env["crm.lead.scoring.frequency"].sudo()
        Frequency.create(
            [  # rows found: incremented, never made again
                {"variable": "stage_id", "value": str(self.won.id),
                 "won_count": 3.1, "lost_count": 1.1, "team_id": self.team_a.id},
                {"variable": "tag_id", "value": str(self.hot.id),
                 "won_count": 0.1, "lost_count": 2.1, "team_id": False},
                {"variable": "email_state", "value": "correct",
                 "won_count": 5.1, "lost_count": 0.1, "team_id": self.team_b.id},
            ]
        )  # fmt: skip
        leads = self.scored_leads()
        got = self.load_both_ways("crm.lead", leads + leads)
        frequencies = got["frequencies"]
        # what the comparison covers: every variable, made and incremented
        self.assertLessEqual(
            {"stage_id", "tag_id", "email_state", "phone_state", "country_id",
             "source_id"},
            {row[0] for row in frequencies},
        )  # fmt: skip
        by_key = {(v, val, team): (w, lost) for v, val, w, lost, team in frequencies}
        a, b = self.team_a.id, self.team_b.id
        # team A's won stage: 3 leads reach won per batch; the lead lost in a
        # won stage leaves lost (kept above zero: 0.1)
        self.assertEqual(by_key[("stage_id", str(self.won.id), a)], (9.1, 0.1))
        # made by the first batch (1 + 0.1), incremented by the second
        self.assertEqual(by_key[("stage_id", str(self.early.id), b)], (2.1, 0.1))
        self.assertEqual(by_key[("tag_id", str(self.hot.id), a)], (6.1, 0.1))
        self.assertEqual(by_key[("email_state", "correct", b)], (7.1, 0.1))
        self.assertEqual(by_key[("tag_id", str(self.hot.id), None)], (0.1, 2.1))
        # a lead created lost (archived) does not reach lost in create()
        self.assertNotIn(("country_id", str(self.us.id), None), by_key)

    def test_the_scoring_start_date_filters_both_paths_alike(self):
        """Lead scoring counts a new lead only when the scoring's start date
        is on or before its create date (the transaction's today on both
        paths): a start date of today counts the batch, tomorrow's counts
        nothing, on the ORM path as on the bulk path."""
        today = self.env.cr.now().date()
        param = self.env["ir.config_parameter"].sudo()
        leads = self.scored_leads()
        counted = {}
        for start in (today, today + dt.timedelta(days=1)):
            param.set_param("crm.pls_start_date", start.isoformat())
            counted[start] = self.load_both_ways("crm.lead", leads)["frequencies"]
        self.assertEqual(counted[today + dt.timedelta(days=1)], [])
        self.assertIn(
            ("stage_id", str(self.won.id), 3.1, 0.1, self.team_a.id), counted[today]
        )

    def test_a_batch_reads_its_leads_scoring_values_once(self):
        """The scoring of a batch reads its won and lost leads' values once
        (one pair of queries) and writes the frequency table once, whatever
        the stages and flags of its leads: not once per lead, nor per group
        of leads given the same stage and flag."""
        Lead = type(self.env["crm.lead"])
        calls = []
        original = Lead._pls_get_lead_pls_values

        def counted(leads, domain=None):
            calls.append(len(leads))
            return original(leads, domain=domain or [])

        writer = Writer(self.env, bulk=True)
        preps = [prep(i, f"k{i}", **v) for i, v in enumerate(self.scored_leads())]
        with patch.object(Lead, "_pls_get_lead_pls_values", counted):
            ok, bad = writer.create(writer.model("crm.lead"), preps)
        self.assertEqual((len(ok), bad), (10, []))
        self.assertEqual(writer.take_counts(), (10, {}))
        # the 5 leads that reach won (one of them leaves lost too), in one
        # read; the leads created lost are archived already: no change
        self.assertEqual(calls, [5])

    def test_a_column_converts_each_distinct_value_of_a_batch_once(self):
        """The INSERT converts a column's value once per distinct value of
        the batch (a stage, an owner, a type the same on most rows), not
        once per row; each row still stores its own: the same rows as
        create()'s, an integer 1 and a boolean True apart."""
        vals_list = [
            {
                "name": f"Same {i}",
                "type": "lead" if i % 3 else "opportunity",
                "stage_id": (self.won if i % 2 else self.mid).id,
                "user_id": self.owner.id,
                "x_legacy_score": [1, True, 0, False, 1, 2][i],
                "x_legacy_ref": "same" if i % 2 else False,
            }
            for i in range(6)
        ]
        rows = self.load_both_ways("crm.lead", vals_list)["rows"]
        self.assertEqual(
            [(r["stage_id"][1], r["x_legacy_score"], r["type"]) for r in rows],
            [
                ("Bulk proposal", 1, "opportunity"),
                ("Bulk won", 1, "lead"),
                ("Bulk proposal", 0, "lead"),
                ("Bulk won", 0, "opportunity"),
                ("Bulk proposal", 1, "lead"),
                ("Bulk won", 2, "lead"),
            ],
        )
        converted = []
        original = fields.Many2one.convert_to_column

        def counted(field, value, *args, **kwargs):
            if (field.model_name, field.name) == ("crm.lead", "stage_id"):
                converted.append(value)
            return original(field, value, *args, **kwargs)

        writer = Writer(self.env, bulk=True)
        preps = [prep(i, f"c{i}", **v) for i, v in enumerate(vals_list)]
        with patch.object(fields.Many2one, "convert_to_column", counted):
            ok, bad = writer.create(writer.model("crm.lead"), preps)
        self.assertEqual((len(ok), bad, writer.take_counts()), (6, [], (6, {})))
        self.assertEqual(sorted(converted), sorted([self.mid.id, self.won.id]))

    def test_a_parallel_batch_keeps_its_scoring_aside_and_its_object_adds_it(self):
        """A batch of a parallel run written in bulk leaves the frequency
        table alone and keeps its increments on the batch; its object's job
        then leaves the table the synchronous path leaves."""
        leads = self.scored_leads()

        def synchronous():
            writer = Writer(self.env, bulk=True)
            preps = [prep(i, f"k{i}", **v) for i, v in enumerate(leads)]
            writer.create(writer.model("crm.lead"), preps)
            return self.frequencies()

        expected = self.in_savepoint(synchronous)
        before = self.frequencies()
        line = self.env["migration.run.line"].create({"run_id": self.mig_run.id})
        batch = self.env["migration.run.batch"].create(
            {"run_id": self.mig_run.id, "line_id": line.id, "number": 1}
        )
        with shared.batch_effects(self.env, self.mig_run, batch) as env:
            writer = Writer(env, bulk=True)
            preps = [prep(i, f"k{i}", **v) for i, v in enumerate(leads)]
            ok, bad = writer.create(writer.model("crm.lead"), preps)
            self.assertEqual((len(ok), bad), (10, []))
            self.assertEqual(writer.take_counts(), (10, {}))
        self.assertEqual(self.frequencies(), before, "kept aside")
        self.assertEqual([e["step"] for e in batch.deferred_scoring], [1, -1])
        shared.apply_object_effects(self.env, self.mig_run, batch)
        self.assertEqual(self.frequencies(), expected)
        self.assertNotEqual(expected, before)

    def in_savepoint(self, func):
        """func()'s result, its writes rolled back."""
        result = []

        class Undo(Exception):
            pass

        try:
            with self.env.cr.savepoint():
                result.append(func())
                raise Undo
        except Undo:
            self.env.invalidate_all(flush=False)
        return result[0]

    # ------------------------------------------------------------ dates
    def test_a_lead_is_inserted_with_its_source_creation_date(self):
        """The bulk path inserts a lead with the source's creation date
        (the loader's UPDATE of every row then finds nothing to change): the
        scoring still counts it, and its days to close are counted from that
        date, as Odoo counts them for a lead created then."""
        created = dt.datetime(2021, 6, 29, 12, 53)
        writer = Writer(self.env, bulk=True)
        one = prep(
            0,
            "k0",
            name="Dated deal",
            type="opportunity",
            stage_id=self.won.id,
            user_id=self.owner.id,
            date_closed=dt.datetime(2022, 1, 3, 9, 0),
        )
        one.create_date = created
        ok, bad = writer.create(writer.model("crm.lead"), [one])
        self.assertEqual((bad, writer.take_counts()), ([], (1, {})))
        self.env.cr.execute(
            "SELECT create_date, day_close FROM crm_lead WHERE id = %s", [ok[0][1].id]
        )
        # 2021-06-29 12:53 to 2022-01-03 09:00: 187 days and 20 hours
        self.assertEqual(self.env.cr.fetchone(), (created, 187.0))
        self.assertTrue(self.frequencies(), "a won lead counts in lead scoring")

    def test_dated_leads_are_stored_as_create_and_the_loader_store_them(self):
        """Both writers, the ORM's with the loader's write of the source's
        creation dates after it: the same rows, and the days to assign and to
        close are Odoo's own formulas (whole days, rounded towards the past,
        of the signed difference) from the source's creation date."""
        dates = [
            dt.datetime(2021, 6, 29, 12, 53),
            dt.datetime(2019, 1, 1, 0, 0),
            None,
            dt.datetime(2024, 2, 29, 23, 59, 59),
            dt.datetime(2021, 6, 29, 12, 53),
            dt.datetime(2021, 6, 29, 12, 53),
        ]
        vals_list = [
            {  # won, closed, assigned 2 days 19 hours after its creation
                "name": "Dated won",
                "type": "opportunity",
                "stage_id": self.won.id,
                "user_id": self.owner.id,
                "date_open": dt.datetime(2021, 7, 2, 8, 0),
                "date_closed": dt.datetime(2022, 1, 3, 9, 0),
                "team_id": self.team_a.id,
            },
            {  # lost, no owner: not assigned
                "name": "Dated lost",
                "type": "opportunity",
                "stage_id": self.mid.id,
                "active": False,
                "probability": 0,
                "user_id": False,
                "date_closed": "2020-05-05 10:00:00",
            },
            {  # undated: the transaction's now, as create() gives it
                "name": "Undated",
                "type": "lead",
                "user_id": self.owner.id,
            },
            {  # assigned at a date of its own
                "name": "Assigned",
                "type": "opportunity",
                "user_id": self.owner.id,
                "date_open": dt.datetime(2024, 3, 10, 8, 0),
                "stage_id": self.mid.id,
            },
            {  # assigned and closed 23 and 13 hours before its creation: -1 day
                "name": "Before",
                "type": "opportunity",
                "user_id": self.owner.id,
                "date_open": dt.datetime(2021, 6, 28, 13, 0),
                "date_closed": dt.datetime(2021, 6, 29, 0, 0),
                "date_last_stage_update": dt.datetime(2021, 6, 30),
            },
            {  # an owner, no assignment date: assigned now, as create() does
                "name": "Owned",
                "type": "opportunity",
                "user_id": self.owner.id,
            },
        ]
        got = self.load_both_ways("crm.lead", vals_list, dates=dates)
        self.assertEqual(got["create_dates"], [*dates[:2], None, *dates[3:]])
        rows = got["rows"]
        now = self.env.cr.now()
        self.assertEqual(
            [(r["day_open"], r["day_close"]) for r in rows],
            [
                (2.0, 187.0),
                (0.0, 490.0),  # 2019-01-01 to 2020-05-05 10:00
                (0.0, 0.0),
                (9.0, 0.0),  # 2024-02-29 23:59:59 to 2024-03-10 08:00
                (1.0, 1.0),
                (float((now - dates[5]).days), 0.0),
            ],
        )
        self.assertEqual(
            [(r["date_open"], r["date_last_stage_update"]) for r in rows],
            [
                (dt.datetime(2021, 7, 2, 8), now),
                (None, now),
                (now, now),
                (dt.datetime(2024, 3, 10, 8), now),
                (dt.datetime(2021, 6, 28, 13), dt.datetime(2021, 6, 30)),
                (now, now),
            ],
        )
        self.assertTrue(got["frequencies"], "the dated leads count in lead scoring")

    def test_overridden_days_are_odoo_s_from_the_source_date_on_both_paths(self):
        """A module overrides the days' compute: the bulk path leaves them to
        Odoo, which computes them at the flush from the inserted source date,
        and the ORM path computes them again once the loader wrote that date:
        the override's values, from the source's date, on both paths."""
        Lead = type(self.env["crm.lead"])
        original = Lead._compute_day_close

        def custom(leads):
            original(leads)
            for lead in leads:
                lead.day_close += 1000

        custom.__module__ = "odoo.addons.other_module.models.crm_lead"
        vals = {
            "name": "Overridden",
            "type": "opportunity",
            "user_id": self.owner.id,
            "date_open": dt.datetime(2021, 7, 2, 8, 0),
            "date_closed": dt.datetime(2022, 1, 3, 9, 0),
        }
        with patch.object(Lead, "_compute_day_close", custom):
            self.assertIn("day_close", LeadValues(self.env["crm.lead"]).left)
            got = self.load_both_ways(
                "crm.lead", [vals], dates=[dt.datetime(2021, 6, 29, 12, 53)]
            )
        (row,) = got["rows"]
        self.assertEqual((row["day_open"], row["day_close"]), (2.0, 1187.0))
