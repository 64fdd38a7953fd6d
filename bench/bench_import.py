"""Throughput benchmark: crm_migration against Odoo's own base_import.

Run by ``bench/run_bench.sh``; it needs an Odoo 18 interpreter and a database
with crm_migration installed. Every load runs in its own process (fresh
registry, peak RSS of that load only) and its own database (a copy of the same
template), so neither tool sees the other's records::

    python bench/bench_import.py setup  -- ODOO_ARGS (-d TEMPLATE ...)
    python bench/bench_import.py load --tool crm_migration --data DIR --out a.json -- ODOO_ARGS
    python bench/bench_import.py load --tool base_import   --data DIR --out b.json -- ODOO_ARGS
    python bench/bench_import.py load --tool crm_migration --profile p.pstats ...  (cProfile pass)
    python bench/bench_import.py report a.json b.json [--pstats p.pstats] --out result.json

Both tools commit as they would in production: crm_migration through
``project._start_run("full", commit=True)`` (one commit per batch, as the
command line does), base_import batch by batch exactly as the web client
drives ``execute_import`` (``limit`` 2000 rows a call, ``skip`` = the previous
call's ``nextrow``, one transaction per call).
"""

import argparse
import csv
import datetime
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

import bench_parallel

# --------------------------------------------------------------- the files

FILES = ("companies.csv", "contacts.csv", "deals.csv")

