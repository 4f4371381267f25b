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

Each writes `POST /projects/` at each of RATES per second for DUR seconds with SUBSCRIBERS subscribers listening:
200 (DESIGN's load: api must lose nothing, p99 at most 50 ms) and 1000 (more than any peer answers: the events per
second each can deliver). Reported per rate and peer (medians over REPS): events delivered per second, events lost,
delivery latency p50/p99 (write acknowledged to event received), and the api/peer ratio of events per second taken
inside each repetition (target: at least 10x).

    python3 scripts/bench/bench_realtime.py                        # REPS=3 DUR=30 RATES=200,1000 SUBSCRIBERS=1000
    REPS=1 DUR=10 python3 scripts/bench/bench_realtime.py --json
"""
import json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_api import API, FastAPI, VENV  # noqa: E402
from bench_http import api_binary  # noqa: E402

REPS = int(os.environ.get("REPS", "3"))
DUR = int(os.environ.get("DUR", "30"))
RATES = [int(rate) for rate in os.environ.get("RATES", "200,1000").split(",")]
SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "1000"))


class Uvicorn(FastAPI):
    """The FastAPI app under uvicorn, one worker."""

    def __init__(self):
        super().__init__()
        self.name = "fastapi-uvicorn"

    def argv(self):
        return [os.path.join(VENV, "bin", "uvicorn"), "fastapi_app:app", "--port", str(self.port), "--log-level", "warning"]


def bench(binary, peer, rate):
    """`api bench --realtime` against `peer`, started, at `rate` writes per second; its JSON report."""
    arguments = [binary, "bench", "http://127.0.0.1:%d" % peer.port, "--realtime", "--subscribers", str(SUBSCRIBERS), "--rate", str(rate),
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
    runs = {(rate, peer.name): [] for rate in RATES for peer in peers}
    ratios = {(rate, peer.name): [] for rate in RATES for peer in peers[1:]}
    for rep in range(REPS):
        for rate in RATES:
            measured = {}
            for peer in peers:
                peer.start()
                try:
                    measured[peer.name] = figures(bench(binary, peer, rate))
                finally:
                    peer.stop()
                runs[(rate, peer.name)].append(measured[peer.name])
                print("rep %d rate %d %-20s %s" % (rep + 1, rate, peer.name, json.dumps(measured[peer.name])), file=sys.stderr)
            for peer in peers[1:]:
                ratios[(rate, peer.name)].append(measured["api"]["events_per_s"] / max(measured[peer.name]["events_per_s"], 1e-9))
    summary = {"subscribers": SUBSCRIBERS, "duration_s": DUR, "reps": REPS, "rates": {}}
    for rate in RATES:
        peers_summary = {name: {key: statistics.median(run[key] for run in values) for key in values[0]}
                         for (at, name), values in runs.items() if at == rate}
        over = {name: round(statistics.median(values), 1) for (at, name), values in ratios.items() if at == rate}
        summary["rates"][str(rate)] = {"peers": peers_summary, "api_over": over}
    if "--json" in sys.argv:
        print(json.dumps(summary))
        return
    for rate, row in summary["rates"].items():
        print("%d subscribers, %s writes/s for %d s, median of %d" % (SUBSCRIBERS, rate, DUR, REPS))
        print("%-20s %12s %10s %10s %8s %8s" % ("peer", "events/s", "delivered", "lost", "p50 ms", "p99 ms"))
        for name, figures_ in row["peers"].items():
            print("%-20s %12.0f %10d %10d %8.1f %8.1f" % (name, figures_["events_per_s"], figures_["delivered"], figures_["lost"],
                                                          figures_["p50_ms"], figures_["p99_ms"]))
        for name, ratio in row["api_over"].items():
            print("api / %s events/s: %.1fx" % (name, ratio))


if __name__ == "__main__":
    main()
