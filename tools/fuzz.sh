#!/usr/bin/env bash
# Fuzzes zirkel's document pipeline (raw bytes → front matter → YAML → validation →
# Markdown → sanitized HTML, and the configuration parser) for N minutes:
#   bash tools/fuzz.sh [MINUTES]      (default 30)
# Needs cargo-fuzz (installed here if missing). The machine's toolchain is stable, so
# the nightly-only flags cargo-fuzz passes are allowed with RUSTC_BOOTSTRAP=1, and
# sanitizers are off (-s none: a panic is what we look for). Seeds come from the
# shipped collection and the test fixtures. A crash is saved under
# fuzz/artifacts/document/; turn each into a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p fuzz/corpus/document
find content tests/fixtures -name '*.md' | while read -r f; do cp "$f" "fuzz/corpus/document/$(echo "$f" | tr / _)"; done
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run -s none document -- \
  -max_total_time=$((minutes * 60)) -max_len=65536 -print_final_stats=1
