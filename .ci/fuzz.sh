#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 60s), two at a time, and
# fails if any finds a crash or a hang. New failing inputs are written
# under the package's testdata/fuzz, where go test replays them from then
# on; commit them with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-60s}"
targets=(
  "./loaders FuzzParseDate"
  "./loaders/extract FuzzNewText"
  "./loaders/all FuzzPipeline"
  "./loaders/text FuzzParse"
  "./loaders/html FuzzLoad"
  "./loaders/jsonl FuzzScan"
  "./loaders/jsonl FuzzLoad"
  "./loaders/feed FuzzLoad"
  "./provenance FuzzDecodeAnalysis"
  "./graph/cayleystore FuzzDecodeRecord"
)
for pkg in ./graph/gql; do
  if grep -qs '^func FuzzRequest' "$pkg"/*_test.go; then targets+=("$pkg FuzzRequest"); fi
done
logs=$(mktemp -d)
status=0
run() {
  local pkg=$1 target=$2
  local log="$logs/$(echo "$pkg-$target" | tr '/.' '__').log"
  if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 1 "$pkg" >"$log" 2>&1; then
    echo "fuzz $pkg $target: $(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2) executions, no finding"
  else
    echo "fuzz $pkg $target: FAILED"; cat "$log"; return 1
  fi
}
pids=()
for t in "${targets[@]}"; do
  run $t &
  pids+=($!)
  if [ ${#pids[@]} -ge 2 ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
rm -rf "$logs"
exit $status
