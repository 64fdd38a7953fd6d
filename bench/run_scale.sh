#!/usr/bin/env bash
# Scale bench, one command: the whole migration of bench/gen_scale.py scenarios
# (companies, contacts, deals, notes, activities) at two or more sizes, each in
# a fresh copy of one template database and its own process, then the cost per
# row of the largest against the smallest and the peak RSS of each; per object
# the rows/s against plain batched create() and the bulk-INSERT limit measured
# on a sample of its records (bench/bench_limits.py):
#
#   bash bench/run_scale.sh [--keep] [--stop-after PHASE] [--limits N]
#                            [--trace-memory DIR [--trace-every ROWS]] SIZE [SIZE...]
#
# --stop-after ingest|profile|propose|accept: only the phases up to that one
# (the memory of reading a million rows, without the hours of the run);
# --limits N: the sample per object of the two yardsticks (0: none; 2000).
#
# Results: bench/out/scale-SIZE.json per size and bench/out/scale.json (the
# smallest against the largest). See bench/README.md, "Scale".
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/../tools/odoo_env.sh"
# shellcheck source=bench/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
cd "$REPO_ROOT" || exit 2

KEEP=0
SIZES=()
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1; shift ;;
        --stop-after|--limits|--trace-memory|--trace-every) EXTRA+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *[!0-9]*|'') echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) SIZES+=("$1"); shift ;;
    esac
done
[ ${#SIZES[@]} -ge 1 ] || SIZES=(200000 1000000)

find_odoo || { echo "NO ODOO 18 FOUND: install Odoo 18 first (see README.md)."; exit 2; }
bench_workdir scale
# the postmaster's pid: bench_scale.py counts our cluster's CPU apart from other work
BENCH_PG_PID=$(head -n1 "$WORK_DIR/pg/data/postmaster.pid" 2>/dev/null)
export BENCH_PG_PID
odoo_args=(--addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$PG_PORT" --db_user="$PG_USER"
           --data-dir="$WORK_DIR/data" --max-cron-threads=0 --log-level=warn)
log "crm_migration $(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null), sizes ${SIZES[*]}, $(nproc) CPUs"
odoo_cmd "${odoo_args[@]}" -d scale_template -i crm_migration --without-demo=all --stop-after-init \
    >"$WORK_DIR/install.log" 2>&1 || { tail -n 30 "$WORK_DIR/install.log"; exit 2; }
"$ODOO_PY" bench/bench_import.py setup -- -d scale_template "${odoo_args[@]}" >"$WORK_DIR/setup.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR/setup.log"; exit 2; }

for size in "${SIZES[@]}"; do
    "$ODOO_PY" bench/gen_scale.py --rows "$size" --out "$WORK_DIR/in-$size" >/dev/null || exit 2
    "$ODOO_PY" - "scale_$size" <<PY || exit 2
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PG_PORT, user="$PG_USER", dbname="postgres")
conn.autocommit = True
cur = conn.cursor()
cur.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}"')
cur.execute(f'CREATE DATABASE "{sys.argv[1]}" TEMPLATE scale_template')
PY
    log "migrating $size rows (database scale_$size)..."
    "$ODOO_PY" bench/bench_scale.py load --data "$WORK_DIR/in-$size" --out "$OUT/scale-$size.json" \
        "${EXTRA[@]}" -- -d "scale_$size" "${odoo_args[@]}" >"$WORK_DIR/scale-$size.log" 2>&1
    rc=$?
    grep -A 12 '^[0-9]* rows: ' "$WORK_DIR/scale-$size.log" | sed 's/^/    /'
    [ $rc = 0 ] || { tail -n 40 "$WORK_DIR/scale-$size.log"; exit 3; }
    rm -rf "$WORK_DIR/in-$size"
done
if [ ${#SIZES[@]} -ge 2 ] && [[ " ${EXTRA[*]} " != *" --stop-after "* ]]; then
    "$ODOO_PY" bench/bench_scale.py report "$OUT/scale-${SIZES[0]}.json" "$OUT/scale-${SIZES[-1]}.json" \
        --out "$OUT/scale.json"
fi
