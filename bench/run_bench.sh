#!/usr/bin/env bash
# Throughput of crm_migration against Odoo's own base_import, one command:
#
#   bash bench/run_bench.sh [--rows N] [--profile] [--keep] [--workers N] [--no-writers | --writers-only]
#
#   --rows N    rows in total across companies.csv + contacts.csv + deals.csv
#               (default 20000: N/6 companies, N/2 contacts, N/3 deals, made by
#               samples/make_samples.py --rows N/3 --csv-only)
#   --profile   also run crm_migration once more under cProfile (a third copy of
#               the database; slower, not timed) and print where its time goes
#   --keep      keep the work folder (databases stopped) for a look afterwards
#   --workers N also load with the full run in parallel batch jobs on N queue_job
#               worker processes (bench/bench_parallel.py), a third database
#   --no-writers    skip the writers bench (bench_writers.py: companies,
#               contacts, deals, notes and activities, N/20, N*3/20, N/10,
#               N*3/10 and N*3/20 rows, by base_import, the ORM writer and the
#               bulk writer side by side in one process)
#   --writers-only  only the writers bench (no companies/contacts/deals loads)
#
# It finds the installed Odoo 18 and starts a throwaway PostgreSQL cluster as
# tools/run_tests.sh does, installs crm_migration into a template database
# (--without-demo=all), copies it once per tool so that both start from the
# same state and never see each other's records, loads the same files with
# each tool in its own process (bench/bench_import.py), prints the table and
# writes bench/out/result.json. Everything else is removed at the end.
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/../tools/odoo_env.sh"
# shellcheck source=bench/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
cd "$REPO_ROOT" || exit 2

ROWS=20000
PROFILE=0
KEEP=0
WRITERS=1
MAIN=1
WORKERS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS=${2:?--rows needs a number}; shift 2 ;;
        --rows=*) ROWS=${1#--rows=}; shift ;;
        --profile) PROFILE=1; shift ;;
        --keep) KEEP=1; shift ;;
        --workers) WORKERS=${2:?--workers needs a number}; shift 2 ;;
        --no-writers) WRITERS=0; shift ;;
        --writers-only) MAIN=0; shift ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$ROWS" in ''|*[!0-9]*) echo "--rows needs a number" >&2; exit 2 ;; esac
DEALS=$((ROWS / 3))
[ "$DEALS" -ge 16 ] || { echo "--rows must be at least 48" >&2; exit 2; }

find_odoo || { echo "NO ODOO 18 FOUND: install Odoo 18 first (see README.md)."; exit 2; }
if ! "$ODOO_PY" samples/make_samples.py --help 2>/dev/null | grep -q -- '--csv-only'; then
    echo "samples/make_samples.py has no --csv-only option: cannot make the input" >&2
    exit 2
fi

bench_workdir bench
# the postmaster's pid: bench_import.py counts our cluster's CPU apart from other work
BENCH_PG_PID=$(head -n1 "$WORK_DIR/pg/data/postmaster.pid" 2>/dev/null)
export BENCH_PG_PID
export BENCH_REVISION
BENCH_REVISION=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
odoo_args=(--addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$PG_PORT" --db_user="$PG_USER"
           --data-dir="$WORK_DIR/data" --max-cron-threads=0 --log-level=warn)

log "crm_migration $BENCH_REVISION, Odoo $("$ODOO_PY" -c 'import odoo.release as r; print(r.version)') ($ODOO_PY), PostgreSQL on port $PG_PORT, $(nproc) CPUs"
log "installing crm_migration into a template database (a few minutes)..."
odoo_cmd "${odoo_args[@]}" -d bench_template -i crm_migration --without-demo=all --stop-after-init \
    >"$WORK_DIR/install.log" 2>&1 || { tail -n 30 "$WORK_DIR/install.log"; exit 2; }
"$ODOO_PY" bench/bench_import.py setup -- -d bench_template "${odoo_args[@]}" >"$WORK_DIR/setup.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR/setup.log"; exit 2; }