# base_import: the mapping a consultant would pick in the import screen for the
# same columns crm_migration maps (header as in the file, stripped -> field).
# Columns with no base_import equivalent are left unmapped (False): the source
# creation dates (base_import cannot set create_date) and the deal Status
# (won/lost is no field of crm.lead: crm_migration turns it into the won stage
# or an archived lead).
BASE_IMPORT_SPECS = {
    "companies.csv": {
        "model": "res.partner",
        # the Contacts app's own action context sets default_is_company
        "context": {"default_is_company": True},
        "mapping": {
            "Record ID": "ref",
            "Company Name": "name",
            "CNPJ": "vat",
            "Website": "website",
            "Phone": "phone",
            "Email": "email",
            "Street": "street",
            "City": "city",
            "State": "state_id",
            "Zip": "zip",
            "Country": "country_id",
            "Account Owner": "user_id",
            "Tags": "category_id",
            "Employees": "x_employees",
            "Customer Since": "x_customer_since",
            "Notes": "comment",
            "Created": False,
        },
        # "if a value is not found: set to empty" / "create it" in the import screen
        "set_empty": ["state_id", "country_id", "user_id"],
        "name_create": ["category_id"],
    },
    "contacts.csv": {
        "model": "res.partner",
        "context": {},
        "mapping": {
            "Contact ID": "ref",
            "First Name": "name",  # two columns on one char field: concatenated
            "Last Name": "name",
            "E-mail": "email",
            "Company": "parent_id",  # by name (name_search per row)
            "Job Title": "function",
            "Work Phone": "phone",
            "Cell": "mobile",
            "City": "city",
            "Country": "country_id",
            "Created": False,
            "Newsletter": "x_newsletter",
            "Notes": "comment",
        },
        "set_empty": ["parent_id", "country_id"],
        "name_create": [],
    },
    "deals.csv": {
        "model": "crm.lead",
        # the CRM pipeline action's context
        "context": {"default_type": "opportunity"},
        "mapping": {
            "Deal Name": "name",
            "Account Name": "partner_name",
            "Contact Email": "email_from",
            "Amount": "expected_revenue",
            "Stage": "stage_id",
            "Owner": "user_id",
            "Close Date": "date_deadline",
            "Status": False,
            "Tags": "tag_ids",
            "Created": False,
        },
        "set_empty": ["user_id"],
        "name_create": ["stage_id", "tag_ids"],
    },
}
# the custom fields crm_migration proposes for these columns; created (untimed)
# in the base_import database so that both tools load the same columns
CUSTOM_FIELDS = [
    ("res.partner", "x_employees", "integer", "Employees"),
    ("res.partner", "x_customer_since", "date", "Customer Since"),
    ("res.partner", "x_newsletter", "boolean", "Newsletter"),
]
OWNERS = (("alice@example.com", "Alice Seller"), ("bob@example.com", "Bob Closer"))
BATCH_LIMIT = 2000  # the import screen's default "batch limit"


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Clock:
    """Wall and CPU seconds of a block."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._w, self._c = time.perf_counter(), cpu_s()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._w
        self.cpu = cpu_s() - self._c


# ------------------------------------------------- other work on the machine
# A benchmark on a shared 2-CPU machine is only honest if nothing else ran:
# each load waits until the machine is idle, and counts afterwards how much CPU
# went to processes that are neither this one nor our PostgreSQL cluster.

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    with open("/proc/stat") as fh:
        parts = fh.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in parts[:8]
    )
    return (user + nice + system + irq + softirq + steal) / TICK


def cluster_cpu_seconds(postmaster):
    """CPU of our PostgreSQL cluster: the postmaster, its live children, and
    the children it has reaped (cutime/cstime)."""
    if not postmaster:
        return 0.0
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        if int(pid) == postmaster:
            total += utime + stime + cutime + cstime
        elif ppid == postmaster:
            total += utime + stime
    return total / TICK


def wait_idle(max_wait=240, busy_limit=0.15):
    """Wait (up to max_wait s) until the machine is less than busy_limit busy
    over 3 s; returns the seconds waited and the last busy fraction."""
    cpus = os.cpu_count() or 1
    start = time.time()
    while True:
        b0 = machine_busy_seconds()
        time.sleep(3)
        busy = (machine_busy_seconds() - b0) / (3 * cpus)
        if busy < busy_limit or time.time() - start > max_wait:
            return time.time() - start, busy


class OtherLoad:
    """CPU seconds used by other processes during a block."""

    def __init__(self, postmaster):
        self.postmaster = postmaster

    def __enter__(self):
        self._t = time.perf_counter()
        self._busy = machine_busy_seconds()
        self._own = cpu_s()
        self._pg = cluster_cpu_seconds(self.postmaster)
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._t
        self.busy = machine_busy_seconds() - self._busy
        self.own = cpu_s() - self._own
        self.pg = cluster_cpu_seconds(self.postmaster) - self._pg
        self.other = max(self.busy - self.own - self.pg, 0.0)
        self.other_share = (
            self.other / (self.wall * (os.cpu_count() or 1)) if self.wall else 0.0
        )

    def as_dict(self):
        return {
            "wall": self.wall,
            "machine_busy_cpu": self.busy,
            "odoo_cpu": self.own,
            "postgres_cpu": self.pg,
            "other_cpu": self.other,
            "other_share": self.other_share,
        }


def data_rows(path):
    """Data rows of a CSV as both tools count them (blank rows skipped)."""
    raw = path.read_bytes()
    text, _enc = decode(raw)
    dialect = sniff(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect))
    return sum(1 for r in rows[1:] if any(c.strip() for c in r))


def decode(raw):
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def sniff(text):
    head = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=head.count)


# ------------------------------------------------------------------ Odoo


def open_registry(odoo_args):
    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args, setup_logging=True)
    odoo.service.server.load_server_wide_modules()
    dbname = config["db_name"]
    if isinstance(dbname, list):
        dbname = dbname[0]
    dbname = dbname.split(",")[0]
    return odoo.modules.registry.Registry(dbname)


def admin_env(cr, context=None):
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {})
    admin = env.ref("base.user_admin")
    return api.Environment(cr, admin.id, dict(context or {}))


def counts(env):
    """What is in the database: the records both tools are meant to create."""
    Partner = env["res.partner"].with_context(active_test=False).sudo()
    Lead = env["crm.lead"].with_context(active_test=False).sudo()
    return {
        "companies": Partner.search_count([("is_company", "=", True)]),
        "contacts": Partner.search_count([("is_company", "=", False)]),
        "contacts_with_parent": Partner.search_count(
            [("is_company", "=", False), ("parent_id", "!=", False)]
        ),
        "leads": Lead.search_count([]),
        "leads_active": Lead.with_context(active_test=True).search_count([]),
        "leads_with_partner": Lead.search_count([("partner_id", "!=", False)]),
        "leads_with_revenue": Lead.search_count([("expected_revenue", ">", 0)]),
        "stages": env["crm.stage"].sudo().search_count([]),
        "partner_tags": env["res.partner.category"].sudo().search_count([]),
        "lead_tags": env["crm.tag"].sudo().search_count([]),
    }


def setup(opts):
    """Untimed, in the template database both loads are copied from: the
    owners of the sample data as Odoo users (as tools/demo.sh does)."""
    registry = open_registry(opts.odoo_args)
    with registry.cursor() as cr:
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, SUPERUSER_ID, {})
        group = env.ref("sales_team.group_sale_salesman")
        for login, name in OWNERS:
            if not env["res.users"].search([("login", "=", login)]):
                env["res.users"].create(
                    {
                        "login": login,
                        "name": name,
                        "email": login,
                        "groups_id": [(4, group.id)],
                    }
                )
        cr.commit()
        print(json.dumps(counts(env)))


# ---------------------------------------------------------- crm_migration


def load_crm_migration(env, data_dir, profiler=None, workers=0, odoo_args=()):
    result = {"tool": "crm_migration", "files": {}, "phases": {}}
    cr = env.cr
    files = [data_dir / name for name in FILES]
    object_done = {}  # object name -> perf_counter of its last batch

    def progress(name, done, total):
        object_done[name] = time.perf_counter()

    def timed(label, func):
        if profiler:
            profiler.enable()
        with Clock() as clock:
            value = func()
        if profiler:
            profiler.disable()
        result["phases"][label] = {"seconds": clock.wall, "cpu": clock.cpu}
        return value

    with Clock() as whole:
        began = time.perf_counter()
        project = env["migration.project"].create(
            {"name": "Benchmark", "system": "generic"}
        )
        for path in files:
            data = path.read_bytes()
            if profiler:
                profiler.enable()
            with Clock() as clock:
                sources = project._add_file(path.name, data)
            if profiler:
                profiler.disable()
            bad = sources.filtered(lambda s: s.state == "error")
            if bad:
                raise SystemExit(f"crm_migration refused {path.name}: {bad.error}")
            result["files"][path.name] = {
                "rows": sum(sources.mapped("row_count")),
                "ingest_seconds": clock.wall,
                "object": sources[:1].object_name,
            }
        result["phases"]["ingest"] = {
            "seconds": sum(f["ingest_seconds"] for f in result["files"].values())
        }
        timed("profile", project.action_profile)
        timed("propose", project.action_propose)
        timed("accept", lambda: project._accept_proposals(0.0))
        cr.commit()  # as the command line: staged files and maps are kept
        front = time.perf_counter() - began
        run_start = time.perf_counter()
        if workers:
            run = run_in_parallel(env, project, workers, odoo_args, result)
        else:
            run = timed(
                "run",
                lambda: project.with_context(migration_progress=progress)._start_run(
                    "full", commit=True
                ),
            )
        cr.commit()
    result["whole_seconds"] = whole.wall
    if workers:  # the workers' start is not counted (see bench_parallel.py)
        result["whole_seconds"] = front + result["phases"]["run"]["seconds"]
    result["whole_cpu"] = whole.cpu
    result["run_seconds"] = result["phases"]["run"]["seconds"]
    result["run_state"] = run.state
    result["run_balanced"] = run.balanced
    if run.state != "done":  # why: the run's own log
        result["run_log"] = run.log
    result["run_created"] = run.created_count
    result["run_review"] = run.review_count
    # per object: from the end of the previous object's last batch to the end
    # of this one's (the first object also carries the run's set-up: custom
    # fields, caches); the tail after the last batch (fill rates, chatter) is
    # reported as run_tail_seconds
    previous = run_start
    lines = run.line_ids.sorted("sequence")
    by_object = {}
    for line in lines:
        end = object_done.get(line.object_name)
        by_object[line.object_name] = {
            "read": line.read_count,
            "created": line.created_count,
            "updated": line.updated_count,
            "merged": line.merged_count,
            "review": line.review_count,
            "values_to_review": line.invalid_value_count,
            "seconds": (end - previous) if end else None,
        }
        previous = end or previous
    result["run_tail_seconds"] = (
        None if workers else run_start + result["run_seconds"] - previous
    )
    for info in result["files"].values():
        obj = by_object.get(info["object"], {})
        info.update(
            {
                "run_seconds": obj.get("seconds"),
                "created": obj.get("created"),
                "merged": obj.get("merged"),
                "review": obj.get("review"),
                "values_to_review": obj.get("values_to_review"),
            }
        )
    custom = (
        env["ir.model.fields"]
        .sudo()
        .search(
            [("model", "in", ("res.partner", "crm.lead")), ("state", "=", "manual")]
        )
    )
    result["custom_fields"] = sorted(f"{f.model}.{f.name}" for f in custom)
    return result


def run_in_parallel(env, project, workers, odoo_args, result):
    """The full run as parallel batch jobs on ``workers`` worker processes
    (bench_parallel.py): the run, read back after the workers are done."""
    run = bench_parallel.queue_run(env, project)
    parallel = bench_parallel.run_workers(odoo_args, env.cr.dbname, workers)
    result["parallel"] = parallel
    result["phases"]["run"] = {
        "seconds": parallel["seconds"],
        "cpu": parallel["worker_cpu"],
    }
    env.invalidate_all()
    return run


# ------------------------------------------------------------ base_import


BOOL_WORDS = {"sim": "Yes", "não": "No", "nao": "No"}


def clean_for_base_import(path, spec, env):
    """What a consultant does to a file before base_import takes it:

    - a date or number of a mapped date/float column that does not parse makes
      base_import refuse the whole file (ImportValidationError, nothing loaded):
      such cells are blanked;
    - a boolean it does not know (Portuguese Sim/Não) is an error on its row,
      which rolls back the whole batch: translated to Yes/No (the value is
      kept, as crm_migration keeps it).

    Returns (bytes, [changes as {file, column, value, new, cells, first_row}]);
    the bytes are the original ones when nothing needed changing. This work is
    not timed."""
    raw = path.read_bytes()
    text, enc = decode(raw)
    delim = sniff(text)
    Model = env[spec["model"]]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    header = [h.strip() for h in rows[0]]
    changes = {}
    for col, fname in spec["mapping"].items():
        field = Model._fields.get(fname) if fname else None
        if field is None or field.type not in (
            "date",
            "datetime",
            "float",
            "monetary",
            "boolean",
        ):
            continue
        idx = header.index(col)
        for lineno, row in enumerate(rows[1:], start=2):
            if idx >= len(row) or not row[idx].strip():
                continue
            value = row[idx].strip()
            new = value
            if field.type == "boolean":
                new = BOOL_WORDS.get(value.lower(), value)
            else:
                try:
                    if field.type in ("date", "datetime"):
                        datetime.datetime.strptime(value, "%Y-%m-%d")
                    else:
                        float(value.replace(",", ""))
                except ValueError:
                    new = ""
            if new != value:
                row[idx] = new
                change = changes.setdefault(
                    (col, value),
                    {
                        "file": path.name,
                        "column": col,
                        "value": value,
                        "new": new,
                        "cells": 0,
                        "first_row": lineno,
                    },
                )
                change["cells"] += 1
    if not changes:
        return raw, []
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=delim, lineterminator="\r\n" if "\r\n" in text else "\n"
    )
    writer.writerows(rows)
    return out.getvalue().encode(enc.replace("-sig", "")), list(changes.values())


def create_custom_fields(env):
    from odoo import SUPERUSER_ID, api

    su = api.Environment(env.cr, SUPERUSER_ID, {})
    for model, name, ttype, label in CUSTOM_FIELDS:
        if name not in su[model]._fields:
            su["ir.model.fields"].create(
                {
                    "model_id": su["ir.model"]._get_id(model),
                    "name": name,
                    "ttype": ttype,
                    "field_description": label,
                    "state": "manual",
                }
            )
    env.cr.commit()


def load_base_import(env, data_dir):
    result = {"tool": "base_import", "files": {}, "phases": {}, "prepared": []}
    cr = env.cr
    create_custom_fields(env)
    env = env(context={})  # a registry reload happened: fresh environment
    prepared = {}
    for name in FILES:
        data, changes = clean_for_base_import(
            data_dir / name, BASE_IMPORT_SPECS[name], env
        )
        prepared[name] = data
        result["prepared"].extend(changes)
    messages_kept = []
    with Clock() as whole:
        for name in FILES:
            spec = BASE_IMPORT_SPECS[name]
            ctx = dict(spec["context"], tracking_disable=True)
            with Clock() as clock:
                Import = env["base_import.import"].with_context(**ctx)
                imp = Import.create(
                    {
                        "res_model": spec["model"],
                        "file": prepared[name],
                        "file_name": name,
                        "file_type": "text/csv",
                    }
                )
                options = {
                    "quoting": '"',
                    "separator": "",
                    "encoding": "",
                    "has_headers": True,
                    "advanced": True,
                    "keep_matches": False,
                    "limit": BATCH_LIMIT,
                    "skip": 0,
                    "tracking_disable": True,
                    "date_format": "",
                    "datetime_format": "",
                    "float_thousand_separator": ",",
                    "float_decimal_separator": ".",
                    "sheets": [],
                    "sheet": "",
                    "import_skip_records": [],
                    "import_set_empty_fields": list(spec["set_empty"]),
                    "fallback_values": {},
                    "name_create_enabled_fields": dict.fromkeys(
                        spec["name_create"], True
                    ),
                }
                preview = imp.parse_preview(dict(options))
                if preview.get("error"):
                    raise SystemExit(
                        f"base_import cannot read {name}: {preview['error']}"
                    )
                # the import screen takes back what the preview detected
                options.update(
                    {
                        k: v
                        for k, v in preview["options"].items()
                        if k
                        in ("encoding", "separator", "date_format", "datetime_format")
                    }
                )
                headers = [h.strip() for h in preview["headers"]]
                fields_ = [spec["mapping"].get(h, False) for h in headers]
                columns = [h.lower() for h in headers]
                cr.commit()
                ids, batches, errors, warnings = 0, 0, 0, 0
                skip = 0
                while True:
                    res = imp.execute_import(fields_, columns, dict(options, skip=skip))
                    batches += 1
                    msgs = res.get("messages") or []
                    for m in msgs:
                        if m.get("type") == "error":
                            errors += 1
                        else:
                            warnings += 1
                    # the first few errors and warnings of each file, to read
                    for kind in ("error", "warning"):
                        kept = [
                            k
                            for k in messages_kept
                            if k["file"] == name and k["type"] == kind
                        ]
                        room = (10 if kind == "error" else 3) - len(kept)
                        messages_kept.extend(
                            {
                                "file": name,
                                "type": kind,
                                "message": str(m.get("message"))[:300],
                                "rows": m.get("rows"),
                            }
                            for m in [m for m in msgs if m.get("type") == kind][
                                : max(room, 0)
                            ]
                        )
                    if not res.get("ids"):
                        cr.rollback()
                        break  # the screen stops at an error: nothing of this batch is kept
                    ids += len(res["ids"])
                    cr.commit()  # one RPC, one transaction
                    if not res.get("nextrow"):
                        break
                    skip = res["nextrow"]
            result["files"][name] = {
                "rows": preview.get("file_length", 0) - 1,
                "created": ids,
                "seconds": clock.wall,
                "cpu": clock.cpu,
                "batches": batches,
                "errors": errors,
                "warnings": warnings,
            }
    result["whole_seconds"] = whole.wall
    result["whole_cpu"] = whole.cpu
    result["messages"] = messages_kept
    return result


def load(opts):
    data_dir = Path(opts.data)
    # BENCH_MAX_WAIT: as the writers bench's --max-wait (0 for a quick check)
    waited, busy = wait_idle(max_wait=float(os.environ.get("BENCH_MAX_WAIT", 240)))
    registry = open_registry(opts.odoo_args)
    result = {
        "rss_after_registry_mb": rss_mb(),
        "idle_wait": {"seconds": waited, "busy_before": busy},
    }
    postmaster = int(os.environ.get("BENCH_PG_PID") or 0)
    profiler = None
    if opts.profile:
        import cProfile

        profiler = cProfile.Profile()
    with registry.cursor() as cr:
        env = admin_env(cr)
        before = counts(env)
        queries = cr.sql_log_count
        with OtherLoad(postmaster) as other:
            if opts.tool == "crm_migration":
                result.update(
                    load_crm_migration(
                        env, data_dir, profiler, opts.workers, opts.odoo_args
                    )
                )
            else:
                result.update(load_base_import(env, data_dir))
        result["cpu"] = other.as_dict()
        if opts.workers:
            count_workers(result)
        result["queries"] = cr.sql_log_count - queries
        cr.commit()
        env.invalidate_all()
        after = counts(env)
    result["counts_before"] = before
    result["counts_after"] = after
    result["counts_new"] = {k: after[k] - before[k] for k in after}
    result["rows"] = {name: data_rows(data_dir / name) for name in FILES}
    result["peak_rss_mb"] = rss_mb()
    result["database"] = registry.db_name
    if profiler:
        profiler.dump_stats(opts.profile)
        result["pstats"] = opts.profile
    Path(opts.out).write_text(json.dumps(result, indent=2, default=str))
    print(
        f"{opts.tool}: {result['whole_seconds']:.1f}s, new records {result['counts_new']}",
        flush=True,
    )


def count_workers(result):
    """The workers' CPU after their start is Odoo's, not other work's; their
    start (registry loading) is left out of both (bench_parallel.py). Our
    cluster's CPU still holds the few queries of their registry loading."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = ru.ru_utime + ru.ru_stime
    cpu, worker_cpu = result["cpu"], result["parallel"]["worker_cpu"]
    cpu["odoo_cpu"] += worker_cpu
    cpu["worker_start_cpu"] = children - worker_cpu
    cpu["other_cpu"] = max(cpu["other_cpu"] - children, 0.0)
    cpu["other_share"] = cpu["other_cpu"] / (cpu["wall"] * (os.cpu_count() or 1))


