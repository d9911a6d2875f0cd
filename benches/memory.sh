#!/usr/bin/env bash
# Peak memory of `piimap scan` (the resident size of it and its reader processes, summed,
# sampled every 10 ms) on the issue's hostile mix, and on shares of 10 times more files.
#
#   benches/memory.sh [THREADS]      e.g. benches/memory.sh 2
#
# 1. A 2 GB mixed share: 500 MB of small mixed files, a 500 MB text file, a 1 GB file without
#    a line break and a 1,000,000-cell workbook (issue target: peak RSS under 300 MB).
# 2. Text shares of about 10,000 and 100,000 files (300M and 3G): memory must not grow with
#    the number of files.
# Corpora are written outside the repository (seeded; PIIMAP_BENCH_DIR sets where). Exit 3
# (files not fully read) is a result, not a failure.
set -euo pipefail
threads=${1:-2}
base=${PIIMAP_BENCH_DIR:-/tmp}
source "$(dirname "$0")/common.sh"
export PIIMAP_KEY_FILE="$base/piimap-mem-fingerprint.key"
peak() { # DIR: prints "peak-RSS-MB seconds files"
  local secs mb
  read -r secs mb <<<"$(peak_rss "$piimap" scan "$1/share" -q -j "$threads" -o "$1/inventory.json")"
  echo "$mb $(printf '%.2f' "$secs") $(find "$1/share" -type f | wc -l)"
}
hostile=$base/piimap-mem-hostile
corpus "$hostile" --seed 11 --mixed --size 500M --big-text 500M --line-less 1G --xlsx-cells 1000000
few=$base/piimap-mem-300M
corpus "$few" --seed 12 --size 300M
many=$base/piimap-mem-3G
corpus "$many" --seed 12 --size 3G
printf '%-58s %9s %9s %8s\n' corpus files 'peak MB' seconds
for dir in "$hostile" "$few" "$many"; do
  read -r mb secs files <<<"$(peak "$dir")"
  printf '%-58s %9s %9s %8s\n' "$dir ($(du -sh "$dir/share" | cut -f1))" "$files" "$mb" "$secs"
done
