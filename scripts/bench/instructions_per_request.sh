#!/usr/bin/env bash
# User-space instructions that one `api serve` spends per request to one path, counted by callgrind: not time, so the
# figure does not move with this noisy machine's load (only by up to about 200 with how requests fall into the
# loops' batches). Kernel work (sockets, epoll) is not counted.
#
#   scripts/bench/instructions_per_request.sh BINARY PATH [--token]     # N=20000, PORT=8179
# With --token, a user is made and logged in first and every request carries its bearer token. API_* variables in
# the environment configure the server (2 loops unless API_SERVER_WORKERS says otherwise). Prints the count; with
# CALLGRIND_OUT=FILE, also keeps callgrind's output there (for callgrind_annotate).
# Needs valgrind (make bench-deps) and `api bench` from this tree's release build.
set -euo pipefail

BINARY=$1 URL_PATH=$2 TOKEN_WANTED=${3:-}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${N:-20000}"
PORT="${PORT:-8179}"
BENCH="$(cd "$ROOT" && swift build -c release --show-bin-path)/api"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Debian's valgrind cannot read this toolchain's debug information: it runs a copy without it.
objcopy --strip-debug "$BINARY" "$WORK/api"

# Fixed hashing seeds: a dictionary probe (the router's) then costs the same in every run, not a few hundred
# instructions more or less by the seed's luck. The cheapest Argon2 cost: the login is not what is measured.
SWIFT_DETERMINISTIC_HASHING=1 API_SERVER_WORKERS="${API_SERVER_WORKERS:-2}" API_DATABASE_PATH="$WORK/api.db" \
API_AUTH_ARGON2_MEMORY_KIB=8 API_AUTH_ARGON2_ITERATIONS=1 API_AUTH_ARGON2_PARALLELISM=1 \
    valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$WORK/api" serve --port "$PORT" \
    >/dev/null 2>"$WORK/valgrind.err" &
SERVER=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
HEADER=()
if [ "$TOKEN_WANTED" = "--token" ]; then
    curl -sf -H 'content-type: application/json' -d '{"name":"bench","email":"bench@example.com","password":"bench-password"}' \
        "http://127.0.0.1:$PORT/users/" >/dev/null
    TOKEN=$(curl -sf -d 'username=bench@example.com&password=bench-password' "http://127.0.0.1:$PORT/token" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
    HEADER=(-H "Authorization: Bearer $TOKEN")
fi
"$BENCH" bench -c 8 -t 1 -n 2000 "${HEADER[@]}" "http://127.0.0.1:$PORT$URL_PATH" >/dev/null     # warm-up, not counted
callgrind_control -z "$SERVER" >/dev/null 2>&1
"$BENCH" bench -c 8 -t 1 -n "$N" "${HEADER[@]}" "http://127.0.0.1:$PORT$URL_PATH" >/dev/null
callgrind_control -d "$SERVER" >/dev/null 2>&1
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
if [ -n "${CALLGRIND_OUT:-}" ]; then cp "$WORK/callgrind.out.1" "$CALLGRIND_OUT"; fi
TOTAL=$(callgrind_annotate "$WORK/callgrind.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo $((TOTAL / N))
