#!/usr/bin/env bash
# Fuzzes piimap's targets with its caps: a single allocation over 256 MiB (a reader process's
# budget per file) or 1 GiB resident counts as out of memory, and one input over 10 s as a
# timeout. Crashes, OOMs and timeouts are saved under fuzz/artifacts/<target>/ and the run goes
# on (fork mode); keep each one found in fuzz/regressions/<target>/ once it is fixed, where
# `cargo test` replays it. Builds once, then runs the built targets one after another.
#
#   fuzz/run.sh SECONDS [TARGET...]      (default: every target; needs cargo +nightly, cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
[ -d corpus ] || python3 seed.py
cargo +nightly fuzz build -O
bin=target/x86_64-unknown-linux-gnu/release
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "== $target: $seconds s ($(date -u +%H:%M:%S))"
  "$bin/$target" "corpus/$target" \
    -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=10 \
    -max_len=262144 -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 2>&1 | tail -n 12
done
