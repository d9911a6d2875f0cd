#!/usr/bin/env bash
# Compares this build with another one (BASELINE, a piimap binary built from an older commit),
# in the same run, alternating, so that the host's load affects both alike:
#
#   1. the inventory of `scan examples/share --reveal` from both, with one fingerprint key,
#      apart from the header's tool version and the times: the diff is printed, and is empty
#      when they agree;
#   2. the same for each generated corpus below, and the median wall time of RUNS scans of
#      each with `-j 1`, with the ratio now/before.
#
#   benches/compare.sh BASELINE [RUNS]          (needs python3 for the comparison)
#
# Corpora (seeded, `piimap-corpus`, outside the repository): 105 MB of text, CSV, logs and
# HTML; a 55 MB mixed share (one file in five an xlsx, docx, PDF or zip); a 1,000-page PDF; a
# people list of 1,000,000 cells in Excel's layout.
set -euo pipefail
source "$(dirname "$0")/common.sh"
baseline=${1:?usage: compare.sh BASELINE [RUNS]}
runs=${2:-5}
require python3 python3
work=${TMPDIR:-/tmp}/piimap-compare
mkdir -p "$work"
key="$work/fingerprint.key"

# normalised FILE: the inventory without what differs between two runs of one build.
normalised() {
  python3 - "$1" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for k in ("started_at", "version"):
    doc["scan"].pop(k, None)
for k in ("finished_at", "elapsed_seconds", "mb_per_second"):
    doc["summary"].pop(k, None)
doc["files"].sort(key=lambda f: f["path"])
print(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False))
EOF
}

# same_inventory ROOT ARGS...: diffs both builds' inventories of ROOT; prints the diff.
same_inventory() {
  local root=$1
  shift
  "$baseline" scan "$root" -q --key-file "$key" -o "$work/before.json" "$@" || [ $? -eq 3 ]
  "$piimap" scan "$root" -q --key-file "$key" -o "$work/now.json" "$@" || [ $? -eq 3 ]
  if diff <(normalised "$work/before.json") <(normalised "$work/now.json"); then
    echo "same inventory: $root $*"
  else
    echo "DIFFERENT inventory: $root $*"
  fi
}

same_inventory "$repo/examples/share" --reveal

corpus "$work/text" --seed 1 --size 100M
corpus "$work/mixed" --seed 3 --size 50M --mixed
corpus "$work/pdf" --seed 6 --size 0 --pdf-pages 1000
corpus "$work/xlsx" --seed 7 --size 0 --xlsx-cells 1000000 --xlsx-layout excel

printf '%-34s %10s %10s %7s\n' corpus before now ratio
for name in text mixed pdf xlsx; do
  share="$work/$name/share"
  before=()
  now=()
  for _ in $(seq "$runs"); do
    before+=("$(seconds "$baseline" scan "$share" -j 1 -q -o /dev/null)")
    now+=("$(seconds "$piimap" scan "$share" -j 1 -q -o /dev/null)")
  done
  b=$(median "${before[@]}")
  n=$(median "${now[@]}")
  printf '%-34s %9.3fs %9.3fs %7.2f\n' "$name ($(du -sh "$share" | cut -f1))" "$b" "$n" "$(echo "$n / $b" | bc -l)"
done
for name in text mixed pdf xlsx; do
  same_inventory "$work/$name/share"
done
