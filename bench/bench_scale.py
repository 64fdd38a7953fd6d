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
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_import import Clock, admin_env, open_registry, split_argv  # noqa: E402

FILES = ("companies.csv", "contacts.csv", "deals.csv", "notes.csv")


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


def migrate(env, data_dir, watch):
    """The whole migration of the files in ``data_dir``; the result dict."""
    result = {"phases": {}, "objects": {}, "files": {}}
    marks = {}  # object -> [(perf_counter, rows done)]

    def progress(name, done, total):
        marks.setdefault(name, []).append((time.perf_counter(), done))

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

    phase("ingest", ingest)
    phase("profile", project.action_profile)
    phase("propose", project.action_propose)
    phase("accept", lambda: project._accept_proposals(0.0))
    env.cr.commit()
    run = phase(
        "run",
        lambda: project.with_context(migration_progress=progress)._start_run(
            "full", commit=True
        ),
    )
    env.cr.commit()
    result["rows"] = sum(result["files"].values())
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
    return result


def halves(points):
    """Rows per second over the object's first and second half of batches:
    a cost per row that grows within one object shows here already."""
    if len(points) < 3:
        return {}
    start_t, _start_n = points[0]
    mid_t, mid_n = points[len(points) // 2]
    end_t, end_n = points[-1]
    return {
        "seconds": end_t - start_t,
        "rows_per_s_first_half": (mid_n - points[0][1]) / (mid_t - start_t or 1),
        "rows_per_s_second_half": (end_n - mid_n) / (end_t - mid_t or 1),
    }


def load(opts):
    registry = open_registry(opts.odoo_args)
    with RssWatch() as watch, registry.cursor() as cr:
        watch.phase = "registry"
        env = admin_env(cr)
        with Clock() as whole:
            result = migrate(env, Path(opts.data), watch)
    result["whole_seconds"] = whole.wall
    result["whole_cpu"] = whole.cpu
    result["rows_per_s"] = result["rows"] / whole.wall
    result["run_rows_per_s"] = result["rows"] / result["phases"]["run"]["seconds"]
    result["peak_rss_mb"] = watch.peaks
    result["peak_rss_mb_max"] = max(watch.peaks.values())
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    print(
        f"{result['rows']} rows: {result['whole_seconds']:.0f}s "
        f"({result['rows_per_s']:.0f} rows/s, run {result['run_rows_per_s']:.0f} rows/s), "
        f"peak RSS {result['peak_rss_mb_max']:.0f} MB, run {result['run_state']}",
        flush=True,
    )
    return 0


def report(opts):
    small, large = (json.loads(Path(p).read_text()) for p in opts.results)
    scale = large["rows"] / small["rows"]

    def per_row(res, phase=None):
        seconds = res["phases"][phase]["seconds"] if phase else res["whole_seconds"]
        return seconds / res["rows"]

    summary = {
        "rows": [small["rows"], large["rows"]],
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


def main(argv=None):
    argv, odoo_args = split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_load = sub.add_parser("load")
    p_load.add_argument("--data", required=True)
    p_load.add_argument("--out", required=True)
    p_rep = sub.add_parser("report")
    p_rep.add_argument("results", nargs=2)
    p_rep.add_argument("--out", required=True)
    opts = parser.parse_args(argv)
    opts.odoo_args = odoo_args
    return load(opts) if opts.cmd == "load" else report(opts)


if __name__ == "__main__":
    sys.exit(main())
