"""End-to-end bad-input fuzzer: the mutated cases of ``fuzz_inputs.py`` driven
through a REAL migration in Odoo, the command line's own verb
(``crm-migration run FILE --full --accept-proposals --min-confidence 0``):
staging, profile, propose, accept, full run. A table the proposer leaves to a
person is named "contact" by a maps file, as a consultant would.

Per case, a finding is:

- an exception escaping the command (a traceback instead of an exit code);
- a run left ``running``/``queued``, or ``failed`` without a reason in its log;
- a ``done`` run that does not balance (read = loaded + merged + skipped +
  reviewed) or has unaccounted cells (its cell conservation);
- rows staged for a loaded object that the run did not read, or non-empty
  cells the reader gave that staging does not hold (a silent loss upstream
  of the run's own checks);
- a refusal (exit code 2) whose reason names neither the file nor its object.

Runs by ``bench/run_fuzz_e2e.sh`` (a throwaway cluster and database), or on a
database with crm_migration installed::

    python bench/fuzz_e2e.py [--per-class N] [--seed S] [--limits] [--keep DIR] \
        [--out JSON] -- -d DB --addons-path=... (Odoo's options)

Every case commits (a project of its own, ``fuzz <n> <name>``). Not a test: a
class it finds gets a fix and a regression test. ``--limits`` adds the slow
shapes (5,000 columns, a 3 MB cell, a 3,000-member zip, a zip member of 2M
rows) and says what the upload did with each.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import fuzz_inputs as F  # noqa: E402
from bench_import import admin_env, open_registry  # noqa: E402

ROWS = 20  # data rows kept of a text input before it is mutated
SMALL = 64 * 1024  # binary inputs (xlsx, zip) used whole up to this size
LIMIT_SHAPES = ("wide.csv", "cell-3mb.csv", "many-members.zip", "bomb.zip")


# ------------------------------------------------------------------ the cases


def _shrink(name, data):
    """A text input cut to its header and ROWS lines (a multi-line cell may
    end cut: that is one more bad input)."""
    if name.lower().endswith((".csv", ".tsv", ".txt")):
        return b"\n".join(data.split(b"\n")[: ROWS + 1]) + b"\n"
    return data


def base_inputs(system="generic"):
    """Small inputs: the bad corpus, tests/data's CSVs, every sample (generic);
    a source system's own samples (the others)."""
    out = []
    files = F.corpus_files()
    if system != "generic":
        folder = os.path.join(ROOT, "samples", system)
        files = [
            (f, open(os.path.join(folder, f), "rb").read())  # noqa: SIM115
            for f in sorted(os.listdir(folder))
            if f.lower().endswith(F.EXTS)
        ]
    for name, data in files:
        if name.lower().endswith((".xlsx", ".xlsm", ".zip", ".json")):
            if len(data) <= SMALL:
                out.append((name, data))
        else:
            out.append((name, _shrink(name, data)))
    return out


def cases(per_class, seed, limits, system="generic"):
    """[(class, name, bytes)]: ``per_class`` mutated cases of each mutation,
    odd XLSX and zip cases, and the hand-made shapes (small ones; the slow
    ones with ``limits``); a source system's: its samples mutated."""
    inputs = base_inputs(system)
    rng = random.Random(seed)
    out = []
    for mutation in F.MUTATIONS:
        cls = mutation.__name__[2:]
        for _ in range(per_class):
            name, data = rng.choice(inputs)
            out.append((cls, *mutation(rng, name, data)))
    binaries = [(n, d) for n, d in inputs if n.lower().endswith((".xlsx", ".zip"))]
    if system != "generic":
        return out
    for _ in range(per_class):
        name, data = rng.choice(binaries)
        out.append(("binary_flip", *F.m_flip(rng, name, data)))
        out.append(("binary_truncate", *F.m_truncate(rng, name, data)))
    for name, data in F.specials():
        if name in LIMIT_SHAPES:
            if limits:
                out.append(("limits", name, data))
        else:
            out.append(("special", name, data))
    if limits:
        # at the project's default 'Columns per file': staged, proposed, run
        wide = ",".join(f"c{i}" for i in range(1000)) + "\n"
        out.append(
            ("limits", "wide-1000.csv", (wide + wide.replace("c", "v")).encode())
        )
    return out


