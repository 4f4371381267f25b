#!/usr/bin/env python3
"""Concurrent writers, and no acknowledged write lost to `kill -9` (issue 5 must show 3, issue 8 must show 1).

    load    --target users|actions|projects|projects-keyed --url URL --admin-token T --seconds 10 --clients 64 --acked FILE
            users: clients create users and read them back; every 201 is appended to FILE (the email).
            actions: clients POST /action/ with their own X-Request-ID; every 200 is appended to FILE (the id).
            Lines are flushed before the next request. Prints a JSON summary and exits 1 on a 5xx, a "database is
            locked" body, or (users) a created user that cannot be read back.
    verify  --target users|actions|projects|projects-keyed --db DB --acked FILE   (DB: the SQLite file or a PostgreSQL connection string)
            users: every email in FILE has a row in DB. actions: once the job queue has drained (waits up to
            --drain-seconds), every request id in FILE has exactly one audit entry. Exits 1 otherwise.

With `load`, a server that disappears mid-run (kill -9) ends the clients quietly: what was acknowledged
before is in FILE, which is what `verify` checks after a restart.
"""
import argparse
import json
import sys
import threading
import time
import uuid

import checkdb
import requests


def load(args):
    deadline = time.monotonic() + args.seconds
    run = uuid.uuid4().hex[:8]  # request ids of loads run side by side (two instances, issue 21) never meet
    lock = threading.Lock()
    acked = open(args.acked, "a", buffering=1)
    stats = {"acknowledged": 0, "read": 0, "server_errors": 0, "locked": 0, "unreadable": 0, "connection_lost": 0, "other": 0}

    def count(key):
        with lock:
            stats[key] += 1

    def acknowledged(response, expected, key):
        """Counts a write's answer; records `key` in FILE when it is the expected success."""
        if "database is locked" in response.text:
            count("locked")
        if response.status_code >= 500:
            count("server_errors")
        elif response.status_code != expected:
            count("other")
        else:
            with lock:
                acked.write(key + "\n")
                stats["acknowledged"] += 1
            return True
        return False

    def user_client(number, http):
        headers = {"Authorization": f"Bearer {args.admin_token}"}
        while time.monotonic() < deadline:
            email = f"load-{number}-{uuid.uuid4().hex[:12]}@example.com"
            created = http.post(f"{args.url}/users/", json={"name": f"client {number}", "email": email, "password": "load-password-1"},
                                timeout=10)
            if acknowledged(created, 201, email):
                read = http.get(f"{args.url}{created.headers['Location']}", headers=headers, timeout=10)
                count("read" if read.status_code == 200 and read.json().get("email") == email else "unreadable")

    def action_client(number, http):
        sequence = 0
        while time.monotonic() < deadline:
            request_id = f"load-{run}-{number}-{sequence}"
            sequence += 1
            response = http.post(f"{args.url}/action/", params={"user": f"client-{number}"}, timeout=10,
                                 headers={"Authorization": f"Bearer {args.admin_token}", "X-Request-ID": request_id})
            acknowledged(response, 200, request_id)

    def project_client(number, http):
        """Creates records of config.example.json's `projects` resource; a 201 records the id and name it answered."""
        sequence = 0
        while time.monotonic() < deadline:
            name = f"load {number} {sequence}"
            sequence += 1
            response = http.post(f"{args.url}/projects/", json={"name": name, "budget": sequence, "tags": ["load"]}, timeout=10,
                                 headers={"Authorization": f"Bearer {args.admin_token}"})
            if response.status_code == 201:
                acknowledged(response, 201, f"{response.json()['id']}\t{name}")
            else:
                acknowledged(response, 201, name)

    def keyed_project_client(number, http):
        """Creates projects with an Idempotency-Key each (the project is named after its key); every key is written to
        FILE before its request is sent, so `verify` can retry the ones the kill left unanswered."""
        sequence = 0
        while time.monotonic() < deadline:
            key = f"key-{number}-{sequence}"
            sequence += 1
            with lock:
                acked.write(key + "\n")
            response = http.post(f"{args.url}/projects/", json={"name": key, "budget": sequence}, timeout=10,
                                 headers={"Authorization": f"Bearer {args.admin_token}", "Idempotency-Key": key})
            if response.status_code >= 500:
                count("server_errors")
            elif response.status_code != 201:
                count("other")
            else:
                count("acknowledged")

    def client(number):
        """One client: its own connection, until the deadline or until the server is gone (kill -9)."""
        clients = {"users": user_client, "actions": action_client, "projects": project_client, "projects-keyed": keyed_project_client}
        try:
            clients[args.target](number, requests.Session())
        except requests.RequestException:
            count("connection_lost")

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
    acknowledged = [line.strip() for line in open(args.acked) if line.strip()]
    database = checkdb.connect(args.db)
    if args.target == "users":
        missing = [email for email in acknowledged
                   if database.execute("SELECT 1 FROM users WHERE email_key = ?", (email,)).fetchone() is None]
        print(json.dumps({"acknowledged": len(acknowledged), "missing": len(missing), "first_missing": missing[:5]}))
        return 1 if missing or not acknowledged else 0
    if args.target == "projects-keyed":
        return verify_keyed(args, acknowledged, database)
    if args.target == "projects":
        missing = [line for line in acknowledged
                   if database.execute("SELECT 1 FROM projects WHERE id = ? AND name = ?", tuple(line.split("\t"))).fetchone() is None]
        print(json.dumps({"acknowledged": len(acknowledged), "missing": len(missing), "first_missing": missing[:5]}))
        return 1 if missing or not acknowledged else 0
    deadline = time.monotonic() + args.drain_seconds
    while time.monotonic() < deadline:
        backlog = database.execute("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')").fetchone()[0]
        if backlog == 0:
            break
        time.sleep(0.1)
    counts = dict(database.execute("SELECT request_id, count(*) FROM audit_log GROUP BY request_id").fetchall())
    missing = [request_id for request_id in acknowledged if counts.get(request_id, 0) == 0]
    repeated = [request_id for request_id in acknowledged if counts.get(request_id, 0) > 1]
    dead = database.execute("SELECT count(*) FROM jobs WHERE state = 'dead'").fetchone()[0]
    print(json.dumps({"acknowledged": len(acknowledged), "audit_entries": sum(counts.values()), "backlog": backlog, "dead": dead,
                      "missing": len(missing), "repeated": len(repeated), "first_missing": missing[:5]}))
    return 1 if missing or repeated or backlog or not acknowledged else 0


