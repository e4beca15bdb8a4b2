#!/usr/bin/env bash
# What a wide repository costs the git walk (issue 22, point 8): the
# content folder sits beside WIDTH other files at the repository's root,
# and COMMITS commits each change one of those files; every tenth also
# changes a register entry. Made with `git fast-import` (seconds, not
# minutes). Prints the wall time, CPU time and peak RSS of a build with git and
# with --no-git (median of RUNS), and of `git log -- content` for
# comparison. Needs git and GNU time.
#
#   scripts/bench-git-wide.sh [COMMITS] [WIDTH]    default: 10000 3000
#   RUNS=5 scripts/bench-git-wide.sh               runs per case (default 3)
#   BIN=target/debug/isms-site scripts/bench-git-wide.sh   another binary
#                                                  (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${1:-10000}
WIDTH=${2:-3000}
RUNS=${RUNS:-3}
ENTRIES=100
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin isms-site
  BIN=$PWD/target/release/isms-site
fi

REPO=$WORK/repo
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -c init.defaultBranch=main init -q "$REPO"
awk -v commits="$COMMITS" -v width="$WIDTH" -v entries="$ENTRIES" '
function file(path, text) {
  printf "M 100644 inline %s\ndata %d\n%s\n", path, length(text), text
}
function entry(i, n) {
  return sprintf("id: CI-%04d\ntitle: Entry %d, version %d\nidentified: 2025-01-10\nstatus: planned\npriority: medium\n", i, i, n)
}
function head(n, message) {
  # One commit an hour from 2025-01-01, UTC.
  printf "commit refs/heads/main\ncommitter Bench <bench@example.org> %d +0000\ndata %d\n%s\n", 1735689600 + n * 3600, length(message), message
}
BEGIN {
  head(0, "Import")
  for (i = 0; i < width; i++) file(sprintf("f%05d.txt", i), "0")
  file("content/site.yaml", "title: Wide repository")
  for (i = 1; i <= entries; i++) file(sprintf("content/register/CI-%04d.yaml", i), entry(i, 0))
  for (n = 1; n < commits; n++) {
    head(n, "Change " n)
    file(sprintf("f%05d.txt", n % width), n "")
    if (n % 10 == 0) {
      i = (n / 10) % entries + 1
      file(sprintf("content/register/CI-%04d.yaml", i), entry(i, n))
    }
  }
}' | git -C "$REPO" fast-import --quiet
git -C "$REPO" checkout -q main
git -C "$REPO" gc -q

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

once() { # command...; prints "wall cpu kilobytes"
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
  awk '{print $1, $2 + $3, $4}' "$WORK/time"
}

row() { # label command...
  local label=$1 s=() c=() m=()
  shift
  for _ in $(seq "$RUNS"); do
    read -r t u k < <(once "$@")
    s+=("$t")
    c+=("$u")
    m+=("$k")
  done
  printf '| %s | %s s | %s s | %s MB |\n' "$label" "$(printf '%s\n' "${s[@]}" | median)" \
    "$(printf '%s\n' "${c[@]}" | median)" \
    "$(( $(printf '%s\n' "${m[@]}" | median | cut -d. -f1) / 1024 ))"
}

echo "$COMMITS commits, $WIDTH files at the root, $ENTRIES entries (packed), median of $RUNS runs; $BIN"
echo
echo "| case | wall | CPU (user + sys) | peak RSS |"
echo "|---|---|---|---|"
build=("$BIN" build --content "$REPO/content" --output "$WORK/out" --as-of 2026-12-31)
row "build --no-git" "${build[@]}" --no-git
row "build with git" "${build[@]}"
row "git log -- content" git -C "$REPO" log --format=%H -- content
echo
echo "entry pages listing revisions: $(grep -l 'revisions-h' "$WORK"/out/register/*/index.html | wc -l) of $ENTRIES"
