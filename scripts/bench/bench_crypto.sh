#!/usr/bin/env bash
# Crypto micro-benchmarks for issue 3, all in one run on this machine (release build):
#   Argon2id at the DESIGN §6 defaults next to Debian's `argon2` on the same password/salt/params,
#   SHA-256 MB/s next to `sha256sum` on the same 256 MiB file, and HS256 JWT verifications/s on one
#   core; plus a valgrind count of heap allocations (the SHA-256 and BLAKE2b block loops must not
#   allocate, so the count must not grow with the input size).
# Prints a markdown table (median of REPS runs) with the exact commands.
#
#   scripts/bench/bench_crypto.sh                 # from /work/main, once MicroBench is in Package.swift
#   PACKAGE=/work/scratch-crypto scripts/bench/bench_crypto.sh   # from a package that declares it
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PACKAGE="${PACKAGE:-$ROOT}"
REPS="${REPS:-5}"
PASSWORD=password SALT=somesaltSOMESALT M=19456 T=2 P=1

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now_ns() { date +%s%N; }

cd "$PACKAGE"
swift build -c release --product MicroBench >&2
BIN="$(swift build -c release --show-bin-path)/MicroBench"

if ! command -v argon2 >/dev/null; then
    apt-get install -y argon2 >&2 || { apt-get update >&2 && apt-get install -y argon2 >&2; }
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- Argon2id -------------------------------------------------------------------------------
ours_argon2="$("$BIN" argon2 "$PASSWORD" "$SALT" "$M" "$T" "$P" "$REPS")"
ours_argon2_ms="$(sed -n 's/^argon2_ms=//p' <<<"$ours_argon2")"
ours_tag="$(sed -n 's/^argon2_tag=//p' <<<"$ours_argon2")"
ref_cmd="echo -n $PASSWORD | argon2 $SALT -id -t $T -k $M -p $P -l 32"
for _ in $(seq "$REPS"); do
    # argon2 prints its own hashing time ("0.052 seconds"), which excludes process start-up.
    echo -n "$PASSWORD" | argon2 "$SALT" -id -t "$T" -k "$M" -p "$P" -l 32 >"$WORK/argon2.out"
    awk '/seconds/ { print $1 * 1000 }' "$WORK/argon2.out"
done | median >"$WORK/ref_ms"
ref_argon2_ms="$(cat "$WORK/ref_ms")"
ref_tag="$(awk '/^Hash:/ { print $2 }' "$WORK/argon2.out")"
if [[ "$ours_tag" != "$ref_tag" ]]; then
    echo "Argon2id tags differ: ours $ours_tag, argon2 $ref_tag" >&2
    exit 1
fi

# --- SHA-256 --------------------------------------------------------------------------------
FILE="$WORK/sha256-input.bin"
head -c $((256 * 1024 * 1024)) /dev/urandom >"$FILE"
ours_sha="$("$BIN" sha256 "$FILE" "$REPS")"
ours_mbps="$(sed -n 's/^sha256_mb_per_s=//p' <<<"$ours_sha")"
ours_digest="$(sed -n 's/^sha256_digest=//p' <<<"$ours_sha")"
for _ in $(seq "$REPS"); do
    start="$(now_ns)"
    sha256sum "$FILE" >"$WORK/sha256sum.out"
    end="$(now_ns)"
    awk -v bytes="$(stat -c %s "$FILE")" -v ns="$((end - start))" 'BEGIN { printf "%.0f\n", bytes / 1e6 / (ns / 1e9) }'
done | median >"$WORK/ref_mbps"
ref_mbps="$(cat "$WORK/ref_mbps")"
if [[ "$ours_digest" != "$(cut -d' ' -f1 "$WORK/sha256sum.out")" ]]; then
    echo "SHA-256 digests differ" >&2
    exit 1
fi

# --- JWT ------------------------------------------------------------------------------------
ours_jwt="$("$BIN" jwt 1 "$REPS")"
jwt_rate="$(sed -n 's/^jwt_verify_per_s=//p' <<<"$ours_jwt")"
jwt_bytes="$(sed -n 's/^jwt_token_bytes=//p' <<<"$ours_jwt")"
jwt_scoped_rate="$(sed -n 's/^jwt_scoped_verify_per_s=//p' <<<"$ours_jwt")"
jwt_scoped_bytes="$(sed -n 's/^jwt_scoped_token_bytes=//p' <<<"$ours_jwt")"

# --- Allocations in the block loops -----------------------------------------------------------
# Debian 12's valgrind gives up on the debug info this toolchain writes ("possibly corrupted debuginfo file"),
# so it runs a copy without it: allocation counts do not need symbols.
allocs() {  # heap allocations of one hash of $2 bytes, counted by valgrind
    valgrind "$WORK/MicroBench.nodebug" allocs "$1" "$2" 2>&1 >/dev/null | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
if command -v valgrind >/dev/null && objcopy --strip-debug "$BIN" "$WORK/MicroBench.nodebug"; then
    alloc_line="SHA-256 $(allocs sha256 1048576) allocs for 1 MiB vs $(allocs sha256 16777216) for 16 MiB; BLAKE2b $(allocs blake2b 1048576) vs $(allocs blake2b 16777216)"
else
    alloc_line="valgrind not installed: skipped"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
cat <<TABLE

| what | ours | reference | ratio | target |
|---|---|---|---|---|
| Argon2id m=$M t=$T p=$P, ms per hash (median of $REPS) | $ours_argon2_ms | $ref_argon2_ms (\`argon2\`) | $(ratio "$ours_argon2_ms" "$ref_argon2_ms") of its time | ≤ 1.5x |
| SHA-256 of a 256 MiB file, MB/s (median of $REPS) | $ours_mbps | $ref_mbps (\`sha256sum\`) | $(ratio "$ours_mbps" "$ref_mbps") of its speed | — |
| JWT HS256 verify, $jwt_bytes-byte login token (no scope), per s on one core | $jwt_rate | — | — | ≥ 500,000 |
| JWT HS256 verify, $jwt_scoped_bytes-byte token with scope \`users:read users:write\`, per s on one core | $jwt_scoped_rate | — | — | ≥ 500,000 |

Commands: \`$BIN argon2 $PASSWORD $SALT $M $T $P $REPS\` vs \`$ref_cmd\` (its own "seconds" line);
\`$BIN sha256 FILE $REPS\` vs \`sha256sum FILE\` (wall time); \`$BIN jwt 1 $REPS\`.
Both Argon2id tags are $ours_tag; both SHA-256 digests matched.
Allocation check (\`valgrind\` on \`objcopy --strip-debug $BIN\`, \`allocs sha256|blake2b BYTES\`): $alloc_line.
TABLE
