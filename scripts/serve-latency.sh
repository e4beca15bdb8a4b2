#!/usr/bin/env bash
# Measures how long a save takes to show in the browser with `isms-site serve`:
# on the demo register and on a synthetic register of SIZE entries.
#
#   scripts/serve-latency.sh [SIZE ...]        (default: demo 1000)
#   RUNS=11 TMPDIR=/dev/shm scripts/serve-latency.sh demo 1000
#   BIN=/path/to/isms-site scripts/serve-latency.sh 1000   (another binary)
#
# Needs Node.js, Debian's chromium and playwright-core
# (npm ci --prefix tests/browser). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(demo 1000)
runs=${RUNS:-11}
# BIN given: that binary as it is (and the synth example already built).
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin isms-site --example synth
bin=${BIN:-$PWD/target/release/isms-site}
work=$(mktemp -d "${TMPDIR:-/tmp}/isms-latency.XXXXXX")
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=

for size in "${sizes[@]}"; do
  if [ "$size" = demo ]; then
    cp -r content "$work/content-$size"
    file=register/CI-009.yaml
    page=register/CI-009/index.html
  else
    target/release/examples/synth "$size" "$work/content-$size" >/dev/null
    first=("$work/content-$size"/register/*.yaml)
    id=$(basename "${first[0]}" .yaml)
    file=register/$id.yaml
    page=register/$id/index.html
  fi
  log=$work/serve-$size.log
  "$bin" serve --port 0 --as-of 2026-11-27 --content "$work/content-$size" \
    --output "$work/output-$size" 2>"$log" &
  server=$!
  for _ in $(seq 600); do grep -q '^serving ' "$log" && break; sleep 0.1; done
  url=$(sed -n 's/^serving \(http[^ ]*\).*/\1/p' "$log")
  echo "== $size: $(head -n 1 "$log")"
  node scripts/serve-latency.mjs "$url$page" "$work/content-$size/$file" "$runs"
  echo "server log (rebuild times):"
  grep '^rebuilt' "$log" | sed 's/ (.*changed)//' | tail -n 3
  kill -INT $server
  wait $server || true
done
