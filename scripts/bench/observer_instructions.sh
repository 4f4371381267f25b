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
PORT="${PORT:-8179}"
BIN_DIR="$(cd "$ROOT" && swift build -c release --show-bin-path)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Debian's valgrind cannot read this toolchain's debug information: it runs a copy without it.
objcopy --strip-debug "$BIN_DIR/api" "$WORK/api"

count() {
    local mode=$1 access=$2 metrics=$3
    local data="$WORK/$mode"
    mkdir -p "$data"
    # Fixed hashing seeds: a dictionary probe (the router's) then costs the same in every run, not a few
    # hundred instructions more or less by the seed's luck.
    SWIFT_DETERMINISTIC_HASHING=1 \
    API_LOG_ACCESS=$access API_METRICS_MODE=$metrics API_SERVER_WORKERS=2 API_DATABASE_PATH="$data/api.db" \
        valgrind --tool=callgrind --callgrind-out-file="$data/callgrind.out" "$WORK/api" serve --port "$PORT" \
        >/dev/null 2>"$data/valgrind.err" &
    local server=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    "$BIN_DIR/api" bench -c 8 -t 1 -n 2000 "http://127.0.0.1:$PORT/healthz" >/dev/null     # warm-up, not counted
    callgrind_control -z "$server" >/dev/null
    "$BIN_DIR/api" bench -c 8 -t 1 -n "$N" "http://127.0.0.1:$PORT/healthz" >/dev/null
    callgrind_control -d "$server" >/dev/null
    kill "$server"
    wait "$server" 2>/dev/null || true
    local total
    total=$(callgrind_annotate "$data/callgrind.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
    echo "$mode $((total / N))"
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
