#!/usr/bin/env bash
# Benchmark of a full `zirkel build` on generated collections.
#   bash tools/bench-build.sh [RUNS]     (default 5 rounds per size)
# Generates 1,000 and 10,000 entries with ../shared/tools/gen-corpus.py (seed 1).
# Each round, alternately:
#   tmpfs  – build into /dev/shm (memory): what zirkel itself costs;
#   disk   – build into a folder on the project's disk (ext4);
#   cp -r  – copy that same output from /dev/shm to the disk: the disk's floor for
#            writing these files at that moment (the shared disk varies ten-fold).
# Prints medians of wall time, CPU (user+sys) and peak RSS from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
gen=../shared/tools/gen-corpus.py
cargo build --release --locked --quiet
bin=$PWD/target/release/zirkel
work=$(mktemp -d /tmp/zirkel-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/zirkel-bench.XXXXXX)
trap 'rm -rf "$work" "$shm"' EXIT
measure() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
summary() {
  python3 -c "
import sys, statistics as st
r = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
wall = st.median(x[0] for x in r); cpu = st.median(x[1] + x[2] for x in r); rss = st.median(x[3] for x in r) / 1024
print(f'  {sys.argv[1]:<7} median wall {wall:5.2f} s   CPU {cpu:5.2f} s   peak RSS {rss:5.0f} MB   runs: ' + ', '.join(f'{x[0]:.2f}' for x in r))
" "$1"
}
for n in 1000 10000; do
  python3 "$gen" "$n" "$work/corpus-$n" >/dev/null
  tmpfs=(); disk=(); copy=()
  for i in $(seq "$runs"); do
    rm -rf "$shm/out"; tmpfs+=("$(measure "$bin" --root "$work/corpus-$n" build --output "$shm/out")")
    rm -rf "$work/out"; sync; disk+=("$(measure "$bin" --root "$work/corpus-$n" build --output "$work/out")")
    rm -rf "$work/copy"; sync; copy+=("$(measure cp -r "$shm/out" "$work/copy")")
  done
  echo "$n entries ($(find "$shm/out" -type f | wc -l) files, $(du -sh "$shm/out" | cut -f1)), $runs rounds:"
  printf '%s\n' "${tmpfs[@]}" | summary tmpfs
  printf '%s\n' "${disk[@]}" | summary disk
  printf '%s\n' "${copy[@]}" | summary "cp -r"
done
