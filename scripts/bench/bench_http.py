#!/usr/bin/env python3
"""`api serve` next to nginx on the same tiny JSON body, alternating in one run (DESIGN §8, issues 2 and 6).

Three servers: `api` with metrics and access log off (the engine alone, as nginx runs with access_log off),
`api-observed` with its defaults (metrics on, a JSON access-log line per request, written to /dev/null), and nginx.

For each repetition, each server is started fresh and loaded with wrk (-t2, -c64 then -c256, DUR
seconds after a 1 s warm-up), one server after the other; odd repetitions go api, api-observed, nginx and
even ones the other way round, so that no server always runs first or right after another. Reported: medians of req/s, p50, p99,
idle and peak RSS, start to first 200, SIGTERM to exit, and the api/nginx ratios taken inside each
repetition (the machine is shared and noisy, so only same-run ratios mean much).

The cost of the observers (issue 6) is then measured a second way, with less drift between the two sides: api
and api-observed both run at once, idle but for the load, and wrk alternates between them, PAIRS back-to-back
pairs per connection count (DUR_PAIR seconds each after a 1 s warm-up, the order swapped every pair). A pair's
two runs are seconds apart instead of a whole repetition; the median of the pairs' ratios is reported.

    python3 scripts/bench/bench_http.py                 # REPS=3 DUR=10
    REPS=5 DUR=10 PAIRS=8 DUR_PAIR=3 python3 scripts/bench/bench_http.py
Needs: nginx, wrk (make bench-deps), a release build of api (make release).
"""
import os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
REPS = int(os.environ.get("REPS", "3"))
DUR = int(os.environ.get("DUR", "10"))
PAIRS = int(os.environ.get("PAIRS", "8"))
DUR_PAIR = int(os.environ.get("DUR_PAIR", "3"))
API_PORT, OBSERVED_PORT, NGINX_PORT = 8091, 8092, 8090      # nginx.conf listens on 8090
NAMES = ("api", "api-observed", "nginx")


def api_binary():
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "api")


def wait_for_200(port, path, deadline_s=10.0):
    """Polls with raw sockets (no process spawn per try) until GET answers 200."""
    start = time.monotonic()
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() - start < deadline_s:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(request)
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.001)
    raise RuntimeError(f"no 200 from port {port}")


def tree_pids(root):
    pids, changed = {root}, True
    while changed:
        changed = False
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in pids:
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
                if ppid in pids:
                    pids.add(int(entry)); changed = True
    return pids


def status_kib(pids, field):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Server:
    def __init__(self, name, argv, port, env=None, cwd=None):
        self.name, self.argv, self.port, self.env, self.cwd = name, argv, port, env, cwd

    def start(self):
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        startup = time.monotonic() - t0 + wait_for_200(self.port, "/healthz")
        time.sleep(1.0)
        self.pids = tree_pids(self.proc.pid)
        return startup, status_kib(self.pids, "VmRSS")

    def stop(self):
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill(); self.proc.wait()
            return float("nan")
        return time.monotonic() - t0


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port, connections, duration):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", f"http://127.0.0.1:{port}/healthz"]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99,
            "errors": (errors.group(1) if errors else "") + (f" non2xx={non2xx.group(1)}" if non2xx else "")}


def servers(api, nginx_prefix):
    # Each api keeps its database in the run's temporary directory: the first start creates and migrates it,
    # later ones open it, as a restarted server does.
    data = lambda name: os.path.join(nginx_prefix, name, "api.db")
    quiet = dict(os.environ, API_LOG_ACCESS="off", API_METRICS_MODE="off", API_SERVER_WORKERS="2", API_DATABASE_PATH=data("api"))
    observed = dict(os.environ, API_LOG_ACCESS="on", API_METRICS_MODE="open", API_SERVER_WORKERS="2",
                    API_DATABASE_PATH=data("api-observed"))
    return [
        Server("api", [api, "serve", "--port", str(API_PORT)], API_PORT, env=quiet),
        Server("api-observed", [api, "serve", "--port", str(OBSERVED_PORT)], OBSERVED_PORT, env=observed),
        Server("nginx", ["nginx", "-c", os.path.join(SHARED, "peers", "nginx.conf"), "-p", nginx_prefix], NGINX_PORT),
    ]