def verify_keyed(args, keys, database):
    """Retries every key attempted (answered or not) with its body, as a client that lost its answers would, against
    the restarted server: each must answer 201 (the first answer again, or the first write); then each key must name
    exactly one project."""
    http, retried = requests.Session(), {"replayed": 0, "made": 0, "refused": 0}
    for key in keys:
        budget = int(key.rsplit("-", 1)[1]) + 1
        response = http.post(f"{args.url}/projects/", json={"name": key, "budget": budget}, timeout=10,
                             headers={"Authorization": f"Bearer {args.admin_token}", "Idempotency-Key": key})
        if response.status_code != 201:
            retried["refused"] += 1
        else:
            retried["replayed" if response.headers.get("idempotent-replayed") == "true" else "made"] += 1
    counts = dict(database.execute("SELECT name, count(*) FROM projects GROUP BY name").fetchall())
    wrong = [key for key in keys if counts.get(key, 0) != 1]
    print(json.dumps({"keys": len(keys), **retried, "not_exactly_once": len(wrong), "first_wrong": wrong[:5]}))
    return 1 if wrong or retried["refused"] or not keys else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["load", "verify"])
    parser.add_argument("--target", choices=["users", "actions", "projects", "projects-keyed"], default="users")
    parser.add_argument("--drain-seconds", type=float, default=60)
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
