"""No SQL query per row (issue 18): a batch of companies, contacts of those
companies and deals (stages, owners, won and lost, tags) costs the same
queries whether it holds 15 rows or 105 - field maps, value maps and look-ups
are read once per run or batch, staging rows once per batch, ledger and
review rows written per batch."""

from collections import Counter
from unittest.mock import patch

from odoo.tests import tagged

from ..loader.batch import BatchLoader
from .common import MigrationCase


class Rollback(Exception):
    """Undoes a measured run: the next one starts from the same database."""


def scenario(size, name):
    """(companies.csv, contacts.csv, deals.csv) of ``size`` rows each, every
    row new (``name`` in every value of its own) but naming the same few
    stages, owners, countries and tags."""
    companies = ["Company ID,Company Name,Website,Phone,Country,Tags,Created"]
    contacts = ["Contact ID,First Name,Last Name,Email,Phone,Company,Owner,Created"]
    deals = [
        "Deal ID,Deal Name,Account Name,Contact Email,Amount,Stage,Owner,Status,"
        "Close Date,Tags,Created"
    ]
    for i in range(size):
        owner = ("alice@example.com", "bob@example.com")[i % 2]
        companies.append(
            f"C{i},Firm {name}{i} Corp,https://f{i}.{name}.example.com,+1 212 555 {i:04d},"
            f"{('US', 'CA')[i % 2]},{('VIP', 'Partner', '')[i % 3]},03/15/2021"
        )
        contacts.append(
            f"P{i},First{i},Last{i},p{i}@f{i}.{name}.example.com,+1 415 555 {i:04d},"
            f"Firm {name}{i} Corp,{owner},04/01/2021"
        )
        deals.append(
            f"D{i},Deal {i},Firm {name}{i} Corp,p{i}@f{i}.{name}.example.com,{1000 + i},"
            f"{('Proposition', 'Qualified', 'Negotiation Phase')[i % 3]},{owner},"
            f"{('Open', 'Won', 'Lost')[i % 3]},06/30/2021,Renewal,03/20/2021"
        )
    return ("\n".join(rows).encode() + b"\n" for rows in (companies, contacts, deals))


@tagged("post_install", "-at_install")
class TestBatchQueries(MigrationCase):
    def project_of(self, size, name):
        project = self.env["migration.project"].create(
            {
                "name": f"Queries {name}",
                "system": "generic",
                "default_user_id": self.owner.id,
                "batch_size": 500,
            }
        )
        files = ("companies.csv", "contacts.csv", "deals.csv")
        for file_name, data in zip(files, scenario(size, name), strict=True):
            project._add_file(file_name, data)
        project.action_profile()
        project.action_propose()
        project._accept_proposals(0.0)
        return project

    def queries(self, project, undo=True):
        """{object: SQL queries of its batch} of a full run, then undone."""
        spent = Counter()
        rows = Counter()
        real = BatchLoader.load
        cr = self.env.cr

        def counted(loader, batch):
            before = cr.sql_log_count
            real(loader, batch)
            spent[loader.omap.target] += cr.sql_log_count - before
            rows[loader.omap.target] += len(batch)

        self.env.flush_all()
        self.env.invalidate_all()  # both measured runs start from a cold cache
        try:
            with cr.savepoint(), patch.object(BatchLoader, "load", counted):
                run = project._start_run("full")
                self.assertEqual(run.state, "done")
                self.assertEqual(run.created_count, sum(rows.values()))
                if undo:
                    raise Rollback
        except Rollback:
            self.env.invalidate_all(flush=False)
        return dict(spent), dict(rows)

    def test_a_batch_costs_no_query_per_row(self):
        # a first run makes the x_ fields and warms the registry's caches (kept:
        # a field made in a savepoint rolled back would stay in the registry)
        self.queries(self.project_of(15, "warm"), undo=False)
        small, large = self.project_of(15, "small"), self.project_of(105, "large")
        small_queries, small_rows = self.queries(small)
        large_queries, large_rows = self.queries(large)
        self.assertEqual(small_rows, {"company": 15, "contact": 15, "lead": 15})
        self.assertEqual(large_rows, {"company": 105, "contact": 105, "lead": 105})
        # 90 more rows an object: at most one more query, Odoo's flush of the
        # stored computes (one UPDATE per 100 records), never one per row
        self.assertEqual(set(large_queries), {"company", "contact", "lead"})
        for target, queries in large_queries.items():
            self.assertLessEqual(queries - small_queries[target], 1, target)
            self.assertGreaterEqual(queries, small_queries[target], target)
