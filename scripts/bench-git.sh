#!/usr/bin/env bash
# What reading the revision history from git costs a build: a synthetic
# register (examples/synth.rs) committed to a new repository as one first
# commit and then COMMITS-1 commits of one to three files each (entries,
# now and then a plan or a review), dated over the two years before the
# as-of date; built RUNS times with git and with --no-git (release
# build). Prints the median wall times and their ratio, first for the
# repository as committed (loose objects), then after `git gc` (packed, as
# a clone is). Needs git.
#
#   scripts/bench-git.sh [ENTRIES] [COMMITS]   default: 1000 500
#   RUNS=7 scripts/bench-git.sh                runs per case (default 5)
#   TMPDIR=/dev/shm scripts/bench-git.sh       on tmpfs
#   BIN=/path/to/isms-site scripts/bench-git.sh   another binary (an older
#                                              build, to compare)
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES=${1:-1000}
COMMITS=${2:-500}
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release --quiet --example synth
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin isms-site
  BIN=$PWD/target/release/isms-site
fi

REPO=$WORK/repo
CONTENT=$REPO/content
target/release/examples/synth "$ENTRIES" "$CONTENT" 42 >/dev/null
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Bench Author" GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME="Bench Author" GIT_COMMITTER_EMAIL=bench@example.org
git -C "$REPO" -c init.defaultBranch=main init -q
git -C "$REPO" config gc.auto 0
stamp() { # commit number -> a date between 2024-11-27 and 2026-11-26
  date -u -d "2024-11-27 + $(( $1 * 729 / COMMITS )) days 10:00" +%Y-%m-%dT%H:%M:%S+00:00
}
commit() { # number message
  GIT_AUTHOR_DATE=$(stamp "$1") GIT_COMMITTER_DATE=$(stamp "$1") \
    git -C "$REPO" commit -q -a -m "$2"
}
git -C "$REPO" add -A
commit 0 "Import the register"
entries=("$CONTENT"/register/*.yaml)
plans=("$CONTENT"/plans/*.md)
reviews=("$CONTENT"/reviews/*.md)
for n in $(seq 1 $((COMMITS - 1))); do
  for k in $(seq 0 $((n % 3))); do
    f=${entries[$(( (n * 7919 + k * 104729) % ${#entries[@]} ))]}
    printf '# revised in commit %d\n' "$n" >> "$f"
  done
  if [ $((n % 10)) -eq 0 ]; then
    printf '\nRevised in commit %d.\n' "$n" >> "${plans[$(( n % ${#plans[@]} ))]}"
  fi
  if [ $((n % 25)) -eq 0 ]; then
    printf '\nRevised in commit %d.\n' "$n" >> "${reviews[$(( n % ${#reviews[@]} ))]}"
  fi
  commit "$n" "Revise entries, commit $n"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

once() { # extra build arguments...; prints the wall time in seconds
  local start=$EPOCHREALTIME
  "$BIN" build --content "$CONTENT" --output "$WORK/out" --as-of 2026-11-27 "$@" \
    >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc
}

row() { # label
  # The two cases alternate run by run: a machine that drifts (other
  # load, caches, clock speed) then drifts for both alike.
  local off=() on=()
  for _ in $(seq "$RUNS"); do
    off+=("$(once --no-git)")
    on+=("$(once)")
  done
  local o n
  o=$(printf '%s\n' "${off[@]}" | median)
  n=$(printf '%s\n' "${on[@]}" | median)
  printf '| %s | %.3f s | %.3f s | %.3f |\n' "$1" "$o" "$n" "$(echo "scale=4; $n / $o" | bc)"
}

echo "$ENTRIES entries, $COMMITS commits; output below $(dirname "$WORK") ($(df --output=fstype "$WORK" | tail -1)), median of $RUNS runs"
echo
echo "| repository | --no-git | with git | ratio |"
echo "|---|---|---|---|"
row "as committed (loose objects)"
git -C "$REPO" gc -q
row "after git gc (packed)"
shown=$(grep -l 'revisions-h' "$WORK"/out/register/*/index.html | wc -l)
echo
echo "entry pages listing revisions: $shown of $ENTRIES"
