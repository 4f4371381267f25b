#!/usr/bin/env python3
"""Issue 5, must show 4: a login flood is throttled, and the server keeps answering everything else fast.

    login_flood_check.py --url http://127.0.0.1:PORT --api .build/debug/api [--attempts 200] [--max-p99-ms 10]

While `api bench` measures GET /healthz at a constant rate (latency from each request's intended send time),
N threads, each holding a connection opened beforehand, are released together and each send one wrong-password login for the same account. Checks: at most
`--max-verified` attempts got as far as a password check (400), every other one was refused with 429 and a
`Retry-After`, and /healthz p99 over the run stayed under `--max-p99-ms`. Prints a JSON summary; exits 1 on a
failed check.
"""
import argparse
import collections
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse


def prepare_flood(url, attempts):
    """Opens every connection and starts a thread for each, waiting on the returned barrier: when the caller
    waits on it too, all the logins are sent together. The client's own work (connecting, building requests,
    starting threads) stays out of the window in which /healthz is measured. Returns the barrier, the threads
    and the list their outcomes go to."""
    address = urllib.parse.urlsplit(url)
    connections = [socket.create_connection((address.hostname, address.port), timeout=30) for _ in range(attempts)]
    barrier = threading.Barrier(attempts + 1)
    results = []
    lock = threading.Lock()

    def attempt(number, connection):
        body = urllib.parse.urlencode({"username": "victim@example.com", "password": f"guess-{number:04d}"}).encode()
        request = (f"POST /token HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n"
                   f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        barrier.wait()
        try:
            connection.sendall(request)
            outcome = read_status_and_retry_after(connection)
        except OSError as error:
            outcome = (f"error: {error.__class__.__name__}", None)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(number, connection)) for number, connection in enumerate(connections)]
    for thread in threads:
        thread.start()
    return barrier, threads, results


def read_status_and_retry_after(connection):
    """Reads a `Connection: close` response to its end; returns its status and its Retry-After (or None)."""
    response = b""
    while chunk := connection.recv(65536):
        response += chunk
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split(" ")[1])
    fields = dict(line.split(":", 1) for line in head[1:] if ":" in line)
    retry = next((value.strip() for name, value in fields.items() if name.lower() == "retry-after"), None)
    return status, retry


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--api", required=True, help="the api binary, for `api bench`")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--max-verified", type=int, default=20, help="auth.login_throttle.address_failures of the server")
    parser.add_argument("--max-p99-ms", type=float, default=10)
    args = parser.parse_args()

    barrier, threads, results = prepare_flood(args.url, args.attempts)
    bench = subprocess.Popen([args.api, "bench", f"{args.url}/healthz", "--rate", "200", "-c", "4", "-t", "1", "-d", "6s", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    started = time.monotonic()
    barrier.wait()
    for thread in threads:
        thread.join()
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
