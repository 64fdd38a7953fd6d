"""Every file of the bad-input corpus (tests/data/bad, and the big ones made at
test time) with its exact outcome (issue 16), asserted twice, each file in a
test of its own:

- through the wizard, the upload an admin makes (upload, profile, propose):
  the message the web client shows (exactly: the refusal with the file and
  the reason, the header-only warning, or none), the tables staged with their
  rows and the object each is proposed as (None: not clear, a person chooses);
- through the command line, ``crm-migration run FILE --full
  --accept-proposals`` (with ``--maps`` naming the object of a table the
  proposer left to a person, as a consultant does): the exit code, the lines
  it prints, the records the run made per model, their names, and the open
  review items per kind. A run is done, balances and leaves no cell
  unaccounted.

Never a crash, a hang, a silent cut or a silent drop."""

import base64
import importlib.util
import io
import json
import os
import re
import tempfile
from collections import Counter, namedtuple
from datetime import datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from ..cli.crm_migration import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_REVIEW,
    Runner,
    build_parser,
)

BAD = os.path.dirname(file_path("crm_migration/tests/data/bad/corpus.py"))
_spec = importlib.util.spec_from_file_location(
    "bad_corpus", os.path.join(BAD, "corpus.py")
)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

NOT_A_TABLE = "is {} document, not a table"
LEGACY = "is a legacy Office file (.xls/.doc): save it as .xlsx or CSV"
# a file refused at upload: the reason, exactly as the wizard and the command
# line give it (the file, or the zip member, first)
REFUSED = {
    "zero-bytes.csv": "zero-bytes.csv: file is empty (0 bytes)",
    "blank-lines.csv": "blank-lines.csv: file is empty",
    "png-renamed.csv": "png-renamed.csv: is a PNG image, not a table",
    "pdf-renamed.csv": "pdf-renamed.csv: " + NOT_A_TABLE.format("a PDF"),
    "old-excel.xls": "old-excel.xls: " + LEGACY,
    "old-excel-renamed.csv": "old-excel-renamed.csv: " + LEGACY,
    "nul-bytes.csv": "nul-bytes.csv: is binary data (contains NUL bytes), not a table",
    "word.docx": "word.docx: is a Word document (.docx), not a table",
    "notes.rtf": "notes.rtf: " + NOT_A_TABLE.format("an RTF"),
    "truncated.xlsx": "truncated.xlsx: is not a valid XLSX file (File is not a zip file)",
    "truncated.zip": "truncated.zip: is not a valid zip archive (File is not a zip file)",
    "empty-sheet.xlsx": "empty-sheet.xlsx: workbook has no data (every sheet is empty)",
    "empty.zip": "empty.zip: zip archive contains no CSV or XLSX table",
    "only-images.zip": "only-images.zip: zip archive contains no CSV or XLSX table",
    "csv-and-nested-zip.zip": "csv-and-nested-zip.zip: contains a nested archive "
    "(more/deals.zip): unzip it and upload its files",
    "bad-member.zip": "bad-member.zip/logo.csv: is a PNG image, not a table",
    # the big ones, made at test time
    "zip-bomb.zip": "zip-bomb.zip/contacts.csv: file is too large (300.0 MB; the "
    "limit is 200.0 MB)",
    "nested-zips.zip": "nested-zips.zip: contains a nested archive (inner.zip): "
    "unzip it and upload its files",
    "columns-20k.csv": "columns-20k.csv: has 20000 columns; the project allows 1000 "
    "per file ('Columns per file') and 100 new fields per object. Split the file "
    "or remove the columns not to migrate.",
    "cell-60mb.csv": "cell-60mb.csv: line 2, column Note holds 60.0 MB, over the "
    "project's limit of 50 MB per cell ('Cell size (MB)'); nothing of the file was "
    "staged. Shorten the value (or keep it as a file), or raise the limit.",
}

