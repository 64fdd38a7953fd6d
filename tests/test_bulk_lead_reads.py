"""What a batch of new leads reads back from the database (loader.bulk_lead,
loader.bulk_scoring) and what the deals' scoring pass reads
(loader.probabilities): the fields it needs, never every column of the new
leads (a hundred for crm.lead, each put in the cache) at the first read of
one of them; what they store is what create() stores (the ORM-against-bulk
comparisons of test_loader_bulk_leads.py and test_lead_probabilities.py)."""

import traceback
from collections import Counter
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..loader.probabilities import SETTLE_KEY, settle_leads
from ..loader.writer import Writer
from .loader_common import prep
from .test_loader_bulk_crm import BulkCrmCase


@tagged("post_install", "-at_install")
class TestBulkLeadReads(BulkCrmCase):
    def fetches(self, func):
        """The number of fields of each fetch of crm.lead rows during ``func``."""
        Lead = self.env["crm.lead"]
        fetched = []
        original = type(Lead)._fetch_query

        def counted(records, query, fields_):
            fetched.append(len(fields_))
            if len(fields_) > 10:  # where, for the failure's message
                fetched.append("".join(traceback.format_stack(limit=25)))
            return original(records, query, fields_)

        self.env.flush_all()
        self.env.invalidate_all()
        with patch.object(type(Lead), "_fetch_query", counted):
            func()
        return fetched

    def test_a_batch_never_fetches_its_new_leads_whole(self):
        """In a batch of a deals object the pass scores (nothing left to
        Odoo's computes at the flush: a lead given its phone leaves its
        address to Odoo's compute, which reads the lead whole), crm's email
        inverse (``_get_partner_email_update`` reads the lead's partner and
        email) and the scoring's state changes (the lead's probability,
        stage and active flag) read only those fields of the new leads: the
        first of them read alone fetched every column of the batch's leads.
        The partner whose email the deal changes gets it, as create() gives
        it (test_loader_bulk_leads compares both paths)."""
        Partner = self.env["res.partner"]
        old, same = Partner.create(
            [
                {"name": "Read A", "email": "a@old-read.example.com"},
                {"name": "Read B", "email": "b@read.example.com"},
            ]
        )
        # the owner and company every row of a run has (the lead handler's
        # defaults): else Odoo computes the company at the flush
        given = {"user_id": self.owner.id, "company_id": self.env.company.id}
        # a won and a lost deal before: the scoring table has its totals, and
        # the batch leaves its open deals to the pass (else Odoo scores them
        # at the flush, reading every column of the new leads)
        Lead = self.env["crm.lead"].with_context(tracking_disable=True)
        closed = Lead.create(
            [
                {"name": f"Read closed {i}", "type": "opportunity",
                 "stage_id": self.won.id, **given}
                for i in range(2)
            ]
        )  # fmt: skip
        closed[1].action_set_lost()
        preps = [
            prep(0, "r0", name="Read deal 0", type="opportunity", partner_id=old.id,
                 email_from="a@new-read.example.com", stage_id=self.won.id, **given),
            prep(1, "r1", name="Read deal 1", type="opportunity", partner_id=same.id,
                 email_from=same.email, stage_id=self.mid.id, **given),
            prep(2, "r2", name="Read deal 2", type="lead", partner_id=same.id,
                 email_from=same.email, stage_id=self.mid.id, active=False, **given),
        ]  # fmt: skip
        writer = Writer(self.env, bulk=True)
        # a batch of an object the pass scores, as a run loads its deals
        model = writer.model("crm.lead").with_context(**{SETTLE_KEY: True})
        got = []
        fetched = self.fetches(lambda: got.append(writer.create(model, preps)))
        ((ok, bad),) = got
        self.assertEqual((len(ok), bad, writer.take_counts()), (3, [], (3, {})))
        self.assertTrue(fetched)
        self.assertEqual([n for n in fetched if not isinstance(n, int) or n > 10], [])
        self.env.invalidate_all()
        self.assertEqual(old.email, "a@new-read.example.com")

    def test_the_pass_reads_the_leads_amounts_in_one_query(self):
        """The deals' pass reads what a lead's prorated revenues are made of
        (its amounts, company, probabilities, active flag) in one query for
        the chunk, not through a record per lead and field; the revenues it
        writes are the probability's (TestSettledProbabilities compares them
        with what Odoo computes)."""
        Lead = self.env["crm.lead"].with_context(tracking_disable=True)
        closed = Lead.create(
            [
                {"name": f"Closed {i}", "type": "opportunity", "stage_id": self.mid.id}
                for i in range(4)
            ]
        )  # fmt: skip
        # won and lost: the scoring table the pass scores the open ones with
        closed[:2].write({"stage_id": self.won.id})
        closed[2:].action_set_lost()
        open_leads = Lead.create(
            [
                {"name": f"Open {i}", "type": "opportunity", "stage_id": self.mid.id,
                 "expected_revenue": 1000.0 * (i + 1), "recurring_revenue": 10.0}
                for i in range(3)
            ]
        )  # fmt: skip
        names = {
            "active",
            "probability",
            "automated_probability",
            "expected_revenue",
            "recurring_revenue",
            "recurring_revenue_monthly",
            "company_id",
        }
        reads = Counter()
        original = fields.Field.__get__

        def counted(field, record, owner=None):
            if record is not None and field.model_name == "crm.lead":
                if field.name in names:
                    reads[field.name] += 1
            return original(field, record, owner)

        self.env.flush_all()
        self.env.invalidate_all()
        with patch.object(fields.Field, "__get__", counted):
            settle_leads(self.env, open_leads.ids, True)
        self.assertEqual(dict(reads), {})
        self.env.invalidate_all()
        for lead in open_leads:
            self.assertEqual(lead.probability, lead.automated_probability)
            self.assertAlmostEqual(
                lead.prorated_revenue,
                lead.expected_revenue * lead.probability / 100.0,
                places=2,
            )
        self.assertTrue(all(open_leads.mapped("prorated_revenue")))
