#!/usr/bin/env python3
"""Issue 21, must show 3: a load on a running `api serve` while its PostgreSQL is stopped and started again by the
caller. CLIENTS threads create users (`POST /users/`) and one polls `GET /readyz`, each request with a client timeout,
for SECONDS. Writes the email of every user answered 201 to ACKED, and prints one JSON line: the statuses seen,
the slowest answer, when /readyz went 503 and came back, and the requests that got no answer at all.

    .tools/venv/bin/python scripts/checks/outage_check.py --url http://127.0.0.1:PORT --seconds 14 --acked FILE

Exits 1 when a request got no answer within --max-wait seconds, when a status other than 201, 200 or 503 came, or
when a 503 came without `Retry-After`.
"""
import argparse
import json
import sys
import threading
import time
import uuid

import requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--seconds", type=float, default=14)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-wait", type=float, default=3)
    parser.add_argument("--acked", required=True)
    args = parser.parse_args()
    lock = threading.Lock()
    stats = {"statuses": {}, "slowest_s": 0.0, "unanswered": 0, "no_retry_after": 0, "readyz": []}
    acked = open(args.acked, "w")
    start = time.monotonic()
    deadline = start + args.seconds

    def record(response, elapsed):
        with lock:
            key = str(response.status_code)
            stats["statuses"][key] = stats["statuses"].get(key, 0) + 1
            stats["slowest_s"] = max(stats["slowest_s"], round(elapsed, 3))
            if response.status_code == 503 and "retry-after" not in response.headers:
                stats["no_retry_after"] += 1

    def call(session, method, path, **kwargs):
        began = time.monotonic()
        try:
            response = session.request(method, args.url + path, timeout=args.max_wait, **kwargs)
        except requests.RequestException:
            with lock:
                stats["unanswered"] += 1
            time.sleep(0.05)
            return None
        record(response, time.monotonic() - began)
        return response

    def writer():
        session = requests.Session()
        while time.monotonic() < deadline:
            email = f"outage-{uuid.uuid4().hex[:12]}@example.com"
            response = call(session, "POST", "/users/", json={"name": "o", "email": email, "password": "outage-password-1"})
            if response is not None and response.status_code == 201:
                with lock:
                    acked.write(email + "\n")
            elif response is not None:
                time.sleep(0.02)

    def prober():
        session = requests.Session()
        last = None
        while time.monotonic() < deadline:
            response = call(session, "GET", "/readyz")
            status = response.status_code if response is not None else 0
            if status != last:
                stats["readyz"].append([round(time.monotonic() - start, 2), status])
                last = status
            time.sleep(0.05)

    threads = [threading.Thread(target=writer) for _ in range(args.clients)] + [threading.Thread(target=prober)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    acked.close()
    print(json.dumps(stats))
    unexpected = set(stats["statuses"]) - {"200", "201", "503"}
    return 1 if stats["unanswered"] or unexpected or stats["no_retry_after"] else 0


if __name__ == "__main__":
    sys.exit(main())
