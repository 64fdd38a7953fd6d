"""Where one object's time goes: the bench's files migrated in one process (as
bench_tail.py migrates them) with, per object, the CPU seconds of this process
and of our PostgreSQL cluster, the wall seconds and the SQL queries of its
batches and, apart (``settle``, measured by bench_tail.instrument), of the
deals' scoring once after their last batch (loader.probabilities);
``--profile-target lead`` keeps a cProfile of that object's batches only
(``company,contact``: of both; by default $BENCH_PROFILE_TARGET, else lead);
bench/run_objects.sh drives it, before and after a revision.

    python bench/bench_objects.py load --data DIR --out a.json \
        [--profile p.pstats --profile-target lead] -- ODOO_ARGS
    python bench/bench_objects.py report a.json b.json ...

Ratios of loads made side by side, never a timed test: the machine is shared.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import as bi  # noqa: E402
import bench_tail as bt  # noqa: E402


def instrument_batches(env, meter, profiler, target):
    """Wrap BatchLoader.load: each batch's cost added to its object's part;
    the profiler on during the batches of ``target`` only."""
    from odoo.addons.crm_migration.loader.batch import BatchLoader

    original = BatchLoader.load
    targets = set((target or "").split(","))

    def load(self, rows):
        on = profiler is not None and self.omap.target in targets
        start = meter.now()
        if on:
            profiler.enable()
        try:
            return original(self, rows)
        finally:
            if on:
                profiler.disable()
            meter.add(f"object:{self.omap.target}", start)

    BatchLoader.load = load


def load(opts):
    registry = bi.open_registry(opts.odoo_args)
    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    profiler = None
    if opts.profile:
        import cProfile

        profiler = cProfile.Profile()
    with registry.cursor() as cr:
        env = bi.admin_env(cr)
        meter = bt.Meter(cr, postmaster)
        bt.instrument(env, meter)
        instrument_batches(env, meter, profiler, opts.profile_target)
        run = bt.migrate(env, Path(opts.data), meter, None)
        result = {
            "revision": os.environ.get("BENCH_REVISION", ""),
            "label": opts.label,
            "state": run.state,
            "balanced": run.balanced,
            "read": run.read_count,
            "created": run.created_count,
            "unaccounted_cells": run.unaccounted_cell_count,
            "parts": meter.parts,
        }
    if profiler:
        profiler.dump_stats(opts.profile)
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    print(
        f"{opts.label}: "
        + ", ".join(
            f"{name[7:]} {part['cpu'] + part['pg_cpu']:.1f} CPU s"
            for name, part in sorted(meter.parts.items())
            if name.startswith("object:") or name == "settle"
        ),
        flush=True,
    )


def report(opts):
    rows = [json.loads(Path(p).read_text()) for p in opts.files]
    head = (
        f"{'load':<18} {'object':<12} {'wall s':>7} {'Odoo cpu':>8} {'pg cpu':>7} "
        f"{'cpu sum':>7} {'queries':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        parts = r["parts"]
        for name in sorted(parts):
            if not name.startswith("object:") and name not in ("run", "settle", "tail"):
                continue
            p = parts[name]
            print(
                f"{r['label']:<18} {name.removeprefix('object:'):<12} "
                f"{p['seconds']:>7.1f} {p['cpu']:>8.2f} {p['pg_cpu']:>7.2f} "
                f"{p['cpu'] + p['pg_cpu']:>7.2f} {p['queries']:>8}"
            )
        print(
            f"{'':<18} {r['state']}, balanced {r['balanced']}, read {r['read']}, "
            f"created {r['created']}, unaccounted cells {r['unaccounted_cells']}"
        )


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
    p_load.add_argument(
        "--profile-target", default=os.environ.get("BENCH_PROFILE_TARGET") or "lead"
    )
    p_rep = sub.add_parser("report")
    p_rep.add_argument("files", nargs="+")
    opts = parser.parse_args(ours)
    opts.odoo_args = odoo_args
    if opts.cmd == "load":
        load(opts)
    else:
        report(opts)


if __name__ == "__main__":
    main()
