"""A project loaded by an older version, then re-run: the ledger keys it booked
are rewritten to today's format first (loader/rekey.py), so the re-run finds
its records instead of creating them again.

The older format is written here as the older version wrote it: company names
by the first normaliser (engine/match.py before 5401e05, copied below) and
quotes and orders sharing ``id:<N>`` (before 89e18c1)."""

import importlib.util
import re

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.misc import file_path

from odoo.addons.crm_migration.engine.tests.ploomes_server import KEY, PloomesServer

from ..engine.core.text import norm_text
from ..loader.rekey import KEY_VERSION
from .common import MigrationCase
from .test_ploomes import sample_records

COMPANIES = (
    "Company Name,Phone,Website\n"
    "Harper & Lowe,+1 212 555 0100,https://harper.example.com\n"
    "Smith Company,+1 212 555 0101,\n"
    "A B C Tools,+1 212 555 0102,\n"
    "Initech,+1 212 555 0103,\n"
)
NAMES = ["Harper & Lowe", "Smith Company", "A B C Tools", "Initech"]
NEW_KEYS = {"name:harper and lowe", "name:smith", "name:abc tools", "name:initech"}
OLD_KEYS = {
    "name:harper lowe",
    "name:smith company",
    "name:a b c tools",
    "name:initech",
}

