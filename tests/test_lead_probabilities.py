"""A deals object scored once after its last batch (loader.probabilities):
its batches, loaded with the object's pass to come (``SETTLE_KEY``), leave
their open leads' probabilities to it (loader.bulk_probability); the leads
then store what create() and the same pass store, column by column, whether
the object has won and lost leads or not, and the prorated revenues follow
the probability the pass gives."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..loader.probabilities import SETTLE_KEY, settle_leads
from ..loader.writer import Writer
from .loader_common import prep
from .test_loader_bulk import both_ways
from .test_loader_bulk_crm import BulkCrmCase

PLS_FIELDS = "phone_state,email_state,tag_ids,country_id,source_id"


@tagged("post_install", "-at_install")
class TestSettledProbabilities(BulkCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("crm.pls_fields", PLS_FIELDS)
        cls.team_a = env["crm.team"].create({"name": "Settled team A"})
        cls.team_b = env["crm.team"].create({"name": "Settled team B"})
        cls.first = env["crm.stage"].search(
            [("team_id", "=", False)], order="sequence, id", limit=1
        )

    def table(self, team_a_totals=True):
        """A frequency table of earlier won and lost deals: team A's own rows
        (with or without its first stage's row, its totals), everyone's."""
        Frequency = self.env["crm.lead.scoring.frequency"].sudo()
        Frequency.search([]).unlink()
        first, mid, hot = str(self.first.id), str(self.mid.id), str(self.hot.id)
        a = self.team_a.id
        rows = [
            ("stage_id", first, 4.1, 6.1, False),
            ("stage_id", mid, 2.1, 1.1, False),
            ("stage_id", mid, 3.1, 2.1, a),
            ("email_state", "correct", 3.1, 1.1, False),
            ("email_state", "False", 1.1, 4.1, False),
            ("phone_state", "False", 2.1, 3.1, a),
            ("tag_id", hot, 40.1, 30.1, False),
        ]
        if team_a_totals:
            rows.append(("stage_id", first, 2.1, 3.1, a))
        Frequency.create(
            [
                {"variable": v, "value": value, "won_count": w, "lost_count": lost,
                 "team_id": team}
                for v, value, w, lost, team in rows
            ]
        )  # fmt: skip

    def leads(self, closed=True):
        """Open deals of two teams and none, with tags, emails, amounts and
        recurring revenues, an archived open deal, one of its own
        probability, one given no stage; with ``closed``, won and lost deals
        too."""
        a, b = self.team_a.id, self.team_b.id
        rows = [
            (a, self.mid.id, True, None, [self.hot.id], "ana@x.example.com", 1000.0, 0),
            (b, self.first.id, True, None, [], False, 2500.5, 120.0),
            (False, self.mid.id, True, None, [self.cold.id], "bad", 99.99, 0),
            (a, self.first.id, True, 30.0, [], False, 400.0, 50.0),
            (b, self.mid.id, True, None, [self.hot.id], "bo@y.example.com", -300.0, 0),
            (a, None, True, None, [], False, 800.0, 0),
        ]  # fmt: skip
        if closed:
            rows += [
                (a, self.won.id, True, 100.0, [self.hot.id], "w@x.example.com", 5.0, 0),
                (b, self.won.id, True, None, [], False, 10.0, 0),
                (b, self.mid.id, False, 0.0, [self.cold.id], False, 70.0, 0),
                (a, self.mid.id, False, None, [], "l@x.example.com", 60.0, 0),
            ]  # fmt: skip
        out = []
        for i, (team, stage, active, chance, tags, email, amount, mrr) in enumerate(
            rows
        ):
            vals = {
                "name": f"Settled {i}",
                "type": "opportunity",
                "team_id": team,
                "active": active,
                "tag_ids": [Command.set(tags)],
                "email_from": email,
                "expected_revenue": amount,
                "recurring_revenue": mrr,
                "user_id": False,
            }
            if stage:
                vals["stage_id"] = stage
            if chance is not None:
                vals["probability"] = chance
            out.append(vals)
        return out

    def load_settled(self, batches, closed):
        """Both writers, batch after batch, then the object's pass: the
        stored leads, the frequency table and the sizes of the naive Bayes
        calls the batches made."""
        Lead = type(self.env["crm.lead"])
        original = Lead._pls_get_naive_bayes_probabilities

        def load(writer):
            sizes = []

            def counted(leads, batch_mode=False):
                sizes.append(len(leads))
                return original(leads, batch_mode=batch_mode)

            # crm's own method, counted: not an override the bulk path defers to
            counted.__module__ = original.__module__

            model = writer.model("crm.lead").with_context(**{SETTLE_KEY: True})
            ids = []
            with patch.object(Lead, "_pls_get_naive_bayes_probabilities", counted):
                for n, vals_list in enumerate(batches):
                    preps = [
                        prep(i, f"k{n}-{i}", **dict(v)) for i, v in enumerate(vals_list)
                    ]
                    ok, bad = writer.create(model, preps)
                    self.assertEqual(bad, [])
                    ids += [record.id for _p, record in ok]
            settle_leads(self.env, ids, closed)
            return ids, sizes

        def read(loaded):
            ids, sizes = loaded
            return {
                "rows": self.stored.rows("crm.lead", ids),
                "frequencies": self.frequencies(),
                "sizes": sizes,
            }

        got = both_ways(self.env, load, read)
        (orm, _orm_counts), (bulk, bulk_counts) = got[False], got[True]
        for i, (orm_row, bulk_row) in enumerate(
            zip(orm["rows"], bulk["rows"], strict=True)
        ):
            self.assertEqual(bulk_row, orm_row, f"crm.lead row {i}")
        self.assertEqual(bulk["frequencies"], orm["frequencies"])
        self.assertEqual(bulk_counts[1], {})
        return orm, bulk

    def prorated(self, rows):
        """(probability, prorated revenue, prorated recurring revenue) of each
        row, and the same made of the probability (rounded as the company
        currency rounds a Monetary column)."""
        currency = self.env.company.currency_id
        return [
            (
                (r["probability"], r["prorated_revenue"], r["recurring_revenue_prorated"]),
                (
                    r["probability"],
                    currency.round(
                        round(r["expected_revenue"] * (r["probability"] or 0) / 100, 2)
                    ),
                    currency.round(r["recurring_revenue"] * (r["probability"] or 0) / 100),
                ),
            )
            for r in rows
        ]  # fmt: skip

    def test_a_settled_object_stores_what_create_and_its_pass_store(self):
        """Won, lost and open deals in two batches: the bulk batches score
        none of them (but the deal given no stage, left to Odoo), the ORM's
        score each batch; after the pass, every column is the same."""
        self.table()
        leads = self.leads()
        orm, bulk = self.load_settled([leads, leads], closed=True)
        # create() scored each batch's 7 deals given no probability; the bulk
        # batches only the deal given no stage (its stage is Odoo's)
        self.assertEqual(orm["sizes"], [7, 7])
        self.assertEqual(bulk["sizes"], [1, 1])
        rows = orm["rows"]
        chances = [r["probability"] for r in rows]
        self.assertTrue(all(0 < p < 100 for p in chances[0:3] + [chances[4]]))
        self.assertEqual((chances[3], chances[6], chances[8]), (30.0, 100.0, 0.0))
        self.assertEqual((chances[7], rows[9]["probability"]), (100.0, None))
        self.assertTrue(rows[9]["automated_probability"], "an archived deal's")
        # a deal of its own probability keeps it; its automated one is scored
        self.assertTrue(0 < rows[3]["automated_probability"] < 100)
        # both batches' deals scored alike, by the whole object's table
        self.assertEqual(chances[:10], chances[10:])
        for got, made in self.prorated(rows):
            self.assertEqual(got, made)

    def test_an_object_without_won_or_lost_deals_stores_what_create_stores(self):
        """No won or lost deal: the table does not move, the pass scores only
        what the batches left (the bulk batches' open deals), and the ORM's
        deals keep create()'s scoring: every column the same."""
        self.table()
        leads = self.leads(closed=False)
        orm, bulk = self.load_settled([leads, leads[:3]], closed=False)
        self.assertEqual(orm["sizes"], [5, 3])
        self.assertEqual(bulk["sizes"], [1])
        self.assertTrue(all(0 < r["probability"] < 100 for r in bulk["rows"]))

    def test_a_team_without_totals_is_scored_by_create(self):
        """A team of the table without its first stage's row has no totals:
        crm scores its deals with the totals of the team scored before them,
        which depends on the deals scored together. Such a batch is scored
        by Odoo as create() scores it, and an object without won or lost
        deals keeps it: the same columns, the first deal of the team left
        unscored in both."""
        self.table(team_a_totals=False)
        leads = self.leads(closed=False)
        orm, bulk = self.load_settled([leads], closed=False)
        self.assertEqual(bulk["sizes"], orm["sizes"])
        self.assertEqual(orm["rows"][0]["probability"], None)
        # an empty table: no totals at all
        self.env["crm.lead.scoring.frequency"].sudo().search([]).unlink()
        orm, bulk = self.load_settled([leads], closed=False)
        self.assertEqual(bulk["sizes"], orm["sizes"])
        self.assertEqual(
            [r["probability"] for r in orm["rows"]],
            [None, 50.0, 50.0, 30.0, 50.0, 50.0],
        )

    def test_the_pass_recomputes_what_the_probability_makes(self):
        """The prorated revenues follow the probability the pass gives, as a
        write of the probability recomputes them (they kept the batch's)."""
        self.table()
        leads = self.leads()
        orm, _bulk = self.load_settled([leads], closed=True)
        rows = orm["rows"]
        for got, made in self.prorated(rows):
            self.assertEqual(got, made)
        self.assertTrue(any(r["prorated_revenue"] not in (0, 5.0) for r in rows))

    def test_the_pass_stores_what_odoos_compute_and_recompute_store(self):
        """The pass's one UPDATE (probabilities and prorated revenues made
        here) stores what Odoo stores when it computes the probabilities
        (``_compute_probabilities`` of every lead) and then recomputes what
        follows from them, column by column: amounts with more decimals
        than the currency, negative ones, a recurring plan of three months,
        a company whose currency has no decimals."""
        self.table()
        yen = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", "JPY")])
        )
        yen.active = True
        tokyo = self.env["res.company"].create(
            {"name": "Settled Tokyo", "currency_id": yen.id}
        )
        plan = self.env["crm.recurring.plan"].create(
            {"name": "Quarterly", "number_of_months": 3}
        )
        leads = self.leads()
        for i, vals in enumerate(leads):
            vals["expected_revenue"] = [1234.567, -99.995, 0.005, 10.0][i % 4]
            vals["recurring_revenue"] = [100.0, 33.335, 0.0, -7.5][i % 4]
            if i % 3 == 0:
                vals["recurring_plan"] = plan.id
            if i % 4 == 1:
                vals["company_id"] = tokyo.id
        Lead = self.env["crm.lead"].with_context(
            active_test=False, tracking_disable=True
        )
        ids = Lead.create(leads).ids
        self.env.flush_all()

        def odoo_pass():
            records = Lead.browse(ids)
            for fname in ("automated_probability", "probability"):
                self.env.add_to_compute(Lead._fields[fname], records)
            records.flush_recordset(["automated_probability", "probability"])
            records.modified(["probability", "automated_probability"])
            self.env.flush_all()

        def rows(func):
            with self.env.cr.savepoint() as savepoint:
                func()
                self.env.invalidate_all()
                got = self.stored.rows("crm.lead", ids)
                savepoint.rollback()
            self.env.invalidate_all(flush=False)
            return got

        ours = rows(lambda: settle_leads(self.env, ids, True))
        odoos = rows(odoo_pass)
        for i, (our_row, odoo_row) in enumerate(zip(ours, odoos, strict=True)):
            self.assertEqual(our_row, odoo_row, f"crm.lead row {i}")
        tokyo = [r for r in ours if r["company_id"] == ("res.company", "Settled Tokyo")]
        self.assertTrue(tokyo, "leads of the yen company")
        # the amounts the comparison covers: yen rounded to units, others not
        self.assertTrue(all(r["prorated_revenue"] % 1 == 0 for r in tokyo))
        self.assertTrue(any(r["prorated_revenue"] % 1 for r in ours))
        self.assertTrue(any(r["recurring_revenue_monthly_prorated"] % 1 for r in ours))

    def test_the_pass_writes_only_the_deals_whose_values_change(self):
        """Loaded in bulk as a settled object's batch: the won deals, given
        their probability or not, have in their rows what the pass gives
        them (100, and the prorated revenues of 100) and are not written
        again: their rows keep their place (ctid), with no new version in
        each of crm_lead's indexes; every deal whose probabilities or
        prorated revenues change is written."""
        self.table()
        writer = Writer(self.env, bulk=True)
        model = writer.model("crm.lead").with_context(**{SETTLE_KEY: True})
        preps = [prep(i, f"c{i}", **vals) for i, vals in enumerate(self.leads())]
        ok, bad = writer.create(model, preps)
        self.assertEqual((len(ok), bad), (10, []))
        self.assertEqual(writer.take_counts(), (10, {}))
        ids = [record.id for _prep, record in ok]
        columns = (
            "automated_probability, probability, prorated_revenue, "
            "recurring_revenue_monthly_prorated, recurring_revenue_prorated"
        )

        def stored():
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT id, ctid::text, %s FROM crm_lead WHERE id = ANY(%s)",
                    SQL(columns),
                    ids,
                )
            )
            return {row[0]: (row[1], row[2:]) for row in self.env.cr.fetchall()}

        before = stored()
        settle_leads(self.env, ids, True)
        self.env.invalidate_all()
        after = stored()
        moved = [
            i
            for i, lead_id in enumerate(ids)
            if before[lead_id][0] != after[lead_id][0]
        ]
        changed = [
            i
            for i, lead_id in enumerate(ids)
            if before[lead_id][1] != after[lead_id][1]
        ]
        self.assertEqual(moved, changed)
        # the two active won deals (one given 100) keep their rows; the open
        # and the lost deals are scored
        self.assertFalse({6, 7} & set(moved))
        self.assertTrue({0, 1, 2, 3, 4, 8, 9} <= set(moved))
        self.assertEqual(after[ids[6]][1][:2], (100.0, 100.0))
