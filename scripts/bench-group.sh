#!/usr/bin/env bash
# Group view benchmark (issue 28): `isms-site group` over REGISTERS
# published registers of ENTRIES entries each (default 100 × 1,000).
#
#   scripts/bench-group.sh [REGISTERS] [ENTRIES]
#
# One synthetic register (examples/synth.rs) is built once, as of
# 2026-11-27, and its published site copied REGISTERS times: a group reads
# only each site's register.json and build.json, so copies cost the group
# what distinct registers of the same size would. Prints the seconds the
# group build took (best of three) and the size of what it read.
set -euo pipefail
registers=${1:-100}
entries=${2:-1000}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin isms-site --example synth
bin=target/release/isms-site
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/synth "$entries" "$work/content" >/dev/null
"$bin" build --no-git --as-of 2026-11-27 --content "$work/content" --output "$work/one" 2>/dev/null
mkdir -p "$work/sites"
for i in $(seq -w 1 "$registers"); do
  cp -r "$work/one" "$work/sites/r-$i"
done
read_mb=$(du -cm "$work"/sites/r-*/register.json | tail -1 | cut -f1)
best=""
for run in 1 2 3; do
  rm -rf "$work/sites/group"
  start=$(date +%s.%N)
  "$bin" group --as-of 2026-11-27 --output "$work/sites/group" "$work"/sites/r-* 2>/dev/null
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
done
files=$(find "$work/sites/group" -type f | wc -l)
echo "group of $registers registers × $entries entries: ${best} s (best of 3); read ${read_mb} MB of register.json, wrote $files files"
