# shellcheck shell=bash
# Sourced by tools/run_tests.sh once the Odoo suite has run: drives the real
# `odoo-bin crm-migration` as a subprocess on the suite's throwaway database
# and checks its exit codes and the counts it prints. Returns non-zero on failure.
cli_e2e() {
    local db_args out code expected total_read created
    db_args=(-d crmmig_test --db_host=127.0.0.1 "--db_port=$PG_PORT" "--db_user=$PG_USER" "--data-dir=$WORK_DIR/data" --log-level=warn)
    expected=$("$ODOO_PY" -c 'from engine.readers import iter_dir; print(sum(sum(1 for _ in t.rows()) for t in iter_dir("samples/generic")))')
    out=$(odoo_cmd "--addons-path=$ADDONS_PATH" crm-migration run samples/generic --project "CI end to end" \
        --full --accept-proposals --min-confidence 0 "${db_args[@]}" 2>"$WORK_DIR/cli.err")
    code=$?
    echo "$out" | tail -n 12
    if [ "$code" != 0 ] && [ "$code" != 1 ]; then
        echo "cli e2e: first run exited $code"; tail -n 20 "$WORK_DIR/cli.err"; return 1
    fi
    total_read=$(awk '$1 == "total" {print $2}' <<<"$out")
    if [ "$total_read" != "$expected" ]; then
        echo "cli e2e: read $total_read rows, the sample files have $expected"; return 1
    fi
    out=$(odoo_cmd "--addons-path=$ADDONS_PATH" crm-migration run samples/generic --project "CI end to end" \
        --full "${db_args[@]}" 2>>"$WORK_DIR/cli.err")
    code=$?
    created=$(awk '$1 == "total" {print $3}' <<<"$out")
    if { [ "$code" != 0 ] && [ "$code" != 1 ]; } || [ "$created" != 0 ]; then
        echo "cli e2e: the re-run exited $code and created $created records (expected 0)"; return 1
    fi
    out=$(odoo_cmd "--addons-path=$ADDONS_PATH" crm-migration run samples/generic --project "CI refused" \
        --full "${db_args[@]}" 2>>"$WORK_DIR/cli.err")
    code=$?
    if [ "$code" != 2 ] || ! grep -q "not confirmed" <<<"$out"; then
        echo "cli e2e: a full run without confirmed maps exited $code (expected 2)"; return 1
    fi
    echo "cli e2e: $expected rows read, re-run created 0, unconfirmed run refused with exit 2"
    # a run killed with SIGKILL half way, resumed by the next run; a killed
    # rollback finished by the next one (Odoo's -c/-d before the paths)
    "$ODOO_PY" tools/kill_resume.py --db crmmig_test --db-host 127.0.0.1 --db-port "$PG_PORT" \
        --db-user "$PG_USER" --addons-path "$ADDONS_PATH" --data-dir "$WORK_DIR/data" \
        >"$WORK_DIR/kill_resume.log" 2>&1
    code=$?
    grep -E '^(ok|FAIL) |^kill and resume' "$WORK_DIR/kill_resume.log"
    if [ "$code" != 0 ]; then
        echo "cli e2e: kill and resume failed"; tail -n 30 "$WORK_DIR/kill_resume.log"; return 1
    fi
}
cli_e2e
