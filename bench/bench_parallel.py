"""The bench's full run as parallel batch jobs (issue 18), for
``bench_import.py load --workers N``.

The project's full run is queued as queue_job jobs, one per batch
(``parallel_batches``), and performed by N worker processes of their own
(tests/queue_worker.py: queue_job's own controller code, one registry and
cursor per process, as a server's workers with the crm_migration channel at
capacity N). The run's time is from the moment the first worker took the
first job to the moment the last job was committed: a server's workers are up
before a run is queued, so their start (loading the registry) is not counted,
in wall time nor in CPU."""

import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from unittest.mock import patch

WORKER = Path(__file__).resolve().parents[1] / "tests" / "queue_worker.py"
CHANNEL = "root.crm_migration"


def queue_run(env, project):
    """The project's full run queued as parallel batches, committed for the
    workers (the job runner taken as available: the workers below are it)."""
    project.write({"run_in_background": True, "parallel_batches": True})
    with patch.object(type(project), "_job_runner_available", return_value=True):
        project.action_full_run()
    run = project.run_ids.sorted("id")[-1]
    env.cr.commit()
    return run


def start_worker(odoo_args, db):
    conf = {
        "args": list(odoo_args),
        "db": db,
        "channel": CHANNEL,
        "timing": True,
        "timeout": 3600,
        # BENCH_WORKER_PROFILE=folder: each worker's jobs under cProfile
        "profile": os.environ.get("BENCH_WORKER_PROFILE"),
    }
    return subprocess.Popen(
        [sys.executable, str(WORKER), json.dumps(conf)],
        stdout=subprocess.PIPE,
        text=True,
    )


def outcomes(lines):
    """{done|retry|failed|depfail: count} of the workers' job lines."""
    counts = {}
    for line in lines:
        word = line.split(" ", 1)[0]
        if word in ("done", "retry", "failed", "depfail"):
            counts[word] = counts.get(word, 0) + 1
    return counts


def spans_of(lines):
    """[(start, end, description)] of the workers' span lines."""
    spans = []
    for line in lines:
        if line.startswith("span "):
            _word, _pid, start, end, description = line.split(" ", 4)
            spans.append((float(start), float(end), description))
    return spans


def job_kind(description):
    """A job's description without its run's name and batch number: "plan",
    "companies.csv batch", "companies.csv done", "finish"."""
    kind = description.split(": ", 1)[-1]
    words = kind.split()
    return " ".join(words[:-1]) if words[-1].isdigit() else kind


def concurrency(spans, workers):
    """Where the run's wall time goes: the seconds during which n jobs ran
    (n = 0 .. workers), and per kind of job its seconds in all and the seconds
    it ran alone (the other workers idle: the run's serial parts)."""
    events = sorted(
        [(start, 1, i) for i, (start, _e, _d) in enumerate(spans)]
        + [(end, -1, i) for i, (_s, end, _d) in enumerate(spans)]
    )
    by_count, alone, running = [0.0] * (workers + 1), {}, set()
    for (when, step, index), (nxt, _s, _i) in pairwise(events):
        if step > 0:
            running.add(index)
        else:
            running.discard(index)
        by_count[min(len(running), workers)] += nxt - when
        if len(running) == 1:
            kind = job_kind(spans[next(iter(running))][2])
            alone[kind] = alone.get(kind, 0.0) + nxt - when
    total = {}
    for start, end, description in spans:
        total[job_kind(description)] = (
            total.get(job_kind(description), 0.0) + end - start
        )
    return {
        "seconds_with_n_jobs": [round(s, 3) for s in by_count],
        "job_seconds": {k: round(v, 3) for k, v in sorted(total.items())},
        "alone_seconds": {k: round(v, 3) for k, v in sorted(alone.items())},
    }


def run_workers(odoo_args, db, workers):
    """Runs ``workers`` worker processes until the channel is idle: the
    window of the jobs (first taken, last committed), the workers' CPU
    seconds after their start, and the outcomes of their jobs."""
    procs = [start_worker(odoo_args, db) for _ in range(workers)]
    lines = []
    for proc in procs:
        out, _err = proc.communicate(timeout=3600)
        lines += out.splitlines()
    timings = [line.split()[2:] for line in lines if line.startswith("timing ")]
    busy = [t for t in timings if t[0] != "None"]
    if not busy:
        raise SystemExit("the workers performed no job")
    first = min(float(t[0]) for t in busy)
    last = max(float(t[1]) for t in busy)
    return {
        "workers": workers,
        "seconds": last - first,
        "worker_cpu": sum(float(t[2]) for t in timings),
        "jobs": outcomes(lines),
        "jobs_per_worker": [int(t[3]) for t in timings],
        "concurrency": concurrency(spans_of(lines), workers),
        # why a job was postponed or failed (its wait is in the 0-jobs time)
        "retries": [
            ln for ln in lines if ln.split(" ", 1)[0] in ("retry", "failed", "depfail")
        ],
    }


