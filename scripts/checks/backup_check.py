#!/usr/bin/env python3
"""`api backup` under a write load, then `api restore` (issue 20, must show 5; DESIGN §13), with the real binary.

    backup_check.py --api BIN --url URL --token T --backup FILE --restore-db PATH [--clients 64]

Clients (threads, keep-alive) create `notes` as fast as the server answers. After 2 s, `BIN backup FILE` runs while
they go on; 1 s after it returns they stop. Then `BIN restore FILE` into PATH (a new directory): it must succeed, the
restored database must pass `PRAGMA integrity_check`, both files must be mode 0600, and every note whose 201 arrived
before the backup began must be in it. The environment gives the rest of the configuration (API_AUTH_SECRET, ...).
Prints a JSON summary; exits 1 otherwise.
"""
import argparse
import http.client
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.parse


def writer(args, number, stop, acknowledged, failures, lock):
    address = urllib.parse.urlsplit(args.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}
    sequence = 0
    while not stop.is_set():
        title = "note-%d-%d" % (number, sequence)
        sequence += 1
        try:
            connection.request("POST", "/notes/", body=json.dumps({"title": title}), headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError as error:
            status = repr(error)
            connection.close()
        with lock:
            if status == 201:
                acknowledged.append((time.monotonic(), title))
            else:
                failures.append(status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--backup", required=True)
    parser.add_argument("--restore-db", required=True)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()

    stop, lock = threading.Event(), threading.Lock()
    acknowledged, failures = [], []
    threads = [threading.Thread(target=writer, args=(args, n, stop, acknowledged, failures, lock)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    began = time.monotonic()
    backup = subprocess.run([args.api, "backup", args.backup], capture_output=True, text=True)
    ended = time.monotonic()
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()

    problems = []
    if backup.returncode != 0:
        problems.append("api backup exited %d: %s" % (backup.returncode, backup.stderr))
    if failures:
        problems.append("%d writes failed: %s" % (len(failures), sorted(set(map(str, failures)))[:5]))
    restore_env = dict(os.environ, API_DATABASE_PATH=args.restore_db)
    restore = subprocess.run([args.api, "restore", args.backup], capture_output=True, text=True, env=restore_env)
    if restore.returncode != 0:
        problems.append("api restore exited %d: %s" % (restore.returncode, restore.stderr))
        print("FAIL: " + "; ".join(problems))
        sys.exit(1)
    for path in (args.backup, args.restore_db):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode != 0o600:
            problems.append("%s has mode %o, not 600" % (path, mode))
    database = sqlite3.connect("file:%s?mode=ro" % args.restore_db, uri=True)
    verdict = database.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        problems.append("integrity_check: " + verdict)
    restored = {row[0] for row in database.execute("SELECT title FROM notes")}
    before = [title for at, title in acknowledged if at < began]
    during = [title for at, title in acknowledged if began <= at < ended]
    missing = [title for title in before if title not in restored]
    if missing:
        problems.append("%d notes acknowledged before the backup began are not in it, e.g. %s" % (len(missing), missing[:3]))
    summary = {"acknowledged": len(acknowledged), "before_backup": len(before), "during_backup": len(during),
               "during_backup_in_it": sum(1 for title in during if title in restored), "in_backup": len(restored),
               "backup_s": round(ended - began, 3), "backup_output": backup.stdout.strip(), "problems": problems}
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
