#!/usr/bin/env bash
# Build-time benchmark: the demo content and synthetic registers of the
# given sizes (fixed seed, one plan per 5 entries, one review per 50), each
# built RUNS times into a folder below TMPDIR; prints the median wall time,
# CPU time (user+sys) and peak resident memory, the files written, time per
# 1,000 entries (linearity), files per HTML page and output size, the size
# of the first register page, and, as a floor for the file system, the time
# `cp -r` takes to write the same files. Needs GNU time (/usr/bin/time).
# Fails when the first register page is over 500 kB at any size: the first
# load stays bounded however large the register (moved here from
# `cargo test`, which checks the paging on 450 entries).
#
#   scripts/bench.sh [SIZES...]          default: 1000 10000 50000
#   RUNS=7 scripts/bench.sh 1000         runs per size (default 5)
#   RUNS_LARGE=3                         runs for sizes of 50,000 and more
#   TMPDIR=/dev/shm scripts/bench.sh     output on tmpfs: the generator's own cost
#   TMPDIR=/work/tmp scripts/bench.sh    output on that disk
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
SEED=${SEED:-42}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release --quiet --bin isms-site --example synth
BIN=target/release/isms-site

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() { # name entries content-dir runs
  local name=$1 entries=$2 content=$3 runs=$4 wall=() cpu=() rss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$BIN" build --content "$content" \
      --output "$WORK/out" --as-of 2026-11-27 >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
    read -r e u s m < "$WORK/t"
    wall+=("$e"); cpu+=("$(printf '%.2f' "$(echo "$u + $s" | bc)")"); rss+=("$m")
  done
  local files pages w c copy mb first
  first=$(stat -c %s "$WORK/out/register/index.html")
  if [ "$first" -gt 500000 ]; then
    echo "$name: register/index.html is $first bytes, over 500,000: the first load must stay bounded" >&2
    exit 1
  fi
  files=$(find "$WORK/out" -type f | wc -l)
  pages=$(find "$WORK/out" -type f -name '*.html' | wc -l)
  mb=$(( $(du -sb "$WORK/out" | cut -f1) / 1000000 ))
  w=$(printf '%s\n' "${wall[@]}" | median)
  c=$(printf '%s\n' "${cpu[@]}" | median)
  copy=$( { /usr/bin/time -f "%e" cp -r "$WORK/out" "$WORK/copy" ; } 2>&1 )
  rm -rf "$WORK/copy"
  local per_w="—" per_c="—" # per 1,000 entries means nothing for the small demo
  if [ "$entries" -ge 1000 ]; then
    per_w="$(printf '%.3f' "$(echo "scale=4; $w * 1000 / $entries" | bc)") s"
    per_c="$(printf '%.3f' "$(echo "scale=4; $c * 1000 / $entries" | bc)") s"
  fi
  printf '| %s | %s | %s | %s | %s MB | %s s | %s s | %s MB | %s | %s | %s s | %s kB |\n' "$name" "$files" "$pages" \
    "$(printf '%.2f' "$(echo "scale=4; $files / $pages" | bc)")" "$mb" \
    "$w" "$c" "$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))" \
    "$per_w" "$per_c" "$copy" "$(( first / 1000 ))"
}

echo "Output below $(dirname "$WORK") ($(df --output=fstype "$WORK" | tail -1)), median of $RUNS runs ($RUNS_LARGE for 50,000 entries and more)"
echo
echo "| register | files written | pages | files per page | output | wall | CPU (user+sys) | peak RSS | wall per 1,000 entries | CPU per 1,000 entries | cp -r of the output | first register page |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
measure "demo (32 entries)" 32 content "$RUNS"
for n in "${SIZES[@]}"; do
  target/release/examples/synth "$n" "$WORK/synth-$n" "$SEED" >/dev/null
  runs=$RUNS
  [ "$n" -lt 50000 ] || runs=$RUNS_LARGE
  measure "synthetic $n ($((n / 5)) plans, $((n / 50)) reviews)" "$n" "$WORK/synth-$n" "$runs"
  rm -rf "$WORK/synth-$n"
done