# ---------------------------------------------------------------- report


def rate(rows, seconds):
    return rows / seconds if seconds else 0.0


def profile_top(path, limit=10):
    """Top functions of a cProfile pass, by cumulative time, with their share
    of the profiled time; the obvious call chain (the migration's own entry
    points, which are 100% by construction) is listed too so the table reads."""
    import pstats

    stats = pstats.Stats(path)
    total = stats.total_tt
    rows = []
    for (filename, lineno, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append(
            {
                "function": func,
                "where": f"{shorten(filename)}:{lineno}",
                "calls": nc,
                "tottime": tt,
                "cumtime": ct,
                "share": ct / total if total else 0.0,
            }
        )
    by_cum = sorted(rows, key=lambda r: -r["cumtime"])
    by_tot = sorted(rows, key=lambda r: -r["tottime"])
    return {
        "total_seconds": total,
        "crm_migration": [r for r in by_cum if r["where"].startswith("crm_migration/")][
            :20
        ],
        "by_cumulative": by_cum[: limit * 4],
        "by_tottime": by_tot[:limit],
    }


def shorten(filename):
    for marker in (
        "/crm_migration/",
        "/odoo/addons/",
        "/addons/",
        "/odoo/",
        "/lib/python",
    ):
        if marker in filename:
            return marker.strip("/") + "/" + filename.split(marker, 1)[1]
    return filename


def report(opts):
    results = {}
    for path in opts.results:
        data = json.loads(Path(path).read_text())
        results[data["tool"] + ("_parallel" if "parallel" in data else "")] = data
    mig, bi = results["crm_migration"], results["base_import"]
    rows = mig["rows"]
    total = sum(rows.values())
    out = []
    say = out.append
    say("")
    say(
        f"crm_migration vs base_import, {total:,} rows "
        f"({', '.join(f'{n} {r:,}' for n, r in rows.items())}), "
        f"{os.cpu_count()} CPUs, {datetime.datetime.now():%Y-%m-%d %H:%M}"
    )
    say("")
    head = f"{'file':<14}{'rows':>8} | {'crm_migration':>28} | {'base_import':>28} | {'ratio':>6}"
    say(head)
    say(
        f"{'':<14}{'':>8} | {'ingest+run s':>13}{'rows/s':>9}{'created':>8}"
        f" | {'s':>13}{'rows/s':>9}{'created':>8} | "
    )
    say("-" * len(head))
    for name in FILES:
        m, b = mig["files"][name], bi["files"][name]
        m_s = (m["ingest_seconds"] or 0) + (m["run_seconds"] or 0)
        m_rate, b_rate = rate(rows[name], m_s), rate(rows[name], b["seconds"])
        say(
            f"{name:<14}{rows[name]:>8,} | {m_s:>13.1f}{m_rate:>9,.0f}{m['created'] or 0:>8,}"
            f" | {b['seconds']:>13.1f}{b_rate:>9,.0f}{b['created']:>8,}"
            f" | {m_rate / b_rate if b_rate else 0:>5.1f}x"
        )
    say("-" * len(head))
    b_rate = rate(total, bi["whole_seconds"])
    m_whole = rate(total, mig["whole_seconds"])
    m_run = rate(total, mig["run_seconds"])
    say(
        f"{'base_import, all files':<44}{bi['whole_seconds']:>8.1f} s {b_rate:>9,.0f} rows/s"
    )
    say(
        f"{'crm_migration, whole migration':<44}{mig['whole_seconds']:>8.1f} s {m_whole:>9,.0f} rows/s"
        f"   ratio {m_whole / b_rate if b_rate else 0:.2f}x"
    )
    say(
        f"{'crm_migration, full run alone':<44}{mig['run_seconds']:>8.1f} s {m_run:>9,.0f} rows/s"
        f"   ratio {m_run / b_rate if b_rate else 0:.2f}x"
    )
    m_cpu = mig["cpu"]["odoo_cpu"] + mig["cpu"]["postgres_cpu"]
    b_cpu = bi["cpu"]["odoo_cpu"] + bi["cpu"]["postgres_cpu"]
    say(
        f"{'CPU s (Odoo + PostgreSQL) per 1,000 rows':<44}crm_migration {1000 * m_cpu / total:.1f}, "
        f"base_import {1000 * b_cpu / total:.1f}   ratio {b_cpu / m_cpu if m_cpu else 0:.2f}x "
        "(less sensitive than wall time to other work on the machine)"
    )
    say(
        f"{'SQL queries per row':<44}crm_migration {mig['queries'] / total:.1f}, "
        f"base_import {bi['queries'] / total:.1f}"
    )
    phases = ", ".join(f"{k} {v['seconds']:.1f}s" for k, v in mig["phases"].items())
    say(
        f"crm_migration phases: {phases} (run tail after the last batch "
        f"{mig['run_tail_seconds']:.1f}s)"
    )
    for label, res in (("crm_migration", mig), ("base_import", bi)):
        c = res["cpu"]
        say(
            f"CPU during the {label} load ({c['wall']:.0f}s wall, {os.cpu_count()} CPUs): Odoo process "
            f"{c['odoo_cpu']:.0f}s, PostgreSQL {c['postgres_cpu']:.0f}s, other processes {c['other_cpu']:.0f}s "
            f"({c['other_share']:.0%} of the machine)"
        )
    say(
        f"peak RSS: crm_migration {mig['peak_rss_mb']:.0f} MB, base_import {bi['peak_rss_mb']:.0f} MB "
        f"(after loading the registry: {mig['rss_after_registry_mb']:.0f} / {bi['rss_after_registry_mb']:.0f} MB)"
    )
    say("")
    say("records created (counted in each database after the load):")
    keys = list(mig["counts_new"])
    say(f"  {'':<22}{'crm_migration':>14}{'base_import':>14}")
    for key in keys:
        say(f"  {key:<22}{mig['counts_new'][key]:>14,}{bi['counts_new'][key]:>14,}")
    say(
        f"  crm_migration run: {mig['run_state']}, balanced {mig['run_balanced']}, "
        f"{mig['run_review']} rows held for review, custom fields {', '.join(mig['custom_fields']) or 'none'}"
    )
    errors = sum(f["errors"] for f in bi["files"].values())
    warns = sum(f["warnings"] for f in bi["files"].values())
    say(
        f"  base_import: {errors} error and {warns} warning messages "
        "(warnings: a state code found in several countries, the first is taken)"
    )
    say(
        "  cells changed in base_import's copy of the files beforehand (untimed; base_import "
        "refuses a whole file for one bad date or number, a whole batch for an unknown boolean):"
    )
    for c in bi["prepared"]:
        say(
            f"    {c['file']} {c['column']}: {c['value']!r} -> {c['new']!r} in {c['cells']:,} cells "
            f"(first at line {c['first_row']})"
        )
    problems = []
    expected = {
        "companies": rows["companies.csv"],
        "contacts": rows["contacts.csv"],
        "leads": rows["deals.csv"],
    }
    for tool, res in results.items():
        for key, want in expected.items():
            got = res["counts_new"][key]
            if got < 0.99 * want:
                problems.append(
                    f"{tool} created {got:,} {key}, expected about {want:,}"
                )
    noise = []
    for tool, res in results.items():
        if res["cpu"]["other_share"] > 0.05:
            noise.append(
                f"other processes used {res['cpu']['other_share']:.0%} of the machine during the "
                f"{tool} load: the timings are not clean, run again on an idle machine"
            )
    for tool in ("crm_migration", "crm_migration_parallel"):
        if tool in results and results[tool]["run_state"] != "done":
            problems.append(f"{tool} run ended {results[tool]['run_state']}")
            say(f"{tool} run's log:\n{results[tool].get('run_log') or ''}")
    if "crm_migration_parallel" in results:
        say_parallel(say, results["crm_migration_parallel"], bi, total)
    say("")
    say(
        "CHECK FAILED: " + "; ".join(problems)
        if problems
        else "check: both tools created the expected companies, contacts and leads"
    )
    for text in noise:
        say(f"WARNING: {text}")
    summary = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "revision": os.environ.get("BENCH_REVISION", "unknown"),
        "cpus": os.cpu_count(),
        "rows": rows,
        "total_rows": total,
        "base_import_rows_per_s": b_rate,
        "crm_migration_whole_rows_per_s": m_whole,
        "crm_migration_run_rows_per_s": m_run,
        "ratio_whole": m_whole / b_rate if b_rate else None,
        "ratio_run": m_run / b_rate if b_rate else None,
        "cpu_seconds_per_1000_rows": {
            "crm_migration": 1000 * m_cpu / total,
            "base_import": 1000 * b_cpu / total,
        },
        "ratio_cpu": b_cpu / m_cpu if m_cpu else None,
        "queries_per_row": {
            "crm_migration": mig["queries"] / total,
            "base_import": bi["queries"] / total,
        },
        "check_ok": not problems,
        "problems": problems,
        "clean_machine": not noise,
        "noise": noise,
        "results": results,
    }
    if opts.pstats and Path(opts.pstats).exists():
        top = profile_top(opts.pstats)
        summary["profile"] = top
        say("")
        say(
            f"where crm_migration's time goes (cProfile pass, {top['total_seconds']:.0f}s profiled; "
            "cProfile slows the run, read the shares):"
        )
        say(f"  {'cumulative':>10} {'share':>6} {'own':>8} {'calls':>9}  function")
        for row in top["by_cumulative"][:30]:
            say(
                f"  {row['cumtime']:>9.1f}s {row['share']:>6.1%} {row['tottime']:>7.1f}s {row['calls']:>9,}  "
                f"{row['function']} ({row['where']})"
            )
        say("  crm_migration's own functions by cumulative time:")
        for row in top["crm_migration"]:
            say(
                f"  {row['cumtime']:>9.1f}s {row['share']:>6.1%} {row['tottime']:>7.1f}s {row['calls']:>9,}  "
                f"{row['function']} ({row['where']})"
            )
        say("  top by own time:")
        for row in top["by_tottime"]:
            say(
                f"  {row['tottime']:>9.1f}s {row['tottime'] / top['total_seconds']:>6.1%} {row['calls']:>9,}  "
                f"{row['function']} ({row['where']})"
            )
    text = "\n".join(out)
    print(text)
    summary["table"] = text
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(json.dumps(summary, indent=2, default=str))
    return 0 if not problems else 1


