#!/usr/bin/env bash
# CPU time per request of each thread of `api serve` under a wrk load: where a route's cost goes
# (loops, the database writer, the checkpointer, the job runner). Release build, Benchmarks/api-bench.json.
#
#   scripts/bench/cpu_per_request.sh action     # POST /action/?user=bench
#   scripts/bench/cpu_per_request.sh me         # GET /users/me
# Prints wrk's req/s and, per thread (id, name), microseconds of CPU per request over a 4 s run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/api"
PORT=8171
DATA="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
API_DATABASE_PATH="$DATA/api.db" "$BIN" serve --config "$ROOT/Benchmarks/api-bench.json" --port "$PORT" >/dev/null 2>&1 &
SERVER=$!
sleep 1
curl -sf -X POST "http://127.0.0.1:$PORT/users/" -H 'content-type: application/json' \
    -d '{"name":"bench","email":"bench@example.com","password":"bench-password"}' >/dev/null
TOKEN="$(curl -sf "http://127.0.0.1:$PORT/token" -d 'username=bench@example.com&password=bench-password' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
export TOKEN
case "${1:-action}" in
    action) SCRIPT=post_action.lua; TARGET="/action/?user=bench" ;;
    me) SCRIPT=get_token.lua; TARGET=/users/me ;;
    *) echo "usage: $0 action|me" >&2; exit 2 ;;
esac
snapshot() { for task in /proc/$SERVER/task/*; do echo "$(basename "$task") $(cat "$task/comm") $(awk '{ print $14 + $15 }' "$task/stat")"; done; }
wrk -t2 -c64 -d2s -s "$ROOT/Benchmarks/wrk/$SCRIPT" "http://127.0.0.1:$PORT$TARGET" >/dev/null
snapshot >"$DATA/before"
OUT="$(wrk -t2 -c64 -d4s -s "$ROOT/Benchmarks/wrk/$SCRIPT" "http://127.0.0.1:$PORT$TARGET")"
snapshot >"$DATA/after"
REQUESTS="$(awk '/requests in/ { print $1 }' <<<"$OUT")"
TICKS="$(getconf CLK_TCK)"
grep 'Requests/sec' <<<"$OUT"
join "$DATA/before" "$DATA/after" | awk -v n="$REQUESTS" -v hz="$TICKS" \
    '{ d = $5 - $3; if (d > 0) printf "  thread %s %s: %.1f us/request\n", $1, $2, d / hz * 1e6 / n }'
