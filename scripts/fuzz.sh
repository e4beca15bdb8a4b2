#!/usr/bin/env bash
# Fuzzes the loader and holds the YAML event reader to serde-saphyr
# (yaml_differential): runs each cargo-fuzz target in fuzz/ for SECONDS
# (default 300) on one core, then prints executions and crashes per target.
# FUZZ_TARGETS (space-separated) picks targets; CI runs yaml_differential.
# FUZZ_SANITIZER (default address) is passed to cargo fuzz --sanitizer; CI
# uses none, which builds in a fraction of the time and still finds
# disagreements and panics (the differential check needs no sanitizer).
# Needs the nightly toolchain and cargo-fuzz (installed here if missing).
# A crash leaves its input in fuzz/artifacts/TARGET/: fix the bug, then copy
# the input to tests/fuzz_regressions/TARGET/ so `cargo test` replays it.
set -euo pipefail
secs="${1:-300}"
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install --quiet --locked cargo-fuzz
targets=(${FUZZ_TARGETS:-register_entry front_matter whole_site yaml_differential})
flags=(-O --sanitizer "${FUZZ_SANITIZER:-address}")
for t in "${targets[@]}"; do cargo +nightly fuzz build "${flags[@]}" "$t" >/dev/null; done
declare -A runs crashes
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log="artifacts/$t.log"
  before=$(find "artifacts/$t" -type f | wc -l)
  # One process (no -jobs/-fork): one core; the machine is shared.
  cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1 || true
  runs[$t]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ -z "${runs[$t]}" ]; then
    # No statistics: the target did not run at all. Never a silent pass.
    echo "$t: did not run; see fuzz/$log" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  crashes[$t]=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
  echo "$t: ${runs[$t]:-?} executions in ${secs}s, ${crashes[$t]} crash(es) (log: fuzz/$log)"
done
total=0
for t in "${targets[@]}"; do total=$(( total + crashes[$t] )); done
exit $(( total > 0 ))
