#!/usr/bin/env bash
# Browser benchmark: the register filter (each keystroke, input to painted
# frame), the sort (click to painted frame) and the header search (first
# results, loading the index included) in headless Chromium, on synthetic
# registers of the given sizes opened from file://. Medians of RUNS fresh
# pages; see scripts/bench-browser.js for what is timed.
#
#   scripts/bench-browser.sh [SIZES...]     default: 1000 10000
#   RUNS=5 QUERY=backup scripts/bench-browser.sh 10000
#   BIN=target/debug/isms-site scripts/bench-browser.sh   a binary already built
#   scripts/bench-browser.sh SITE_DIR...    sites already built (e.g. by another version)
#
# Needs Node.js, Debian's chromium and playwright-core
# (npm ci --prefix tests/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin isms-site --example synth
  BIN=target/release/isms-site
  SYNTH=target/release/examples/synth
else
  cargo build --quiet --example synth
  SYNTH=target/debug/examples/synth
fi
sites=()
for n in "${SIZES[@]}"; do
  if [ -d "$n" ]; then sites+=("$n"); continue; fi
  "$SYNTH" "$n" "$WORK/content-$n" 42 >/dev/null
  "$BIN" build --content "$WORK/content-$n" --output "$WORK/site-$n" --as-of 2026-11-27 >/dev/null 2>&1
  rm -rf "$WORK/content-$n"
  sites+=("$WORK/site-$n")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node scripts/bench-browser.js "${sites[@]}"