# ---------------------------------------------------------------- report


def load_line(label, res):
    """One load's numbers (a bench_import.py load result)."""
    cpu = res["cpu"]
    run_cpu = res["phases"]["run"].get("cpu")
    par = res.get("parallel") or {}
    return {
        "label": label,
        "whole": res["whole_seconds"],
        "run": res["run_seconds"],
        "cpu": cpu["odoo_cpu"] + cpu["postgres_cpu"],
        "odoo": cpu["odoo_cpu"],
        "pg": cpu["postgres_cpu"],
        "other": cpu["other_share"],
        "run_odoo_cpu": run_cpu,
        "jobs": par.get("jobs", {}),
        "per_worker": par.get("jobs_per_worker", []),
        "concurrency": par.get("concurrency"),
        "retries": par.get("retries", []),
        "state": res["run_state"],
        "balanced": res["run_balanced"],
        "created": res["run_created"],
        "log": res.get("run_log"),
    }


def report(pairs):
    """The loads side by side, each against the mean of the synchronous ones."""
    lines = [
        load_line(label, json.loads(Path(path).read_text()))
        for label, path in (pair.split("=", 1) for pair in pairs)
    ]
    sync = [ln for ln in lines if not ln["jobs"]]

    def mean(key):
        return sum(ln[key] for ln in sync) / len(sync) if sync else 0.0

    head = (
        f"{'load':<10}{'whole s':>8}{'run s':>7}{'CPU s':>7}{'Odoo':>6}{'PG':>6}"
        f"{'other':>6} | {'whole x':>7}{'run x':>6}{'CPU x':>6} | run"
    )
    print(head)
    print("-" * len(head))
    for ln in lines:
        ratios = [mean(k) / ln[k] if ln[k] else 0.0 for k in ("whole", "run", "cpu")]
        print(
            f"{ln['label']:<10}{ln['whole']:>8.1f}{ln['run']:>7.1f}{ln['cpu']:>7.1f}"
            f"{ln['odoo']:>6.1f}{ln['pg']:>6.1f}{ln['other']:>6.0%} | "
            f"{ratios[0]:>6.2f}x{ratios[1]:>5.2f}x{ratios[2]:>5.2f}x | "
            f"{ln['state']}, balanced {ln['balanced']}, created {ln['created']:,}"
            + (
                f", jobs {ln['jobs']} per worker {ln['per_worker']}"
                if ln["jobs"]
                else ""
            )
        )
    print(
        "x: the synchronous loads' mean divided by the load's (above 1: faster or "
        "cheaper); other: the other processes' share of the machine during the load"
    )
    for ln in lines:
        if ln.get("concurrency"):
            print("\n" + "\n".join(concurrency_lines(ln["label"], ln["concurrency"])))
            for retry in ln["retries"]:
                print(f"    {retry}")
    for ln in lines:
        if ln["state"] != "done":
            print(f"\n{ln['label']}: the run's log:\n{ln['log'] or ''}")
    return 0 if all(ln["state"] == "done" for ln in lines) else 1


def concurrency_lines(label, conc):
    """A parallel load's serial parts: the wall seconds with 0, 1, 2... jobs
    running, and the kinds of job that ran alone longest."""
    counts = ", ".join(
        f"{n} jobs {sec:.1f} s" for n, sec in enumerate(conc["seconds_with_n_jobs"])
    )
    lines = [f"{label}: wall time with {counts}"]
    alone = sorted(conc["alone_seconds"].items(), key=lambda kv: -kv[1])
    for kind, sec in alone[:8]:
        total = conc["job_seconds"].get(kind, 0.0)
        lines.append(f"    alone {sec:5.2f} s of {total:6.2f} s: {kind}")
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] != ["report"]:
        raise SystemExit("usage: bench_parallel.py report LABEL=RESULT.json...")
    sys.exit(report(sys.argv[2:]))
