# shellcheck shell=bash
# Sourced by tools/run_tests.sh and tools/demo.sh: finds an installed Odoo 18 and
# starts a throwaway PostgreSQL cluster on 127.0.0.1. Installs nothing of Odoo.
#
# Odoo is looked for, in order: $ODOO_BIN; ODOO_BIN=... in the git-ignored
# .ci/local.conf; `odoo`/`odoo-bin` on PATH; `import odoo` in python3; the usual
# venv locations /opt/*/venv/bin/odoo and /opt/*/src/odoo-bin.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# runuser and useradd live in sbin, which a bare CI environment may leave out
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

find_odoo() {
    ODOO_PY=""
    if [ -z "${ODOO_BIN:-}" ] && [ -f "$REPO_ROOT/.ci/local.conf" ]; then
        # shellcheck disable=SC1091
        . "$REPO_ROOT/.ci/local.conf"
    fi
    local cand
    if [ -z "${ODOO_BIN:-}" ]; then
        for cand in odoo-bin odoo; do
            if command -v "$cand" >/dev/null 2>&1; then ODOO_BIN=$(command -v "$cand"); break; fi
        done
    fi
    if [ -z "${ODOO_BIN:-}" ] && python3 -c 'import odoo.cli' >/dev/null 2>&1; then
        ODOO_PY=$(command -v python3)
    fi
    if [ -z "${ODOO_BIN:-}" ] && [ -z "$ODOO_PY" ]; then
        for cand in /opt/*/venv/bin/odoo /opt/*/bin/odoo /opt/*/odoo-bin /opt/*/src/odoo-bin; do
            if [ -x "$cand" ]; then ODOO_BIN=$cand; break; fi
        done
    fi
    if [ -n "${ODOO_BIN:-}" ] && [ -z "$ODOO_PY" ]; then
        # the interpreter of the script (first line) runs our engine tests too
        local shebang
        shebang=$(head -n1 "$ODOO_BIN" | sed -n 's/^#! *//p' | awk '{print $1}')
        case "$shebang" in
            */env) ODOO_PY=$(command -v python3) ;;
            "") ODOO_PY=$(command -v python3) ;;
            *) ODOO_PY=$shebang ;;
        esac
    fi
    [ -n "$ODOO_PY" ] || return 1
    if ! "$ODOO_PY" -c 'import odoo.release as r; assert r.version_info[0] == 18' >/dev/null 2>&1; then
        echo "Found $ODOO_BIN but it is not an importable Odoo 18 for $ODOO_PY" >&2
        return 1
    fi
    ODOO_ADDONS=$("$ODOO_PY" -c 'import odoo, os; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"))')
    export ODOO_BIN ODOO_PY ODOO_ADDONS
}

# odoo_cmd ARGS...: runs odoo-bin with the interpreter that owns it.
odoo_cmd() {
    if [ -n "${ODOO_BIN:-}" ]; then
        "$ODOO_PY" "$ODOO_BIN" "$@"
    else
        "$ODOO_PY" -c 'import sys, odoo.cli; sys.argv[0] = "odoo-bin"; odoo.cli.main()' "$@"
    fi
}

# start_pg: a fresh cluster in $WORK_DIR/pg, owned by a non-root user (PostgreSQL
# refuses root), trust auth on 127.0.0.1 only; sets PG_PORT and PG_USER.
start_pg() {
    local pgbin
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -z "$pgbin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing PostgreSQL server binaries (Debian package postgresql)"
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
        pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    fi
    [ -n "$pgbin" ] || { echo "no PostgreSQL server binaries found" >&2; return 1; }
    local runas=()
    if [ "$(id -u)" = 0 ]; then
        id crmmig >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin crmmig
        runas=(runuser -u crmmig --)
        chown crmmig "$WORK_DIR"
    fi
    mkdir -p "$WORK_DIR/pg"
    [ "$(id -u)" = 0 ] && chown crmmig "$WORK_DIR/pg"
    PG_PORT=$("$ODOO_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PG_USER=odoo
    "${runas[@]}" "$pgbin/initdb" -D "$WORK_DIR/pg/data" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK_DIR/pg/initdb.log" 2>&1 \
        || { cat "$WORK_DIR/pg/initdb.log" >&2; return 1; }
    "${runas[@]}" "$pgbin/pg_ctl" -D "$WORK_DIR/pg/data" -l "$WORK_DIR/pg/server.log" -w \
        -o "-h 127.0.0.1 -p $PG_PORT -k $WORK_DIR/pg -c fsync=off -c full_page_writes=off -c synchronous_commit=off ${BENCH_PG_OPTS:-}" start >/dev/null \
        || { cat "$WORK_DIR/pg/server.log" >&2; return 1; }
    PG_STOP=("${runas[@]}" "$pgbin/pg_ctl" -D "$WORK_DIR/pg/data" -m fast stop)
    export PG_PORT PG_USER
}

stop_pg() {
    if [ -n "${PG_STOP:-}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
}

# addons_dir: a folder holding a link named crm_migration to this checkout, so that
# a clone in any folder name loads as the addon crm_migration.
make_addons_dir() {
    mkdir -p "$WORK_DIR/addons"
    ln -sfn "$REPO_ROOT" "$WORK_DIR/addons/crm_migration"
    ADDONS_PATH="$ODOO_ADDONS,$WORK_DIR/addons"
    export ADDONS_PATH
}

odoo_db_args() {
    echo "--addons-path=$ADDONS_PATH --db_host=127.0.0.1 --db_port=$PG_PORT --db_user=$PG_USER --data-dir=$WORK_DIR/data --http-port=$("$ODOO_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
}
