"""The bulk writer's company check (loader.bulk, BulkWriter._check_company):
Odoo's own ``_check_company`` on one record per distinct (companies, value),
a partner told by its company (its check reads nothing else); a value of
another company still refuses the batch, which create() then refuses row by
row, as it would have."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..loader.bulk_company import check_company
from ..loader.writer import Writer
from .loader_common import prep
from .test_loader_bulk import both_ways
from .test_loader_bulk_crm import BulkCrmCase


class CheckCounter:
    """Records of each ``_check_company`` call of crm.lead, by field."""

    def __init__(self, env):
        self.model = type(env["crm.lead"])
        self.original = self.model._check_company
        self.calls = []

    def __enter__(self):
        calls, original = self.calls, self.original

        def counted(records, fnames=None):
            calls.append((tuple(fnames or ()), len(records)))
            return original(records, fnames=fnames)

        self.patch = patch.object(self.model, "_check_company", counted)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()

    def checked(self, fname):
        return sum(n for names, n in self.calls if names == (fname,))


@tagged("post_install", "-at_install")
class TestBulkCompanyCheck(BulkCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.main = env.company
        cls.other = env["res.company"].create({"name": "Other Co"})
        Partner = env["res.partner"]
        cls.shared = Partner.create(
            [{"name": f"Shared {i}", "company_id": False} for i in range(4)]
        )
        cls.ours = Partner.create({"name": "Ours", "company_id": cls.main.id})
        cls.theirs = Partner.create({"name": "Theirs", "company_id": cls.other.id})

    def rows(self, partners):
        return [
            prep(
                i,
                f"c{i}",
                name=f"Checked {i}",
                type="opportunity",
                partner_id=partner.id,
                company_id=self.main.id,
                user_id=False,
            )
            for i, partner in enumerate(partners)
        ]

    def test_partners_are_checked_once_per_company(self):
        """Six leads of six partners, four without a company and one of the
        lead's: two partner checks, one per company, not six."""
        writer = Writer(self.env, bulk=True)
        with CheckCounter(self.env) as counter:
            ok, bad = writer.create(
                writer.model("crm.lead"),
                self.rows([*self.shared, self.ours, self.shared[0]]),
            )
        self.assertEqual((len(ok), bad), (6, []))
        self.assertEqual(writer.take_counts(), (6, {}))
        self.assertEqual(counter.checked("partner_id"), 2)

    def test_the_check_reads_each_field_of_the_batch_at_once(self):
        """The keys of the check (a lead's company, customer, owner, team)
        are read from the cache for the whole batch: no lead's value is made
        a record per row, besides what Odoo's own _check_company reads of
        the leads it checks."""
        Lead = type(self.env["crm.lead"])
        leads = self.env["crm.lead"].create(
            [row.vals for row in self.rows([*self.shared, self.ours])]
        )
        self.env.invalidate_all()
        inside, outside = [False], []
        check, to_record = Lead._check_company, fields.Many2one.convert_to_record

        def checked(records, fnames=None):
            inside[0] = True
            try:
                return check(records, fnames=fnames)
            finally:
                inside[0] = False

        def made(field, value, record):
            if field.model_name == "crm.lead" and not inside[0]:
                outside.append(field.name)
            return to_record(field, value, record)

        with (
            patch.object(Lead, "_check_company", checked),
            patch.object(fields.Many2one, "convert_to_record", made),
            CheckCounter(self.env) as counter,
        ):
            check_company(leads.with_context(prefetch_fields=False))
        self.assertEqual(outside, [])
        self.assertEqual(counter.checked("partner_id"), 2)

    def test_a_partner_of_another_company_is_refused_as_create_refuses_it(self):
        """The batch with a partner of another company is refused in bulk;
        create() then refuses that lead alone, with Odoo's own message, as
        the ORM writer does."""
        rows = self.rows([*self.shared[:2], self.theirs, self.ours])

        def load(writer):
            return writer.create(writer.model("crm.lead"), rows)

        def read(loaded):
            ok, bad = loaded
            return (
                sorted(record.name for _p, record in ok),
                [(p.row_id, error) for p, error in bad],
            )

        got = both_ways(self.env, load, read)
        self.assertEqual(got[True][0], got[False][0])
        names, bad = got[True][0]
        self.assertEqual(names, ["Checked 0", "Checked 1", "Checked 3"])
        self.assertEqual([row for row, _error in bad], [2])
        self.assertIn("Incompatible companies", bad[0][1])
        bulk_rows, fallbacks = got[True][1]
        self.assertEqual((bulk_rows, sum(fallbacks.values())), (0, 4))
        self.assertIn("Incompatible companies", next(iter(fallbacks))[1])
