#!/usr/bin/env python3
"""Realtime delivery next to the FastAPI app's WebSocket broadcast, alternating in one run (DESIGN §8 and §11, issue 18).

Peers, each on a fresh data directory, loaded by `api bench --realtime` (docs/bench.md) with the same subscribers,
write rate and duration:

    api                  `api serve` (release build, Benchmarks/api-bench.json: 2 workers) with the `projects` resource
                         of config.example.json; half the subscribers on GET /projects/events, half on the GET /realtime
                         WebSocket subscribed to `projects`
    fastapi-uvicorn      ../shared/peers/fastapi_app.py under uvicorn (1 worker): every subscriber on its /ws/projects
                         broadcast (FastAPI's ConnectionManager)
    fastapi-gunicorn-w2  the same under gunicorn with 2 uvicorn workers: a broadcast reaches only the sockets of the
                         worker that took the write, so about half the events are lost

Each writes `POST /projects/` at RATE per second for DUR seconds with SUBSCRIBERS subscribers listening. Reported per
peer (medians over REPS): events delivered per second, events lost, delivery latency p50/p99 (write acknowledged to
event received), and the api/peer ratio of events per second taken inside each repetition (target: at least 10x,
with 0 lost and p99 at most 50 ms for api).

    python3 scripts/bench/bench_realtime.py                        # REPS=3 DUR=30 RATE=200 SUBSCRIBERS=1000
    REPS=1 DUR=10 python3 scripts/bench/bench_realtime.py --json
"""
import json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_api import API, FastAPI, VENV  # noqa: E402
from bench_http import api_binary  # noqa: E402

REPS = int(os.environ.get("REPS", "3"))
DUR = int(os.environ.get("DUR", "30"))
RATE = int(os.environ.get("RATE", "200"))
SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "1000"))


class Uvicorn(FastAPI):
    """The FastAPI app under uvicorn, one worker."""

    def __init__(self):
        super().__init__()
        self.name = "fastapi-uvicorn"

    def argv(self):
        return [os.path.join(VENV, "bin", "uvicorn"), "fastapi_app:app", "--port", str(self.port), "--log-level", "warning"]


def bench(binary, peer):
    """`api bench --realtime` against `peer`, started; its JSON report."""
    arguments = [binary, "bench", "http://127.0.0.1:%d" % peer.port, "--realtime", "--subscribers", str(SUBSCRIBERS), "--rate", str(RATE),
                 "-d", "%ds" % DUR, "-H", "Authorization: Bearer " + peer.token, "--json"]
    arguments += ["--kind", "mixed"] if isinstance(peer, API) else ["--broadcast", "/ws/projects"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=DUR + 120)
    if result.returncode != 0:
        raise SystemExit("%s: api bench exited %d: %s" % (peer.name, result.returncode, result.stderr.strip()))
    return json.loads(result.stdout)


def figures(report):
    events, latency = report["events"], report["latency_us"]
    return {"events_per_s": events["per_s"], "delivered": events["delivered"], "expected": events["expected"], "lost": events["lost"],
            "p50_ms": latency["p50"] / 1000, "p99_ms": latency["p99"] / 1000, "opened": report["subscribers"]["opened"],
            "acknowledged": report["writes"]["acknowledged"], "before_ack": events["before_ack"]}


def main():
    binary = api_binary()
    peers = [API(binary), Uvicorn(), FastAPI()]
    runs = {peer.name: [] for peer in peers}
    ratios = {peer.name: [] for peer in peers[1:]}
    for rep in range(REPS):
        measured = {}
        for peer in peers:
            peer.start()
            try:
                measured[peer.name] = figures(bench(binary, peer))
            finally:
                peer.stop()
            runs[peer.name].append(measured[peer.name])
            print("rep %d %-20s %s" % (rep + 1, peer.name, json.dumps(measured[peer.name])), file=sys.stderr)
        for name in ratios:
            ratios[name].append(measured["api"]["events_per_s"] / max(measured[name]["events_per_s"], 1e-9))
    summary = {"subscribers": SUBSCRIBERS, "rate": RATE, "duration_s": DUR, "reps": REPS, "peers": {}, "api_over": {}}
    for name, values in runs.items():
        summary["peers"][name] = {key: statistics.median(run[key] for run in values) for key in values[0]}
    for name, values in ratios.items():
        summary["api_over"][name] = round(statistics.median(values), 1)
    if "--json" in sys.argv:
        print(json.dumps(summary))
        return
    print("%d subscribers, %d writes/s for %d s, median of %d" % (SUBSCRIBERS, RATE, DUR, REPS))
    print("%-20s %12s %10s %10s %8s %8s" % ("peer", "events/s", "delivered", "lost", "p50 ms", "p99 ms"))
    for name, row in summary["peers"].items():
        print("%-20s %12.0f %10d %10d %8.1f %8.1f" % (name, row["events_per_s"], row["delivered"], row["lost"], row["p50_ms"], row["p99_ms"]))
    for name, ratio in summary["api_over"].items():
        print("api / %s events/s: %.1fx" % (name, ratio))


if __name__ == "__main__":
    main()
