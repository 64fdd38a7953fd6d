# Shared by the bench scripts (sourced after tools/odoo_env.sh).
# shellcheck shell=bash

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }

# bench_workdir NAME: a throwaway work folder (/tmp/crm_migration_NAME.XXXXXX) whose
# logs go to bench/out when the script ends ($KEEP=1 keeps the folder), a PostgreSQL
# cluster of its own, and a snapshot of the addon, not a link to the checkout, so the
# template and every load run the same code even if the checkout changes meanwhile.
# Sets OUT, WORK_DIR and ADDONS_PATH.
bench_workdir() {
    OUT="$REPO_ROOT/bench/out"
    mkdir -p "$OUT"
    WORK_DIR=$(mktemp -d "/tmp/crm_migration_$1.XXXXXX")
    chmod 755 "$WORK_DIR"
    trap _bench_cleanup EXIT
    trap 'exit 130' INT TERM
    start_pg || exit 2
    mkdir -p "$WORK_DIR/addons/crm_migration"
    tar -C "$REPO_ROOT" --exclude=./.git --exclude=./bench/out --exclude=./.ci/tmp --exclude=./.venv \
        --exclude=__pycache__ -cf - . | tar -C "$WORK_DIR/addons/crm_migration" -xf -
    ADDONS_PATH="$ODOO_ADDONS,$WORK_DIR/addons"
}

_bench_cleanup() {
    stop_pg
    cp "$WORK_DIR"/*.log "$OUT/" 2>/dev/null
    if [ "$KEEP" = 1 ]; then echo "work folder kept: $WORK_DIR"; else rm -rf "$WORK_DIR"; fi
}

# bench_revisions: the addon as checked out (AFTER_PATH, AFTER_REV) and, when
# $BEFORE names a git revision, that revision's tree (BEFORE_PATH), for the
# side-by-side scripts (run_tail.sh, run_objects.sh, run_parallel.sh); sets
# `common`, Odoo's options for the work folder's cluster.
bench_revisions() {
    AFTER_PATH="$ADDONS_PATH"
    AFTER_REV=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
    if [ -n "$BEFORE" ]; then
        mkdir -p "$WORK_DIR/before/crm_migration"
        git -C "$REPO_ROOT" archive "$BEFORE" | tar -C "$WORK_DIR/before/crm_migration" -xf - || exit 2
        BEFORE_PATH="$ODOO_ADDONS,$WORK_DIR/before"
    fi
    common=(--db_host=127.0.0.1 --db_port="$PG_PORT" --db_user="$PG_USER"
            --data-dir="$WORK_DIR/data" --max-cron-threads=0 --log-level=warn)
}

template() {  # template NAME ADDONS_PATH: crm_migration installed, the owners added
    log "installing crm_migration into the template database $1..."
    odoo_cmd --addons-path="$2" "${common[@]}" -d "$1" -i crm_migration \
        --without-demo=all --stop-after-init >"$WORK_DIR/install-$1.log" 2>&1 \
        || { tail -n 30 "$WORK_DIR/install-$1.log"; exit 2; }
    "$ODOO_PY" bench/bench_import.py setup -- -d "$1" --addons-path="$2" "${common[@]}" \
        >"$WORK_DIR/setup-$1.log" 2>&1 || { tail -n 30 "$WORK_DIR/setup-$1.log"; exit 2; }
}

copy_db() {  # copy_db NAME TEMPLATE: a fresh copy of the template database
    "$ODOO_PY" - "$1" "$2" <<PY
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=$PG_PORT, user="$PG_USER", dbname="postgres")
conn.autocommit = True
cur = conn.cursor()
cur.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}"')
cur.execute(f'CREATE DATABASE "{sys.argv[1]}" TEMPLATE "{sys.argv[2]}"')
PY
}
