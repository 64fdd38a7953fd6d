"""Kill a command-line run with SIGKILL half way, resume it, count exactly.

Run by tools/cli_e2e.sh on the test suite's throwaway database (it commits):

    python tools/kill_resume.py --db crmmig_test --db-host 127.0.0.1 \\
        --db-port 5432 --db-user odoo --addons-path ... --data-dir ...

1. generates companies and contacts (a few thousand rows) in a temporary folder;
2. starts ``odoo-bin crm-migration run -c FILE -d DB FOLDER --full ...`` (Odoo's
   options before the paths, as the README writes it), waits until some
   batches are committed and kills it with SIGKILL;
3. checks the run is left "running" and that ``status`` calls it interrupted;
4. runs the same command again: it must resume that run (no new run), and
   every row must be booked once: no duplicate partner, none missing, the
   reconciliation equation true per object;
5. kills a rollback of the run half way, and the next ``rollback`` finishes it:
   every record the run created is gone.

Prints one line per check and exits non-zero at the first that fails.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

DOMAIN = "killresume.example"


def odoo_command(addons_path):
    py = os.environ.get("ODOO_PY", sys.executable)
    if os.environ.get("ODOO_BIN"):
        return [py, os.environ["ODOO_BIN"], f"--addons-path={addons_path}"]
    launcher = "import sys, odoo.cli; sys.argv[0] = 'odoo-bin'; odoo.cli.main()"
    return [py, "-c", launcher, f"--addons-path={addons_path}"]


def make_exports(folder, companies, contacts):
    with open(folder / "companies.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Company ID", "Company Name", "Website"])
        for i in range(companies):
            out.writerow(
                [f"C{i}", f"Kill Resume Company {i}", f"https://c{i}.{DOMAIN}"]
            )
    with open(folder / "contacts.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Contact ID", "First Name", "Last Name", "Email", "Company"])
        for i in range(contacts):
            out.writerow(
                [
                    f"P{i}",
                    f"First{i}",
                    f"Last{i}",
                    f"person{i}@{DOMAIN}",
                    f"Kill Resume Company {i % companies}",
                ]
            )


class Check:
    def __init__(self, args):
        self.args = args
        self.cnx = psycopg2.connect(
            dbname=args.db, host=args.db_host, port=args.db_port, user=args.db_user
        )
        self.cnx.autocommit = True

    def one(self, query, params=()):
        with self.cnx.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()

    def ok(self, cond, text):
        print(f"{'ok  ' if cond else 'FAIL'} {text}", flush=True)
        if not cond:
            sys.exit(1)


def run_id(check):
    row = check.one(
        "SELECT r.id FROM migration_run r JOIN migration_project p "
        "ON p.id = r.project_id WHERE p.name = %s ORDER BY r.id DESC LIMIT 1",
        (PROJECT,),
    )
    return row and row[0]


def kill_when(proc, check, condition, timeout=300):
    """SIGKILL ``proc`` once ``condition()`` is true; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if condition():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.05)
    proc.kill()
    return False


