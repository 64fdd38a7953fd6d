import datetime as dt
import io
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import tagged

from ..cli.crm_migration import EXIT_OK, EXIT_REFUSED, EXIT_REVIEW, Runner, build_parser
from .common import MigrationCase

SECRET = "s3cr3t-api-key-4242"
CONTACTS = [
    {
        "contactid": str(100 + n),
        "firstname": f"Api{n}",
        "lastname": "Person",
        "email": f"api{n}@example.com",
        "phone1": f"+1 202 555 01{n:02d}",
        "adddate": "12/31/2014 12:46:50 PM",
    }
    for n in range(1, 8)
]
TEAM = [{"teammemberid": "7", "name": "Linda Carver", "email": "linda@api.example"}]
NOTES = {
    "101": [
        {"notedate": "1/19/2015 10:45 AM", "note": "Birthday card mailed."},
        {"notedate": "2/14/2015 8:32 AM", "note": "Called, no answer."},
    ],
    "102": [{"notedate": "3/1/2015 9:00 AM", "note": "Sent the quote."}],
}
TODOS = [
    {
        "todoid": "9001",
        "contactid": "101",
        "category": "Phone Call",
        "summary": "Call back",
        "duedate": "1/5/2015",
        "status": "Open",
    }
]


class AllClientsHandler(BaseHTTPRequestHandler):
    """A loopback AllClients: POST form, accountid + apikey, JSON, offset paging."""

    bad_json = False

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.bad_json:
            body = b"{not json"
        elif form.get("apikey") != SECRET or form.get("accountid") != "42":
            body = json.dumps({"error": "Authentication failed"}).encode()
        elif self.path.endswith("/GetContacts.aspx"):
            size, offset = (
                int(form.get("pagingsize", 3)),
                int(form.get("pagingoffset", 0)),
            )
            body = json.dumps({"contacts": CONTACTS[offset : offset + size]}).encode()
        elif self.path.endswith("/GetContactNotes.aspx"):
            notes = NOTES.get(form.get("identifyvalue"), [])
            body = json.dumps({"notes": notes}).encode()
        elif self.path.endswith("/GetTeamMembers.aspx"):
            body = json.dumps({"teammembers": TEAM}).encode()
        elif self.path.endswith("/GetToDos.aspx"):
            body = json.dumps({"todos": TODOS}).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestCommandLineApi(MigrationCase):
    def setUp(self):
        super().setUp()
        handler = type("Handler", (AllClientsHandler,), {"bad_json": False})
        self.handler = handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"

    def cli(self, *argv):
        out = io.StringIO()
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(list(argv)))
        return code, out.getvalue()

    def test_api_pull_runs_and_never_shows_the_key(self):
        records = []
        handler = logging.Handler(level=logging.DEBUG)
        handler.emit = records.append
        root = logging.getLogger("odoo")
        root.addHandler(handler)
        self.addCleanup(root.removeHandler, handler)
        code, out = self.cli(
            "run",
            "--project",
            "AllClients API",
            "--system",
            "allclients",
            "--api",
            "--account-id",
            "42",
            "--api-key",
            SECRET,
            "--base-url",
            self.base_url,
            "--full",
            "--accept-proposals",
        )
        self.assertIn(code, (EXIT_OK, EXIT_REVIEW), out)
        self.assertIn("pulled contacts (API): 7 rows", out)
        project = self.env["migration.project"].search(
            [("name", "=", "AllClients API")]
        )
        run = project.run_ids
        # 1 team member (no such Odoo user: held for review), 7 contacts, 3
        # notes and 1 to-do
        self.assertEqual(
            (run.state, run.read_count, run.created_count, run.review_count),
            ("done", 12, 11, 1),
        )
        partner = self.env["res.partner"].search([("email", "=", "api3@example.com")])
        self.assertEqual(partner.name, "Api3 Person")
        first = self.env["res.partner"].search([("email", "=", "api1@example.com")])
        notes = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", first.id),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ],
            order="date",
        )
        self.assertEqual(
            [(n.date, n.body) for n in notes],
            [
                (dt.datetime(2015, 1, 19, 16, 45), "<p>Birthday card mailed.</p>"),
                (dt.datetime(2015, 2, 14, 14, 32), "<p>Called, no answer.</p>"),
            ],
        )
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", first.id)]
        )
        self.assertEqual(
            (todo.summary, todo.date_deadline), ("Call back", dt.date(2015, 1, 5))
        )
        self.assertTrue(records)
        texts = [out, run.log, json.dumps(run._report_data())]
        texts += [record.getMessage() for record in records]
        texts += (
            self.env["migration.audit"]
            .search([("project_id", "=", project.id)])
            .mapped("description")
        )
        texts += [a.raw.decode() for a in project.source_ids.attachment_id]
        self.assertEqual(len(project.source_ids), 4)
        for text in texts:
            self.assertNotIn(SECRET, text)

    def test_api_refusals_are_clear_and_keep_the_key_secret(self):
        code, out = self.cli(
            "run",
            "--project",
            "Wrong key",
            "--system",
            "allclients",
            "--api",
            "--account-id",
            "42",
            "--api-key",
            "wrong-" + SECRET,
            "--base-url",
            self.base_url,
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("Authentication failed", out)
        self.assertNotIn(SECRET, out)
        self.handler.bad_json = True
        code, out = self.cli(
            "run",
            "--project",
            "Bad JSON",
            "--system",
            "allclients",
            "--api",
            "--account-id",
            "42",
            "--api-key",
            SECRET,
            "--base-url",
            self.base_url,
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("refused:", out)
        self.assertNotIn(SECRET, out)
        code, out = self.cli(
            "run", "--project", "No key", "--system", "allclients", "--api"
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("CRM_MIGRATION_API_KEY", out)
        code, out = self.cli(
            "run",
            "--project",
            "No API",
            "--system",
            "generic",
            "--api",
            "--account-id",
            "1",
            "--api-key",
            "x",
        )
        self.assertEqual(code, EXIT_REFUSED)
        self.assertIn("no API pull", out)
