#!/usr/bin/env bash
# The full run in parallel batch jobs against the synchronous run, side by side
# in one cluster, without base_import (bench/run_bench.sh --workers also loads
# base_import, 6-7 minutes at 20k rows):
#
#   bash bench/run_parallel.sh [--rows N] [--workers N] [--repeat K] [--before REV] [--keep]
#
#   --rows N      rows across the bench's three files (samples/make_samples.py,
#                 as run_bench.sh; default 20000)
#   --workers N   queue_job worker processes of the parallel loads (default 2)
#   --repeat K    K pairs of loads (synchronous, parallel) per revision (default 1)
#   --before REV  also the parallel loads with the addon at git revision REV
#                 (its own template; loads alternated: synchronous, parallel
#                 before, parallel after, ...)
#
# Each load is bench/bench_import.py load (a fresh copy of the template, the
# same files); the parallel loads are bench_parallel.py's (the workers' start
# not counted). Prints bench_parallel.py report: per load the whole migration's
# and the run's wall seconds and CPU seconds (Odoo + PostgreSQL), the jobs, the
# run's state, and the ratios against the synchronous loads of the same run.
# JSON per load in bench/out/parallel-*.json, the workers' log in the loads' logs.
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/../tools/odoo_env.sh"
# shellcheck source=bench/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
cd "$REPO_ROOT" || exit 2

ROWS=20000
WORKERS=2
REPEAT=1
BEFORE=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS=${2:?}; shift 2 ;;
        --workers) WORKERS=${2:?}; shift 2 ;;
        --repeat) REPEAT=${2:?}; shift 2 ;;
        --before) BEFORE=${2:?}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

find_odoo || { echo "NO ODOO 18 FOUND" >&2; exit 2; }
bench_workdir parallel
BENCH_PG_PID=$(head -n1 "$WORK_DIR/pg/data/postmaster.pid" 2>/dev/null)
export BENCH_PG_PID
# the machine is shared: a load does not wait for it to be idle (the report
# says what the other processes used)
export BENCH_MAX_WAIT=${BENCH_MAX_WAIT:-0}
bench_revisions
template parallel_after "$AFTER_PATH"
[ -n "$BEFORE" ] && template parallel_before "$BEFORE_PATH"

"$ODOO_PY" samples/make_samples.py --out "$WORK_DIR/input" --rows $((ROWS / 3)) --csv-only \
    >"$WORK_DIR/samples.log" 2>&1 || { cat "$WORK_DIR/samples.log"; exit 2; }

outs=()
one() {  # one LABEL ADDONS_PATH REV TEMPLATE WORKERS
    local label=$1 path=$2 rev=$3 tpl=$4 workers=$5
    copy_db parallel_load "$tpl" || exit 2
    log "loading $label (revision $rev, workers $workers)..."
    BENCH_REVISION=$rev "$ODOO_PY" bench/bench_import.py load --tool crm_migration \
        --data "$WORK_DIR/input" --out "$OUT/parallel-$label.json" --workers "$workers" \
        -- -d parallel_load --addons-path="$path" "${common[@]}" \
        >"$WORK_DIR/parallel-$label.log" 2>&1 || { tail -n 30 "$WORK_DIR/parallel-$label.log"; exit 3; }
    tail -n 1 "$WORK_DIR/parallel-$label.log" | sed 's/^/    /'
    outs+=("$label=$OUT/parallel-$label.json")
}

for i in $(seq 1 "$REPEAT"); do
    one "sync-$i" "$AFTER_PATH" "$AFTER_REV" parallel_after 0
    [ -n "$BEFORE" ] && one "before-$i" "$BEFORE_PATH" "$BEFORE" parallel_before "$WORKERS"
    one "after-$i" "$AFTER_PATH" "$AFTER_REV" parallel_after "$WORKERS"
done
log "before: ${BEFORE:-(none)}, after: $AFTER_REV, $ROWS rows, $WORKERS workers, $(nproc) CPUs"
"$ODOO_PY" bench/bench_parallel.py report "${outs[@]}"
