#!/usr/bin/env bash
# zirkel's static search against Pagefind 1.6 on a generated collection (see the top of
# tools/bench-search.mjs for what is measured and how).
#   bash tools/bench-search.sh [ENTRIES] [RUNS] [-- extra bench-search.mjs options]
# Defaults: 10000 entries, 5 rounds. Generates the collection with
# ../shared/tools/gen-corpus.py into /tmp/bench-cENTRIES (kept if present), builds it
# into /tmp/bench-sENTRIES and writes /tmp/bench-search-ENTRIES.json. Pagefind is
# installed by npm into /tmp/pf (not into this repository). Uses the zirkel binary
# $ZIRKEL_BIN or target/release/zirkel as it is: build it first (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; runs=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" = "--" ] && shift
gen=../shared/tools/gen-corpus.py
[ -f "$gen" ] || gen=/work/shared/tools/gen-corpus.py
bin=${ZIRKEL_BIN:-$PWD/target/release/zirkel}
[ -x "$bin" ] || { echo "no zirkel binary at $bin (cargo build --release)" >&2; exit 1; }
corpus=/tmp/bench-c$n site=/tmp/bench-s$n
[ -f "$corpus/zirkel.yaml" ] || python3 "$gen" "$n" "$corpus" >/dev/null
"$bin" --root "$corpus" build --output "$site" >/dev/null
ZIRKEL_BIN=$bin node tools/bench-search.mjs --root "$corpus" --site "$site" --runs "$runs" \
  --json "/tmp/bench-search-$n.json" "$@"
