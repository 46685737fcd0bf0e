#!/usr/bin/env bash
# Benchmark of a full `zirkel build` on generated collections.
#   bash tools/bench-build.sh [RUNS]     (default 5 runs per size)
# Generates 1,000 and 10,000 entries with ../shared/tools/gen-corpus.py (seed 1),
# builds each RUNS times into a fresh output folder and prints the median wall time,
# user+sys CPU time and peak memory (max RSS), measured with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
gen=../shared/tools/gen-corpus.py
cargo build --release --locked --quiet
work=$(mktemp -d /tmp/zirkel-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
for n in 1000 10000; do
  python3 "$gen" "$n" "$work/corpus-$n" >/dev/null
  rows=()
  for i in $(seq "$runs"); do
    rm -rf "$work/out-$n"
    row=$(/usr/bin/time -f "%e %U %S %M" ./target/release/zirkel --root "$work/corpus-$n" build --output "$work/out-$n" 2>&1 >/dev/null | tail -1)
    rows+=("$row")
  done
  printf '%s\n' "${rows[@]}" | python3 -c "
import sys, statistics as st
r = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
wall = st.median(x[0] for x in r); cpu = st.median(x[1] + x[2] for x in r); rss = st.median(x[3] for x in r) / 1024
print(f'$n entries, {len(r)} runs: median wall {wall:.2f} s, median CPU (user+sys) {cpu:.2f} s, median peak RSS {rss:.0f} MB')
print('  runs (wall user sys KB):', '; '.join(' '.join(f'{v:g}' for v in x) for x in r))
"
done
