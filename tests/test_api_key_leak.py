"""The API key never leaks (issues 15 and 16): Ploomes pulls with a known
User-Key against a loopback server that echoes the key back in every error it
can (401, 429, 5xx, a body that is not JSON), through the wizard and the
command line; the key is then looked for in the captured log output, the
exceptions (and the ones they chain), every text column of the database, the
attachments (reports and exports unzipped), the chatter, the wizard's fields
after the pull and the project read as a Migration User."""

import io
import json
import logging
import traceback
import zipfile

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_migration.cli.crm_migration import Runner, build_parser
from odoo.addons.crm_migration.engine.tests.ploomes_server import PloomesServer

from .common import MigrationCase
from .test_ploomes import sample_records

KEY = "LEAKY-USER-KEY-93c0d2e8a1f4"
LOGGERS = ("odoo.addons.crm_migration", "urllib3", "requests")


class EchoingServer(PloomesServer):
    """A Ploomes API whose error answers repeat the User-Key they were sent
    (as some gateways and debug pages do): any text the addon keeps from an
    answer would carry the key with it."""

    def __init__(self, records, **kwargs):
        super().__init__(records, **kwargs)
        self.not_json = set()

    def answer(self, handler):
        status, headers, body = super().answer(handler)
        sent = handler.headers.get("User-Key", "")
        entity = handler.path.split("?")[0].strip("/")
        if status == 401:
            body = json.dumps({"error": f"User-Key {sent} is not valid"}).encode()
        elif status == 429:
            headers = {"Retry-After": "0", "Content-Type": "text/plain"}
            body = f"Too many requests for User-Key: {sent}".encode()
        elif status >= 500:
            body = f"<html><pre>User-Key: {sent}\nUser-Key={sent}</pre></html>".encode()
        elif entity in self.not_json:
            headers = {"Content-Type": "text/html"}
            body = f"{sent} <html>maintenance</html>".encode()
        return status, headers, body


