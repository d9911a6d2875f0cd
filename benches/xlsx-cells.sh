#!/usr/bin/env bash
# Workbook throughput: cells per second of `piimap scan` on one thread, on a dense people list
# (9 columns, 5 of them valid personal data) in the two layouts workbooks come in: as Excel
# saves it (shared strings, amounts as numbers) and as streaming exporters write it (inline
# strings). Runs alternate between the layouts; the median of RUNS is reported.
#
#   benches/xlsx-cells.sh [CELLS] [RUNS]      e.g. benches/xlsx-cells.sh 1000000 11
#
# With PIIMAP_BASELINE=/path/to/another/piimap, that binary is timed too, in the same runs,
# alternating with this one, and the ratio of the medians is printed: a before/after
# comparison that the shared machine's load affects alike.
#
# Issue target: at least 1,000,000 cells per second per thread. Workbooks are written outside
# the repository (seeded; PIIMAP_BENCH_DIR sets where).
set -euo pipefail
cells=${1:-1000000}
runs=${2:-11}
base=${PIIMAP_BENCH_DIR:-/tmp}
source "$(dirname "$0")/common.sh"
require /usr/bin/time time
export PIIMAP_KEY_FILE="$base/piimap-xlsx-fingerprint.key"
layouts=(excel streaming)
binaries=("$piimap")
[ -n "${PIIMAP_BASELINE:-}" ] && binaries+=("$PIIMAP_BASELINE")
for layout in "${layouts[@]}"; do
  corpus "$base/piimap-xlsx-$layout-$cells" --seed 7 --size 0 --xlsx-cells "$cells" \
    --xlsx-layout "$layout"
done
declare -A times rss
for _ in $(seq "$runs"); do
  for layout in "${layouts[@]}"; do
    dir=$base/piimap-xlsx-$layout-$cells
    for b in "${!binaries[@]}"; do
      out=$( { /usr/bin/time -f '%e %M' "${binaries[$b]}" scan "$dir/share/darbinieki.xlsx" \
        -j 1 -q -o "$dir/inventory-$b.json"; } 2>&1 | tail -1)
      times[$layout.$b]+="${out% *} "
    done
  done
done
# Memory in one more run each: the scanner and its reader process together (not timed, as the
# sampling costs a little CPU).
for layout in "${layouts[@]}"; do
  dir=$base/piimap-xlsx-$layout-$cells
  for b in "${!binaries[@]}"; do
    out=$(peak_rss "${binaries[$b]}" scan "$dir/share/darbinieki.xlsx" -j 1 -q -o "$dir/inventory-$b.json")
    rss[$layout.$b]=${out#* }
  done
done
printf '%-10s %-9s %9s %10s %14s %9s\n' layout binary 'file MB' 'median s' 'cells/s' 'peak MB'
for layout in "${layouts[@]}"; do
  file=$base/piimap-xlsx-$layout-$cells/share/darbinieki.xlsx
  for b in "${!binaries[@]}"; do
    # shellcheck disable=SC2086
    m=$(median ${times[$layout.$b]})
    printf '%-10s %-9s %9.1f %10s %14.0f %9.0f\n' "$layout" "$([ "$b" -eq 0 ] && echo this || echo baseline)" \
      "$(echo "$(stat -c %s "$file") / 1048576" | bc -l)" "$m" \
      "$(echo "$cells / $m" | bc -l)" "${rss[$layout.$b]}"
  done
  if [ "${#binaries[@]}" -gt 1 ]; then
    # shellcheck disable=SC2086
    printf '%-10s ratio this/baseline (time): %.2f\n' "$layout" \
      "$(echo "$(median ${times[$layout.0]}) / $(median ${times[$layout.1]})" | bc -l)"
  fi
done
