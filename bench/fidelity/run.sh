#!/usr/bin/env bash
# Blind fidelity check: for each system, generate messy exports with the blind
# generator, migrate them into a fresh Odoo database with the command line as a
# new user would (--full --accept-proposals), and score the records read back.
#   bash bench/fidelity/run.sh [SYSTEM...] [--seed N]      (default: every system)
# Prints one FIDELITY line per system; reports stay in bench/fidelity/out/.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/odoo_env.sh
. "$HERE/../../tools/odoo_env.sh"
cd "$REPO_ROOT" || exit 2
SEED=1
SYSTEMS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seed) SEED=$2; shift 2 ;;
        *) SYSTEMS+=("$1"); shift ;;
    esac
done
if [ ${#SYSTEMS[@]} = 0 ]; then
    for g in "$HERE"/*/generate.py; do SYSTEMS+=("$(basename "$(dirname "$g")")"); done
fi
find_odoo || { echo "NO ODOO 18 FOUND"; exit 2; }
WORK_DIR=$(mktemp -d /tmp/crm_fidelity.XXXXXX)
chmod 755 "$WORK_DIR"
trap 'stop_pg; rm -rf "$WORK_DIR"' EXIT
start_pg || exit 2
make_addons_dir
OUT="$HERE/out"
mkdir -p "$OUT"
db_base=(--db_host=127.0.0.1 "--db_port=$PG_PORT" "--db_user=$PG_USER" "--data-dir=$WORK_DIR/data")
odoo_cmd "--addons-path=$ADDONS_PATH" -d fid_template "${db_base[@]}" -i crm_migration \
    --without-demo=all --stop-after-init --log-level=warn >"$WORK_DIR/install.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR/install.log"; exit 2; }
for system in "${SYSTEMS[@]}"; do
    dir="$OUT/$system-$SEED"
    rm -rf "$dir"
    "$ODOO_PY" "$HERE/$system/generate.py" --out "$dir" --seed "$SEED" >/dev/null || { echo "$system: generator failed"; continue; }
    db="fid_${system}"
    PGPASSWORD= psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -q \
        -c "CREATE DATABASE $db TEMPLATE fid_template" >/dev/null
    src=$system
    [ -f "$HERE/$system/SOURCE" ] && src=$(cat "$HERE/$system/SOURCE")
    # the account's time zone, as its owner knows it (the generator's README says it)
    tz=()
    [ -f "$HERE/$system/TZ" ] && tz=(--source-tz "$(cat "$HERE/$system/TZ")")
    odoo_cmd "--addons-path=$ADDONS_PATH" crm-migration run "$dir/exports" --project "Fidelity $system" \
        --system "$src" --full --accept-proposals --min-confidence 0 --create-users "${tz[@]}" \
        -d "$db" "${db_base[@]}" --log-level=warn >"$dir/run.log" 2>&1
    echo "$system: crm-migration exit code $? (log: $dir/run.log)"
    FIDELITY_EXPECTED="$dir/expected.json" FIDELITY_REPORT="$dir/score.json" \
        odoo_cmd "--addons-path=$ADDONS_PATH" shell -d "$db" "${db_base[@]}" --log-level=warn \
        <"$HERE/score.py" 2>"$dir/score.err" | grep '^FIDELITY' || tail -n 20 "$dir/score.err"
done
