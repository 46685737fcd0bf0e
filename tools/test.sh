#!/usr/bin/env bash
# The project's whole test suite, as a new developer and CI run it:
#   bash tools/test.sh
# On a fresh machine it installs what the tests need: rustfmt and clippy, Debian's
# Chromium for the browser tests (as root, with apt-get), and the test-only npm
# packages from the committed lockfile (npm ci). Then it checks formatting, lints
# and docs, runs the Rust tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

chromium_bin=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium (Debian package) for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it (sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium" >&2
    exit 1
  fi
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
echo "== cargo test"
cargo test --locked
echo "== check of the shipped collection"
cargo run --locked --quiet -- check

echo "== browser tests (Node + Playwright driving Debian's Chromium)"
npm ci --no-audit --no-fund --loglevel=error
cargo build --locked --quiet
ZIRKEL_BIN="$PWD/target/debug/zirkel" ZIRKEL_ROOT="$PWD" CHROMIUM="$chromium_bin" npm run --silent test:browser