# ------------------------------------------------------------------ one case


def _runner_class():
    from odoo.addons.crm_migration.cli.crm_migration import Runner

    class FuzzRunner(Runner):
        """The command line, naming "contact" for a table the proposer left
        to a person (as the maps file of a consultant would)."""

        def _maps(self, project, opts):
            left = project.object_map_ids.filtered(lambda m: not m.target)
            if left:
                project._import_maps(
                    {
                        "format": "crm_migration.maps/1",
                        "objects": [
                            {
                                "source": m.source_id.name,
                                "target": "contact",
                                "confirmed": True,
                                "fields": [],
                            }
                            for m in left
                        ],
                    }
                )
            return super()._maps(project, opts)

    return FuzzRunner


def _argv(path, project, system):
    return [
        "run",
        path,
        "--project",
        project,
        "--system",
        system,
        "--full",
        "--accept-proposals",
        "--min-confidence",
        "0",
    ]


def _reader_cells(name, data):
    """{table: non-empty cells} as the engine's readers give them."""
    from odoo.addons.crm_migration.engine import readers

    try:
        tables = readers.open_tables(name, data=data)
    except readers.ReadError:
        return {}
    out = {}
    for table in tables:
        n = 0
        for _line, row in table.rows():
            n += sum(1 for v in row.values() if isinstance(v, str) and v.strip())
        out[table.name] = n
    return out


def _staged_cells(env, source):
    """Non-empty cells staging holds for ``source`` (the extra cells too)."""
    env.cr.execute(
        "SELECT count(*) FROM migration_staging_row r, jsonb_each_text(r.data) e "
        "WHERE r.source_id = %s AND btrim(e.value) <> ''",
        [source.id],
    )
    return env.cr.fetchone()[0]


def check(env, project, code, lines, name, data):
    """The findings of one case (texts), from what the database holds."""
    from odoo.addons.crm_migration.cli.crm_migration import EXIT_REFUSED

    found = []
    if code == EXIT_REFUSED:
        # the file, or the object a person sees its table as (a run refused
        # for its maps names the object map)
        last = lines[-1] if lines else ""
        names = {name, *project.object_map_ids.mapped("object_name")}
        if not last.startswith("refused: ") or not any(n and n in last for n in names):
            found.append(f"refusal naming neither file nor object: {last[:160]!r}")
        return found, "refused: " + last[9:160]
    runs = project.run_ids
    for run in runs:
        if run.state in ("running", "queued", "draft"):
            found.append(f"run {run.id} left {run.state}")
        elif run.state == "failed" and not (run.log or "").strip():
            found.append(f"run {run.id} failed without a reason")
        elif run.state == "done":
            if not run.balanced:
                found.append(f"run {run.id} done but does not balance")
            if run.unaccounted_cell_count:
                found.append(
                    f"run {run.id} done with {run.unaccounted_cell_count} "
                    "unaccounted cells"
                )
    loaded = project.object_map_ids.filtered("target").mapped("source_id")
    staged = sum(loaded.mapped("row_count"))
    for run in runs.filtered(lambda r: r.state == "done"):
        if run.read_count != staged:
            found.append(f"run read {run.read_count} rows of {staged} staged")
    cells = _reader_cells(name, data)
    for source in project.source_ids.filtered(lambda s: s.state != "error"):
        held = _staged_cells(env, source)
        if source.name in cells and held < cells[source.name]:
            found.append(
                f"{source.name}: {cells[source.name]} cells read, {held} staged"
            )
    for run in runs:
        # a loss the run's own check caught: the cells, for a person to judge
        for c in run.cell_check_ids.filtered("unaccounted_count"):
            fmap = c.object_map_id.field_map_ids.filtered(
                lambda f, c=c: f.column == c.column
            )[:1]
            found.append(
                f"cells unaccounted: {c.object_name}.{c.column} -> {c.field_name}: "
                f"{c.unaccounted_count} of {c.cell_count} (e.g. {c.example!r}; map "
                f"{fmap.action} {fmap.new_field_type or fmap.target_field_id.ttype} "
                f"{fmap.transform} {fmap.transform_options}, project "
                f"{project.source_tz} {project.date_order})"
            )
    outcome = ", ".join(f"run {r.state}" for r in runs) or "no run"
    failed = runs.filtered(lambda r: r.state == "failed")
    if failed:
        reason = [line for line in (failed[0].log or "").splitlines() if "fail" in line]
        outcome += f" ({(reason or ['?'])[0][:160]})"
    return found, f"exit {code}, {outcome}"


