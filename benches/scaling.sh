#!/usr/bin/env bash
# Thread scaling on a generated mixed share (text, CSV, logs, xlsx, docx, PDF, zip).
#
#   benches/scaling.sh [SIZE] [RUNS] [MAX_THREADS]      e.g. benches/scaling.sh 1G 5 16
#
# 1. Warm cache: `-j 1` against `-j 2`, alternating, RUNS each; prints the medians and the
#    speed-up (issue target: at least 1.7 on 2 cores).
# 2. Cold cache, when /proc/sys/vm/drop_caches is writable (root), on a tree of 100,000
#    one-line files (`piimap-corpus --tiny-files`), where opening a file costs more than
#    scanning it, as on a slow share: the page cache is dropped before each run and `-j` goes
#    1, 2, 4 ... MAX_THREADS, past the number of CPUs, so more reads are in flight at once.
# The corpus is written outside the repository (seeded); exit 3 (files not fully read) is a
# result, not a failure.
set -euo pipefail
size=${1:-1G}
runs=${2:-5}
max_threads=${3:-16}
work=${PIIMAP_BENCH_DIR:-/tmp/piimap-mixed-$size}
source "$(dirname "$0")/common.sh"
corpus "$work" --seed 3 --size "$size" --mixed
export PIIMAP_KEY_FILE="$work/fingerprint.key"
files=$(find "$work/share" -type f | wc -l)
bytes=$(du -sb "$work/share" | cut -f1)
scan() { # THREADS: seconds to scan the share
  seconds "$piimap" scan "$work/share" -q -j "$1" -o "$work/inventory.json"
}
printf 'corpus: %s (%s bytes, %s files), %s CPUs\n' "$work/share" "$bytes" "$files" "$(nproc)"
scan 2 >/dev/null # warm the page cache
one=() two=()
for _ in $(seq "$runs"); do
  one+=("$(scan 1)")
  two+=("$(scan 2)")
done
m1=$(median "${one[@]}"); m2=$(median "${two[@]}")
printf 'warm, -j 1: median %.2f s (%.0f MB/s)\n' "$m1" "$(echo "$bytes / $m1 / 1000000" | bc -l)"
printf 'warm, -j 2: median %.2f s (%.0f MB/s)\n' "$m2" "$(echo "$bytes / $m2 / 1000000" | bc -l)"
printf 'speed-up 2 threads / 1 thread: %.2f\n' "$(echo "$m1 / $m2" | bc -l)"
if [ -w /proc/sys/vm/drop_caches ]; then
  work=${PIIMAP_BENCH_TINY_DIR:-/tmp/piimap-tiny-100k}
  corpus "$work" --seed 4 --size 0 --tiny-files 100000
  files=$(find "$work/share" -type f | wc -l)
  printf 'cold cache: %s (%s one-line files)\n' "$work/share" "$files"
  j=1
  while [ "$j" -le "$max_threads" ]; do
    sync; echo 3 > /proc/sys/vm/drop_caches
    t=$(scan "$j")
    printf 'cold, -j %2d: %.2f s (%.0f files/s)\n' "$j" "$t" "$(echo "$files / $t" | bc -l)"
    j=$((j * 2))
  done
else
  echo "cold-cache runs skipped: /proc/sys/vm/drop_caches is not writable (needs root)"
fi
