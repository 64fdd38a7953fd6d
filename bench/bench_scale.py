"""Scale bench: the whole migration of one bench/gen_scale.py scenario, in one
process, with the rows per second of each phase and object and the peak
resident memory (RSS) of each phase; ``report`` compares two scales.

    python bench/bench_scale.py load --data DIR --out r.json -- ODOO_ARGS
    python bench/bench_scale.py report small.json large.json --out scale.json

The migration commits as the command line does (one commit per batch).
``report`` gives the cost per row of the larger run over the smaller one
(1.0 = linear; the goal is at most 1.2) and the peak RSS of each; the numbers
are ratios measured on this machine in one session, never a timed test.
"""

import argparse
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_import import (  # noqa: E402
    Clock,
    OtherLoad,
    admin_env,
    open_registry,
    split_argv,
)
from bench_limits import limits  # noqa: E402

FILES = ("companies.csv", "contacts.csv", "deals.csv", "notes.csv", "tasks.csv")
PHASES = ("ingest", "profile", "propose", "accept", "run")


def current_rss_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class RssWatch:
    """The peak RSS of each phase, sampled every 0.2 s by a thread."""

    def __init__(self):
        self.phase = "start"
        self.peaks = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set():
            self.sample()
            time.sleep(0.2)

    def sample(self):
        rss = current_rss_mb()
        self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class MemoryTrace:
    """The RSS after every batch of the run (rows loaded so far, MB), and with
    ``folder`` a tracemalloc snapshot every ``every`` rows and at the end:
    what the run keeps growing shows as a difference of two snapshots
    (``python bench/bench_scale.py memdiff A B``)."""

    def __init__(self, folder=None, every=0):
        self.folder = Path(folder) if folder else None
        self.every = every
        self.points = []  # [(rows loaded, object, RSS MB)]
        self.rows = 0
        self.next_snap = every

    def start(self):
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            tracemalloc.start(int(os.environ.get("BENCH_TRACE_FRAMES") or 1))

    def batch(self, name, rows):
        self.rows += rows
        self.points.append((self.rows, name, round(current_rss_mb(), 1)))
        if self.folder and self.every and self.rows >= self.next_snap:
            self.snap(f"rows-{self.rows:08d}")
            self.next_snap += self.every

    def snap(self, label):
        if self.folder:
            gc.collect()
            tracemalloc.take_snapshot().dump(str(self.folder / f"{label}.snap"))
            # the live objects by type: what a growth is made of
            types = {}
            for obj in gc.get_objects():
                name = type(obj).__name__
                types[name] = types.get(name, 0) + 1
            top = sorted(types.items(), key=lambda kv: -kv[1])[:40]
            (self.folder / f"{label}.types.json").write_text(
                json.dumps({"rss_mb": current_rss_mb(), "types": top}, indent=1)
            )


def migrate(env, data_dir, watch, stop_after="run", memory=None):
    """The whole migration of the files in ``data_dir`` (up to the phase
    ``stop_after``); the result dict."""
    result = {"phases": {}, "objects": {}, "files": {}}
    marks = {}  # object -> [(perf_counter, rows done)]
    last = [time.perf_counter()]  # the latest mark of any object
    memory = memory or MemoryTrace()

    def progress(name, done, total):
        now = time.perf_counter()
        if name not in marks:  # the object began after the previous mark
            marks[name] = [(last[0], 0)]
        memory.batch(name, done - marks[name][-1][1])
        marks[name].append((now, done))
        last[0] = now

    def phase(label, func):
        watch.phase = label
        with Clock() as clock:
            value = func()
        watch.sample()
        result["phases"][label] = {"seconds": clock.wall, "cpu": clock.cpu}
        return value

    project = env["migration.project"].create({"name": "Scale", "system": "generic"})

    def ingest():
        for name in FILES:
            path = data_dir / name
            sources = project._add_file(name, path.read_bytes())
            result["files"][name] = sum(sources.mapped("row_count"))
            env.cr.commit()

    steps = {
        "ingest": ingest,
        "profile": project.action_profile,
        "propose": project.action_propose,
        "accept": lambda: project._accept_proposals(0.0),
    }
    for label in PHASES[: PHASES.index(stop_after) + 1]:
        if label in steps:
            phase(label, steps[label])
            env.cr.commit()
    result["rows"] = sum(result["files"].values())
    if stop_after != "run":
        return result, None
    last[0] = time.perf_counter()
    memory.start()
    run = phase(
        "run",
        lambda: project.with_context(migration_progress=progress)._start_run(
            "full", commit=True
        ),
    )
    env.cr.commit()
    memory.snap("end")
    result["rss_by_rows"] = memory.points
    result["run_state"] = run.state
    result["run_balanced"] = run.balanced
    result["bulk_rows"] = run.bulk_rows
    result["orm_fallback_rows"] = run.orm_fallback_rows
    for line in run.line_ids.sorted("sequence"):
        points = marks.get(line.object_name) or []
        result["objects"][line.object_name] = {
            "read": line.read_count,
            "created": line.created_count,
            "merged": line.merged_count,
            "review": line.review_count,
            **halves(points),
        }
    return result, run


