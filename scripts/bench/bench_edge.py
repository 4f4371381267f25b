#!/usr/bin/env python3
"""The HTTP edge's cost (issue 19), alternating in one run: `api` with its defaults against `api` with compression and
rate limits off on GET /healthz (target: at least 0.95x), and `api` gzipping its 16-18 KiB `/openapi.json` against
nginx with `gzip on` at the same level serving the same bytes from a file (target: at least 0.9x nginx's req/s).

Every server gets one worker on CPU 1 (`taskset`); `wrk -t1 -c32` runs on CPU 0, DUR seconds after a 1 s warm-up,
in back-to-back pairs whose order alternates (PAIRS per case per round, ROUNDS rounds of fresh servers); the ratio is
taken inside each pair, and the table shows the medians.

    python3 scripts/bench/bench_edge.py                     # ROUNDS=3 PAIRS=6 DUR=3 LEVEL=6
"""
import json, os, shutil, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from before_after import PinnedAPI, wrk  # noqa: E402
from bench_http import api_binary, wait_for_200  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "3"))
PAIRS = int(os.environ.get("PAIRS", "6"))
DUR = int(os.environ.get("DUR", "3"))
LEVEL = int(os.environ.get("LEVEL", "6"))
NGINX_PORT = 8096


class EdgeAPI(PinnedAPI):
    """`api serve` on CPU 1, with the edge's defaults or (`edge=False`) compression and rate limits off."""

    def __init__(self, binary, port, edge):
        super().__init__(binary, port)
        self.edge = edge

    def env(self):
        switches = ({"API_HTTP_COMPRESSION_ENABLED": "true", "API_HTTP_RATE_LIMITS_ENABLED": "true"} if self.edge
                    else {"API_HTTP_COMPRESSION_ENABLED": "false", "API_HTTP_RATE_LIMITS_ENABLED": "false"})
        return dict(super().env(), API_HTTP_COMPRESSION_LEVEL=str(LEVEL), **switches)


class Nginx:
    """nginx with one worker on CPU 1, serving `body` as /openapi.json with gzip at LEVEL."""

    def __init__(self, body):
        self.port, self.body = NGINX_PORT, body

    def start(self):
        self.prefix = tempfile.mkdtemp(prefix="nginx-edge-")
        os.chmod(self.prefix, 0o755)                               # nginx's workers run as nobody and read the file
        os.makedirs(os.path.join(self.prefix, "tmp"))
        open(os.path.join(self.prefix, "openapi.json"), "wb").write(self.body)
        conf = os.path.join(self.prefix, "nginx.conf")
        open(conf, "w").write(f"""
worker_processes 1;
daemon off;
pid nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    gzip on;
    gzip_comp_level {LEVEL};
    gzip_min_length 500;
    gzip_types application/json;
    server {{
        listen 127.0.0.1:{self.port};
        location = /openapi.json {{ root {self.prefix}; default_type application/json; }}
    }}
}}
""")
        self.proc = subprocess.Popen(["taskset", "-c", "1", "nginx", "-c", conf, "-p", self.prefix], stderr=subprocess.DEVNULL)
        try:
            wait_for_200(self.port, "/openapi.json")
        except RuntimeError:
            self.stop()
            raise

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        shutil.rmtree(self.prefix, ignore_errors=True)


def pairs(first, second, run):
    """PAIRS back-to-back pairs of `run(port)` against the two servers, the order alternating; [(first, second)]."""
    for server in (first, second):
        run(server.port)                                   # warm-up
    results = []
    for index in range(PAIRS):
        if index % 2 == 0:
            a = run(first.port)
            b = run(second.port)
        else:
            b = run(second.port)
            a = run(first.port)
        results.append((a, b))
    return results


def openapi_body(binary):
    api = EdgeAPI(binary, 8097, edge=False)
    api.start()
    try:
        return subprocess.run(["curl", "-sf", f"http://127.0.0.1:{api.port}/openapi.json"], capture_output=True, check=True).stdout
    finally:
        api.stop()


def main():
    binary = api_binary()
    body = openapi_body(binary)
    healthz, gzip = [], []
    for round_number in range(ROUNDS):
        on, off, nginx = EdgeAPI(binary, 8094, edge=True), EdgeAPI(binary, 8095, edge=False), Nginx(body)
        started = []
        try:
            for server in (on, off, nginx):
                server.start()
                started.append(server)
            healthz += pairs(on, off, lambda port: wrk(port, "/healthz", None, DUR))
            gzip += pairs(on, nginx, lambda port: wrk(port, "/openapi.json", None, DUR, ["Accept-Encoding: gzip"]))
        finally:
            for server in started:
                server.stop()
        print(f"round {round_number + 1}: healthz on/off {healthz[-1][0]:,.0f}/{healthz[-1][1]:,.0f}, "
              f"gzip api/nginx {gzip[-1][0]:,.0f}/{gzip[-1][1]:,.0f}", flush=True)
    print(f"\n{ROUNDS} rounds of {PAIRS} pairs of {DUR} s runs, one worker each on CPU 1, wrk -t1 -c32 on CPU 0; "
          f"gzip level {LEVEL}; /openapi.json is {len(body):,} bytes\n")
    print("| case | req/s (medians) | ratio (median of pairs) | target |")
    print("|---|---:|---:|---:|")
    ratio = lambda runs: statistics.median(a / b for a, b in runs)
    print(f"| GET /healthz, defaults on / off | {statistics.median(a for a, _ in healthz):,.0f} / "
          f"{statistics.median(b for _, b in healthz):,.0f} | {ratio(healthz):.3f} | >= 0.95 |")
    print(f"| GET /openapi.json gzip, api / nginx | {statistics.median(a for a, _ in gzip):,.0f} / "
          f"{statistics.median(b for _, b in gzip):,.0f} | {ratio(gzip):.3f} | >= 0.90 |")


if __name__ == "__main__":
    main()
