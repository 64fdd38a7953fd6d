import importlib.util
import os
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import file_path

DATA = "crm_migration/tests/data/"


# the salespeople the samples' owner columns name (and the fixtures' alice, bob)
SALES_USERS = (
    ("alice@example.com", "Alice Seller"),
    ("bob@example.com", "Bob Closer"),
)
COUNTS = ("read_count", "created_count", "merged_count", "review_count")


class RolledBack(Exception):
    """Raised to roll a savepoint back after its rows were read."""


def each_way(env, load):
    """{bulk: load(bulk)} for the ORM path (False), then the bulk path (True),
    each in a savepoint that is rolled back: both start from the same
    database."""
    results = {}
    for bulk in (False, True):
        try:
            with env.cr.savepoint():
                results[bulk] = load(bulk)
                raise RolledBack
        except RolledBack:
            env.invalidate_all(flush=False)
    return results


@contextmanager
def calls_of(model, method):
    """Yields the list of the ids of the records that `method` of `model`'s
    class is called on, in order, while the block runs."""
    cls = type(model)
    original, calls = getattr(cls, method), []

    def counted(records, *args, **kwargs):
        calls.append(records.id)
        return original(records, *args, **kwargs)

    with patch.object(cls, method, counted):
        yield calls


def job_runner_on(case):
    """For the rest of ``case``'s test, the project sees a job runner
    (queue_job's server-wide runner or its cron runner) and queues its runs."""
    Project = type(case.env["migration.project"])
    case.enterContext(patch.object(Project, "_job_runner_available", return_value=True))


def upgrade_script(version):
    """``migrate`` of the module's migrations/<version>/post-migrate.py, as
    Odoo's upgrade loads it."""
    path = file_path(f"crm_migration/migrations/{version}/post-migrate.py")
    name = "crm_migration_" + version.replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate


def sales_user(env, login, name):
    """A salesperson whose login is its email, as a source's owner column names it."""
    return new_test_user(
        env,
        login=login,
        name=name,
        email=login,
        groups="sales_team.group_sale_salesman",
    )


# the fields the fixture files' columns go to in the tests that rely on them,
# whatever the proposer said (MigrationCase._fix_maps, test_parallel_workers)
FIXTURE_MAPS = {
    "companies.csv": (
        ("Company ID", "ref"),
        ("Company Name", "name"),
        ("Website", "website"),
        ("Phone", "phone"),
        ("Country", "country_id"),
        ("Tags", "category_id"),
        ("Created", "create_date"),
    ),
    "contacts.csv": (
        ("Contact ID", "ref"),
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Company", "company_name"),
        ("Job Title", "function"),
        ("Owner", "user_id"),
        ("Created", "create_date"),
    ),
    "deals.csv": (
        ("Deal Name", "name"),
        ("Account Name", "partner_name"),
        ("Contact Email", "partner_email"),
        ("Amount", "expected_revenue"),
        ("Stage", "stage_id"),
        ("Owner", "user_id"),
        ("Status", "status"),
        ("Close Date", "date_deadline"),
        ("Tags", "tag_ids"),
        ("Created", "create_date"),
    ),
}


def map_column(env, omap, column, field_name):
    """Point a column at a field, as a consultant does in the form; returns
    its field map."""
    fmap = omap.field_map_ids.filtered(lambda f: f.column == column)
    tfield = env["migration.target.field"]._get(omap.target, field_name)
    assert tfield, field_name
    fmap.write({"action": "map", "target_field_id": tfield.id})
    return fmap


def map_columns(env, omaps, maps=FIXTURE_MAPS):
    """Every column of ``maps`` ({file: ((column, field), ...)}) of the files
    of ``omaps`` pointed at its field."""
    for omap in omaps:
        for column, field_name in maps.get(omap.source_id.name, ()):
            map_column(env, omap, column, field_name)


def read_data(name):
    with open(file_path(DATA + name), "rb") as handle:
        return handle.read()


