#!/usr/bin/env python3
"""Two instances of `api serve` on one PostgreSQL, under faults (issue 21, must show 2).

    load --a HOST:PORT --b HOST:PORT --token T --seconds S --out DIR
        Through each instance, writers create `items` (every 201 appended to DIR/items-A.txt or -B.txt as "id<TAB>name")
        and post `/action/` with their own X-Request-ID (every 200 appended to DIR/actions-*.txt). A subscriber to
        `GET /items/events` on B reconnects with Last-Event-ID whenever its stream breaks; once the writers stop it
        has two more seconds, then its events go to DIR/events.json. Requests that get no answer (an instance killed
        or cut off) are not counted. Prints a JSON summary.
    verify --db URL --out DIR
        Every acknowledged item exists exactly once, with its id; once the job queue has drained, every acknowledged
        action has exactly one audit entry; and the subscriber on B received exactly the change log of `items`, in
        order, without a gap or a duplicate. Prints a JSON summary; exits 1 otherwise.
"""
import argparse
import json
import os
import sys
import threading
import time
import uuid

import checkdb
import requests
from realtime_check import Stream


def load(args):
    deadline = time.monotonic() + args.seconds
    lock = threading.Lock()
    stats = {"items": 0, "actions": 0, "unanswered": 0, "refused": {}}
    run = uuid.uuid4().hex[:8]
    files = {name: open(os.path.join(args.out, name), "a", buffering=1)
             for name in ("items-A.txt", "items-B.txt", "actions-A.txt", "actions-B.txt")}
    headers = {"Authorization": "Bearer " + args.token}

    def call(session, method, url, extra_headers=None, **kwargs):
        try:
            return session.request(method, url, headers={**headers, **(extra_headers or {})}, timeout=3, **kwargs)
        except requests.RequestException:
            with lock:
                stats["unanswered"] += 1
            time.sleep(0.1)
            return None

    def refused(response):
        with lock:
            key = str(response.status_code)
            stats["refused"][key] = stats["refused"].get(key, 0) + 1
        time.sleep(0.05)

    def item(session, address, tag):
        response = call(session, "POST", f"http://{address}/items/", json={"name": tag})
        return response, 201, lambda: f"{response.json()['id']}\t{tag}"

    def action(session, address, tag):
        response = call(session, "POST", f"http://{address}/action/?user=u", extra_headers={"X-Request-ID": tag})
        return response, 200, lambda: tag

    # What each kind of write sends (its tag unique to the run): the answer, the status that acknowledges it, and
    # the line that records it in DIR/KIND-INSTANCE.txt.
    sends = {"items": item, "actions": action}

    def writer(kind, instance, address, number):
        session, sequence = requests.Session(), 0
        while time.monotonic() < deadline:
            sequence += 1
            response, acknowledged, line = sends[kind](session, address, f"{instance}-{run}-{number}-{sequence}")
            if response is not None and response.status_code == acknowledged:
                with lock:
                    files[f"{kind}-{instance}.txt"].write(line() + "\n")
                    stats[kind] += 1
            elif response is not None:
                refused(response)

    host, port = args.b.split(":")
    stream = Stream(int(port), "/items/events", args.token, host=host)
    threads = [threading.Thread(target=writer, args=(kind, instance, address, number))
               for kind, writers in (("items", 3), ("actions", 2)) for instance, address in (("A", args.a), ("B", args.b))
               for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(2)
    stream.close()
    for file in files.values():
        file.close()
    with open(os.path.join(args.out, "events.json"), "w") as out:
        json.dump([[event_id, name, data] for event_id, name, data in stream.events], out)
    stats["events"], stats["stream_ends"] = len(stream.events), stream.ends
    print(json.dumps(stats))
    return 0


def lines(path):
    return [line.rstrip("\n") for line in open(path) if line.strip()] if os.path.exists(path) else []


def verify(args):
    database = checkdb.connect(args.db)
    items = [line.split("\t") for name in ("items-A.txt", "items-B.txt") for line in lines(os.path.join(args.out, name))]
    wrong_items = [name for item_id, name in items
                   if database.execute("SELECT count(*), min(id) FROM items WHERE name = ?", (name,)).fetchone() != (1, int(item_id))]
    actions = [request_id for name in ("actions-A.txt", "actions-B.txt") for request_id in lines(os.path.join(args.out, name))]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        backlog = database.execute("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')").fetchone()[0]
        if backlog == 0:
            break
        time.sleep(0.2)
    counts = dict(database.execute("SELECT request_id, count(*) FROM audit_log GROUP BY request_id").fetchall())
    wrong_actions = [request_id for request_id in actions if counts.get(request_id, 0) != 1]
    logged = [seq for (seq,) in database.execute("SELECT seq FROM changes WHERE resource = 'items' ORDER BY seq").fetchall()]
    events = [event_id for event_id, name, _ in json.load(open(os.path.join(args.out, "events.json"))) if name != "reset"]
    summary = {"items": len(items), "items_not_exactly_once": len(wrong_items), "actions": len(actions),
               "actions_not_exactly_once": len(wrong_actions), "backlog": backlog, "logged_changes": len(logged),
               "events": len(events), "events_match_the_log_in_order": events == logged,
               "first_wrong": (wrong_items + wrong_actions)[:5]}
    print(json.dumps(summary))
    ok = items and actions and not wrong_items and not wrong_actions and backlog == 0 and events == logged
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["load", "verify"])
    parser.add_argument("--a")
    parser.add_argument("--b")
    parser.add_argument("--token")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", required=True)
    parser.add_argument("--db")
    args = parser.parse_args()
    return load(args) if args.mode == "load" else verify(args)


if __name__ == "__main__":
    sys.exit(main())
