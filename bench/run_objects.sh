#!/usr/bin/env bash
# Per object (companies, contacts, deals...) the CPU seconds of Odoo and of our
# PostgreSQL cluster spent in its batches, before and after a change, side by
# side in one cluster (bench_objects.py; the same migration as run_tail.sh):
#
#   bash bench/run_objects.sh [--rows N] [--before REV] [--profile] [--repeat K]
#
#   --rows N      rows across the bench's three files (samples/make_samples.py, as
#                 run_bench.sh; default 2000)
#   --before REV  also load with the addon at git revision REV (same template,
#                 same files, loads alternated: before, after, before, after...)
#   --profile     one more load per revision, cProfile on during the deals'
#                 batches only (bench/out/objects-bench-{before,after}.pstats);
#                 BENCH_PROFILE_TARGET=company,contact profiles those objects' batches
#   --scale       also a gen_scale.py scenario of N rows
#   --repeat K    K timed loads per revision and scenario (default 1)
#
# Each revision loads into a copy of its own template database (installed with
# its own code). Prints the table of bench_objects.py report; JSON per load in
# bench/out/objects-*.json. The same migration and options as run_tail.sh, which
# this runs with bench_objects.py (BENCH_KIND=objects).
case "${1:-}" in -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
BENCH_KIND=objects exec bash "$(dirname "$0")/run_tail.sh" "$@"
