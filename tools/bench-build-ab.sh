#!/usr/bin/env bash
# Full builds of one collection by several zirkel binaries, alternating, on tmpfs:
#   bash tools/bench-build-ab.sh ROUNDS CORPUS BIN [BIN ...]
# CORPUS is a collection folder (e.g. from ../shared/tools/gen-corpus.py 10000 DIR),
# best in /dev/shm so the index cache is in memory too. Each round builds once with
# every binary in turn into /dev/shm/zirkel-ab-<n>; the output of the round before is
# there, so each build also swaps it out and removes it, as a rebuild does. The shared
# disk and the machine's speed vary from minute to minute: only binaries run in the
# same rounds compare. Prints medians of wall time, CPU (user+sys) and peak RSS.
set -euo pipefail
rounds=$1 corpus=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"; for i in $(seq 1 $#); do rm -rf "/dev/shm/zirkel-ab-$i"; done' EXIT
for r in $(seq "$rounds"); do
  i=0
  for bin in "$@"; do
    i=$((i + 1))
    /usr/bin/time -f "$i %e %U %S %M" "$bin" build --root "$corpus" --output "/dev/shm/zirkel-ab-$i" \
      2>&1 >/dev/null | tail -1 >>"$log"
  done
done
python3 - "$log" "$@" <<'PY'
import sys, statistics as st
log, bins = sys.argv[1], sys.argv[2:]
runs = {}
for line in open(log):
    i, wall, user, sys_, rss = line.split()
    runs.setdefault(int(i), []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
for i, bin in enumerate(bins, 1):
    r = runs.get(i, [])
    print(f"{bin}: median wall {st.median(x[0] for x in r):.2f} s, CPU {st.median(x[1] for x in r):.2f} s, "
          f"peak RSS {st.median(x[2] for x in r):.0f} MB; runs: " + " ".join(f"{x[0]:.2f}" for x in r))
PY
