#!/usr/bin/env bash
# Times a first scan with a store against a re-scan with nothing changed, on a generated share
# of many small files, and prints both wall times (median of RUNS re-scans) and their ratio.
#
#   benches/store-rescan.sh [SIZE] [RUNS] [THREADS] [DENSITY]    e.g. benches/store-rescan.sh 3G 5 2
#
# DENSITY is the planted values per MB (piimap-corpus --density, default 200: every file then
# holds personal data; a real share has far fewer).
#
# The corpus (seeded, `piimap-corpus`: text, CSV, logs and HTML of 2-60 KB; about
# 100,000 files at 3G) is written outside the repository. The first scan starts from an empty
# store; every re-scan finds all files unchanged and reuses their records.
set -euo pipefail
size=${1:-3G}
runs=${2:-5}
threads=${3:-2}
density=${4:-200}
work=${PIIMAP_BENCH_DIR:-/tmp/piimap-store-bench-$size-$density}
source "$(dirname "$0")/common.sh"
corpus "$work" --seed 7 --size "$size" --density "$density"
export PIIMAP_KEY_FILE="$work/fingerprint.key"
store="$work/piimap.db"
files=$(find "$work/share" -type f | wc -l)
# Exit 3 (files not fully read) is a result, not a failure.
# Warm the page cache so both scans read from memory.
"$piimap" scan "$work/share" -q -j "$threads" -o /dev/null || [ $? -eq 3 ]
rm -f "$store" "$store-wal" "$store-shm"
first=$(seconds "$piimap" scan "$work/share" -q -j "$threads" --store "$store" -o "$work/first.json")
rescans=()
for _ in $(seq "$runs"); do
  rescans+=("$(seconds "$piimap" scan "$work/share" -q -j "$threads" --store "$store" -o "$work/rescan.json")")
done
median=$(median "${rescans[@]}")
printf 'files: %d (%s, %s values/MB), threads: %d\n' "$files" "$size" "$density" "$threads"
printf 'first scan with --store: %.2f s\n' "$first"
printf 're-scan, nothing changed (median of %d): %.2f s\n' "$runs" "$median"
printf 'ratio: %.1f\n' "$(echo "$first / $median" | bc -l)"
