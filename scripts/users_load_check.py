#!/usr/bin/env python3
"""Issue 5, must show 3: concurrent writers, and no acknowledged write lost to `kill -9`.

    load    --url URL --admin-token T --seconds 10 --clients 64 --acked FILE
            64 clients each create users and read them back for the duration; every 201 is appended to
            FILE (one email per line, flushed) before the next request. Prints a JSON summary and exits 1 on
            a 5xx, a "database is locked" body, or a created user that cannot be read back.
    verify  --db DB --acked FILE
            every email in FILE has a row in DB (run after the server is gone). Exits 1 otherwise.

With `load`, a server that disappears mid-run (kill -9) ends the clients quietly: what was acknowledged
before is in FILE, which is what `verify` checks after a restart.
"""
import argparse
import json
import sqlite3
import sys
import threading
import time
import uuid

import requests


def load(args):
    deadline = time.monotonic() + args.seconds
    lock = threading.Lock()
    acked = open(args.acked, "a", buffering=1)
    stats = {"created": 0, "read": 0, "server_errors": 0, "locked": 0, "unreadable": 0, "connection_lost": 0, "other": 0}

    def count(key):
        with lock:
            stats[key] += 1

    def client(number):
        http = requests.Session()
        headers = {"Authorization": f"Bearer {args.admin_token}"}
        while time.monotonic() < deadline:
            email = f"load-{number}-{uuid.uuid4().hex[:12]}@example.com"
            try:
                created = http.post(f"{args.url}/users/", json={"name": f"client {number}", "email": email, "password": "load-password-1"},
                                    timeout=10)
            except requests.RequestException:
                count("connection_lost")
                return
            if "database is locked" in created.text:
                count("locked")
            if created.status_code >= 500:
                count("server_errors")
                continue
            if created.status_code != 201:
                count("other")
                continue
            with lock:
                acked.write(email + "\n")
                stats["created"] += 1
            try:
                read = http.get(f"{args.url}{created.headers['Location']}", headers=headers, timeout=10)
            except requests.RequestException:
                count("connection_lost")
                return
            count("read" if read.status_code == 200 and read.json().get("email") == email else "unreadable")

    threads = [threading.Thread(target=client, args=(number,)) for number in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    acked.close()
    print(json.dumps(stats))
    bad = stats["server_errors"] + stats["locked"] + stats["unreadable"] + stats["other"]
    return 1 if bad or (not args.may_lose_server and stats["connection_lost"]) else 0


def verify(args):
    emails = [line.strip() for line in open(args.acked) if line.strip()]
    database = sqlite3.connect(args.db)
    missing = [email for email in emails if database.execute("SELECT 1 FROM users WHERE email_key = ?", (email,)).fetchone() is None]
    print(json.dumps({"acknowledged": len(emails), "missing": len(missing), "first_missing": missing[:5]}))
    return 1 if missing or not emails else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["load", "verify"])
    parser.add_argument("--url")
    parser.add_argument("--admin-token")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--acked", required=True)
    parser.add_argument("--db")
    parser.add_argument("--may-lose-server", action="store_true", help="the server will be killed: lost connections are expected")
    args = parser.parse_args()
    return load(args) if args.mode == "load" else verify(args)


if __name__ == "__main__":
    sys.exit(main())
