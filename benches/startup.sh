#!/usr/bin/env bash
# Start-up: the wall time of scanning one small file (rules compiled, key loaded, the file
# read, the inventory written), median of RUNS, with `rg` on the same file for scale.
#
#   benches/startup.sh [RUNS]      e.g. benches/startup.sh 50
#
# Issue target: under 50 ms, so that scanning one file is instant.
set -euo pipefail
runs=${1:-50}
source "$(dirname "$0")/common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIIMAP_KEY_FILE="$work/fingerprint.key"
printf 'Iesniegums. Personas kods 161175-19997, e-pasts janis@piemers.lv, tālr. 26123456.\n' > "$work/viena.txt"
"$piimap" scan "$work/viena.txt" -q -o "$work/out.json" # creates the key
ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))
}
p=() r=()
for _ in $(seq "$runs"); do
  p+=("$(ms "$piimap" scan "$work/viena.txt" -q -o "$work/out.json")")
  command -v rg >/dev/null && r+=("$(ms rg -c '[0-9]{6}-[0-9]{5}' "$work/viena.txt")")
done
printf 'piimap scan of one file: median %.1f ms (%d runs)\n' "$(echo "$(median "${p[@]}") / 1000" | bc -l)" "$runs"
[ ${#r[@]} -gt 0 ] && printf 'rg on the same file:     median %.1f ms\n' "$(echo "$(median "${r[@]}") / 1000" | bc -l)"
exit 0
