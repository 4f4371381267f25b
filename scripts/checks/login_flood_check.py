#!/usr/bin/env python3
"""Issue 5, must show 4: a login flood is throttled, and the server keeps answering everything else fast.

    login_flood_check.py --url http://127.0.0.1:PORT --api .build/debug/api [--attempts 200] [--max-p99-ms 10]

While `api bench` measures GET /healthz at a constant rate (latency from each request's intended send time),
N threads released together each send one wrong-password login for the same account. Checks: at most
`--max-verified` attempts got as far as a password check (400), every other one was refused with 429 and a
`Retry-After`, and /healthz p99 over the run stayed under `--max-p99-ms`. Prints a JSON summary; exits 1 on a
failed check.
"""
import argparse
import collections
import json
import subprocess
import sys
import threading
import time

import requests


def flood(url, attempts):
    barrier = threading.Barrier(attempts)
    results = []
    lock = threading.Lock()

    def attempt(number):
        session = requests.Session()
        barrier.wait()
        try:
            response = session.post(f"{url}/token", data={"username": "victim@example.com", "password": f"guess-{number:04d}"}, timeout=30)
            outcome = (response.status_code, response.headers.get("Retry-After"))
        except requests.RequestException as error:
            outcome = (f"error: {error.__class__.__name__}", None)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--api", required=True, help="the api binary, for `api bench`")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--max-verified", type=int, default=20, help="auth.login_throttle.address_failures of the server")
    parser.add_argument("--max-p99-ms", type=float, default=10)
    args = parser.parse_args()

    bench = subprocess.Popen([args.api, "bench", f"{args.url}/healthz", "--rate", "200", "-c", "4", "-t", "1", "-d", "6s", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    started = time.monotonic()
    results = flood(args.url, args.attempts)
    flood_seconds = time.monotonic() - started
    out, err = bench.communicate(timeout=60)
    healthz = json.loads(out)

    statuses = collections.Counter(status for status, _ in results)
    throttled = [retry for status, retry in results if status == 429]
    summary = {"statuses": {str(key): value for key, value in statuses.items()}, "flood_seconds": round(flood_seconds, 3),
               "healthz_requests": healthz["requests"], "healthz_p50_us": healthz["latency_us"]["p50"],
               "healthz_p99_us": healthz["latency_us"]["p99"], "healthz_max_us": healthz["latency_us"]["max"],
               "healthz_errors": healthz.get("errors")}
    print(json.dumps(summary))
    failures = []
    if set(statuses) - {400, 429}:
        failures.append(f"statuses other than 400 and 429: {dict(statuses)}")
    if statuses[400] > args.max_verified:
        failures.append(f"{statuses[400]} attempts were checked, more than the limit of {args.max_verified}")
    if statuses[429] < args.attempts - args.max_verified:
        failures.append(f"only {statuses[429]} attempts were throttled")
    if not all(retry and retry.isdigit() and int(retry) >= 1 for retry in throttled):
        failures.append("a 429 without a positive Retry-After")
    if healthz["latency_us"]["p99"] > args.max_p99_ms * 1000:
        failures.append(f"/healthz p99 {healthz['latency_us']['p99']} us during the flood, over {args.max_p99_ms} ms")
    if healthz["requests"] < 1000:
        failures.append(f"api bench made only {healthz['requests']} requests: {err}")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
