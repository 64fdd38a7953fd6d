#!/usr/bin/env bash
# Pictures of each step of the guided flow, taken by the browser tours
# (tests/tour_screenshots.py): runs the tour tests on a throwaway database and
# writes docs/screenshots/*.png (900 pixels wide, 256 colours).
set -euo pipefail
cd "$(dirname "$0")/.."
CRM_MIGRATION_SCREENSHOTS="$PWD/docs/screenshots" ENGINE_SUITE=0 \
    ODOO_TEST_TAGS=/crm_migration:TestScreensTour bash tools/run_tests.sh
ls -l docs/screenshots
