import base64
import importlib.util
import io
import os
import tempfile

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..cli.crm_migration import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_REVIEW,
    Runner,
    build_parser,
)
from .common import MigrationCase

BAD = os.path.dirname(file_path("crm_migration/tests/data/bad/corpus.py"))
_spec = importlib.util.spec_from_file_location(
    "bad_corpus", os.path.join(BAD, "corpus.py")
)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

# what the upload adds to the readers' verdict: the project's column limit
UPLOAD = {"columns-20k.csv": ("refused", "has 20000 columns")}


@tagged("post_install", "-at_install")
class TestBadCorpus(MigrationCase):
    """Every file of the bad-input corpus through the upload (what the wizard
    and the command line call), the wizard's message and the command line:
    staged with exactly its rows, or refused naming the file and the reason;
    a header-only file is a warning. Never a crash, never a silent loss."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = tempfile.mkdtemp(prefix="bad_corpus_")
        cls.expected = {
            **{n: (os.path.join(BAD, n), e) for n, e in corpus.expectations().items()},
            **{
                n: (os.path.join(cls.big, n), e)
                for n, e in corpus.write_big(cls.big).items()
            },
        }
        cls.expected.update({n: (cls.expected[n][0], e) for n, e in UPLOAD.items()})

    @classmethod
    def tearDownClass(cls):
        for name in os.listdir(cls.big):
            os.unlink(os.path.join(cls.big, name))
        os.rmdir(cls.big)
        super().tearDownClass()

    def _read(self, path):
        with open(path, "rb") as fh:
            return fh.read()

    def test_every_file_through_the_upload(self):
        self.assertGreaterEqual(len(self.expected), 40)
        project = self.env["migration.project"].create(
            {"name": "Bad corpus", "system": "generic"}
        )
        for name, (path, (kind, what)) in sorted(self.expected.items()):
            with self.subTest(file=name):
                sources = project._add_file(name, self._read(path))
                if kind == "refused":
                    self.assertEqual(sources.mapped("state"), ["error"])
                    self.assertTrue(sources.error.startswith(name), sources.error)
                    self.assertIn(what, sources.error)
                else:
                    self.assertEqual(set(sources.mapped("state")), {"staged"})
                    self.assertEqual({s.name: s.row_count for s in sources}, what)

    def test_the_wizard_names_every_refusal_and_warning(self):
        names = sorted(n for n, (_p, e) in self.expected.items() if "mb" not in n)
        attachments = self.env["ir.attachment"].create(
            [
                {"name": n, "datas": base64.b64encode(self._read(self.expected[n][0]))}
                for n in names
            ]
        )
        wizard = self.env["migration.import.wizard"].create(
            {
                "project_name": "Bad corpus wizard",
                "attachment_ids": [(6, 0, attachments.ids)],
                "propose": False,
            }
        )
        action = wizard.action_import()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["next"]["views"], [(False, "form")])
        for name in names:
            kind, what = self.expected[name][1]
            with self.subTest(file=name):
                if kind == "refused":
                    self.assertRegex(message, f"Refused: {name}.*{what}")
                elif 0 in what.values():
                    self.assertIn(f"Warning: {next(iter(what))} has a header", message)
                else:
                    self.assertNotIn(f" {name}", message)

    def test_the_command_line_refuses_with_the_file_and_reason(self):
        for name, (path, (kind, what)) in sorted(self.expected.items()):
            if kind != "refused":
                continue
            with self.subTest(file=name):
                out = io.StringIO()
                opts = build_parser().parse_args(
                    ["run", path, "--project", f"Bad corpus CLI {name}"]
                )
                code = Runner(self.env, out=out).dispatch(opts)
                self.assertEqual(code, EXIT_REFUSED)
                self.assertIn(f"refused: {name}", out.getvalue())
                self.assertIn(what, out.getvalue())

    def test_the_command_line_stages_every_readable_file(self):
        """Each file the readers accept, through `crm-migration run FILE`:
        staged with exactly its rows (a header-only one with its warning),
        then profiled, proposed and sampled: an answer, never a crash."""
        codes = {}
        for name, (path, (kind, what)) in sorted(self.expected.items()):
            # the 60 MB cell is staged through the upload above; its sample
            # run would write 60 MB twice more for no new outcome
            if kind != "read" or name == "cell-60mb.csv":
                continue
            with self.subTest(file=name):
                out = io.StringIO()
                opts = build_parser().parse_args(
                    [
                        "run",
                        path,
                        "--project",
                        f"Bad corpus CLI {name}",
                        "--sample",
                        "1",
                    ]
                )
                code = Runner(self.env, out=out).dispatch(opts)
                text = out.getvalue()
                codes[name] = code
                self.assertIn(code, (EXIT_OK, EXIT_REVIEW, EXIT_REFUSED), text)
                for table, rows in what.items():
                    self.assertIn(f"staged {table}: {rows} rows", text)
                    warning = f"warning: {table} has a header row but no data rows"
                    self.assertEqual(warning in text, not rows, text)
                if code == EXIT_REFUSED:
                    # a refusal after staging says why in a line of its own
                    self.assertRegex(text, r"refused: \S", text)
        self.assertGreaterEqual(len(codes), 30)


@tagged("post_install", "-at_install")
class TestBadCorpusRuns(MigrationCase):
    """Every readable file of the corpus loaded for real: uploaded, profiled,
    its proposals accepted, a full run. Each ends in a run that is done and
    balances, with every non-empty source cell written (read back), left out
    on purpose or sent to review: never a silent cut or drop. The values that
    tempt a cut keep their letters (emoji, right-to-left), a script never
    reaches an HTML field."""

    # readable but with nothing to load (no data rows): a clear refusal
    NOTHING_TO_LOAD = {
        "header-only.csv",
        "header-only.xlsx",
        "json-in.csv",
        "one-byte.csv",
    }

    def _load(self, name):
        project = self.env["migration.project"].create(
            {"name": f"Corpus run {name}", "system": "generic"}
        )
        with open(os.path.join(BAD, name), "rb") as fh:
            project._add_file(name, fh.read())
        project.action_profile()
        project.action_propose()
        # a file named for no object (emoji.csv): the consultant says what
        # its rows are, as on the object map's form, and the columns follow
        unnamed = project.object_map_ids.filtered(lambda m: not m.target)
        for omap in unnamed if name not in self.NOTHING_TO_LOAD else ():
            target = "lead" if name.startswith("amounts") else "contact"
            omap.write({"target": target, "confirmed": True})
        project.action_propose()
        project._accept_proposals(0.0)
        return project

    def test_every_readable_file_loads_without_a_silent_loss(self):
        done = {}
        for name, (kind, _what) in sorted(corpus.expectations().items()):
            if kind != "read":
                continue
            with self.subTest(file=name):
                project = self._load(name)
                if name in self.NOTHING_TO_LOAD:
                    # refused for want of an object, or an empty run
                    try:
                        run = project._start_run("full")
                    except UserError as exc:
                        self.assertIn("no mapped object", str(exc))
                        continue
                    self.assertEqual((run.state, run.read_count), ("done", 0))
                    continue
                run = project._start_run("full")
                self.assertEqual(run.state, "done", run.log)
                self.assertTrue(run.balanced, run.log)
                self.assertTrue(run.read_count, run.log)
                self.assertEqual(run.unaccounted_cell_count, 0, run.log)
                done[name] = run
        self.assertGreaterEqual(len(done), 25)
        Partner = self.env["res.partner"]
        # letters outside Latin-1 are kept exactly
        for name in ("Ana 😀", "محمد", "דוד"):
            self.assertEqual(Partner.search_count([("name", "=", name)]), 1, name)
        # a script in a note is never stored in an HTML field
        ana = Partner.search(
            [("id", "in", self._created(done["html-script.csv"], "res.partner"))]
        )
        self.assertEqual(len(ana), 1)
        html = " ".join(
            str(ana[f] or "")
            for f, field in ana._fields.items()
            if field.type == "html" and field.store
        )
        self.assertNotIn("<script", html)

    def _created(self, run, model):
        return run.ledger_ids.filtered(
            lambda e: e.res_model == model and e.operation == "create"
        ).mapped("res_id")