# engine/match.py norm_company before 5401e05 (key version 1)
_OLD_SUFFIXES = sorted(
    [
        ("inc",), ("incorporated",), ("llc",), ("l", "l", "c"), ("llp",), ("ltd",),
        ("limited",), ("ltda",), ("sa",), ("s", "a"), ("me",), ("epp",), ("eireli",),
        ("mei",), ("gmbh",), ("ag",), ("corp",), ("corporation",), ("co",), ("cia",),
        ("plc",), ("bv",), ("b", "v"), ("srl",), ("sas",), ("s", "a", "s"), ("pty",),
        ("lda",),
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_OLD_CONNECTORS = {"&", "and", "e", "y"}


def old_norm_company(value):
    tokens = re.sub(r"[^\w\s]|_", " ", norm_text(value).replace("&", " & ")).split()
    kept = list(tokens)
    changed = True
    while changed and kept:
        changed = False
        for suffix in _OLD_SUFFIXES:
            n = len(suffix)
            if len(kept) > n and tuple(kept[-n:]) == suffix:
                kept = kept[:-n]
                changed = True
                break
        while len(kept) > 1 and kept[-1] in _OLD_CONNECTORS:
            kept.pop()
            changed = True
    return " ".join(kept or tokens)


def post_migrate():
    """The module's migration script, as Odoo's upgrade loads it."""
    path = file_path("crm_migration/migrations/18.0.1.1.0/post-migrate.py")
    spec = importlib.util.spec_from_file_location("crm_migration_post_migrate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate


class KeyUpgradeMixin:
    def _downgrade(self, project, old_key):
        """Book every staged row of ``project`` under ``old_key(omap, row, key)``
        (None: unchanged), in the ledger and staging, and mark the project as
        written by version 1: what an older version left in the database."""
        self.env.flush_all()
        for omap in project.object_map_ids.filtered("source_id"):
            for row in omap.source_id.staging_row_ids.filtered("source_key"):
                old = old_key(omap, row, row.source_key)
                if old is None or old == row.source_key:
                    continue
                self.env.cr.execute(
                    SQL(
                        "UPDATE migration_ledger SET source_key = %s "
                        "WHERE staging_row_id = %s AND source_key = %s",
                        old,
                        row.id,
                        row.source_key,
                    )
                )
                self.env.cr.execute(
                    SQL(
                        "UPDATE migration_staging_row SET source_key = %s WHERE id = %s",
                        old,
                        row.id,
                    )
                )
        self.env.cr.execute(
            SQL(
                "UPDATE migration_project SET key_version = 1 WHERE id = %s", project.id
            )
        )
        self.env.invalidate_all()

    def _keys(self, project, target, operation="create"):
        return set(
            self.env["migration.ledger"]
            .search(
                [
                    ("project_id", "=", project.id),
                    ("target", "=", target),
                    ("operation", "=", operation),
                ]
            )
            .mapped("source_key")
        )


@tagged("post_install", "-at_install")
class TestKeyUpgradeCompanyNames(KeyUpgradeMixin, MigrationCase):
    @classmethod
    def setUpClass(cls):
        super(MigrationCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.project = cls.env["migration.project"].create(
            {"name": "Older keys", "system": "generic"}
        )
        cls.project._add_file("companies.csv", COMPANIES.encode())
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        cls.omap = cls.project.object_map_ids
        cls.omap.write({"key_rule": "name"})
        cls.project.action_confirm_maps()
        cls.first = cls.project._start_run("full")

    def setUp(self):
        super().setUp()
        self.assertEqual(self.first.state, "done", self.first.log)
        self.assertEqual(self._keys(self.project, "company"), NEW_KEYS)
        self.companies = self._all_companies()
        self.assertEqual(len(self.companies), 4)
        self._downgrade(
            self.project,
            lambda omap, row, key: "name:" + old_norm_company(row.data["Company Name"]),
        )
        self.assertEqual(self._keys(self.project, "company"), OLD_KEYS)
        self.assertEqual(self.project.key_version, 1)

    def _company_line(self, run):
        line = run.line_ids.filtered(lambda line: line.target == "company")
        return (
            line.read_count,
            line.created_count,
            line.updated_count,
            line.unchanged_count,
            line.review_count,
        )

    def _all_companies(self):
        return self.env["res.partner"].search(
            [("is_company", "=", True), ("name", "in", NAMES)]
        )

    def test_full_rerun_finds_the_records_an_older_version_made(self):
        run = self.project._start_run("full")
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(self._company_line(run), (4, 0, 0, 4, 0))
        self.assertEqual(self._all_companies(), self.companies)
        self.assertEqual(self.project.key_version, KEY_VERSION)
        # the ledger of the first run speaks today's format, and the staging rows
        self.assertEqual(self._keys(self.project, "company"), NEW_KEYS)
        created = self.env["migration.ledger"].search_count(
            [("project_id", "=", self.project.id), ("operation", "=", "create")]
        )
        self.assertEqual(created, 4)
        self.assertEqual(
            set(self.omap.source_id.staging_row_ids.mapped("source_key")), NEW_KEYS
        )
        # done once: an upgraded project is left alone
        self.assertEqual(self.project._upgrade_keys(), 0)

    def test_reupload_and_delta_after_an_older_version(self):
        changed = COMPANIES.replace("+1 212 555 0101", "+1 212 555 0109")
        source = self.project._add_file("companies.csv", changed.encode())
        self.assertEqual(
            source.last_stage_counts,
            {"new": 0, "changed": 1, "unchanged": 3, "removed": 0},
        )
        run = self.project._start_run("delta")
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(self._company_line(run), (1, 0, 1, 0, 0))
        self.assertEqual(self._all_companies(), self.companies)
        smith = self.companies.filtered(lambda p: p.name == "Smith Company")
        self.assertEqual(smith.phone.replace(" ", ""), "+12125550109")
        self.assertFalse(
            self.env["migration.review"].search(
                [("project_id", "=", self.project.id), ("kind", "=", "removed")]
            )
        )

    def test_the_module_upgrade_rewrites_the_keys(self):
        post_migrate()(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self.project.key_version, KEY_VERSION)
        self.assertEqual(self._keys(self.project, "company"), NEW_KEYS)
        run = self.project._start_run("full")
        self.assertEqual(self._company_line(run), (4, 0, 0, 4, 0))
        self.assertEqual(self._all_companies(), self.companies)


@tagged("post_install", "-at_install")
class TestKeyUpgradeOrders(KeyUpgradeMixin, MigrationCase):
    """Ploomes quotes and orders, booked as ``id:<N>`` by the older version."""

    @classmethod
    def setUpClass(cls):
        super(MigrationCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        with PloomesServer(sample_records(), slow=0.0) as server:
            cls.project = cls.env["migration.project"].create(
                {"name": "Ploomes older keys", "system": "ploomes"}
            )
            cls.project._pull_api({"api_key": KEY}, server.url)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        cls.first = cls.project._start_run("full", commit=False)

    def _old_key(self, omap, row, key):
        prefix = f"id:{omap._key_object()}:"
        if omap.target in ("order", "order_line") and key.startswith(prefix):
            return "id:" + key[len(prefix) :]
        return None

    def _counts(self, run, target):
        lines = run.line_ids.filtered(lambda line: line.target == target)
        return (sum(lines.mapped("created_count")), sum(lines.mapped("read_count")))

    def test_rerun_finds_quotes_and_orders_booked_in_one_id_space(self):
        orders = self.env["sale.order"].search([])
        lines = self.env["sale.order.line"].search([])
        new_keys = self._keys(self.project, "order")
        # (quote 8001, review 0, is superseded by 8002: no order of its own)
        self.assertEqual(
            new_keys, {"id:quotes:8002", "id:quotes:8003", "id:orders:8501"}
        )
        self._downgrade(self.project, self._old_key)
        self.assertEqual(
            self._keys(self.project, "order"),
            {"id:8002", "id:8003", "id:8501"},
        )
        run = self.project._start_run("full", commit=False)
        self.assertEqual(run.state, "done", run.log)
        read = self._counts(self.first, "order")[1]
        self.assertEqual(self._counts(run, "order"), (0, read))
        self.assertEqual(self._counts(run, "order_line")[0], 0)
        self.assertEqual(self.env["sale.order"].search([]), orders)
        self.assertEqual(self.env["sale.order.line"].search([]), lines)
        self.assertEqual(self._keys(self.project, "order"), new_keys)
        self.assertEqual(self.project.key_version, KEY_VERSION)