def say_parallel(say, par, bi, total):
    """The lines of the full run in parallel batch jobs (``--workers``)."""
    info, cpu = par["parallel"], par["cpu"]
    b_rate = rate(total, bi["whole_seconds"])
    m_whole = rate(total, par["whole_seconds"])
    m_run = rate(total, par["run_seconds"])
    m_cpu, b_cpu = cpu["odoo_cpu"] + cpu["postgres_cpu"], bi["cpu"]["odoo_cpu"] + bi["cpu"]["postgres_cpu"]
    say("")
    say(
        f"crm_migration with the full run in parallel batch jobs on {info['workers']} worker "
        f"processes (jobs {info['jobs']}, per worker {info['jobs_per_worker']}):"
    )
    say(
        f"{'  whole migration':<44}{par['whole_seconds']:>8.1f} s {m_whole:>9,.0f} rows/s"
        f"   ratio {m_whole / b_rate if b_rate else 0:.2f}x"
    )
    say(
        f"{'  full run alone':<44}{par['run_seconds']:>8.1f} s {m_run:>9,.0f} rows/s"
        f"   ratio {m_run / b_rate if b_rate else 0:.2f}x"
    )
    say(
        f"{'  CPU s (Odoo + PostgreSQL)':<44}{m_cpu:.1f} against {b_cpu:.1f}   "
        f"ratio {b_cpu / m_cpu if m_cpu else 0:.2f}x (the workers' start, "
        f"{cpu['worker_start_cpu']:.1f} CPU s, not counted)"
    )
    say(
        f"  run {par['run_state']}, balanced {par['run_balanced']}, created "
        f"{par['run_created']:,}, held for review {par['run_review']}"
    )
    if info.get("concurrency"):
        for line in bench_parallel.concurrency_lines("  the jobs", info["concurrency"]):
            say(line)


def split_argv(argv=None):
    """(the bench's own arguments, Odoo's): Odoo's come after a ``--``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        return argv, []
    cut = argv.index("--")
    return argv[:cut], argv[cut + 1 :]


def main(argv=None):
    argv, odoo_args = split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("setup")
    p_load = sub.add_parser("load")
    p_load.add_argument(
        "--tool", choices=("crm_migration", "base_import"), required=True
    )
    p_load.add_argument("--data", required=True)
    p_load.add_argument("--out", required=True)
    p_load.add_argument("--profile", help="write a cProfile of the migration here")
    p_load.add_argument(
        "--workers",
        type=int,
        default=0,
        help="crm_migration's full run as parallel batch jobs on this many "
        "worker processes (bench_parallel.py); 0: synchronous, as the CLI",
    )
    p_rep = sub.add_parser("report")
    p_rep.add_argument("results", nargs="+")
    p_rep.add_argument("--pstats")
    p_rep.add_argument("--out", required=True)
    opts = parser.parse_args(argv)
    opts.odoo_args = odoo_args
    if opts.cmd == "setup":
        return setup(opts)
    if opts.cmd == "load":
        return load(opts)
    return report(opts)


if __name__ == "__main__":
    sys.exit(main())
