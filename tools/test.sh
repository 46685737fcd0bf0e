#!/usr/bin/env bash
# The project's whole test suite, as a new developer and CI run it:
#   bash tools/test.sh
# Installs what it needs on a fresh machine (nothing beyond the Rust toolchain yet),
# then checks formatting, lints, docs and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
echo "== cargo test"
cargo test --locked
echo "== build of the shipped collection"
cargo run --locked --quiet -- check
