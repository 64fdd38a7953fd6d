# Shared by bench/run_bench.sh and bench/run_scale.sh (sourced after tools/odoo_env.sh).
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
