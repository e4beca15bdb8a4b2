#!/usr/bin/env bash
# Build-time benchmark: the demo content and synthetic registers of the
# given sizes, each built RUNS times; prints the median wall time, CPU time
# (user+sys) and peak resident memory. Needs GNU time (/usr/bin/time).
#
#   scripts/bench.sh [SIZES...]     e.g. scripts/bench.sh 1000 10000
#   RUNS=7 scripts/bench.sh 1000
#   TMPDIR=/dev/shm scripts/bench.sh 1000   (output on tmpfs: CPU cost without the disk)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release --quiet --bin isms-site --example synth
BIN=target/release/isms-site

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() { # name content-dir
  local name=$1 content=$2 wall=() cpu=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$BIN" build --content "$content" \
      --output "$WORK/out" --as-of 2026-11-27 >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
    read -r e u s m < "$WORK/t"
    wall+=("$e"); cpu+=("$(printf "%.2f" "$(echo "$u + $s" | bc)")"); rss+=("$m")
  done
  local files
  files=$(find "$WORK/out" -type f | wc -l)
  printf '| %s | %s | %s s | %s s | %s MB |\n' "$name" "$files" \
    "$(printf '%s\n' "${wall[@]}" | median)" "$(printf '%s\n' "${cpu[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))"
}

echo "| register | files written | wall (median of $RUNS) | CPU | peak RSS |"
echo "|---|---|---|---|---|"
measure "demo (content/)" content
for n in "${SIZES[@]}"; do
  target/release/examples/synth "$n" "$WORK/synth-$n" >/dev/null
  measure "synthetic $n" "$WORK/synth-$n"
done