class MigrationCase(TransactionCase):
    """A project with the three fixture files staged, profiled and proposed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.alice, cls.bob = (sales_user(cls.env, *user) for user in SALES_USERS)
        cls.owner = new_test_user(
            cls.env,
            login="fallback-owner",
            name="Fallback Owner",
            groups="sales_team.group_sale_salesman",
        )
        cls.project = cls.env["migration.project"].create(
            {
                "name": "Fixture CRM",
                "system": "generic",
                "default_user_id": cls.owner.id,
            }
        )
        for name in ("companies.csv", "contacts.csv", "deals.csv"):
            cls.project._add_file(name, read_data(name))
        cls.project.action_profile()
        cls.project.action_propose()
        cls.omap = {m.source_id.name: m for m in cls.project.object_map_ids}

    def tearDown(self):
        # the reconciliation equation, for every run this test made: a finished
        # run balances, and a run that does not balance is marked failed
        for run in self.env["migration.run"].search([]):
            if run.state == "done":
                self.assertTrue(
                    run.balanced, f"{run.name} is done but does not balance"
                )
            if run.line_ids and not run.balanced:
                self.assertEqual(run.state, "failed", f"{run.name} does not balance")
        super().tearDown()

    def _full_run(self):
        """A full run through the button, as a manager would start it."""
        self.project.action_full_run()
        return self.project.run_ids.sorted("id")[-1]

    def _record(self, target, key):
        """The Odoo record a source key became (the ledger says which)."""
        entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.project.id),
                ("target", "=", target),
                ("source_key", "=", key),
                ("operation", "=", "create"),
                ("rolled_back", "=", False),
            ],
            limit=1,
        )
        return (
            self.env[entry.res_model]
            .with_context(active_test=False)
            .browse(entry.res_id)
        )

    @classmethod
    def _map(cls, source, column, field_name):
        """Point a column of ``source`` at a field (see map_column)."""
        return map_column(cls.env, cls.omap[source], column, field_name)

    @classmethod
    def _employees_as_new_field(cls):
        """The companies' Employees column mapped to a new integer x_employees
        field; returns its field map."""
        fmap = cls.omap["companies.csv"].field_map_ids.filtered(
            lambda f: f.column == "Employees"
        )
        fmap.write(
            {
                "action": "create",
                "new_field_name": "x_employees",
                "new_field_type": "integer",
                "new_field_label": "Employees",
            }
        )
        return fmap

    @classmethod
    def _fix_maps(cls):
        """The choices these tests rely on, whatever the proposer said."""
        map_columns(cls.env, cls.project.object_map_ids)
        # a deal's id is its key (kept in the ledger), no field of the lead
        cls.omap["deals.csv"].field_map_ids.filtered(
            lambda f: f.column == "Deal ID"
        ).action = "ignore"
        for name, key in (
            ("companies.csv", "Company ID"),
            ("contacts.csv", "Contact ID"),
            ("deals.csv", "Deal ID"),
        ):
            cls.omap[name].write({"key_rule": "column", "key_column": key})
        cls.omap["contacts.csv"].dedupe_rule = "email"
        # value maps follow the (possibly new) field maps
        for omap in cls.omap.values():
            cls.env["migration.value.map"]._propose_for_object(omap)


class SampleCase(MigrationCase):
    """The project of one samples/<system> folder, migrated once for the class
    the way an admin does it: upload every CSV, profile, propose, confirm, full
    run (not MigrationCase's fixtures)."""

    system = None
    project_vals = {}
    extensions = (".csv",)  # the sample files an admin uploads
    run_full = True  # False: the project is ready to run, the test runs it
    sample_users = ()  # (login, name) of the Odoo users the sample's owners are

    @classmethod
    def setUpClass(cls):
        super(MigrationCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        for login, name in cls.sample_users:
            sales_user(cls.env, login, name)
        cls._before_run()
        cls.folder = file_path(f"crm_migration/samples/{cls.system}")
        cls.project = cls.env["migration.project"].create(
            # files named by path in an attachment list are in the export folder
            {"system": cls.system, "files_path": cls.folder, **cls.project_vals}
        )
        for name in sorted(os.listdir(cls.folder)):
            if name.endswith(cls.extensions):
                cls.project._add_file(name, cls._sample_bytes(name))
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        if cls.run_full:
            cls.full = cls.project._start_run("full", commit=False)

    @classmethod
    def _before_run(cls):
        """What the Odoo database holds before the migration (nothing more
        than the sample users unless a test class says so)."""

    @classmethod
    def _sample_bytes(cls, name):
        with open(os.path.join(cls.folder, name), "rb") as handle:
            return handle.read()

    def _line_counts(self, *columns):
        """{file: (read, created, merged, review)} of the full run, or the
        run line ``columns`` asked for (e.g. "target", *COUNTS)."""
        columns = columns or COUNTS
        return {
            line.object_name: tuple(line[column] for column in columns)
            for line in self.full.line_ids
        }

    def _created_ids(self, model=None, target=None):
        """Ids of the records the project's runs created and did not roll
        back, of one model or target (the ledger says which)."""
        domain = [
            ("project_id", "=", self.project.id),
            ("operation", "=", "create"),
            ("rolled_back", "=", False),
        ]
        domain += [("res_model", "=", model)] if model else []
        domain += [("target", "=", target)] if target else []
        return self.env["migration.ledger"].search(domain).mapped("res_id")

    def _assert_rerun_changes_nothing(self):
        """A second full run of the same files: done, nothing created or
        updated; returns it."""
        rerun = self.project._start_run("full", commit=False)
        self.assertEqual(
            (rerun.state, rerun.created_count, rerun.updated_count), ("done", 0, 0)
        )
        return rerun

    def _rollback_all(self):
        """Every run of the project rolled back, newest first."""
        return self.project.run_ids.sorted("id", reverse=True)._rollback(force=False)

    def _stage_again(self, name, old=b"", new=b"", added=b""):
        """The sample ``name`` exported again: its first ``old`` (which it
        holds) written as ``new``, the rows ``added`` at its end; staged, its
        source returned."""
        data = self._sample_bytes(name)
        if old:
            self.assertIn(old, data)
            data = data.replace(old, new, 1)
        (source,) = self.project._add_file(name, data + added)
        return source

    def _delta_of(self, name, old=b"", new=b"", added=b""):
        """A delta run after the sample ``name`` was exported again (see
        _stage_again)."""
        self._stage_again(name, old, new, added)
        return self.project._start_run("delta")

    def _assert_delta(self, name, object_name, old, new, added):
        """The cut-over's delta: ``name`` exported again with one row changed
        (``old`` -> ``new``) and one ``added``, staged as such and loaded by a
        delta run, which reads those two rows of ``object_name``, creates one
        and updates one; returns the run."""
        counts = self._stage_again(name, old, new, added).last_stage_counts
        self.assertEqual((counts["new"], counts["changed"]), (1, 1))
        run = self.project._start_run("delta", commit=False)
        self.assertEqual(run.state, "done", run.log)
        line = run.line_ids.filtered(lambda line: line.object_name == object_name)
        self.assertEqual(
            (line.read_count, line.created_count, line.updated_count), (2, 1, 1)
        )
        return run

    def _reviews(self, source, **where):
        domain = [("project_id", "=", self.project.id), ("source_id.name", "=", source)]
        domain += [(k, "=", v) for k, v in where.items()]
        return self.env["migration.review"].search(domain)