def main():
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"bench_http: {tool} is missing; run `make bench-deps`")
    api = api_binary()
    nginx_prefix = tempfile.mkdtemp(prefix="nginx-bench-")
    os.makedirs(os.path.join(nginx_prefix, "tmp"), exist_ok=True)
    results = {}
    for rep in range(1, REPS + 1):
        in_order = servers(api, nginx_prefix)
        for server in (in_order if rep % 2 else in_order[::-1]):
            startup, idle = server.start()
            row = results.setdefault(server.name, {})
            row.setdefault("startup_ms", []).append(startup * 1000)
            row.setdefault("idle_mib", []).append(idle / 1024)
            for connections in (64, 256):
                wrk(server.port, connections, 1)
                figures = wrk(server.port, connections, DUR)
                for key, value in figures.items():
                    row.setdefault(f"c{connections}_{key}", []).append(value)
                print(f"rep {rep} {server.name} c{connections}: {figures['rps']:.0f} req/s p50 {figures['p50']:.2f} ms "
                      f"p99 {figures['p99']:.2f} ms {figures['errors']}", file=sys.stderr, flush=True)
            row.setdefault("peak_mib", []).append(status_kib(server.pids, "VmHWM") / 1024)
            row.setdefault("stop_ms", []).append(server.stop() * 1000)
    pair_ratios = observer_pairs(servers(api, nginx_prefix)[:2])
    shutil.rmtree(nginx_prefix, ignore_errors=True)
    report(results, pair_ratios)


def observer_pairs(quiet_and_observed):
    """api-observed/api requests/s of back-to-back wrk runs against both servers, running at once; by connections."""
    for server in quiet_and_observed:
        server.start()
    ratios = {}
    try:
        for connections in (64, 256):
            for index in range(PAIRS):
                pair = quiet_and_observed if index % 2 == 0 else quiet_and_observed[::-1]
                rps = {}
                for server in pair:
                    wrk(server.port, connections, 1)
                    rps[server.name] = wrk(server.port, connections, DUR_PAIR)["rps"]
                ratio = rps["api-observed"] / rps["api"]
                ratios.setdefault(connections, []).append(ratio)
                print(f"pair {index + 1} c{connections}: api {rps['api']:.0f} api-observed {rps['api-observed']:.0f} "
                      f"req/s, ratio {ratio:.3f}", file=sys.stderr, flush=True)
    finally:
        for server in quiet_and_observed:
            server.stop()
    return ratios


def report(results, pair_ratios):
    med = lambda name, key: statistics.median(results[name][key])
    ratio = lambda key, a="api", b="nginx": statistics.median(x / y for x, y in zip(results[a][key], results[b][key]))
    print(f"\n### GET /healthz, wrk -t2, {DUR} s per run, median of {REPS} alternating runs\n")
    print("| server | c | req/s | p50 ms | p99 ms | socket errors (last run) |")
    print("|---|---:|---:|---:|---:|---|")
    for name in NAMES:
        for c in (64, 256):
            print(f"| {name} | {c} | {med(name, f'c{c}_rps'):,.0f} | {med(name, f'c{c}_p50'):.2f} | "
                  f"{med(name, f'c{c}_p99'):.2f} | {results[name][f'c{c}_errors'][-1] or '-'} |")
    print("\n| ratio api/nginx (median of per-run ratios) | c64 | c256 |")
    print("|---|---:|---:|")
    for key, label in (("rps", "requests/s (target >= 0.9)"), ("p99", "p99 latency (target <= 1.5)")):
        print(f"| {label} | {ratio(f'c64_{key}'):.2f} | {ratio(f'c256_{key}'):.2f} |")
    print(f"| api-observed/api requests/s (cost of metrics + access log; target >= 0.9) | "
          f"{ratio('c64_rps', 'api-observed', 'api'):.2f} | {ratio('c256_rps', 'api-observed', 'api'):.2f} |")
    print(f"| the same, median of {PAIRS} back-to-back pairs of {DUR_PAIR} s runs, both servers up | "
          f"{statistics.median(pair_ratios[64]):.2f} | {statistics.median(pair_ratios[256]):.2f} |")
    print("\n| server | idle RSS MiB | peak RSS MiB | start to first 200 ms | SIGTERM to exit ms |")
    print("|---|---:|---:|---:|---:|")
    for name in NAMES:
        print(f"| {name} | {med(name, 'idle_mib'):.1f} | {med(name, 'peak_mib'):.1f} | "
              f"{med(name, 'startup_ms'):.1f} | {med(name, 'stop_ms'):.1f} |")
    print(f"\napi: release build, 2 workers; `api` has metrics and access log off (nginx.conf has access_log off), "
          f"`api-observed` has both on (log to /dev/null). nginx: ../shared/peers/nginx.conf (2 workers). "
          f"RSS sums the process tree (nginx master + workers).")


if __name__ == "__main__":
    main()
