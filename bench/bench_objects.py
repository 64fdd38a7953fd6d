"""Where one object's time goes: the bench's files migrated in one process (as
bench_tail.py migrates them) with, per object, the CPU seconds of this process
and of our PostgreSQL cluster, the wall seconds and the SQL queries of its
batches and, apart (``settle``, measured by bench_tail.instrument), of the
deals' scoring once after their last batch (loader.probabilities);
``--profile-target lead`` keeps a cProfile of that object's batches only
(``company,contact``: of both; by default $BENCH_PROFILE_TARGET, else lead);
bench/run_objects.sh drives it, before and after a revision. With
pg_stat_statements preloaded (BENCH_PG_OPTS, see run_tail.sh), the run's
books too: PostgreSQL's time per row of the ledger's INSERT and of the
staging rows' state UPDATE, the updates that were HOT, the tables' sizes.

    python bench/bench_objects.py load --data DIR --out a.json \
        [--profile p.pstats --profile-target lead] -- ODOO_ARGS
    python bench/bench_objects.py report a.json b.json ...

Ratios of loads made side by side, never a timed test: the machine is shared.
"""

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import as bi  # noqa: E402
import bench_tail as bt  # noqa: E402

# the collector's full (oldest generation) collections of this process:
# [CPU seconds, count], and the CPU clock at the current one's start
FULL_GC = [0.0, 0, None]


def _full_gc(phase, info):
    if info.get("generation") != 2:
        return
    if phase == "start":
        FULL_GC[2] = time.process_time()
    elif FULL_GC[2] is not None:
        FULL_GC[0] += time.process_time() - FULL_GC[2]
        FULL_GC[1] += 1
        FULL_GC[2] = None


def instrument_batches(env, meter, profiler, target):
    """Wrap BatchLoader.load: each batch's cost added to its object's part,
    the collector's full collections during them to ``gc:TARGET`` (CPU
    seconds, collections as calls); the profiler on during the batches of
    ``target`` only."""
    from odoo.addons.crm_migration.loader.batch import BatchLoader

    original = BatchLoader.load
    targets = set((target or "").split(","))
    gc.callbacks.append(_full_gc)

    def load(self, rows):
        on = profiler is not None and self.omap.target in targets and not _on[0]
        start = meter.now()
        collected = FULL_GC[:2]
        if on:
            profiler.enable()
        try:
            return FRAMES.get(self.omap.target, _batch)(original, self, rows)
        finally:
            if on:
                profiler.disable()
            meter.add(f"object:{self.omap.target}", start)
            part = meter.parts.setdefault(
                f"gc:{self.omap.target}",
                {"seconds": 0.0, "cpu": 0.0, "pg_cpu": 0.0, "queries": 0, "calls": 0},
            )
            part["cpu"] += FULL_GC[0] - collected[0]
            part["seconds"] += FULL_GC[0] - collected[0]
            part["calls"] += FULL_GC[1] - collected[1]

    BatchLoader.load = load


# a frame of its own per object's batches, for a sampling profiler's stacks
# (py-spy record --format raw: the deals' batches are under batches_of_lead)
def _batch(call, *args):
    return call(*args)


def batches_of_company(call, *args):
    return call(*args)


def batches_of_contact(call, *args):
    return call(*args)


def batches_of_lead(call, *args):
    return call(*args)


FRAMES = {
    "company": batches_of_company,
    "contact": batches_of_contact,
    "lead": batches_of_lead,
}


# whether the profiler is on for a whole part (then the batches leave it on)
_on = [False]


def _wrap(owner, name, part, meter, profiler=None):
    """``owner.name`` (a class's or a module's function) measured as ``part``
    (a string or a function of the call's arguments); profiled when
    ``profiler`` is given and not already on."""
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        on = profiler is not None and not _on[0]
        start = meter.now()
        if on:
            _on[0] = True
            profiler.enable()
        try:
            return original(*args, **kwargs)
        finally:
            if on:
                profiler.disable()
                _on[0] = False
            meter.add(part(*args, **kwargs) if callable(part) else part, start)

    setattr(owner, name, wrapped)


def instrument_fixed(env, meter, profiler, target):
    """The fixed costs around the batches, each a part of its own: the files'
    ingest (``ingest:FILE``), the run's set-up before its first object
    (``setup:custom_fields``, ``setup:cache``, ``setup:select``), each object
    whole (``whole:TARGET``: its batches, their set-up and its end) and its
    end (``end:statistics``, the planner's statistics). ``target`` ``setup``
    profiles the set-up; an object's target profiles the whole object."""
    from odoo.addons.crm_migration.loader import run as run_module
    from odoo.addons.crm_migration.loader import statistics
    from odoo.addons.crm_migration.loader.cache import RunCache

    targets = set((target or "").split(","))
    setup = profiler if "setup" in targets else None
    project_cls = type(env["migration.project"])
    _wrap(project_cls, "_add_file", lambda _self, name, _data: f"ingest:{name}", meter)
    _wrap(run_module.RunLoader, "custom_fields", "setup:custom_fields", meter, setup)
    _wrap(run_module.RunLoader, "select", "setup:select", meter, setup)
    _wrap(RunCache, "build", "setup:cache", meter, setup)
    original_object = run_module.RunLoader.load_object

    def load_object(self, cache, omap, line, row_ids):
        on = profiler is not None and omap.target in targets and not _on[0]
        start = meter.now()
        if on:
            _on[0] = True
            profiler.enable()
        seen = STATEMENTS[0].snapshot() if STATEMENTS else None
        try:
            return original_object(self, cache, omap, line, row_ids)
        finally:
            if on:
                profiler.disable()
                _on[0] = False
            meter.add(f"whole:{omap.target}", start)
            if seen is not None:
                OBJECT_STATEMENTS[omap.target] = STATEMENTS[0].diff(
                    seen, STATEMENTS[0].snapshot(), top=15
                )

    run_module.RunLoader.load_object = load_object
    _wrap(statistics, "refresh", "end:statistics", meter)


