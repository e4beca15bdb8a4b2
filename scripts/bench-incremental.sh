#!/usr/bin/env bash
# Rebuild benchmark (issue 27): a synthetic register of SIZE entries (one
# plan per 5, one review per 50; examples/synth.rs), built by each binary
# given, runs interleaved so that load on the shared machine hits all:
#
#   cold     a build into a new folder
#   same     the same build over its own output, nothing changed
#   one      after one entry's title changed
#   again    after that title changed once more: this build renders into
#            the spare that `one` left (the site before last), where a
#            binary keeps one
#
# and whether `same` wrote any page again (inode of a page before/after),
# and the cold build's peak resident memory.
# Prints the median wall time of each, and the ratios to the cold build.
#
#   scripts/bench-incremental.sh [SIZE]          default 10000, this tree's release binary
#   BINS="/work/perf-before-isms-site target/release/isms-site" scripts/bench-incremental.sh 10000
#   RUNS=5 TMPDIR=/dev/shm scripts/bench-incremental.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-10000}
RUNS=${RUNS:-3}
# BINS given: those binaries as they are (a commit changes the version
# string, so building again would recompile the crate).
[ -n "${BINS:-}" ] || cargo build --release --quiet --bin isms-site --example synth
read -r -a bins <<< "${BINS:-target/release/isms-site}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
target/release/examples/synth "$SIZE" "$WORK/content" 42 >/dev/null
first=("$WORK/content/register"/*.yaml)
entry=$(basename "${first[0]}")
page=register/${entry%.yaml}/index.html
cp "$WORK/content/register/$entry" "$WORK/entry.orig"
echo "synthetic $SIZE entries, output below $WORK ($(df --output=fstype "$WORK" | tail -1)), median of $RUNS"

timed() { # label bin out
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$2" build --content "$WORK/content" --output "$3" \
    --as-of 2026-11-27 >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
  echo "$1 $(cat "$WORK/t")" >> "$WORK/times-$(basename "$2")"
  echo "  $(basename "$2") $1: $(cat "$WORK/t") (s, KB)"
}
ino() { stat -c %i "$1/$page"; }

for run in $(seq "$RUNS"); do
  for bin in "${bins[@]}"; do
    out=$WORK/out-$(basename "$bin")
    rm -rf "$out" "$WORK"/.out-*
    cp "$WORK/entry.orig" "$WORK/content/register/$entry"
    timed cold "$bin" "$out"
    before=$(ino "$out")
    timed same "$bin" "$out"
    [ "$before" = "$(ino "$out")" ] && kept=kept || kept=rewritten
    echo "page $kept" >> "$WORK/pages-$(basename "$bin")"
    sed -i "s/^title: .*/title: \"Changed in run $run\"/" "$WORK/content/register/$entry"
    timed one "$bin" "$out"
    sed -i "s/^title: .*/title: \"Changed again in run $run\"/" "$WORK/content/register/$entry"
    timed again "$bin" "$out"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "| binary | cold | nothing changed | one entry changed | again | same/cold | one/cold | again/cold | unchanged page | peak RSS (cold) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for bin in "${bins[@]}"; do
  f=$WORK/times-$(basename "$bin")
  c=$(awk '$1=="cold"{print $2}' "$f" | median)
  s=$(awk '$1=="same"{print $2}' "$f" | median)
  o=$(awk '$1=="one"{print $2}' "$f" | median)
  a=$(awk '$1=="again"{print $2}' "$f" | median)
  m=$(awk '$1=="cold"{print $3}' "$f" | median)
  printf '| %s | %s s | %s s | %s s | %s s | %.2f× | %.2f× | %.2f× | %s | %s MiB |\n' "$bin" "$c" "$s" "$o" "$a" \
    "$(echo "$s / $c" | bc -l)" "$(echo "$o / $c" | bc -l)" "$(echo "$a / $c" | bc -l)" \
    "$(sort "$WORK/pages-$(basename "$bin")" | uniq -c | tr -s ' ' | paste -sd, -)" "$((${m%.*} / 1024))"
done
