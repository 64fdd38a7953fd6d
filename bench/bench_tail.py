"""The run's end, measured apart: what a full run costs after its last batch
(fill rates, the per-cell conservation check, the reconciliation and the state),
against the whole migration, in one process (bench/run_tail.sh drives it).

    python bench/bench_tail.py load --data DIR --out a.json [--profile p.pstats] -- ODOO_ARGS
    python bench/bench_tail.py report a.json b.json ...

``load`` migrates every CSV file of DIR as the command line does (ingest,
profile, propose, accept every proposal, full run committing per batch) and
records, for the whole migration and for each part of the tail: wall seconds,
CPU seconds of this process and of our PostgreSQL cluster, and the SQL queries
(the cursor's own count). ``--profile`` also keeps a cProfile of the whole
migration and reports the tail's share of it. Ratios and shares, never a timed
test: the machine is shared.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import as bi  # noqa: E402

# model, method: the parts of a run's end after its last batch
TAIL_PARTS = (
    ("migration.fill.rate", "_build_for_run", "fill_rates"),
    ("migration.cell.check", "_build_for_run", "cell_check"),
)


# what precedes the run, as run_bench.sh's phases, and their sum
FRONT_PARTS = ("ingest", "profile", "propose", "accept", "front")


class Meter:
    """Wall, CPU (this process and the cluster) and SQL queries of blocks."""

    def __init__(self, cr, postmaster):
        self.cr = cr
        self.postmaster = postmaster
        self.parts = {}

    def now(self):
        return (
            time.perf_counter(),
            bi.cpu_s(),
            bi.cluster_cpu_seconds(self.postmaster),
            self.cr.sql_log_count,
        )

    def add(self, name, start):
        end = self.now()
        part = self.parts.setdefault(
            name, {"seconds": 0.0, "cpu": 0.0, "pg_cpu": 0.0, "queries": 0, "calls": 0}
        )
        for key, a, b in zip(("seconds", "cpu", "pg_cpu", "queries"), start, end):
            part[key] += b - a
        part["calls"] += 1


def instrument(env, meter):
    """Wrap the tail's methods on this registry's model classes."""
    for model, method, name in TAIL_PARTS:
        cls = type(env[model])
        original = getattr(cls, method)

        def wrapped(self, *args, _original=original, _name=name, **kwargs):
            start = meter.now()
            try:
                return _original(self, *args, **kwargs)
            finally:
                meter.add(_name, start)

        setattr(cls, method, wrapped)
    cls = type(env["migration.run"])
    original_finish = cls._finish

    def finish(self, *args, **kwargs):
        start = meter.now()
        try:
            return original_finish(self, *args, **kwargs)
        finally:
            meter.add("tail", start)

    cls._finish = finish
    # the objects' lead probabilities, settled after their last batch (the
    # deals'), run before _finish: part of the run's tail after the last batch
    from odoo.addons.crm_migration.loader import probabilities
    from odoo.addons.crm_migration.loader import run as run_module

    original_settle = probabilities.settle

    def settle(*args, **kwargs):
        start = meter.now()
        try:
            return original_settle(*args, **kwargs)
        finally:
            meter.add("settle", start)

    run_module.probabilities = _Patched(probabilities, settle=settle)


class Statements:
    """pg_stat_statements of the cluster (when the cluster preloads it:
    BENCH_PG_OPTS="-c shared_preload_libraries=pg_stat_statements"), read on a
    connection of its own: what each statement cost between two snapshots."""

    def __init__(self, registry):
        self.registry = registry
        self.ok = False
        try:
            with registry.cursor() as cr:
                cr.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                cr.execute("SELECT 1 FROM pg_stat_statements LIMIT 1")
            self.ok = True
        except Exception:  # noqa: BLE001 - not preloaded: no statements
            self.ok = False

    def reset(self):
        if self.ok:
            with self.registry.cursor() as cr:
                cr.execute("SELECT pg_stat_statements_reset()")

    def snapshot(self):
        if not self.ok:
            return {}
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT queryid, query, calls, total_exec_time, rows "
                "FROM pg_stat_statements"
            )
            return {q: (text, c, t, r) for q, text, c, t, r in cr.fetchall()}

    @staticmethod
    def diff(before, after, top=30):
        rows = []
        for qid, (text, calls, ms, nrows) in after.items():
            old = before.get(qid, (text, 0, 0.0, 0))
            if calls - old[1]:
                rows.append((ms - old[2], calls - old[1], nrows - old[3], text))
        rows.sort(reverse=True)
        total = sum(r[0] for r in rows)
        return {
            "total_ms": total,
            "statements": len(rows),
            "top": [
                {"ms": ms, "calls": c, "rows": n, "query": " ".join(q.split())[:400]}
                for ms, c, n, q in rows[:top]
            ],
        }


class _Patched:
    """A module with some attributes replaced."""

    def __init__(self, module, **attrs):
        self._module = module
        self.__dict__.update(attrs)

    def __getattr__(self, name):
        return getattr(self._module, name)


def migrate(env, data_dir, meter, profiler, statements=None, snaps=None):
    project = env["migration.project"].create(
        {"name": "Tail bench", "system": "generic"}
    )
    if profiler:
        profiler.enable()
    start = meter.now()
    for path in sorted(data_dir.glob("*.csv")):
        phase = meter.now()
        sources = project._add_file(path.name, path.read_bytes())
        meter.add("ingest", phase)
        bad = sources.filtered(lambda s: s.state == "error")
        if bad:
            raise SystemExit(f"refused {path.name}: {bad.error}")
    # what precedes the run, phase by phase (run_bench.sh's "ingest",
    # "profile", "propose", "accept")
    for name, step in (
        ("profile", project.action_profile),
        ("propose", project.action_propose),
        ("accept", lambda: project._accept_proposals(0.0)),
    ):
        phase = meter.now()
        step()
        meter.add(name, phase)
    env.cr.commit()
    meter.add("front", start)
    run_start = meter.now()
    last_batch = [run_start]

    def progress(_object_name, done, total):
        last_batch[0] = meter.now()
        if done == total and statements:
            # the statements from here on (a diff of two snapshots loses
            # those the view evicted: every page size is a statement of its own)
            statements.reset()
            snaps["last_batch"] = {}

    run = project.with_context(migration_progress=progress)._start_run(
        "full", commit=True
    )
    commit_start = meter.now()
    env.cr.commit()
    meter.add("final_commit", commit_start)
    meter.add("run", run_start)
    # as run_bench.sh's "run tail after the last batch": the deals' settled
    # probabilities, the run's end (_finish) and the commit
    meter.add("after_last_batch", last_batch[0])
    if statements and "last_batch" in snaps:
        snaps["end"] = statements.snapshot()
    meter.add("whole", start)
    if profiler:
        profiler.disable()
    return run


def load(opts):
    registry = bi.open_registry(opts.odoo_args)
    import os

    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    profiler = None
    if opts.profile:
        import cProfile

        # CPU seconds of this process by default (the machine is shared);
        # BENCH_PROFILE_CLOCK=wall also counts the waits for PostgreSQL
        clock = (
            time.perf_counter
            if os.environ.get("BENCH_PROFILE_CLOCK") == "wall"
            else time.process_time
        )
        profiler = cProfile.Profile(clock)
    with registry.cursor() as cr:
        env = bi.admin_env(cr)
        meter = Meter(cr, postmaster)
        instrument(env, meter)
        statements = Statements(registry)
        snaps = {}
        run = migrate(env, Path(opts.data), meter, profiler, statements, snaps)
        checks = run.cell_check_ids
        result = {
            "revision": os.environ.get("BENCH_REVISION", ""),
            "label": opts.label,
            "state": run.state,
            "balanced": run.balanced,
            "read": run.read_count,
            "created": run.created_count,
            "unaccounted_cells": run.unaccounted_cell_count,
            "cells": sum(checks.mapped("cell_count")),
            "written_cells": sum(checks.mapped("written_count")),
            "cell_rows": [
                [
                    c.object_name,
                    c.column,
                    c.cell_count,
                    c.written_count,
                    c.ignored_count,
                    c.review_count,
                    c.unaccounted_count,
                ]
                for c in checks
            ],  # fmt: skip
            "fill_rates": [
                [
                    f.object_name,
                    f.column,
                    f.source_filled,
                    f.odoo_records,
                    f.odoo_filled,
                ]
                for f in run.fill_rate_ids
            ],  # fmt: skip
            "parts": meter.parts,
        }
        if "end" in snaps:
            result["tail_statements"] = Statements.diff(
                snaps["last_batch"], snaps["end"]
            )
    if profiler:
        profiler.dump_stats(opts.profile)
        result["profile"] = profile_shares(opts.profile)
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    whole, tail = meter.parts["whole"], meter.parts.get("tail", {})
    print(
        f"{opts.label}: whole {whole['seconds']:.1f}s, tail {tail.get('seconds', 0):.1f}s "
        f"({100 * tail.get('seconds', 0) / whole['seconds']:.1f}%), state {result['state']}",
        flush=True,
    )


def profile_shares(path):
    """Cumulative share of the profiled run of the tail's entry points."""
    import pstats

    stats = pstats.Stats(path)
    total = max(stats.total_tt, 1e-9)
    wanted = {
        "_finish": "tail",
        "_build_for_run": None,  # both models: named by file
        "_check_object": "cell_check._check_object",
        "columns": "converted_cells.columns",
        "_compute_for_run": "fill_rates._compute_for_run",
    }
    shares = {}
    for (filename, _line, func), row in stats.stats.items():
        if func not in wanted:
            continue
        if func == "columns" and "converted_cells" not in filename:
            continue
        if func == "_finish" and "migration_run" not in filename:
            continue
        name = wanted[func] or (
            "cell_check" if "cell_check" in filename else "fill_rates"
        )
        shares[name] = shares.get(name, 0.0) + row[3] / total
    return {"total_seconds": total, "shares": shares}