# a file staged: per table (name -> (data rows, object proposed or None, the
# object it is loaded as)), the command line's exit code, the records the full
# run made per model, their names (sorted), the open review items per kind
Loaded = namedtuple("Loaded", "tables code created names review")
C, L = "contact", "lead"
ANA_BEN = ["Ana Lima", "Ben Ode"]
LOADED = {
    "truncated-quote.csv": Loaded(
        # an open quote runs to the end of the file: one row, its note whole;
        # the file's name says quotations, which need a number: held
        {"truncated-quote.csv": (1, "order", "order")},
        EXIT_REVIEW,
        {},
        [],
        {"invalid_value": 1},
    ),
    "one-byte.csv": Loaded({"one-byte.csv": (0, None, C)}, EXIT_OK, {}, [], {}),
    "header-only.csv": Loaded({"header-only.csv": (0, None, C)}, EXIT_OK, {}, [], {}),
    "header-only.xlsx": Loaded({"header-only.xlsx": (0, None, C)}, EXIT_OK, {}, [], {}),
    "json-in.csv": Loaded({"json-in.csv": (0, None, C)}, EXIT_OK, {}, [], {}),
    "utf8-bom.csv": Loaded(
        {"utf8-bom.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "cp1252.csv": Loaded(
        {"cp1252.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ["João", "Zoë"], {}
    ),
    "utf16.csv": Loaded(
        {"utf16.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "mixed-encoding.csv": Loaded(
        {"mixed-encoding.csv": (2, None, C)},
        EXIT_OK,
        {"res.partner": 2},
        ["João", "Zoë"],
        {},
    ),
    "semicolons.csv": Loaded(
        {"semicolons.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "tabs.tsv": Loaded(
        {"tabs.tsv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "pipes.txt": Loaded(
        {"pipes.txt": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "mac-line-ends.csv": Loaded(
        {"mac-line-ends.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ANA_BEN, {}
    ),
    "multiline-cells.csv": Loaded(
        {"multiline-cells.csv": (2, None, C)},
        EXIT_OK,
        {"res.partner": 2},
        ["Ana", "Ben"],
        {},
    ),
    "ragged-rows.csv": Loaded(
        # Ben's phone "1" is no phone; his fourth value has no column
        {"ragged-rows.csv": (2, None, C)},
        EXIT_REVIEW,
        {"res.partner": 2},
        ["Ana", "Ben"],
        {"invalid_value": 1, "not_loaded": 1},
    ),
    "duplicate-headers.csv": Loaded(
        {"duplicate-headers.csv": (1, None, C)},
        EXIT_OK,
        {"res.partner": 1},
        ["Ana"],
        {},
    ),
    "empty-headers.csv": Loaded(
        # the unnamed middle column is read; the value under the unnamed last
        # one is past the last column: a review item, not dropped
        {"empty-headers.csv": (1, None, C)},
        EXIT_REVIEW,
        {"res.partner": 1},
        ["Ana"],
        {"not_loaded": 1},
    ),
    "formulas.csv": Loaded(
        {"formulas.csv": (4, None, C)},
        EXIT_OK,
        {"res.partner": 4},
        ["Ana", "Ben", "Cid", "Dee"],
        {},
    ),
    "html-script.csv": Loaded(
        {"html-script.csv": (1, None, C)}, EXIT_OK, {"res.partner": 1}, ["Ana"], {}
    ),
    "emoji.csv": Loaded(
        {"emoji.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ["Ana 😀", "Ben"], {}
    ),
    "right-to-left.csv": Loaded(
        {"right-to-left.csv": (2, None, C)},
        EXIT_OK,
        {"res.partner": 2},
        ["דוד", "محمد"],
        {},
    ),
    "excel-date-serials.csv": Loaded(
        # a number of days is not read as a date: each one is a review item
        {"excel-date-serials.csv": (3, None, C)},
        EXIT_REVIEW,
        {"res.partner": 3},
        ["Ana", "Ben", "Cid"],
        {"invalid_value": 3},
    ),
    "years-1900-2100.csv": Loaded(
        # 1900 and 2100 are kept; the year 1 is a review item
        {"years-1900-2100.csv": (3, None, C)},
        EXIT_REVIEW,
        {"res.partner": 3},
        ["Ana", "Ben", "Cid"],
        {"invalid_value": 1},
    ),
    "amounts.csv": Loaded(
        # 1e308 is no amount, 20 nines more than a float keeps: reviewed
        {"amounts.csv": (4, L, L)},
        EXIT_REVIEW,
        {"crm.lead": 4},
        ["D1", "D2", "D3", "D4"],
        {"invalid_value": 2},
    ),
    "several-sheets.xlsx": Loaded(
        {"several-sheets.xlsx": (1, None, C), "several-sheets.xlsx[Deals]": (2, L, L)},
        EXIT_OK,
        {"res.partner": 1, "crm.lead": 2},
        ["Ana", "D1", "D2"],
        {},
    ),
    "formulas.xlsx": Loaded(
        {"formulas.xlsx": (2, L, L)}, EXIT_OK, {"crm.lead": 2}, ["A", "B"], {}
    ),
    "macros.xlsx": Loaded(
        {"macros.xlsx": (1, None, C)}, EXIT_OK, {"res.partner": 1}, ["Ana"], {}
    ),
    "macros.xlsm": Loaded(
        {"macros.xlsm": (1, None, C)}, EXIT_OK, {"res.partner": 1}, ["Ana"], {}
    ),
    "mac-junk.zip": Loaded(
        {"mac-junk.zip/contacts.csv": (2, C, C)},
        EXIT_OK,
        {"res.partner": 2},
        ANA_BEN,
        {},
    ),
    "zip-slip.zip": Loaded(
        # the member's path is only a name: nothing is written outside
        {"zip-slip.zip/../../etc/contacts.csv": (2, C, C)},
        EXIT_OK,
        {"res.partner": 2},
        ANA_BEN,
        {},
    ),
    # the big ones, made at test time
    "empty-rows-1m.csv": Loaded(
        {"empty-rows-1m.csv": (2, None, C)},
        EXIT_OK,
        {"res.partner": 2},
        ["Ana", "Ben"],
        {},
    ),
    "cell-10mb.csv": Loaded(
        {"cell-10mb.csv": (2, None, C)}, EXIT_OK, {"res.partner": 2}, ["Ana", "Ben"], {}
    ),
}
WARNING = "Warning: {} has a header row but no data rows: nothing to load."
# values the run wrote, by record name: kept as given (a formula is text until
# an export neutralises it), a script never reaches an HTML field
VALUES = {
    "amounts.csv": {
        "D1": {"expected_revenue": -1500.5},
        "D2": {"expected_revenue": 0.0},
        "D3": {"expected_revenue": 0.0},
        "D4": {"expected_revenue": -200.0},
    },
    "formulas.csv": {
        "Ana": {"comment": '<p>=HYPERLINK("http://evil")</p>'},
        "Ben": {"comment": "<p>+1+1</p>"},
        "Cid": {"comment": "<p>-2</p>"},
        "Dee": {"comment": "<p>@SUM(A1)</p>"},
    },
    "html-script.csv": {"Ana": {"comment": "<b>bold</b>"}},
    "multiline-cells.csv": {
        "Ana": {"comment": "<p>line one<br>line two</p>"},
        "Ben": {"comment": '<p>a "quoted" word</p>'},
    },
    "years-1900-2100.csv": {
        "Ana": {"create_date": datetime(1900, 1, 1)},
        "Ben": {"create_date": datetime(2100, 12, 31)},
    },
    "utf16.csv": {"Ana Lima": {"email": "ana@x.example"}},
    "ragged-rows.csv": {"Ben": {"email": "ben@x.example", "phone": False}},
}


def _slug(name):
    return re.sub(r"\W+", "_", name).strip("_").lower()


class CorpusCase(TransactionCase):
    """The files on disk (the big ones written for the class)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.big = tempfile.mkdtemp(prefix="bad_corpus_")
        cls.paths = {n: os.path.join(BAD, n) for n in corpus.expectations()}
        cls.paths.update(
            {n: os.path.join(cls.big, n) for n in corpus.write_big(cls.big)}
        )

    @classmethod
    def tearDownClass(cls):
        for name in os.listdir(cls.big):
            os.unlink(os.path.join(cls.big, name))
        os.rmdir(cls.big)
        super().tearDownClass()

    def _bytes(self, name):
        with open(self.paths[name], "rb") as fh:
            return fh.read()

    def _wizard(self, name):
        """Upload ``name`` in the wizard (profile and propose on); the action
        the web client gets back and the project."""
        attachment = self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(self._bytes(name))}
        )
        wizard = self.env["migration.import.wizard"].create(
            {"project_name": f"Wizard {name}", "attachment_ids": attachment.ids}
        )
        action = wizard.action_import()
        project = self.env["migration.project"].search(
            [("name", "=", f"Wizard {name}")]
        )
        return action, project

    def _cli(self, name, objects=None):
        """``crm-migration run FILE --full --accept-proposals``, with a maps
        file giving ``objects`` ({table: object}); (exit code, output lines,
        project)."""
        argv = [
            "run",
            self.paths[name],
            "--project",
            f"CLI {name}",
            "--full",
            "--accept-proposals",
            "--min-confidence",
            "0",
        ]
        if objects:
            maps = os.path.join(self.big, "maps.json")
            with open(maps, "w", encoding="utf-8") as fh:
                json.dump(
                    {
                        "format": "crm_migration.maps/1",
                        "objects": [
                            {"source": t, "target": o, "confirmed": True, "fields": []}
                            for t, o in objects.items()
                        ],
                    },
                    fh,
                )
            argv += ["--maps", maps]
        out = io.StringIO()
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(argv))
        project = self.env["migration.project"].search([("name", "=", f"CLI {name}")])
        return code, out.getvalue().splitlines(), project


@tagged("post_install", "-at_install")
class TestBadCorpus(CorpusCase):
    """One test per file (added below from REFUSED and LOADED)."""

    def test_every_file_of_the_corpus_has_its_outcome(self):
        self.assertEqual(set(self.paths), set(REFUSED) | set(LOADED))
        self.assertFalse(set(REFUSED) & set(LOADED))
        self.assertGreaterEqual(len(self.paths), 40)
        # the readers' own verdicts agree: what they refuse is refused here
        # (the upload adds the project's column and cell limits)
        readers_refuse = {
            n for n, (kind, _w) in corpus.expectations().items() if kind == "refused"
        }
        self.assertEqual(readers_refuse, set(REFUSED) & set(corpus.expectations()))

    def _check_refused(self, name):
        reason = REFUSED[name]
        action, project = self._wizard(name)
        self.assertEqual(action["params"]["message"], f"Refused: {reason}")
        self.assertEqual(action["params"]["type"], "danger")
        # the web client opens the project after the message: it needs views
        self.assertEqual(action["params"]["next"]["views"], [(False, "form")])
        self.assertEqual(
            [(s.name, s.state, s.error) for s in project.source_ids],
            [(name, "error", reason)],
        )
        self.assertFalse(project.object_map_ids)
        self.assertFalse(
            self.env["migration.staging.row"].search_count(
                [("source_id.project_id", "=", project.id)]
            )
        )
        code, lines, project = self._cli(name)
        self.assertEqual(code, EXIT_REFUSED, lines)
        self.assertEqual(lines[-1], f"refused: {reason}")
        self.assertFalse([line for line in lines if line.startswith("staged")])
        self.assertFalse(project.run_ids)

    def _check_loaded(self, name):
        expect = LOADED[name]
        action, project = self._wizard(name)
        warnings = [
            WARNING.format(t) for t, (n, _p, _o) in expect.tables.items() if not n
        ]
        if warnings:
            self.assertEqual(action["params"]["message"], "\n".join(warnings))
            self.assertEqual(action["params"]["type"], "warning")
        else:
            self.assertEqual(action["res_id"], project.id)
            self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(
            {s.name: (s.row_count, s.state) for s in project.source_ids},
            {t: (n, "profiled") for t, (n, _p, _o) in expect.tables.items()},
        )
        proposed = {m.source_id.name: m.target or None for m in project.object_map_ids}
        self.assertEqual(proposed, {t: p for t, (_n, p, _o) in expect.tables.items()})
        for omap in project.object_map_ids.filtered(lambda m: not m.target):
            self.assertIn(
                "It is not loaded until a person chooses its object", omap.reason
            )
        # the command line, a person naming the objects left to them
        choose = {t: o for t, (_n, p, o) in expect.tables.items() if not p}
        code, lines, project = self._cli(name, choose)
        self.assertEqual(code, expect.code, "\n".join(lines))
        for table, (rows, _p, _o) in expect.tables.items():
            self.assertIn(f"staged {table}: {rows} rows", lines)
            warning = (
                f"warning: {table} has a header row but no data rows: nothing to load"
            )
            self.assertEqual(warning in lines, not rows)
        self.assertFalse([line for line in lines if line.startswith("not loaded")])
        self.assertFalse([line for line in lines if "Traceback" in line])
        if expect.code == EXIT_REVIEW:
            self.assertRegex(
                lines[-1], r"^exit code 1: done, but \d+ review items? open"
            )
        run = project.run_ids
        self.assertEqual(len(run), 1)
        self.assertEqual((run.state, run.balanced), ("done", True), run.log)
        self.assertEqual(run.read_count, sum(n for n, _p, _o in expect.tables.values()))
        self.assertEqual(run.unaccounted_cell_count, 0)
        created = run.ledger_ids.filtered(lambda e: e.operation == "create")
        self.assertEqual(dict(Counter(created.mapped("res_model"))), expect.created)
        names = sorted(
            self.env[e.res_model].browse(e.res_id).display_name for e in created
        )
        self.assertEqual(names, expect.names)
        reviews = self.env["migration.review"].search(
            [("project_id", "=", project.id), ("state", "=", "open")]
        )
        self.assertEqual(dict(Counter(reviews.mapped("kind"))), expect.review)
        records = {self.env[e.res_model].browse(e.res_id) for e in created}
        by_name = {r.display_name: r for r in records}
        for record_name, values in VALUES.get(name, {}).items():
            record = by_name[record_name]
            # an HTML value is Markup: compared as its text
            got = {
                f: str(record[f]) if isinstance(v, str) and record[f] else record[f]
                for f, v in values.items()
            }
            self.assertEqual(got, values, record_name)
        return run


def _refused_test(name):
    def test(self):
        self._check_refused(name)

    test.__doc__ = f"{name} is refused: {REFUSED[name]}"
    return test


def _loaded_test(name):
    def test(self):
        self._check_loaded(name)

    test.__doc__ = f"{name} is staged and loaded as expected"
    return test


for _name in REFUSED:
    setattr(TestBadCorpus, f"test_refused_{_slug(_name)}", _refused_test(_name))
for _name in LOADED:
    setattr(TestBadCorpus, f"test_loaded_{_slug(_name)}", _loaded_test(_name))
