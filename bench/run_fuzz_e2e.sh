#!/usr/bin/env bash
# The end-to-end bad-input fuzzer (bench/fuzz_e2e.py) on a throwaway cluster:
#
#   bash bench/run_fuzz_e2e.sh [--per-class N] [--seed S] [--limits] [--only TEXT]
#                              [--system NAME] [--keep]
#
# Installs crm_migration into a fresh database (as run_tail.sh's template), then
# drives every case through `crm-migration run FILE --full --accept-proposals`;
# prints one line per case and the findings; JSON in bench/out/fuzz-e2e.json,
# the files of the cases with findings in bench/out/fuzz-e2e/.
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/../tools/odoo_env.sh"
# shellcheck source=bench/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
cd "$REPO_ROOT" || exit 2

KEEP=0
BEFORE=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --per-class|--seed|--only|--system) args+=("$1" "${2:?}"); shift 2 ;;
        --limits) args+=("$1"); shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

find_odoo || { echo "NO ODOO 18 FOUND" >&2; exit 2; }
bench_workdir fuzz_e2e
bench_revisions
template fuzz_e2e "$AFTER_PATH"
log "fuzzing ($AFTER_REV)..."
rm -rf "$OUT/fuzz-e2e"
"$ODOO_PY" bench/fuzz_e2e.py "${args[@]}" --keep "$OUT/fuzz-e2e" --out "$OUT/fuzz-e2e.json" \
    -- -d fuzz_e2e --addons-path="$AFTER_PATH" "${common[@]}" 2>"$WORK_DIR/fuzz-e2e.log"
rc=$?
grep -E 'Traceback|ERROR|CRITICAL' "$WORK_DIR/fuzz-e2e.log" | sort | uniq -c | sort -rn | head -n 20
exit $rc
