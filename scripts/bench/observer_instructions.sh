#!/usr/bin/env bash
# Instructions per GET /healthz that `api serve` spends with its observers off, with the access log only, with
# metrics only, and with both (issue 6). callgrind counts user-space instructions, not time, so the figure does
# not move with this noisy machine's load (only by up to about 200 with how requests fall into the loops' batches):
# it shows what a change to the observers' code costs, where a throughput ratio moves by more than that change
# between two runs. Kernel work (sockets, epoll) is not counted,
# so the observers' share of the instructions is larger than their share of the time.
#
#   scripts/bench/observer_instructions.sh              # N=20000 requests per configuration, release build
# Needs valgrind (make bench-deps) and a release build (swift build -c release).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${N:-20000}"
BIN_DIR="$(cd "$ROOT" && swift build -c release --show-bin-path)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

count() {
    local mode=$1 access=$2 metrics=$3
    echo "$mode $(API_LOG_ACCESS=$access API_METRICS_MODE=$metrics N=$N "$ROOT/scripts/bench/instructions_per_request.sh" "$BIN_DIR/api" /healthz)"
}

{
    count off off off
    count log on off
    count metrics off open
    count both on open
} > "$WORK/counts"

echo "| observers | instructions per request | more than off |"
echo "|---|---:|---:|"
awk 'NR == 1 { off = $2 } { printf "| %s | %d | %+d (%.1f%%) |\n", $1, $2, $2 - off, 100 * ($2 - off) / off }' "$WORK/counts"
echo
echo "scripts/bench/observer_instructions.sh, N=$N requests of GET /healthz per configuration (api bench -c 8 -t 1)"
