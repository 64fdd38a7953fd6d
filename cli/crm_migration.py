"""``odoo-bin crm-migration``: run, check and undo a migration headless.

    odoo-bin --addons-path=... crm-migration run -c odoo.conf -d DB \\
        --project "Acme" --system generic samples/generic --full --accept-proposals

The command only parses arguments, opens the database and calls the same model
methods as the wizard and the buttons; it holds no migration logic.
Exit codes: 0 done and balanced, 1 done with open review items, 2 refused
(unconfirmed maps, bad file, unknown system...), 3 the run failed.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import odoo
from odoo import modules
from odoo.cli.command import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tools import config

from ..engine import readers
from ..engine.api import ApiError
from ..models.migration_run_line import OUTCOMES

EXIT_OK, EXIT_REVIEW, EXIT_REFUSED, EXIT_FAILED = 0, 1, 2, 3
SUPPORTED = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".zip")


class Refused(Exception):
    """A reason to stop before anything is loaded (exit code 2)."""


def build_parser(prog="odoo-bin crm-migration"):
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run, check and undo a CRM migration into Odoo. Odoo's own options "
        "(-c, -d, --db_host...) are accepted too.",
    )
    sub = parser.add_subparsers(dest="verb", required=True)

    run = sub.add_parser("run", help="ingest, profile, propose, apply maps and run")
    run.add_argument(
        "paths",
        nargs="*",
        help="a folder, a zip, or files (CSV/XLSX); or a folder or zip of saved API "
        "pages (<Entity>/page-0001.json) for systems that read them",
    )
    run.add_argument(
        "--project", required=True, help="project name (created if missing)"
    )
    run.add_argument(
        "--system", default="generic", help="source system (default: generic)"
    )
    run.add_argument("--maps", help="maps file (JSON) to apply before running")
    run.add_argument(
        "--api",
        action="store_true",
        help="pull from the system's API (as well as any files given)",
    )
    run.add_argument("--account-id", help="API account (or CRM_MIGRATION_ACCOUNT_ID)")
    run.add_argument(
        "--api-key",
        help="API key; prefer the environment variable CRM_MIGRATION_API_KEY, "
        "which no process list shows",
    )
    run.add_argument("--base-url", help="API address, when not the system's own")
    run.add_argument(
        "--keep-key",
        action="store_true",
        help="with --api, keep the key (encrypted, Migration Managers only) so "
        "that the scheduled delta pulls what changed",
    )
    run.add_argument(
        "--create-users",
        action="store_true",
        help="create the source's users that match no Odoo user (archived when "
        "inactive at the source)",
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--sample", type=int, metavar="N", help="sample run of N records per object"
    )
    mode.add_argument(
        "--full", action="store_true", help="full run (needs confirmed maps)"
    )
    run.add_argument(
        "--accept-proposals",
        action="store_true",
        help="confirm the proposed maps (recorded in the project's audit log)",
    )
    run.add_argument(
        "--min-confidence",
        type=float,
        default=0.8,
        help="with --accept-proposals, only confirm proposals at least this sure "
        "(default 0.8); the others are listed and block a full run",
    )
    run.add_argument(
        "--source-tz",
        metavar="TZ",
        help="time zone of the source's dates without one, e.g. America/Chicago "
        "(the project's setting; default UTC or the source system's own)",
    )
    run.add_argument(
        "--user", default="admin", help="login the run is made as (default admin)"
    )

    status = sub.add_parser("status", help="projects, runs and counts")
    status.add_argument("--project", help="only this project")

    report = sub.add_parser("report", help="reconciliation of a run")
    report.add_argument("run_id", type=int)
    report.add_argument("--json", dest="json_file", help="write the report as JSON")
    report.add_argument("--xlsx", dest="xlsx_file", help="write the report as XLSX")

    rollback = sub.add_parser("rollback", help="undo a run, or every run of a project")
    rollback.add_argument("run_id", type=int, nargs="?", help="the run to undo")
    rollback.add_argument("--project", help="undo every run of this project instead")
    rollback.add_argument(
        "--force",
        action="store_true",
        help="also undo records someone changed since the run",
    )
    rollback.add_argument(
        "--user", default="admin", help="login the rollback is made as"
    )

    maps = sub.add_parser("maps", help="export or import a project's maps")
    maps_sub = maps.add_subparsers(dest="maps_verb", required=True)
    exp = maps_sub.add_parser("export")
    exp.add_argument("project")
    exp.add_argument("file")
    imp = maps_sub.add_parser("import")
    imp.add_argument("project")
    imp.add_argument("file")
    return parser


def split_odoo_args(argv):
    """(our arguments, Odoo's own options), Odoo's pulled out wherever they
    stand and in either spelling (``-c FILE``, ``--config FILE``,
    ``--config=FILE``, ``-dDB``), with their values: otherwise the ``run``
    verb's paths would swallow the value of ``-c`` or ``-d``. Odoo's options are
    those of its own parser (``odoo.tools.config``); ``--`` ends them."""
    odoo_parser = config.parser
    ours, odoo_args = [], []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            ours.append(arg)
            ours.extend(args)
            break
        if arg.startswith("--"):
            name, inline = arg.split("=", 1)[0], "=" in arg
        elif arg.startswith("-") and len(arg) > 1:
            name, inline = arg[:2], len(arg) > 2
        else:
            ours.append(arg)
            continue
        if name in ("-h", "--help") or not odoo_parser.has_option(name):
            ours.append(arg)
            continue
        odoo_args.append(arg)
        if odoo_parser.get_option(name).takes_value() and not inline:
            odoo_args.append(next(args, ""))
    return ours, odoo_args


class Progress:
    """A bar per object on a terminal; plain log lines otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = {}
        self.last = time.monotonic()  # an object starts when the previous one ends

    def __call__(self, name, done, total):
        start = self.started.setdefault(name, self.last)
        self.last = time.monotonic()
        elapsed = max(self.last - start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else width
            self.stream.write(
                f"\r{name[:24]:<24} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done}/{total} {rate:,.0f} rows/s {left:,.0f}s left"
            )
            if done >= total:
                self.stream.write("\n")
        else:
            self.stream.write(
                f"{name}: {done}/{total} rows, {rate:,.0f} rows/s, {left:,.0f}s left\n"
            )
        self.stream.flush()


class Runner:
    """The verbs, on an open environment. Returns an exit code."""

    def __init__(self, env, out=None):
        self.env = env
        self.out = out or sys.stdout

    def say(self, text=""):
        self.out.write(f"{text}\n")

    def _commit(self):
        # the command line keeps what it did, like a run from the UI; under
        # tests the transaction belongs to the test case
        if not modules.module.current_test:
            self.env.cr.commit()

    def _rollback(self):
        if not modules.module.current_test:
            self.env.cr.rollback()

    # ------------------------------------------------------------------ run
    def run(self, opts):
        project = self._project(opts)
        self._stage(project, opts)
        project.action_profile()
        project.action_propose()
        unloaded = self._maps(project, opts)
        kind = "full" if opts.full else "sample"
        if kind == "sample" and opts.sample:
            project.sample_size = opts.sample
        if kind == "full":
            self._refuse_unconfirmed(project)
        self._commit()  # keep the staged files and maps whatever the run does
        interrupted = project._interrupted_runs()
        for old in interrupted:
            what = "rollback" if old.rollback_pending else "run"
            self.say(
                f"run {old.id} was interrupted ({what} stopped at {old.done_rows}/"
                f"{old.total_rows} rows): resuming it from the ledger"
            )
        progress = Progress(self.out)
        run = project.with_context(migration_progress=progress)._start_run(
            kind, commit=True
        )
        self._commit()
        if run in interrupted:
            self.say(f"resumed run {run.id}")
        self._print_report(run)
        if run.state != "done":
            self.say(f"exit code {EXIT_FAILED}: the run {run.state}")
            return EXIT_FAILED
        return self._exit_code(project, unloaded)

    def _project(self, opts):
        """The project named on the command line (made when new) as the user
        named, with its settings from the options."""
        user = self.env["res.users"].search([("login", "=", opts.user)], limit=1)
        if not user:
            raise Refused(f"no user with login {opts.user!r}")
        env = self.env(user=user.id)
        systems = dict(env["migration.project"]._selection_system())
        if opts.system not in systems:
            raise Refused(
                f"unknown system {opts.system!r} (known: {', '.join(sorted(systems))})"
            )
        Project = env["migration.project"]
        project = Project.search([("name", "=", opts.project)], limit=1)
        if not project:
            project = Project.create({"name": opts.project, "system": opts.system})
            self.say(f"project {project.name!r} created (id {project.id})")
        elif project.system != opts.system:
            raise Refused(
                f"project {project.name!r} is a {project.system} project, not {opts.system}"
            )
        folders = [p for p in opts.paths if Path(p).is_dir()]
        if folders and not project.sudo().files_path:
            # sudo: a system setting; the command line runs on the server and
            # the attachment files are those of the folder it was given
            project.sudo().files_path = str(Path(folders[0]).resolve())
        if opts.create_users:
            project.create_users = True
        if opts.source_tz:
            zones = dict(project._fields["source_tz"]._description_selection(env))
            if opts.source_tz not in zones:
                raise Refused(f"unknown time zone {opts.source_tz!r}")
            project.source_tz = opts.source_tz
        return project

    def _stage(self, project, opts):
        """The files and folders given, then the API's records when asked."""
        for path in self._files(opts.paths, project):
            if path.is_dir():
                sources = project._add_folder(path)
            else:
                sources = project._add_file(path.name, path.read_bytes())
            for source in sources:
                if source.state == "error":
                    raise Refused(source.error)
                self.say(f"staged {source.name}: {source.row_count} rows")
                if not source.row_count:
                    self.say(
                        f"warning: {source.name} has a header row but no data rows: "
                        "nothing to load"
                    )
        if opts.api:
            self._pull(project, opts)

    def _maps(self, project, opts):
        """The maps file and the accepted proposals applied; returns the object
        maps left without a target (said, and not loaded)."""
        if opts.maps:
            problems = project._import_maps(self._load_json(opts.maps))
            for problem in problems:
                self.say(f"maps: {problem}")
        # after the maps file: it may say what a file the proposer could not
        # name holds (its object), which is then loaded
        unloaded = project.object_map_ids.filtered(lambda m: not m.target)
        for omap in unloaded:
            reason = (omap.reason or "").replace("\n", " ")
            self.say(f"not loaded: {omap.source_id.name or omap.object_name}: {reason}")
        if opts.accept_proposals:
            fmaps, vmaps = project._accept_proposals(opts.min_confidence)
            self.say(
                f"accepted {len(fmaps)} field maps and {len(vmaps)} value maps "
                f"(confidence >= {opts.min_confidence})"
            )
        return unloaded

    def _refuse_unconfirmed(self, project):
        pending = project._unconfirmed_maps()
        if not pending:
            return
        self.say(
            "unconfirmed maps (confirm them, pass --maps FILE or --accept-proposals):"
        )
        for rec in pending:
            conf = getattr(rec, "confidence", 0.0)
            reason = (getattr(rec, "reason", "") or "").replace("\n", " ")
            self.say(
                f"  {rec._description}: {rec.display_name} "
                f"(confidence {conf:.2f}) {reason}"
            )
        raise Refused(f"{len(pending)} maps are not confirmed")

    def _exit_code(self, project, unloaded):
        """EXIT_OK when nothing is left to decide, else EXIT_REVIEW saying what is open."""
        env = project.env
        open_rows = env["migration.review"].search_count(
            [("project_id", "=", project.id), ("state", "=", "open")]
        )
        if not open_rows and not unloaded:
            return EXIT_OK
        reasons = []
        if open_rows:
            # rows sharing a kind, column and value are one item to decide
            items = env["migration.review.issue"].search_count(
                [("project_id", "=", project.id), ("state", "=", "open")]
            )
            reasons.append(
                f"{items} review item{'s' if items != 1 else ''} open on "
                f"{open_rows} row{'s' if open_rows != 1 else ''} "
                "(the review queue of the project, or the report's review list)"
            )
            self.say(f"open review items: {project.review_summary}")
        if unloaded:
            reasons.append(f"{len(unloaded)} file(s) not loaded (listed above)")
        self.say(f"exit code {EXIT_REVIEW}: done, but " + " and ".join(reasons))
        return EXIT_REVIEW

    def _pull(self, project, opts):
        needs = project._api_credentials()
        if not needs:
            raise Refused(f"{project.system} has no API pull: give its export files")
        account = opts.account_id or os.environ.get("CRM_MIGRATION_ACCOUNT_ID")
        key = opts.api_key or os.environ.get("CRM_MIGRATION_API_KEY")
        if not key or ("account_id" in needs and not account):
            raise Refused(
                "--api needs "
                + ("--account-id and " if "account_id" in needs else "")
                + "an API key (--api-key, or the environment variables "
                + ("CRM_MIGRATION_ACCOUNT_ID and " if "account_id" in needs else "")
                + "CRM_MIGRATION_API_KEY)"
            )
        credentials = {"api_key": key}
        if "account_id" in needs:
            credentials["account_id"] = account
        try:
            sources = project._pull_api(credentials, base_url=opts.base_url)
        except (ApiError, ValueError) as exc:
            # engine.api already leaves secrets out; belt and braces for the key
            raise Refused(str(exc).replace(key, "***")) from None
        if opts.keep_key:
            project._keep_api_credentials(credentials, opts.base_url)
        for source in sources:
            self.say(f"pulled {source.name}: {source.row_count} rows")
        if project.api_pull_requests:
            self.say(f"API pull: {project._pull_requests_text()}")

    def _files(self, paths, project):
        """The files to stage; a folder the source system reads as one export
        (saved API pages) stays whole."""
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir() and project._reads_folder(path):
                files.append(path)
            elif path.is_dir():
                files.extend(
                    sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED)
                )
            elif path.is_file():
                files.append(path)
            else:
                raise Refused(f"{raw}: no such file or folder")
        return files

    def _load_json(self, name):
        try:
            return json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Refused(f"{name}: {exc}") from exc

    # --------------------------------------------------------------- report
    def _print_report(self, run):
        data = run._report_data()
        self.say()
        self.say(
            f"run {run.id} ({run.kind}) of {run.project_id.name!r}: {run.state}"
            f"{'' if run.balanced else ' - RECONCILIATION DOES NOT BALANCE'}"
        )
        cols = ("read", *OUTCOMES)
        self.say(f"{'object':<28}{'target':<10}" + "".join(f"{c:>10}" for c in cols))
        for row in data["objects"]:
            self.say(
                f"{row['object'][:27]:<28}{row['target']:<10}"
                + "".join(f"{row[c]:>10}" for c in cols)
            )
        totals = {c: sum(r[c] for r in data["objects"]) for c in cols}
        self.say(f"{'total':<38}" + "".join(f"{totals[c]:>10}" for c in cols))
        cells = data["cells"]
        total = sum(c["cells"] for c in cells)
        self.say(
            f"cells: {total} non-empty, "
            + ", ".join(
                f"{sum(c[o] for c in cells)} {o}"
                for o in ("written", "ignored", "review", "unaccounted")
            )
        )
        for c in cells:
            if c["unaccounted"]:
                self.say(
                    f"  UNACCOUNTED {c['object']}.{c['column']} -> {c['field']}: "
                    f"{c['unaccounted']} of {c['cells']} ({c['example']})"
                )
        if data["links"]:
            self.say(
                "links rebuilt by key: "
                + ", ".join(
                    f"{k['object']} -> {k['parent']} by {k['key']}: {k['count']}"
                    for k in data["links"]
                )
            )
        if data["review"]:
            self.say(
                "review items: "
                + ", ".join(f"{k}: {v}" for k, v in sorted(data["review"].items()))
            )
        else:
            self.say("review items: none")

    def report(self, opts):
        run = self.env["migration.run"].browse(opts.run_id).exists()
        if not run:
            raise Refused(f"no run {opts.run_id}")
        self._print_report(run)
        if opts.json_file:
            Path(opts.json_file).write_text(
                json.dumps(run._report_data(), indent=2, ensure_ascii=False)
            )
            self.say(f"wrote {opts.json_file}")
        if opts.xlsx_file:
            Path(opts.xlsx_file).write_bytes(run._report_xlsx())
            self.say(f"wrote {opts.xlsx_file}")
        return EXIT_OK if run.state == "done" else EXIT_FAILED

    def rollback(self, opts):
        user = self.env["res.users"].search([("login", "=", opts.user)], limit=1)
        if not user:
            raise Refused(f"no user with login {opts.user!r}")
        env = self.env(user=user.id)
        if not env.user.has_group("crm_migration.group_migration_manager"):
            raise Refused(f"{opts.user} is not a Migration Manager")
        if opts.project:
            project = env["migration.project"].search(
                [("name", "=", opts.project)], limit=1
            )
            if not project:
                raise Refused(f"no project {opts.project!r}")
            runs = project.run_ids
        elif opts.run_id:
            runs = env["migration.run"].browse(opts.run_id).exists()
            if not runs:
                raise Refused(f"no run {opts.run_id}")
        else:
            raise Refused("name a run or --project")
        totals = runs._rollback(force=opts.force, commit=True)
        self._commit()
        self.say(
            f"rolled back {len(runs)} run(s): {totals['done']} records undone, "
            f"{len(totals['conflicts'])} conflicts, {len(totals['errors'])} refused"
        )
        for entry, reason in totals["conflicts"] + totals["errors"]:
            self.say(
                f"  {entry.res_model},{entry.res_id} ({entry.source_key}): {reason}"
            )
        return EXIT_REVIEW if totals["conflicts"] or totals["errors"] else EXIT_OK

    def status(self, opts):
        domain = [("name", "=", opts.project)] if opts.project else []
        projects = self.env["migration.project"].search(domain)
        if opts.project and not projects:
            raise Refused(f"no project {opts.project!r}")
        for project in projects:
            self.say(
                f"{project.name} [{project.system}] {project.state}: {project.source_count} files, "
                f"{project.unconfirmed_count} unconfirmed maps, {project.review_open_count} open review items"
            )
            for run in project.run_ids.sorted("id"):
                state = "interrupted" if run.interrupted else run.state
                self.say(
                    f"  run {run.id} {run.kind:<6} {state:<7} read {run.read_count}, "
                    f"created {run.created_count}, updated {run.updated_count}, "
                    f"merged {run.merged_count}, review {run.review_count}"
                )
        return EXIT_OK

    def maps(self, opts):
        project = self.env["migration.project"].search(
            [("name", "=", opts.project)], limit=1
        )
        if not project:
            raise Refused(f"no project {opts.project!r}")
        if opts.maps_verb == "export":
            Path(opts.file).write_text(
                json.dumps(project._export_maps(), indent=2, ensure_ascii=False)
            )
            self.say(f"wrote {opts.file}")
            return EXIT_OK
        problems = project._import_maps(self._load_json(opts.file))
        for problem in problems:
            self.say(f"maps: {problem}")
        return EXIT_REFUSED if problems else EXIT_OK

    def dispatch(self, opts):
        """Run one verb; refusals become exit code 2 with a one-line reason."""
        try:
            return getattr(self, opts.verb)(opts)
        except (Refused, UserError, AccessError, readers.ReadError) as exc:
            self._rollback()
            reason = str(exc.args[0]) if exc.args else str(exc)
            self.say(f"refused: {reason.splitlines()[0]}")
            for extra in reason.splitlines()[1:]:
                self.say(f"  {extra}")
            return EXIT_REFUSED


class CrmMigration(Command):
    """Run, check and undo a CRM migration (run, status, report, maps)."""

    name = "crm-migration"

    def run(self, cmdargs):
        parser = build_parser(f"{Path(sys.argv[0]).name} {self.name}")
        ours, odoo_args = split_odoo_args(cmdargs)
        opts = parser.parse_args(ours)
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname:
            print("refused: no database (-d DB)")
            sys.exit(EXIT_REFUSED)
        if isinstance(dbname, list):
            dbname = dbname[0]
        dbname = dbname.split(",")[0]
        odoo.service.server.load_server_wide_modules()
        registry = Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            code = Runner(env).dispatch(opts)
            cr.commit()
        sys.stdout.flush()
        sys.exit(code)
