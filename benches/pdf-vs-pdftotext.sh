#!/usr/bin/env bash
# PDF throughput: `piimap scan` against `pdftotext` (poppler) on the same PDFs, alternating,
# RUNS each, THREADS at a time; prints pages/s and MB/s of each and their ratio.
#
#   benches/pdf-vs-pdftotext.sh [SIZE] [RUNS] [THREADS]      e.g. benches/pdf-vs-pdftotext.sh 1G 5 2
#
# 1. The PDFs of a generated mixed share of SIZE (about 5 % of its files: text layers of 1-10
#    pages), linked into a folder of their own. pdftotext runs as one process per file
#    (`xargs -P THREADS`) writing to /dev/null, as one would run it over a share, so its
#    process start-ups count; piimap extracts the text of every page, detects, fingerprints
#    and writes the inventory.
# 2. One generated PDF of about 1,000 pages, one thread each: extraction speed without
#    start-up costs.
# Needs pdftotext and pdfinfo (Debian poppler-utils).
set -euo pipefail
size=${1:-1G}
runs=${2:-5}
threads=${3:-2}
work=${PIIMAP_BENCH_DIR:-/tmp/piimap-mixed-$size}
source "$(dirname "$0")/common.sh"
require pdftotext poppler-utils
corpus "$work" --seed 3 --size "$size" --mixed
export PIIMAP_KEY_FILE="$work/fingerprint.key"
pdfs="$work/pdfs"
if [ ! -d "$pdfs" ]; then
  mkdir "$pdfs"
  find "$work/share" -name '*.pdf' -exec ln {} "$pdfs/" \;
fi
files=$(find "$pdfs" -name '*.pdf' | wc -l)
bytes=$(du -sbL "$pdfs" | cut -f1)
pages=$(find "$pdfs" -name '*.pdf' -exec pdfinfo {} \; | awk '/^Pages:/ {n += $2} END {print n}')
to_text() { find "$pdfs" -name '*.pdf' -print0 | xargs -0 -n 1 -P "$threads" sh -c 'pdftotext -q "$0" /dev/null'; }
tp=() tt=()
for _ in $(seq "$runs"); do
  tp+=("$(seconds "$piimap" scan "$pdfs" -q -j "$threads" -o "$work/pdf-inventory.json")")
  tt+=("$(seconds to_text)")
done
mp=$(median "${tp[@]}"); mt=$(median "${tt[@]}")
printf 'PDFs: %s files, %s pages, %s bytes; %s runs, %s threads\n' "$files" "$pages" "$bytes" "$runs" "$threads"
printf 'piimap:    median %.2f s  %.0f pages/s  %.1f MB/s\n' "$mp" "$(echo "$pages / $mp" | bc -l)" "$(echo "$bytes / $mp / 1000000" | bc -l)"
printf 'pdftotext: median %.2f s  %.0f pages/s  %.1f MB/s\n' "$mt" "$(echo "$pages / $mt" | bc -l)" "$(echo "$bytes / $mt / 1000000" | bc -l)"
printf 'ratio piimap/pdftotext (time): %.2f\n' "$(echo "$mp / $mt" | bc -l)"
big=${PIIMAP_BENCH_PDF_DIR:-/tmp/piimap-pdf-1000}
corpus "$big" --seed 6 --size 0 --pdf-pages 1000
pdf="$big/share/gada_parskats.pdf"
big_pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
big_bytes=$(stat -c %s "$pdf")
bp=() bt=()
for _ in $(seq "$runs"); do
  bp+=("$(seconds "$piimap" scan "$pdf" -q -j 1 -o "$big/inventory.json")")
  bt+=("$(seconds pdftotext -q "$pdf" /dev/null)")
done
mp=$(median "${bp[@]}"); mt=$(median "${bt[@]}")
printf 'one PDF: %s pages, %s bytes; 1 thread\n' "$big_pages" "$big_bytes"
printf 'piimap:    median %.2f s  %.0f pages/s  %.1f MB/s\n' "$mp" "$(echo "$big_pages / $mp" | bc -l)" "$(echo "$big_bytes / $mp / 1000000" | bc -l)"
printf 'pdftotext: median %.2f s  %.0f pages/s  %.1f MB/s\n' "$mt" "$(echo "$big_pages / $mt" | bc -l)" "$(echo "$big_bytes / $mt / 1000000" | bc -l)"
printf 'ratio piimap/pdftotext (time): %.2f\n' "$(echo "$mp / $mt" | bc -l)"