# with pg_stat_statements: each object's costliest statements (whole:TARGET)
STATEMENTS = []
OBJECT_STATEMENTS = {}


# the books' statements over the whole run (pg_stat_statements' text)
BOOK_STATEMENTS = {
    "ledger insert": 'INSERT INTO "migration_ledger"',
    "staging states": "UPDATE migration_staging_row AS r SET source_key",
}
BOOK_TABLES = ("migration_ledger", "migration_staging_row")


def book_costs(before, after):
    """{statement: [ms, rows, calls]} of BOOK_STATEMENTS between two
    snapshots of bench_tail.Statements."""
    costs = {name: [0.0, 0, 0] for name in BOOK_STATEMENTS}
    for qid, (text, calls, ms, rows) in after.items():
        old = before.get(qid, (text, 0, 0.0, 0))
        for name, head in BOOK_STATEMENTS.items():
            if text.lstrip().startswith(head):
                costs[name][0] += ms - old[2]
                costs[name][1] += rows - old[3]
                costs[name][2] += calls - old[1]
    return costs


def book_tables(registry):
    """Per book table: rows updated, of which HOT, heap and index bytes
    (the load's database is a fresh copy: its counts are the load's)."""
    # a backend reports its counts when idle, at most every 10 s (PG 15)
    time.sleep(11)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT relname, n_tup_upd, n_tup_hot_upd, "
            "pg_relation_size(relid), pg_indexes_size(relid) "
            "FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [list(BOOK_TABLES)],
        )
        return {name: rest for name, *rest in cr.fetchall()}


def load(opts):
    registry = bi.open_registry(opts.odoo_args)
    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    profiler = None
    if opts.profile:
        import cProfile

        # CPU seconds of this process (the machine is shared), as bench_tail.py
        clock = (
            time.perf_counter
            if os.environ.get("BENCH_PROFILE_CLOCK") == "wall"
            else time.process_time
        )
        profiler = cProfile.Profile(clock)
    with registry.cursor() as cr:
        env = bi.admin_env(cr)
        meter = bt.Meter(cr, postmaster)
        bt.instrument(env, meter)
        instrument_batches(env, meter, profiler, opts.profile_target)
        instrument_fixed(env, meter, profiler, opts.profile_target)
        statements = bt.Statements(registry)
        # the cluster's statements of earlier loads (other copies of the
        # database) share their query ids with this load's: forgotten
        statements.reset()
        start = statements.snapshot()
        if statements.ok:
            STATEMENTS.append(statements)
        run = bt.migrate(env, Path(opts.data), meter, None)
        books = book_costs(start, statements.snapshot()) if statements.ok else {}
        result = {
            "revision": os.environ.get("BENCH_REVISION", ""),
            "label": opts.label,
            "state": run.state,
            "balanced": run.balanced,
            "read": run.read_count,
            "created": run.created_count,
            "unaccounted_cells": run.unaccounted_cell_count,
            "parts": meter.parts,
            "books": books,
            "object_statements": OBJECT_STATEMENTS,
            "book_tables": book_tables(registry) if statements.ok else {},
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
        f"{'load':<18} {'object':<20} {'wall s':>7} {'Odoo cpu':>8} {'pg cpu':>7} "
        f"{'cpu sum':>7} {'queries':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        parts = r["parts"]
        for name in sorted(parts):
            fixed = name.split(":")[0] in ("whole", "setup", "end", "ingest", "gc")
            if not name.startswith("object:") and not fixed:
                if name not in ("run", "settle", "tail"):
                    continue
            p = parts[name]
            print(
                f"{r['label']:<18} {name.removeprefix('object:'):<20} "
                f"{p['seconds']:>7.1f} {p['cpu']:>8.2f} {p['pg_cpu']:>7.2f} "
                f"{p['cpu'] + p['pg_cpu']:>7.2f} {p['queries']:>8}"
                + (f" ({p['calls']} full collections)" if name[:3] == "gc:" else "")
            )
        print(
            f"{'':<18} {r['state']}, balanced {r['balanced']}, read {r['read']}, "
            f"created {r['created']}, unaccounted cells {r['unaccounted_cells']}"
        )
        for name, (ms, nrows, calls) in (r.get("books") or {}).items():
            per_row = 1000 * ms / nrows if nrows else 0
            print(
                f"{'':<18} {name}: {ms:.0f} ms of PostgreSQL for {nrows} rows "
                f"({calls} statements), {per_row:.1f} us a row"
            )
        for table, (upd, hot, heap, index) in (r.get("book_tables") or {}).items():
            print(
                f"{'':<18} {table}: {upd} rows updated, {hot} HOT; "
                f"heap {heap / 2**20:.1f} MB, indexes {index / 2**20:.1f} MB"
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