def halves(points):
    """Rows per second over the object's first and second half of batches:
    a cost per row that grows within one object shows here already."""
    if len(points) < 2:
        return {}
    start_t, _start_n = points[0]
    end_t, end_n = points[-1]
    whole = {"seconds": end_t - start_t, "rows_per_s": end_n / (end_t - start_t or 1)}
    if len(points) < 3:
        return whole
    mid_t, mid_n = points[len(points) // 2]
    return {
        **whole,
        "rows_per_s_first_half": (mid_n - points[0][1]) / (mid_t - start_t or 1),
        "rows_per_s_second_half": (end_n - mid_n) / (end_t - mid_t or 1),
    }


def load(opts):
    registry = open_registry(opts.odoo_args)
    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    with RssWatch() as watch, registry.cursor() as cr:
        watch.phase = "registry"
        env = admin_env(cr)
        with Clock() as whole, OtherLoad(postmaster) as machine:
            memory = MemoryTrace(opts.trace_memory, opts.trace_every)
            result, run = migrate(env, Path(opts.data), watch, opts.stop_after, memory)
        result["cpu"] = machine.as_dict()
        if run is not None and opts.limits:
            watch.phase = "limits"
            result["limits"] = limits(env, run, opts.limits)
    result["whole_seconds"] = whole.wall
    result["whole_cpu"] = whole.cpu
    result["rows_per_s"] = result["rows"] / whole.wall
    if run is not None:
        result["run_rows_per_s"] = result["rows"] / result["phases"]["run"]["seconds"]
    result["peak_rss_mb"] = watch.peaks
    result["peak_rss_mb_max"] = max(v for k, v in watch.peaks.items() if k != "limits")
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    print(
        f"{result['rows']} rows: {result['whole_seconds']:.0f}s "
        f"({result['rows_per_s']:.0f} rows/s), "
        f"peak RSS {result['peak_rss_mb_max']:.0f} MB, "
        f"run {result.get('run_state', 'not run')}",
        flush=True,
    )
    print(table(result), flush=True)
    return 0


def table(result):
    """Per object: rows, rows/s in the migration, plain create() and the
    bulk-INSERT limit on a sample, and the migration's rate over each."""
    lines = [
        f"{'object':<12}{'rows':>10}{'rows/s':>9}{'create()':>10}{'INSERT':>9}"
        f"{'vs create':>11}{'vs INSERT':>11}"
    ]
    limits_ = result.get("limits") or {}
    for name, obj in (result.get("objects") or {}).items():
        rate = obj.get("rows_per_s") or 0
        lim = limits_.get(name, {})
        create = lim.get("create_rows_per_s") or 0
        insert = lim.get("insert_rows_per_s") or 0
        lines.append(
            f"{name:<12}{obj['read']:>10,}{rate:>9.0f}{create:>10.0f}{insert:>9.0f}"
            f"{(rate / create if create else 0):>10.2f}x"
            f"{(rate / insert if insert else 0):>10.3f}x"
        )
    cpu = result.get("cpu") or {}
    phases = ", ".join(
        f"{k} {v:.0f} MB" for k, v in (result.get("peak_rss_mb") or {}).items()
    )
    lines.append(f"peak RSS by phase: {phases}")
    if cpu:
        lines.append(
            f"CPU s: Odoo {cpu['odoo_cpu']:.0f}, PostgreSQL {cpu['postgres_cpu']:.0f}, "
            f"other processes {cpu['other_cpu']:.0f} "
            f"({100 * cpu['other_share']:.0f} % of the machine) over "
            f"{cpu['wall']:.0f} s wall"
        )
    return "\n".join(lines)


def report(opts):
    small, large = (json.loads(Path(p).read_text()) for p in opts.results)
    scale = large["rows"] / small["rows"]

    def per_row(res, phase=None):
        seconds = res["phases"][phase]["seconds"] if phase else res["whole_seconds"]
        return seconds / res["rows"]

    objects = {
        name: [
            small["objects"][name].get("rows_per_s"),
            large["objects"][name].get("rows_per_s"),
        ]
        for name in small.get("objects", {})
        if name in large.get("objects", {})
    }
    summary = {
        "rows": [small["rows"], large["rows"]],
        "object_rows_per_s": objects,
        "object_cost_per_row_ratio": {
            name: (s_rate / l_rate if s_rate and l_rate else None)
            for name, (s_rate, l_rate) in objects.items()
        },
        "cpu": [small.get("cpu"), large.get("cpu")],
        "scale": scale,
        "rows_per_s": [small["rows_per_s"], large["rows_per_s"]],
        "cost_per_row_ratio": per_row(large) / per_row(small),
        "phase_cost_per_row_ratio": {
            name: per_row(large, name) / per_row(small, name)
            for name in small["phases"]
            if small["phases"][name]["seconds"] > 0.5
        },
        "peak_rss_mb": [small["peak_rss_mb_max"], large["peak_rss_mb_max"]],
        "peak_rss_by_phase_mb": [small["peak_rss_mb"], large["peak_rss_mb"]],
        "states": [small["run_state"], large["run_state"]],
    }
    Path(opts.out).write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


def memdiff(opts):
    """What grew between two snapshots of ``--trace-memory``: by line, then
    the largest growths with their call stacks."""
    old, new = (tracemalloc.Snapshot.load(p) for p in opts.snapshots)
    for stat in new.compare_to(old, "lineno")[: opts.top]:
        print(stat)
    print("\n-- by call stack --")
    for stat in new.compare_to(old, "traceback")[:8]:
        print(f"{stat.size_diff / 1e6:+.1f} MB, {stat.count_diff:+,} blocks")
        for line in stat.traceback.format()[-12:]:
            print("   ", line)
    return 0


def main(argv=None):
    argv, odoo_args = split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_load = sub.add_parser("load")
    p_load.add_argument("--data", required=True)
    p_load.add_argument("--out", required=True)
    p_load.add_argument("--stop-after", choices=PHASES, default="run")
    p_load.add_argument(
        "--limits", type=int, default=2000, help="sample per object (0: none)"
    )
    p_load.add_argument(
        "--trace-memory",
        metavar="DIR",
        help="tracemalloc snapshots of the run phase into DIR (slow)",
    )
    p_load.add_argument(
        "--trace-every", type=int, default=20000, help="rows between snapshots"
    )
    p_mem = sub.add_parser("memdiff")
    p_mem.add_argument("snapshots", nargs=2)
    p_mem.add_argument("--top", type=int, default=25)
    p_rep = sub.add_parser("report")
    p_rep.add_argument("results", nargs=2)
    p_rep.add_argument("--out", required=True)
    opts = parser.parse_args(argv)
    opts.odoo_args = odoo_args
    return {"load": load, "report": report, "memdiff": memdiff}[opts.cmd](opts)


if __name__ == "__main__":
    sys.exit(main())
