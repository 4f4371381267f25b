#!/usr/bin/env python3
"""A real Prometheus server scrapes a running `api serve`; a PromQL rate over http_requests_total must match
the rate we sent (issue 6). Loopback only, bounded in time (about 20 s); exits 0 on success.

    python3 scripts/checks/prometheus_check.py [path/to/api]      # default: the debug build
Needs Debian's `prometheus` package (make test installs it).
"""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RATE, SECONDS = 40, 12          # requests per second to /healthz, for this long


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"prometheus_check: timed out waiting for {what}")


def main():
    api = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "api")
    work = tempfile.mkdtemp(prefix="prom-check-")
    api_port, prom_port = free_port(), free_port()
    with open(os.path.join(work, "prometheus.yml"), "w") as f:
        f.write(f"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: api\n"
                f"    static_configs:\n      - targets: ['127.0.0.1:{api_port}']\n")
    env = dict(os.environ, API_LOG_ACCESS="off")
    server = subprocess.Popen([api, "serve", "--port", str(api_port), "--workers", "2"], env=env, stdout=subprocess.DEVNULL)
    prometheus = subprocess.Popen(["prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/data",
                                   f"--web.listen-address=127.0.0.1:{prom_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{api_port}"
        wait_until(lambda: get(base + "/healthz")[0] == 200, 10, "api")
        wait_until(lambda: get(f"http://127.0.0.1:{prom_port}/-/ready")[0] == 200, 30, "prometheus")
        # rate() hardly extrapolates towards a window start with no samples, so traffic starts after the first scrape.
        up = f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": 'up{job="api"}'})
        wait_until(lambda: [r["value"][1] for r in json.loads(get(up)[1])["data"]["result"]] == ["1"], 30, "the first scrape")
        start = time.monotonic()
        sent = 0
        while time.monotonic() - start < SECONDS:
            get(base + "/healthz")
            sent += 1
            time.sleep(max(0, start + sent / RATE - time.monotonic()))
        traffic_end = time.time()
        time.sleep(2.5)   # let the scrapes land; evaluate 1.5 s before the end, so the 8 s window lies inside the traffic
        query = 'sum(rate(http_requests_total{job="api",handler="/healthz",method="GET",status="2xx"}[8s]))'
        url = f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": query, "time": f"{traffic_end - 1.5:.3f}"})
        result = json.loads(get(url)[1])["data"]["result"]
        measured = float(result[0]["value"][1]) if result else 0.0
        print(f"PromQL: {query}\nsent {sent} requests at {RATE}/s over {SECONDS} s; Prometheus measured {measured:.1f}/s")
        ok = abs(measured - RATE) <= RATE * 0.2
        print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
        return 0 if ok else 1
    finally:
        for process in (server, prometheus):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
