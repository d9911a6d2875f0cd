# Shared by the benchmark scripts (sourced, not run): builds piimap and the corpus generator
# and gives the helpers they all use. Sets `repo`, `piimap` (the release binary, or $PIIMAP_BIN
# when set, so another build can be timed by the same script) and `piimap_corpus`.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --workspace --bins
piimap_corpus="$repo/target/release/piimap-corpus"
if [ -n "${PIIMAP_BIN:-}" ]; then
  piimap=$PIIMAP_BIN
else
  piimap="$repo/target/release/piimap"
fi

# require COMMAND PACKAGE: stops with a hint when COMMAND is missing.
require() {
  command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 2; }
}

# corpus DIR ARGS...: generates a seeded corpus in DIR with `piimap-corpus DIR ARGS` unless
# DIR/share is there already.
corpus() {
  local dir=$1
  shift
  [ -d "$dir/share" ] || "$piimap_corpus" "$dir" "$@" >/dev/null 2>&1
}

# seconds COMMAND...: the wall time of COMMAND in seconds; exit code 3 (a file not fully read)
# counts as success.
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null || [ $? -eq 3 ]
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

# median NUMBERS...: the middle value (the mean of the two middle ones for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# tree_kb PID: the resident size in KB of PID and every process it started (reader processes),
# from /proc (Linux).
tree_kb() {
  local pid=$1 kb=0 line tasks child
  while read -r line; do
    if [[ $line == VmRSS:* ]]; then
      line=${line#VmRSS:}
      kb=${line%kB}
      break
    fi
  done <"/proc/$pid/status" 2>/dev/null || true
  for tasks in /proc/"$pid"/task/*/children; do
    local kids=()
    # The process may end while it is looked at.
    read -r -a kids 2>/dev/null <"$tasks" || true
    for child in "${kids[@]}"; do
      kb=$((kb + $(tree_kb "$child")))
    done
  done
  echo $((kb))
}

# peak_rss COMMAND...: runs COMMAND (exit 3 counts as success) and prints its wall seconds and
# the peak resident size in MB of it and the processes it started, summed, sampled every 10 ms
# (/usr/bin/time's %M is the largest single process: a scan's reader processes are not in it).
peak_rss() {
  local t0 t1 pid peak=0 kb status=0
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    kb=$(tree_kb "$pid")
    ((kb > peak)) && peak=$kb
    sleep 0.01
  done
  wait "$pid" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || return "$status"
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $((peak / 1024))"
}
