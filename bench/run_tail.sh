#!/usr/bin/env bash
# The run's end (fill rates, cell conservation, reconciliation) against the whole
# migration, before and after a change, side by side in one cluster:
#
#   bash bench/run_tail.sh [--rows N] [--before REV] [--profile] [--scale]
#
#   --rows N      rows across the bench's three files (samples/make_samples.py, as
#                 run_bench.sh; default 2000)
#   --before REV  also load with the addon at git revision REV (same template,
#                 same files, loads alternated: before, after, before, after...)
#   --profile     one more load per revision under cProfile (shares of the run)
#   --scale       also a gen_scale.py scenario of N rows (companies, contacts,
#                 deals and notes: notes are a converted object)
#   --repeat K    K timed loads per revision and scenario (default 1)
#
# BENCH_PG_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
# also lists PostgreSQL's costliest statements after the last batch; adding
# "-c autovacuum=off" keeps the planner's statistics the same in every load.
# BENCH_PROFILE_CLOCK=wall: --profile by wall clock instead of CPU.
#
# Each revision loads into a copy of its own template database (installed with
# its own code: an index or field one of them adds is there). Prints the table
# of bench_tail.py report; JSON per load in bench/out/tail-*.json.
# bench/run_objects.sh is this script with BENCH_KIND=objects: bench_objects.py
# instead of bench_tail.py (the CPU of each object's batches), bench/out/objects-*.
set -uo pipefail
KIND=${BENCH_KIND:-tail}
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/../tools/odoo_env.sh"
# shellcheck source=bench/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
cd "$REPO_ROOT" || exit 2

ROWS=2000
BEFORE=""
PROFILE=0
SCALE=0
REPEAT=1
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS=${2:?}; shift 2 ;;
        --before) BEFORE=${2:?}; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --scale) SCALE=1; shift ;;
        --repeat) REPEAT=${2:?}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

find_odoo || { echo "NO ODOO 18 FOUND" >&2; exit 2; }
bench_workdir "$KIND"
BENCH_PG_PID=$(head -n1 "$WORK_DIR/pg/data/postmaster.pid" 2>/dev/null)
export BENCH_PG_PID
bench_revisions
template "${KIND}_after" "$AFTER_PATH"
[ -n "$BEFORE" ] && template "${KIND}_before" "$BEFORE_PATH"

"$ODOO_PY" samples/make_samples.py --out "$WORK_DIR/in-bench" --rows $((ROWS / 3)) --csv-only \
    >"$WORK_DIR/samples.log" 2>&1 || { cat "$WORK_DIR/samples.log"; exit 2; }
scenarios=(bench)
if [ "$SCALE" = 1 ]; then
    "$ODOO_PY" bench/gen_scale.py --rows "$ROWS" --out "$WORK_DIR/in-scale" >/dev/null || exit 2
    scenarios+=(scale)
fi

outs=()
one() {  # one LABEL ADDONS_PATH REV SCENARIO TEMPLATE [--profile FILE]
    local label=$1 path=$2 rev=$3 scen=$4 tpl=$5
    shift 5
    copy_db "${KIND}_load" "$tpl" || exit 2
    BENCH_REVISION=$rev "$ODOO_PY" "bench/bench_$KIND.py" load --data "$WORK_DIR/in-$scen" --label "$label" \
        --out "$OUT/$KIND-$label.json" "$@" -- -d "${KIND}_load" --addons-path="$path" "${common[@]}" \
        >"$WORK_DIR/$label.log" 2>&1 || { tail -n 30 "$WORK_DIR/$label.log"; exit 3; }
    tail -n 1 "$WORK_DIR/$label.log" | sed 's/^/    /'
    outs+=("$OUT/$KIND-$label.json")
}

for scen in "${scenarios[@]}"; do
    for i in $(seq 1 "$REPEAT"); do
        [ -n "$BEFORE" ] && one "$scen-before-$i" "$BEFORE_PATH" "$BEFORE" "$scen" "${KIND}_before"
        one "$scen-after-$i" "$AFTER_PATH" "$AFTER_REV" "$scen" "${KIND}_after"
    done
    if [ "$PROFILE" = 1 ]; then
        [ -n "$BEFORE" ] && one "$scen-before-prof" "$BEFORE_PATH" "$BEFORE" "$scen" "${KIND}_before" \
            --profile "$OUT/$KIND-$scen-before.pstats"
        one "$scen-after-prof" "$AFTER_PATH" "$AFTER_REV" "$scen" "${KIND}_after" \
            --profile "$OUT/$KIND-$scen-after.pstats"
    fi
done
log "before: ${BEFORE:-(none)}, after: $AFTER_REV, $ROWS rows"
"$ODOO_PY" "bench/bench_$KIND.py" report "${outs[@]}"