def main():
    parser = argparse.ArgumentParser()
    for name in ("db", "db-host", "db-port", "db-user", "addons-path", "data-dir"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--contacts", type=int, default=1500)
    parser.add_argument("--project", default="Kill and resume")
    args = parser.parse_args()
    global PROJECT  # noqa: PLW0603 - one project per script run
    PROJECT = args.project
    check = Check(args)
    work = Path(tempfile.mkdtemp(prefix="kill_resume_"))
    conf = work / "odoo.conf"
    conf.write_text(
        "[options]\n"
        f"db_host = {args.db_host}\ndb_port = {args.db_port}\n"
        f"db_user = {args.db_user}\ndata_dir = {args.data_dir}\nlog_level = warn\n"
    )
    exports = work / "exports"
    exports.mkdir()
    make_exports(exports, args.companies, args.contacts)
    rows = args.companies + args.contacts
    odoo = odoo_command(args.addons_path)
    # Odoo's -c and -d first, then the paths: the README's spelling
    run_cmd = [
        *odoo,
        "crm-migration",
        "run",
        "-c",
        str(conf),
        "-d",
        args.db,
        str(exports),
        "--project",
        PROJECT,
        "--full",
        "--accept-proposals",
        "--min-confidence",
        "0",
    ]
    log = open(work / "first.log", "w")  # noqa: SIM115 - closed by the process end
    first = subprocess.Popen(run_cmd, stdout=log, stderr=subprocess.STDOUT)

    def half_loaded():
        rid = run_id(check)
        if not rid:
            return False
        done, total = check.one(
            "SELECT done_rows, total_rows FROM migration_run WHERE id = %s", (rid,)
        )
        # one batch of contacts committed (500 rows a batch), more to go
        return total and args.companies + 500 <= done < total

    killed = kill_when(first, check, half_loaded)
    check.ok(killed, "the first run was killed with SIGKILL half way")
    rid = run_id(check)
    state, done = check.one(
        "SELECT state, done_rows FROM migration_run WHERE id = %s", (rid,)
    )
    check.ok(state == "running", f"run {rid} is left '{state}' with {done}/{rows} rows")
    status = subprocess.run(
        [*odoo, "crm-migration", "status", "--project", PROJECT, "-c", str(conf)]
        + ["-d", args.db],
        capture_output=True,
        text=True,
        check=False,
    )
    check.ok("interrupted" in status.stdout, "status calls it interrupted")

    second = subprocess.run(run_cmd, capture_output=True, text=True, check=False)
    print(second.stdout[-1500:])
    check.ok(second.returncode in (0, 1), f"the next run exited {second.returncode}")
    check.ok(f"resumed run {rid}" in second.stdout, f"it resumed run {rid}")
    check.ok(run_id(check) == rid, "no new run was made")
    state, read = check.one(
        "SELECT r.state, sum(l.read_count) FROM migration_run r JOIN "
        "migration_run_line l ON l.run_id = r.id WHERE r.id = %s GROUP BY r.state",
        (rid,),
    )
    check.ok(
        (state, read) == ("done", rows), f"run {rid} {state}, {read} of {rows} read"
    )
    (unbalanced,) = check.one(
        "SELECT count(*) FROM migration_run_line WHERE run_id = %s AND read_count <> "
        "created_count + updated_count + unchanged_count + merged_count "
        "+ skipped_count + review_count",
        (rid,),
    )
    check.ok(
        unbalanced == 0,
        "read = created + updated + unchanged + merged + "
        "skipped + review for every object",
    )
    people, distinct = check.one(
        "SELECT count(*), count(DISTINCT lower(email)) FROM res_partner "
        "WHERE email LIKE %s",
        (f"%@{DOMAIN}",),
    )
    check.ok(
        (people, distinct) == (args.contacts, args.contacts),
        f"{people} contacts in Odoo ({distinct} distinct) for {args.contacts} rows",
    )
    (companies,) = check.one(
        "SELECT count(*) FROM res_partner WHERE is_company AND name LIKE %s",
        ("Kill Resume Company %",),
    )
    check.ok(companies == args.companies, f"{companies} companies for {args.companies}")
    (dupes,) = check.one(
        "SELECT count(*) FROM (SELECT target, source_key FROM migration_ledger "
        "WHERE run_id = %s AND operation = 'create' GROUP BY 1, 2 "
        "HAVING count(*) > 1) d",
        (rid,),
    )
    check.ok(dupes == 0, "no source key created twice in the ledger")
    (created,) = check.one(
        "SELECT sum(created_count) FROM migration_run_line WHERE run_id = %s", (rid,)
    )
    check.ok(created == rows, f"{created} created for {rows} rows")

    # ---------------------------------------------------------- rollback
    rollback_cmd = [*odoo, "crm-migration", "rollback", str(rid), "-c", str(conf)]
    rollback_cmd += ["-d", args.db]
    log2 = open(work / "rollback.log", "w")  # noqa: SIM115
    undo = subprocess.Popen(rollback_cmd, stdout=log2, stderr=subprocess.STDOUT)

    def half_undone():
        (undone,) = check.one(
            "SELECT count(*) FROM migration_ledger WHERE run_id = %s AND rolled_back",
            (rid,),
        )
        return 400 <= undone < rows - 200  # commits every 200

    check.ok(kill_when(undo, check, half_undone), "the rollback was killed half way")
    pending, state = check.one(
        "SELECT rollback_pending, state FROM migration_run WHERE id = %s", (rid,)
    )
    check.ok(pending and state == "done", "the run's rollback is left pending")
    finish = subprocess.run(rollback_cmd, capture_output=True, text=True, check=False)
    print(finish.stdout[-500:])
    check.ok(finish.returncode == 0, f"the next rollback exited {finish.returncode}")
    state, pending = check.one(
        "SELECT state, rollback_pending FROM migration_run WHERE id = %s", (rid,)
    )
    check.ok(state == "rolled_back" and not pending, f"run {rid} is {state}")
    (left,) = check.one(
        "SELECT count(*) FROM res_partner WHERE email LIKE %s OR name LIKE %s",
        (f"%@{DOMAIN}", "Kill Resume Company %"),
    )
    check.ok(left == 0, f"{left} migrated partners left after the rollback")
    print(
        f"kill and resume: run {rid} killed at {done}/{rows} rows, resumed to "
        f"{read} read / {created} created, {people} contacts, 0 duplicates; "
        "rollback killed half way and finished"
    )


if __name__ == "__main__":
    main()
