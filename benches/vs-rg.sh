#!/usr/bin/env bash
# Times `piimap scan` against `rg` with the same patterns on the same generated files, alternating
# runs, and prints the median wall time of each, their ratio and MB/s.
#
#   benches/vs-rg.sh [SIZE] [RUNS] [THREADS]      e.g. benches/vs-rg.sh 200M 7 2
#
# rg gets every rule's regex patterns plus every keyword stem (in the same lower/Capitalised/UPPER
# variants, with and without diacritics, that piimap matches), with --no-unicode so \x80-\xFF means bytes as in piimap, and counts
# every match (--count-matches). piimap also validates every candidate, scores context,
# fingerprints and writes the inventory. The corpus is generated outside the repository (seeded).
set -euo pipefail
size=${1:-100M}
runs=${2:-7}
threads=${3:-2}
work=${PIIMAP_BENCH_DIR:-/tmp/piimap-bench-$size}
source "$(dirname "$0")/common.sh"
require rg ripgrep
corpus "$work" --seed 1 --size "$size"
export PIIMAP_KEY_FILE="$work/fingerprint.key"

patterns="$work/rg-patterns.txt"
python3 - "$repo/rules" > "$patterns" <<'PY'
import glob, sys, tomllib
out = []
for path in sorted(glob.glob(sys.argv[1] + "/*.toml")):
    rule = tomllib.load(open(path, "rb"))
    out += rule.get("patterns", [])
    kw = rule.get("keywords", {})
    plain = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")
    for term in kw.get("strong", []) + kw.get("weak", []):
        low = term.lower()
        cased = {low, low[:1].upper() + low[1:], low.upper()}
        # piimap also matches each form without diacritics.
        for v in cased | {c.translate(plain) for c in cased}:
            # --no-unicode: a non-ASCII letter is written as its UTF-8 bytes.
            out.append("".join(
                "".join(f"\\x{b:02X}" for b in c.encode()) if ord(c) > 127
                else "\\" + c if c in r".^$*+?()[]{}|\-" else c
                for c in v))
print("\n".join(out))
PY

bytes=$(du -sb "$work/share" | cut -f1)
declare -a tp tr
for i in $(seq "$runs"); do
  s=$(date +%s.%N); "$piimap" scan "$work/share" -q -j "$threads" -o "$work/inventory.json" || [ $? -eq 3 ]; e=$(date +%s.%N)
  tp+=("$(echo "$e - $s" | bc -l)")
  s=$(date +%s.%N); rg --no-unicode --count-matches -j "$threads" --no-messages -f "$patterns" "$work/share" > /dev/null || true; e=$(date +%s.%N)
  tr+=("$(echo "$e - $s" | bc -l)")
done
mp=$(median "${tp[@]}"); mr=$(median "${tr[@]}")
printf 'corpus: %s (%s bytes, %s files), %s runs, %s threads, %s\n' "$work/share" "$bytes" "$(find "$work/share" -type f | wc -l)" "$runs" "$threads" "$(nproc) CPUs"
printf 'piimap: median %.3f s  %.1f MB/s\n' "$mp" "$(echo "$bytes / $mp / 1000000" | bc -l)"
printf 'rg:     median %.3f s  %.1f MB/s\n' "$mr" "$(echo "$bytes / $mr / 1000000" | bc -l)"
printf 'ratio piimap/rg: %.2f\n' "$(echo "$mp / $mr" | bc -l)"
