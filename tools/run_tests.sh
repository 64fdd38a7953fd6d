#!/usr/bin/env bash
# The one command that runs every test of crm_migration:
#   1. the engine suite (pure Python, pytest), always;
#   2. the Odoo suite (module installed on a throwaway database, --test-tags
#      /crm_migration) whenever an Odoo 18 is installed on this machine;
#   3. the command line end to end (odoo-bin crm-migration run) on that database.
# Ends with "<suite>: N passed, N failed" per suite and a total line.
# While working on one piece: ODOO_TEST_TAGS=/crm_migration:TestDelta (Odoo's
# --test-tags spelling) runs only those Odoo tests, ENGINE_SUITE=0 skips the
# engine suite; CI sets neither.
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/odoo_env.sh"
cd "$REPO_ROOT" || exit 2

WORK_DIR=$(mktemp -d /tmp/crm_migration_test.XXXXXX)
chmod 755 "$WORK_DIR"
# logs of the last run stay in .ci/tmp/ (git-ignored) for a look after a failure
cleanup() {
    stop_pg
    mkdir -p "$REPO_ROOT/.ci/tmp" && cp "$WORK_DIR"/*.log "$WORK_DIR"/*.err "$REPO_ROOT/.ci/tmp/" 2>/dev/null
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT

total_pass=0
total_fail=0
declare -a summary

count_pytest() {  # parses pytest's last line: "12 passed, 1 failed in 0.3s"
    local line="$1" p f e
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
    f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
    e=$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || echo 0)
    echo "${p:-0} $(( ${f:-0} + ${e:-0} ))"
}

# ---------------------------------------------------------------- engine suite
if find_odoo; then
    PY=$ODOO_PY
    HAVE_ODOO=1
else
    HAVE_ODOO=0
    PY="$REPO_ROOT/.venv/bin/python"
    if [ ! -x "$PY" ]; then
        echo "creating .venv for the engine suite"
        python3 -m venv "$REPO_ROOT/.venv" >/dev/null
        grep -v '^odoo-addon' requirements.txt | grep -v '^pytest-odoo' > "$WORK_DIR/req.txt"
        "$PY" -m pip install -q -r "$WORK_DIR/req.txt" >/dev/null
    fi
fi
if ! "$PY" -c 'import pandas, openpyxl, rapidfuzz, phonenumbers, stdnum, charset_normalizer, pytest' 2>/dev/null; then
    echo "installing requirements.txt into $("$PY" -c 'import sys; print(sys.prefix)')"
    "$PY" -m pip install -q -r requirements.txt >/dev/null || exit 2
fi

echo "== engine suite (pytest engine/tests)"
if [ "${ENGINE_SUITE:-1}" = 0 ]; then
    echo "skipped (ENGINE_SUITE=0)" | tee "$WORK_DIR/engine.log"
else
    "$PY" -m pytest engine/tests -q -p no:odoo 2>&1 | tee "$WORK_DIR/engine.log"
fi
read -r ep ef < <(count_pytest "$(tail -n1 "$WORK_DIR/engine.log")")
if [ "$ep" = 0 ] && [ "$ef" = 0 ] && [ "${ENGINE_SUITE:-1}" != 0 ]; then ef=1; echo "engine suite ran no test"; fi
summary+=("engine: $ep passed, $ef failed")
total_pass=$((total_pass + ep)); total_fail=$((total_fail + ef))

# ---------------------------------------------------------------- Odoo suite
if [ "$HAVE_ODOO" = 0 ]; then
    echo
    echo "NO ODOO 18 INSTALLED ON THIS MACHINE: THE ODOO SUITE WAS NOT RUN."
    echo "Install Odoo 18 (on PATH, importable, or ODOO_BIN=... in .ci/local.conf) to run it."
    summary+=("odoo: 0 passed, 0 failed, 1 skipped")
else
    echo
    echo "== Odoo suite ($ODOO_BIN, Odoo $("$ODOO_PY" -c 'import odoo.release as r; print(r.serie)'))"
    start_pg || exit 2
    make_addons_dir
    # the OCA cron-based job runner (the documented fallback where no runner
    # process lives, pip odoo-addon-queue-job-cron-jobrunner) is installed
    # beside the addon, so that a test runs a queued run through it
    modules=crm_migration
    if "$ODOO_PY" -c 'import importlib.util as u, sys; sys.exit(not u.find_spec("odoo.addons.queue_job_cron_jobrunner"))' 2>/dev/null; then
        modules=crm_migration,queue_job_cron_jobrunner
    fi
    # shellcheck disable=SC2046
    odoo_cmd $(odoo_db_args) -d crmmig_test -i "$modules" --test-tags "${ODOO_TEST_TAGS:-/crm_migration}" \
        --stop-after-init --without-demo=all --log-level=info --max-cron-threads=0 \
        >"$WORK_DIR/odoo.log" 2>&1
    orc=$?
    grep -E ' (ERROR|CRITICAL|WARNING) |FAIL:|ERROR:|Traceback|odoo.tests.stats|tests when loading' "$WORK_DIR/odoo.log" \
        | grep -v 'Running as user .root.' | tail -n 200
    result=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$WORK_DIR/odoo.log" | tail -n1)
    if [ -n "$result" ]; then
        read -r of oe on < <(sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/' <<<"$result")
    else
        of=0; oe=1; on=0
        echo "the Odoo run gave no test result (exit $orc); last lines:"; tail -n 40 "$WORK_DIR/odoo.log"
    fi
    # a test log with unexpected errors is a failing test
    errs=$(grep -cE ' (ERROR|CRITICAL) ' "$WORK_DIR/odoo.log" || true)
    ofail=$((of + oe))
    if [ "$ofail" = 0 ] && [ "${errs:-0}" != 0 ]; then ofail=1; echo "the Odoo log has $errs ERROR lines"; fi
    if [ "$on" = 0 ]; then ofail=$((ofail + 1)); echo "the Odoo suite ran no test"; fi
    # a skipped browser tour (no Chromium, no websocket-client) is a failing check
    skipped=$(grep -cE 'INFO .* skipped .*Tour' "$WORK_DIR/odoo.log" || true)
    if [ "${skipped:-0}" != 0 ]; then
        ofail=$((ofail + skipped)); echo "$skipped browser tours were skipped:"
        grep -E 'INFO .* skipped .*Tour' "$WORK_DIR/odoo.log" | tail -n 5
    fi
    tours=$(grep -c 'tour succeeded' "$WORK_DIR/odoo.log" || true)
    echo "browser tours succeeded: ${tours:-0}"
    opass=$((on - of - oe)); [ "$opass" -lt 0 ] && opass=0
    summary+=("odoo: $opass passed, $ofail failed")
    total_pass=$((total_pass + opass)); total_fail=$((total_fail + ofail))

    if [ -f tools/cli_e2e.sh ] && [ -z "${ODOO_TEST_TAGS:-}" ]; then
        echo
        echo "== command line end to end (odoo-bin crm-migration)"
        # shellcheck source=tools/cli_e2e.sh
        if . tools/cli_e2e.sh; then cp_=1; cf_=0; else cp_=0; cf_=1; fi
        summary+=("cli: $cp_ passed, $cf_ failed")
        total_pass=$((total_pass + cp_)); total_fail=$((total_fail + cf_))
    fi
fi

# ---------------------------------------------------------------- packaging
# the addon installs as OCA addons do: pip builds odoo-addon-crm_migration with
# whool (pyproject.toml); skipped with ODOO_TEST_TAGS like the command line
if [ -z "${ODOO_TEST_TAGS:-}" ] && [ "${WHEEL_CHECK:-1}" != 0 ]; then
    echo
    echo "== wheel (pip wheel --no-deps .)"
    # with whool installed the build needs no network (no isolated build env)
    iso=(); "$PY" -c 'import whool' 2>/dev/null && iso=(--no-build-isolation)
    if "$PY" -m pip wheel -q --no-deps "${iso[@]}" -w "$WORK_DIR/dist" . >"$WORK_DIR/wheel.log" 2>&1 \
        && ls "$WORK_DIR"/dist/odoo_addon_crm_migration-18.0.*-py3-none-any.whl; then
        wp_=1; wf_=0
    else
        wp_=0; wf_=1; tail -n 20 "$WORK_DIR/wheel.log"
    fi
    summary+=("wheel: $wp_ passed, $wf_ failed")
    total_pass=$((total_pass + wp_)); total_fail=$((total_fail + wf_))
fi

echo
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
