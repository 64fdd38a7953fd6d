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
import subprocess
import sys
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
    }