@tagged("post_install", "-at_install")
class TestApiKeyLeak(MigrationCase):
    def setUp(self):
        super().setUp()
        self.server = EchoingServer(sample_records(), key=KEY, slow=0.1)
        self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.logs = io.StringIO()
        handler = logging.StreamHandler(self.logs)
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        self.addCleanup(root.removeHandler, handler)
        for name in LOGGERS:
            logger = logging.getLogger(name)
            self.addCleanup(logger.setLevel, logger.level)
            logger.setLevel(logging.DEBUG)
        self.manager = self.env.ref("base.user_admin")
        self.mig_user = new_test_user(
            self.env, login="leak-user", groups="crm_migration.group_migration_user"
        )

    # ------------------------------------------------------------ the pulls
    def _wizard(self, name, key=KEY, keep=True):
        return (
            self.env["migration.import.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "project_name": name,
                    "system": "ploomes",
                    "use_api": True,
                    "api_base_url": self.server.url,
                    "api_key": key,
                    "keep_api_key": keep,
                }
            )
        )

    def _failed_pull(self, name):
        wizard = self._wizard(name)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertKeyNotIn(self._exception_texts(caught.exception), "exception")
        return wizard, caught.exception

    def _exception_texts(self, exc):
        """The exception and every one it chains: messages, args, reprs and the
        formatted traceback (suppressed contexts included)."""
        texts, seen = [], set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            texts += [str(exc), repr(exc), repr(exc.args)]
            texts += traceback.format_exception(type(exc), exc, exc.__traceback__)
            texts += [repr(vars(exc))] if hasattr(exc, "__dict__") else []
            exc = exc.__cause__ or exc.__context__
        return texts

    def cli(self, *argv):
        out = io.StringIO()
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(list(argv)))
        return code, out.getvalue()

    # ------------------------------------------------------------ the checks
    def assertKeyNotIn(self, texts, where):
        found = [t for t in texts if t and KEY in str(t)]
        self.assertFalse(found, f"the key is in the {where}: {str(found)[:300]}")

    def assertKeyNowhere(self, project=None):
        self.env.flush_all()
        self.assertKeyNotIn([self.logs.getvalue()], "log output")
        self.assertKeyNotIn(self._database_hits(), "database")
        self.assertKeyNotIn(self._attachment_texts(), "attachments")
        if project:
            readable = project.with_user(self.mig_user).read()
            self.assertNotIn("api_key_token", readable[0])
            self.assertKeyNotIn([repr(readable)], "project read by a Migration User")
            messages = self.env["mail.message"].search(
                [("model", "like", "migration.")]
            )
            self.assertKeyNotIn(messages.mapped("body"), "chatter")
        return True

    def _database_hits(self):
        """``table.column`` of every text column of the database holding the key."""
        self.env.cr.execute(
            """SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'public'
                  AND data_type IN ('character varying', 'text', 'jsonb', 'json')
                  AND table_name IN (SELECT table_name FROM information_schema.tables
                                      WHERE table_type = 'BASE TABLE')"""
        )
        hits = []
        for table, column in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{KEY}%",
                )
            )
            if self.env.cr.fetchone():
                hits.append(f"{table}.{column} holds {KEY}")
        return hits

    def _attachment_texts(self):
        texts = []
        for attachment in self.env["ir.attachment"].search([("id", ">", self.first)]):
            raw = attachment.raw or b""
            if raw[:2] == b"PK":  # XLSX and zips: every member
                with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                    raw = b"".join(archive.read(n) for n in archive.namelist())
            texts.append(raw.decode("utf-8", "replace"))
        return texts

    def setUpAttachments(self):
        self.first = self.env["ir.attachment"].search([], order="id desc", limit=1).id

    # ------------------------------------------------------------ tests
    def test_a_whole_pull_run_and_its_reports_keep_the_key_secret(self):
        self.setUpAttachments()
        wizard = self._wizard("Leak OK")
        wizard.action_import()
        project = self.env["migration.project"].search([("name", "=", "Leak OK")])
        self.assertEqual(project._stored_api_credentials()[0], {"api_key": KEY})
        self.assertTrue(
            all(h.get("User-Key") == KEY for _e, _q, h in self.server.requests)
        )
        # the wizard after the pull: no field holds the key, in clear or not
        self.assertKeyNotIn([repr(wizard.read())], "wizard")
        self.assertFalse(wizard.api_key_token)
        project._accept_proposals(0.0)
        project.sample_size = 5
        run = project._start_run("sample")
        self.assertIn(run.state, ("done", "failed"))
        # reports and exports, also as attachments
        run.action_export_reconciliation()
        run.action_export_sample_diff()
        self.assertKeyNotIn(
            [json.dumps(run._report_data(), default=str), repr(project._export_maps())],
            "reports",
        )
        self.env["ir.attachment"].create(
            {"name": "report.xlsx", "raw": run._report_xlsx()}
        )
        self.assertKeyNowhere(project)

    def test_a_refused_key_401(self):
        self.setUpAttachments()
        self.server.key = "ANOTHER-KEY-0000"
        _wizard, exc = self._failed_pull("Leak 401")
        self.assertIn("401", str(exc))
        project = self.env["migration.project"].search([("name", "=", "Leak 401")])
        self.assertFalse(project.sudo().api_key_token)
        self.assertKeyNowhere(project)

    def test_too_many_requests_429(self):
        self.setUpAttachments()
        self.server.fail("Contacts", 0, "429", times=20)
        _wizard, exc = self._failed_pull("Leak 429")
        self.assertIn("429", str(exc))
        self.assertKeyNowhere(
            self.env["migration.project"].search([("name", "=", "Leak 429")])
        )

    def test_a_server_error_5xx(self):
        self.setUpAttachments()
        self.server.fail("Contacts", 0, "500", times=20)
        _wizard, exc = self._failed_pull("Leak 500")
        self.assertIn("500", str(exc))
        self.assertKeyNowhere(
            self.env["migration.project"].search([("name", "=", "Leak 500")])
        )

    def test_a_body_that_is_not_json(self):
        self.setUpAttachments()
        self.server.not_json.add("Deals")
        _wizard, exc = self._failed_pull("Leak JSON")
        self.assertIn("Deals", str(exc))
        self.assertKeyNowhere(
            self.env["migration.project"].search([("name", "=", "Leak JSON")])
        )

    def test_command_line_refusals(self):
        self.setUpAttachments()
        self.server.key = "ANOTHER-KEY-0000"
        self.server.not_json.add("Deals")
        for name in ("CLI 401", "CLI JSON"):
            code, out = self.cli(
                "run", "--project", name, "--system", "ploomes", "--api",
                "--api-key", KEY, "--base-url", self.server.url, "--full",
            )  # fmt: skip
            self.assertNotEqual(code, 0, out)
            self.assertIn("refused", out)
            self.assertKeyNotIn([out], f"{name} output")
            self.server.key = KEY
        self.assertKeyNowhere()
