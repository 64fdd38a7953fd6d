#!/usr/bin/env bash
# Demo: migrates the sample exports in samples/ into a throwaway Odoo database
# with `odoo-bin crm-migration` and prints the reconciliation.
#   bash tools/demo.sh           # migrate, print, remove everything
#   bash tools/demo.sh --serve   # then keep Odoo running on http://127.0.0.1:8069 (admin/admin)
set -uo pipefail
# shellcheck source=tools/odoo_env.sh
. "$(dirname "$0")/odoo_env.sh"
cd "$REPO_ROOT" || exit 2
find_odoo || { echo "NO ODOO 18 FOUND: install Odoo 18 first (see README.md)."; exit 2; }
WORK_DIR=$(mktemp -d /tmp/crm_migration_demo.XXXXXX)
chmod 755 "$WORK_DIR"
trap 'stop_pg; rm -rf "$WORK_DIR"' EXIT
start_pg || exit 2
make_addons_dir
DB=crm_migration_demo
db_args=(-d "$DB" --db_host=127.0.0.1 "--db_port=$PG_PORT" "--db_user=$PG_USER" "--data-dir=$WORK_DIR/data")
echo "installing crm_migration into a throwaway database (about a minute)..."
odoo_cmd "--addons-path=$ADDONS_PATH" "${db_args[@]}" -i crm_migration --without-demo=all \
    --stop-after-init --log-level=warn >"$WORK_DIR/install.log" 2>&1 || { tail -n 30 "$WORK_DIR/install.log"; exit 2; }
# the sample owners, so that their records get a real salesperson
odoo_cmd "--addons-path=$ADDONS_PATH" shell "${db_args[@]}" --log-level=warn >/dev/null 2>&1 <<'PY'
for login, name in (("alice@example.com", "Alice Seller"), ("bob@example.com", "Bob Closer")):
    if not env["res.users"].search([("login", "=", login)]):
        env["res.users"].create({"login": login, "name": name, "email": login,
                                 "groups_id": [(4, env.ref("sales_team.group_sale_salesman").id)]})
env.cr.commit()
PY
for system_dir in samples/*/; do
    system=$(basename "$system_dir")
    echo
    echo "== $system: odoo-bin crm-migration run $system_dir --full --accept-proposals"
    odoo_cmd "--addons-path=$ADDONS_PATH" crm-migration run "$system_dir" --project "Demo $system" \
        --system "$system" --full --accept-proposals --min-confidence 0 --create-users "${db_args[@]}" --log-level=warn
    echo "(exit code $?: 0 clean, 1 done with items to review)"
done
if [ "${1:-}" = "--serve" ]; then
    echo "Odoo on http://127.0.0.1:8069 (admin / admin), Ctrl-C to stop and remove the database"
    odoo_cmd "--addons-path=$ADDONS_PATH" "${db_args[@]}" --http-port=8069 --log-level=warn
fi