def run_case(registry, k, cls, name, data, folder, system="generic"):
    """(findings, outcome, seconds) of one case, in its own transaction."""
    from odoo import modules

    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    path = os.path.join(folder, f"{k:03d}", safe)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    project_name = f"fuzz {system} {k} {cls} {safe}"
    out = io.StringIO()
    started = time.monotonic()
    assert not modules.module.current_test
    with registry.cursor() as cr:
        env = admin_env(cr)
        runner = _runner_class()(env, out=out)
        from odoo.addons.crm_migration.cli.crm_migration import build_parser

        try:
            opts = build_parser().parse_args(_argv(path, project_name, system))
            code = runner.dispatch(opts)
        except Exception as exc:  # noqa: BLE001 - the point: a crash is a finding
            cr.rollback()
            where = F._where(exc)
            tb = traceback.format_exc(limit=-3)
            return (
                [f"crash {type(exc).__name__} at {where}: {str(exc)[:160]}"],
                tb,
                (time.monotonic() - started),
            )
        cr.commit()
        env.invalidate_all()
        project = env["migration.project"].search([("name", "=", project_name)])
        lines = out.getvalue().splitlines()
        found, outcome = check(env, project, code, lines, safe, data)
        if any("Traceback" in line for line in lines):
            found.append("a traceback in the command's output")
        cr.rollback()
    return found, outcome, time.monotonic() - started


# ------------------------------------------------------------------ main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ours, odoo_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :])
        if "--" in argv
        else (argv, [])
    )
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limits", action="store_true", help="add the slow shapes")
    ap.add_argument("--only", help="only cases whose file name contains this")
    ap.add_argument(
        "--system",
        default="generic",
        help="source systems, comma-separated (each: its samples mutated, "
        "projects of that system)",
    )
    ap.add_argument("--keep", default="", help="write each finding's file here")
    ap.add_argument("--out", default="", help="every case as JSON")
    args = ap.parse_args(ours)
    registry = open_registry(odoo_args)
    todo = [
        (system, *case)
        for system in args.system.split(",")
        for case in cases(args.per_class, args.seed, args.limits, system)
    ]
    if args.only:
        todo = [c for c in todo if args.only in c[2]]
    folder = tempfile.mkdtemp(prefix="fuzz_e2e_")
    results, classes = [], defaultdict(list)
    for k, (system, cls, name, data) in enumerate(todo):
        found, outcome, secs = run_case(registry, k, cls, name, data, folder, system)
        first = outcome.splitlines()[-1] if outcome else ""
        print(
            f"{k:3d} {system[:10]:10s} {cls:14s} {name[:26]:26s} {secs:6.1f}s  "
            f"{first[:100]}"
        )
        for what in found:
            print(f"      FINDING {what}")
            classes[what.split(":")[0][:80]].append(f"{k}-{system}-{name}")
        if found and args.keep:
            os.makedirs(args.keep, exist_ok=True)
            with open(os.path.join(args.keep, f"{k:03d}-{name}"), "wb") as fh:
                fh.write(data)
        results.append(
            {
                "case": k,
                "system": system,
                "class": cls,
                "file": name,
                "bytes": len(data),
                "seconds": round(secs, 2),
                "outcome": outcome,
                "findings": found,
            }
        )
        sys.stdout.flush()
    tally = Counter(r["class"] for r in results)
    print(
        f"\n{len(results)} cases (seed {args.seed}, {dict(tally)}), "
        f"{sum(1 for r in results if r['findings'])} with findings, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    for what, names in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(names):4d}  {what}  e.g. {names[0]}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)
    return 1 if classes else 0


if __name__ == "__main__":
    sys.exit(main())