def report(opts):
    rows = [json.loads(Path(p).read_text()) for p in opts.files]
    head = (
        f"{'load':<22} {'whole s':>8} {'tail s':>7} {'tail %':>6} "
        f"{'cells s':>7} {'fill s':>6} {'tail q':>7} {'whole q':>8} "
        f"{'tail cpu':>8} {'tail pg':>7} {'settle s':>8} {'after s':>7} "
        f"{'after cpu':>9} {'after pg':>8}  cells / unaccounted / state"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        p = r["parts"]
        whole, tail = p["whole"], p.get("tail", {})
        cells, fill = p.get("cell_check", {}), p.get("fill_rates", {})
        settle, after = p.get("settle", {}), p.get("after_last_batch", {})
        print(
            f"{r['label']:<22} {whole['seconds']:>8.1f} {tail.get('seconds', 0):>7.1f} "
            f"{100 * tail.get('seconds', 0) / whole['seconds']:>5.1f}% "
            f"{cells.get('seconds', 0):>7.1f} {fill.get('seconds', 0):>6.1f} "
            f"{tail.get('queries', 0):>7} {whole['queries']:>8} "
            f"{tail.get('cpu', 0):>8.1f} {tail.get('pg_cpu', 0):>7.1f} "
            f"{settle.get('seconds', 0):>8.1f} {after.get('seconds', 0):>7.1f} "
            f"{after.get('cpu', 0):>9.1f} {after.get('pg_cpu', 0):>8.1f}  "
            f"{r['cells']} / {r['unaccounted_cells']} / {r['state']}"
        )
        front = [
            f"{name} {p[name]['seconds']:.1f}s/{p[name]['cpu']:.1f}+"
            f"{p[name]['pg_cpu']:.1f}cpu/{p[name]['queries']}q"
            for name in FRONT_PARTS
            if name in p
        ]
        if front:
            print(
                f"{'':<22} before the run (wall/Odoo+PG CPU/queries): {', '.join(front)}"
            )
        st = r.get("tail_statements")
        if st and opts.statements:
            print(
                f"{'':<22} PostgreSQL after the last batch: {st['total_ms'] / 1000:.1f}s "
                f"in {st['statements']} statements; the costliest:"
            )
            for q in st["top"][: opts.statements]:
                print(
                    f"{'':<24}{q['ms'] / 1000:>7.2f}s {q['calls']:>6}x "
                    f"{q['rows']:>8} rows  {q['query'][:150]}"
                )
        if r.get("profile"):
            shares = ", ".join(
                f"{k} {100 * v:.1f}%" for k, v in sorted(r["profile"]["shares"].items())
            )
            print(f"{'':<22} cProfile ({r['profile']['total_seconds']:.0f}s): {shares}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ours, odoo_args = bi.split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_load = sub.add_parser("load")
    p_load.add_argument("--data", required=True)
    p_load.add_argument("--out", required=True)
    p_load.add_argument("--label", default="crm_migration")
    p_load.add_argument("--profile")
    p_rep = sub.add_parser("report")
    p_rep.add_argument("files", nargs="+")
    p_rep.add_argument(
        "--statements", type=int, default=12, help="the N costliest SQL statements"
    )
    opts = parser.parse_args(ours)
    opts.odoo_args = odoo_args
    if opts.cmd == "load":
        load(opts)
    else:
        report(opts)


if __name__ == "__main__":
    main()
