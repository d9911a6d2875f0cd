#!/usr/bin/env bash
# Workbook throughput: cells per second of `piimap scan` on one thread, on a dense people list
# (9 columns, 5 of them valid personal data) in the two layouts workbooks come in: as Excel
# saves it (shared strings, amounts as numbers) and as streaming exporters write it (inline
# strings). Runs alternate between the layouts; the median of RUNS is reported.
#
#   benches/xlsx-cells.sh [CELLS] [RUNS]      e.g. benches/xlsx-cells.sh 1000000 11
#
# Issue target: at least 1,000,000 cells per second per thread. Workbooks are written outside
# the repository (seeded; PIIMAP_BENCH_DIR sets where).
set -euo pipefail
cells=${1:-1000000}
runs=${2:-11}
repo=$(cd "$(dirname "$0")/.." && pwd)
base=${PIIMAP_BENCH_DIR:-/tmp}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
piimap="$repo/target/release/piimap"
export PIIMAP_KEY_FILE="$base/piimap-xlsx-fingerprint.key"
layouts=(excel streaming)
for layout in "${layouts[@]}"; do
  dir=$base/piimap-xlsx-$layout-$cells
  [ -d "$dir/share" ] || "$piimap" generate-corpus "$dir" --seed 7 --size 0 \
    --xlsx-cells "$cells" --xlsx-layout "$layout" >/dev/null 2>&1
done
declare -A times rss
for _ in $(seq "$runs"); do
  for layout in "${layouts[@]}"; do
    dir=$base/piimap-xlsx-$layout-$cells
    out=$( { /usr/bin/time -f '%e %M' "$piimap" scan "$dir/share/darbinieki.xlsx" -j 1 -q \
      -o "$dir/inventory.json"; } 2>&1 | tail -1)
    times[$layout]+="${out% *} "
    rss[$layout]=${out#* }
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %12s %10s %14s %9s\n' layout 'file MB' 'median s' 'cells/s' 'peak MB'
for layout in "${layouts[@]}"; do
  dir=$base/piimap-xlsx-$layout-$cells
  # shellcheck disable=SC2086
  m=$(median ${times[$layout]})
  printf '%-10s %12.1f %10s %14.0f %9.0f\n' "$layout" \
    "$(echo "$(stat -c %s "$dir/share/darbinieki.xlsx") / 1048576" | bc -l)" "$m" \
    "$(echo "$cells / $m" | bc -l)" "$(echo "${rss[$layout]} / 1024" | bc -l)"
done
