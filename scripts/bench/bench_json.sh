#!/usr/bin/env bash
# JSON micro-benchmarks for issue 4, in one run on this machine (release build): encoding a typical user
# object and decoding a typical create-user body, ours (JSONStreamEncoder; JSONParser + JSONValueDecoder,
# with and without the schema validation a request gets) next to Foundation's JSONEncoder/JSONDecoder.
# Prints a markdown table of operations per second (median of REPS runs of SECONDS each).
#
#   scripts/bench/bench_json.sh            # REPS=5 SECONDS=2 by default
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REPS="${REPS:-5}"
SECONDS_PER_RUN="${SECONDS:-2}"

cd "$ROOT"
swift build -c release --product MicroBench >&2
BIN="$(swift build -c release --show-bin-path)/MicroBench"
OUT="$("$BIN" json "$SECONDS_PER_RUN" "$REPS")"
value() { sed -n "s/^$1_per_s=//p" <<<"$OUT"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

echo "JSON, one thread, operations per second (median of $REPS x ${SECONDS_PER_RUN} s): \`$BIN json $SECONDS_PER_RUN $REPS\`"
echo
echo "| operation | ours | Foundation | ours / Foundation |"
echo "|---|---|---|---|"
echo "| encode user object (JSONStreamEncoder vs JSONEncoder) | $(value encode_ours) | $(value encode_foundation) | $(ratio "$(value encode_ours)" "$(value encode_foundation)") |"
echo "| decode create-user body (JSONParser + JSONValueDecoder vs JSONDecoder) | $(value decode_ours) | $(value decode_foundation) | $(ratio "$(value decode_ours)" "$(value decode_foundation)") |"
echo "| decode + validate (as a request: schema check, email, lengths) vs JSONDecoder | $(value decode_validate_ours) | $(value decode_foundation) | $(ratio "$(value decode_validate_ours)" "$(value decode_foundation)") |"