log "generating the input: samples/make_samples.py --rows $DEALS --csv-only"
"$ODOO_PY" samples/make_samples.py --out "$WORK_DIR/input" --rows "$DEALS" --csv-only \
    >"$WORK_DIR/samples.log" 2>&1 || { cat "$WORK_DIR/samples.log"; exit 2; }
sed 's/^/    /' "$WORK_DIR/samples.log"

copy_db() {  # copy_db NAME: a fresh copy of the template
    "$ODOO_PY" - "$1" <<PY
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PG_PORT, user="$PG_USER", dbname="postgres")
conn.autocommit = True
cur = conn.cursor()
cur.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}"')
cur.execute(f'CREATE DATABASE "{sys.argv[1]}" TEMPLATE bench_template')
PY
}

load() {  # load LABEL TOOL DB [extra args]: one tool, its own process and database
    local label=$1 tool=$2 db=$3
    shift 3
    copy_db "$db" || exit 2
    log "loading with $tool (database $db)..."
    "$ODOO_PY" bench/bench_import.py load --tool "$tool" --data "$WORK_DIR/input" \
        --out "$WORK_DIR/$label.json" "$@" -- -d "$db" "${odoo_args[@]}" >"$WORK_DIR/$label.log" 2>&1
    local rc=$?
    tail -n 1 "$WORK_DIR/$label.log" | sed 's/^/    /'
    if [ $rc != 0 ]; then echo "the $label load failed (exit $rc):"; tail -n 40 "$WORK_DIR/$label.log"; exit 3; fi
}

rc=0
if [ "$MAIN" = 1 ]; then
    load crm_migration crm_migration bench_crm_migration
    load base_import base_import bench_base_import
    parallel_json=()
    if [ "$WORKERS" -gt 0 ] 2>/dev/null; then
        load crm_migration_parallel crm_migration bench_parallel --workers "$WORKERS"
        parallel_json=("$WORK_DIR/crm_migration_parallel.json")
    fi
    pstats_args=()
    if [ "$PROFILE" = 1 ]; then
        log "profiling crm_migration (cProfile, not timed)"
        load crm_migration_profiled crm_migration bench_profile --profile "$OUT/crm_migration.pstats"
        pstats_args=(--pstats "$OUT/crm_migration.pstats")
    fi

    "$ODOO_PY" bench/bench_import.py report "$WORK_DIR/crm_migration.json" "$WORK_DIR/base_import.json" \
        "${parallel_json[@]}" "${pstats_args[@]}" --out "$OUT/result.json"
    rc=$?
    log "wrote $OUT/result.json"
fi
if [ "$WRITERS" = 1 ]; then
    # the writers side by side: one process, one fresh database, each load
    # rolled back so that the three start from the same state
    copy_db bench_writers || exit 2
    log "writers bench: $((ROWS / 20)) companies, $((ROWS * 3 / 20)) contacts, $((ROWS / 10)) deals, $((ROWS * 3 / 10)) notes, $((ROWS * 3 / 20)) activities (database bench_writers)..."
    "$ODOO_PY" bench/bench_writers.py --companies $((ROWS / 20)) --contacts $((ROWS * 3 / 20)) --deals $((ROWS / 10)) \
        --notes $((ROWS * 3 / 10)) --activities $((ROWS * 3 / 20)) --max-wait "${BENCH_MAX_WAIT:-240}" \
        --out "$OUT/writers.json" -- -d bench_writers "${odoo_args[@]}" 2>"$WORK_DIR/writers.log" \
        | tee -a "$WORK_DIR/writers.log"
    wrc=${PIPESTATUS[0]}
    [ "$wrc" = 0 ] || { echo "the writers bench failed (exit $wrc):"; tail -n 30 "$WORK_DIR/writers.log"; rc=$wrc; }
    log "wrote $OUT/writers.json"
fi
exit $rc
