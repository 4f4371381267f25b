#!/usr/bin/env python3
"""systemd without systemd (issue 20, must show 2; DESIGN §13), against the real `api` binary.

    notify --api BIN
        Listens on a Unix datagram socket as NOTIFY_SOCKET (with WATCHDOG_USEC=300000) and starts `BIN serve` on a
        free port: the first message must be READY=1 (with a STATUS= line), sent only once /readyz answers 200; then
        WATCHDOG=1 about every 150 ms; after SIGTERM, STOPPING=1 and no WATCHDOG=1 after it; the server exits 0.
    activate --api BIN [--workers N]
        `systemd-socket-activate -l 127.0.0.1:PORT BIN serve`: the server must serve on the passed socket (its log
        names PORT though its configuration asks for another), answer every request of 4 concurrent clients, and
        exit 0 on SIGTERM.

The environment gives the rest of the configuration (API_DATABASE_PATH, API_AUTH_SECRET, ...). Prints what it saw;
exits 1 on the first difference.
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(port, path="/readyz"):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None


def notify(args):
    directory = tempfile.mkdtemp()
    address = os.path.join(directory, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(10)
    port = free_port()
    env = dict(os.environ, NOTIFY_SOCKET=address, WATCHDOG_USEC="300000", API_SERVER_PORT=str(port))
    server = subprocess.Popen([args.api, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    messages = []

    def receive():
        data = listener.recv(4096).decode()
        messages.append((time.monotonic(), data))
        return data

    first = receive()
    ready_status = status_of(port)
    lines = first.split("\n")
    if lines[0] != "READY=1" or not any(line.startswith("STATUS=") for line in lines[1:]):
        fail("the first message is %r, not READY=1 with a STATUS" % first)
    if ready_status != 200:
        fail("READY=1 came before /readyz answered 200 (it answered %s)" % ready_status)
    watchdog_start = time.monotonic()
    while time.monotonic() - watchdog_start < 1.2:
        if receive() != "WATCHDOG=1":
            fail("expected WATCHDOG=1 between READY and SIGTERM, got %r" % messages[-1][1])
    pings = [at for at, data in messages if data == "WATCHDOG=1"]
    gaps = [later - earlier for earlier, later in zip(pings, pings[1:])]
    if len(pings) < 5 or max(gaps) > 0.3:
        fail("WATCHDOG=1 %d times in 1.2 s, largest gap %.3f s (expected every 0.15 s)" % (len(pings), max(gaps or [0])))
    server.terminate()
    while True:
        data = receive()
        if data == "STOPPING=1":
            break
        if data != "WATCHDOG=1":
            fail("expected STOPPING=1 after SIGTERM, got %r" % data)
    listener.settimeout(0.5)
    try:
        late = listener.recv(4096).decode()
        fail("a message after STOPPING=1: %r" % late)
    except socket.timeout:
        pass
    code = server.wait(timeout=20)
    if code != 0:
        fail("exit status %d after SIGTERM: %s" % (code, server.stderr.read().decode()))
    print(json.dumps({"first": first, "watchdog_pings": len(pings), "largest_gap_s": round(max(gaps), 3),
                      "last": messages[-1][1], "exit": code}))


def activate(args):
    port = free_port()
    configured = free_port()
    env = dict(os.environ, API_SERVER_PORT=str(configured), API_SERVER_WORKERS=str(args.workers))
    activator = subprocess.Popen(["systemd-socket-activate", "-l", "127.0.0.1:%d" % port, args.api, "serve"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while status_of(port) != 200:
        if time.monotonic() > deadline or activator.poll() is not None:
            fail("no answer on the passed socket 127.0.0.1:%d" % port)
        time.sleep(0.05)
    statuses = []

    def client():
        for _ in range(50):
            statuses.append(status_of(port, "/healthz"))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if statuses.count(200) != len(statuses):
        fail("answers on the passed socket: %s" % sorted(set(map(str, statuses))))
    if status_of(configured) is not None:
        fail("the server also bound its configured port %d" % configured)
    activator.terminate()
    code = activator.wait(timeout=20)
    log = activator.stdout.read().decode()
    started = [json.loads(line) for line in log.splitlines() if '"server.started"' in line]
    if code != 0 or not started or started[0]["port"] != port:
        fail("exit %d, server.started %s: %s" % (code, started, activator.stderr.read().decode()))
    print(json.dumps({"port": port, "requests": len(statuses), "workers": args.workers, "exit": code}))


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("notify", "activate"):
        command = commands.add_parser(name)
        command.add_argument("--api", required=True)
        command.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    {"notify": notify, "activate": activate}[args.command](args)


if __name__ == "__main__":
    main()
