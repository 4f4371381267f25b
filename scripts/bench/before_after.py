#!/usr/bin/env python3
"""Throughput of this tree's `api` against an earlier commit's, alternating in one run: a change that claims to
cost nothing (issue 15, "the house") shows it here.

The earlier binary is a release build of BASE (the Swift runtime linked in, as `make release` links it) (default 0c8e12b, the last commit before issue 15) in a git worktree
under .build/bench-base/, built once and kept. Each round starts each binary on a fresh data directory with
Benchmarks/api-bench.json but one event loop, both pinned to CPU 1 (`taskset`), makes a user and a token in each,
and then, per case, runs PAIRS back-to-back pairs of `wrk -t1 -c32` (pinned to CPU 0) for DUR seconds against one
and then the other (after a 1 s warm-up of each), so the two runs of a pair see the same machine:

    healthz   GET /healthz
    me        GET /users/me with a bearer token (the token check and the user cache)

The order within pairs alternates. Reported per case: the median req/s of each, and the median of the per-pair
ratios (this tree / BASE); 1.00 is no change, and the target of issue 15 is at least 0.97.

    python3 scripts/bench/before_after.py                    # ROUNDS=3 PAIRS=6 DUR=3 BASE=0c8e12b
    BASE=HEAD~3 ROUNDS=4 python3 scripts/bench/before_after.py
"""
import json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_api import API, ROOT  # noqa: E402
from bench_http import api_binary  # noqa: E402

BASE = os.environ.get("BASE", "0c8e12b")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
PAIRS = int(os.environ.get("PAIRS", "6"))
DUR = int(os.environ.get("DUR", "3"))
CASES = {"healthz": ("/healthz", False), "me": ("/users/me", True)}


def base_binary():
    """A release build of BASE, made once in its own worktree."""
    sha = subprocess.run(["git", "rev-parse", "--short", BASE], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tree = os.path.join(ROOT, ".build", "bench-base", sha)
    if not os.path.exists(os.path.join(tree, "Package.swift")):
        subprocess.run(["git", "worktree", "add", "--force", "--detach", tree, sha], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "api", "--static-swift-stdlib"], cwd=tree, check=True)   # the runtime linked in, as make release does
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=tree, capture_output=True, text=True,
                          check=True).stdout.strip()
    return sha, os.path.join(path, "api")


class PinnedAPI(API):
    """`api serve` with one loop, on CPU 1, on `port`."""

    def __init__(self, binary, port):
        super().__init__(binary)
        self.port = port

    def argv(self):
        config = json.load(open(os.path.join(ROOT, "Benchmarks", "api-bench.json")))
        config["server"]["workers"] = 1
        path = os.path.join(self.data, "bench.json")
        json.dump(config, open(path, "w"))
        return ["taskset", "-c", "1", self.binary, "serve", "--config", path, "--port", str(self.port)]


def wrk(port, path, token, seconds, headers=()):
    """Requests per second of `wrk -t1 -c32` on CPU 0, with the bearer `token` (if any) and `headers` ("Name: value")."""
    headers = [argument for header in headers for argument in ("-H", header)]
    headers += ["-H", f"Authorization: Bearer {token}"] if token else []
    argv = ["taskset", "-c", "0", "wrk", "-t1", "-c32", f"-d{seconds}s"] + headers + [f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec:"))
    return float(line.split()[1])


def run_pairs(servers, rates):
    """PAIRS pairs per case against the two running `servers` ({"before": ..., "after": ...}), into `rates`."""
    for case, (path, needs_token) in CASES.items():
        for server in servers.values():
            wrk(server.port, path, server.token if needs_token else None, 1)
        for pair in range(PAIRS):
            order = ["before", "after"] if pair % 2 == 0 else ["after", "before"]
            measured = {name: wrk(servers[name].port, path, servers[name].token if needs_token else None, DUR) for name in order}
            rates[case].append((measured["before"], measured["after"]))
        before, after = rates[case][-1]
        print(f"  {case}: last pair {before:,.0f} -> {after:,.0f}", flush=True)


def main():
    sha, before = base_binary()
    servers = {"before": lambda: PinnedAPI(before, 8093), "after": lambda: PinnedAPI(api_binary(), 8094)}
    rates = {case: [] for case in CASES}
    for round_number in range(ROUNDS):
        print(f"round {round_number + 1}", flush=True)
        running = {name: make() for name, make in servers.items()}
        for server in running.values():
            server.start()
        try:
            run_pairs(running, rates)
        finally:
            for server in running.values():
                server.stop()
    print(f"\n{ROUNDS} rounds of {PAIRS} pairs of {DUR} s runs per case, 1 loop on CPU 1, wrk -t1 -c32 on CPU 0; "
          f"before = {sha}, after = this tree\n")
    print("| case | before req/s | after req/s | after/before (median of pairs) |")
    print("|---|---:|---:|---:|")
    for case, pairs in rates.items():
        ratio = statistics.median(after / before for before, after in pairs)
        print(f"| {CASES[case][0]} | {statistics.median(p[0] for p in pairs):,.0f} | {statistics.median(p[1] for p in pairs):,.0f} | "
              f"{ratio:.3f} |")


if __name__ == "__main__":
    main()
