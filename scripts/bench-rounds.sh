#!/usr/bin/env bash
# One-change rebuilds, many rounds (issue 27): the figure the
# maintainers' guide keeps for "build over its output, one entry
# changed". Each binary given builds the synthetic register of SIZE
# entries (examples/synth.rs, seed 42) into an output of its own: cold,
# then once with one entry's title changed, so that every timed build
# renders into the spare with the kept files, as an author's rebuilds do.
# Then ROUNDS rounds: in each, the first entry's title is changed and
# every binary rebuilds, their order reversed every other round so that
# load on a shared machine hits all alike, each build after a pause
# (PAUSE seconds, default 4: the content files and folders settled, as
# between an author's saves). Prints each build's wall time, CPU time
# (user+system) and peak resident memory, then the medians per binary.
#
#   scripts/bench-rounds.sh [SIZE] [ROUNDS]      default 10000 entries, 10 rounds,
#                                                this tree's release binary
#   BINS="/tmp/before target/release/isms-site" scripts/bench-rounds.sh 10000 12
#   OUT=/dev/shm scripts/bench-rounds.sh         outputs on tmpfs (default: a new
#                                                folder below TMPDIR or /tmp)
#   CONTENT=dir                                  a register already generated there
#                                                (default: a new one, removed after)
#
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-10000}
ROUNDS=${2:-10}
PAUSE=${PAUSE:-4}
[ -n "${BINS:-}" ] || cargo build --release --quiet --bin isms-site --example synth
read -r -a bins <<< "${BINS:-target/release/isms-site}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT=${OUT:-$WORK}
if [ -z "${CONTENT:-}" ]; then
  CONTENT=$WORK/content
  [ -x target/release/examples/synth ] || cargo build --release --quiet --example synth
  target/release/examples/synth "$SIZE" "$CONTENT" 42 >/dev/null
fi
# Absolute: the kept parses are taken only under the same spelling.
CONTENT=$(cd "$CONTENT" && pwd)
first=("$CONTENT/register"/*.yaml)
entry=${first[0]}
cp "$entry" "$WORK/entry.orig"
trap 'cp "$WORK/entry.orig" "$entry"; rm -rf "$WORK"' EXIT
echo "$SIZE entries in $CONTENT; outputs below $OUT ($(df --output=fstype "$OUT" | tail -1)); $ROUNDS rounds"

name() { echo "$(basename "$1")-$2"; }
build() { # bin n
  "$1" build --content "$CONTENT" --output "$OUT/out-$(name "$1" "$2")" --as-of 2026-11-27 \
    >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
}
retitle() { sed -i "s/^title: .*/title: \"$1\"/" "$entry"; }

for n in "${!bins[@]}"; do
  b=${bins[n]}
  rm -rf "$OUT/out-$(name "$b" "$n")" "$OUT/.out-$(name "$b" "$n")".isms-*
  build "$b" "$n"
  retitle "first change by binary $n"
  build "$b" "$n"
done
for r in $(seq "$ROUNDS"); do
  order=("${!bins[@]}")
  if (( r % 2 == 0 )); then
    order=(); for ((i = ${#bins[@]} - 1; i >= 0; i--)); do order+=("$i"); done
  fi
  for n in "${order[@]}"; do
    b=${bins[n]}
    retitle "round $r, binary $n"
    sleep "$PAUSE"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$b" build --content "$CONTENT" \
      --output "$OUT/out-$(name "$b" "$n")" --as-of 2026-11-27 >/dev/null 2>"$WORK/log" \
      || { cat "$WORK/log"; exit 1; }
    read -r wall user sys peak < "$WORK/t"
    echo "$n $wall $(echo "$user + $sys" | bc) $peak" >> "$WORK/times"
    echo "  round $r, $b: $wall s, CPU $(echo "$user + $sys" | bc) s, peak $((peak / 1024)) MiB"
  done
done
for n in "${!bins[@]}"; do
  rm -rf "$OUT/out-$(name "${bins[n]}" "$n")" "$OUT/.out-$(name "${bins[n]}" "$n")".isms-*
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "| binary | one change, wall (median, range) | CPU (median) | peak (median) |"
echo "|---|---|---|---|"
for n in "${!bins[@]}"; do
  w=$(awk -v n="$n" '$1==n{print $2}' "$WORK/times" | median)
  lo=$(awk -v n="$n" '$1==n{print $2}' "$WORK/times" | sort -n | head -1)
  hi=$(awk -v n="$n" '$1==n{print $2}' "$WORK/times" | sort -n | tail -1)
  c=$(awk -v n="$n" '$1==n{print $3}' "$WORK/times" | median)
  m=$(awk -v n="$n" '$1==n{print $4}' "$WORK/times" | median)
  printf '| %s | %s s (%s–%s) | %s s | %s MiB |\n' "${bins[n]}" "$w" "$lo" "$hi" "$c" "$((${m%.*} / 1024))"
done
