#!/usr/bin/env python3
"""The memory idle subscribers add (DESIGN §8, Realtime: 10,000 idle SSE or WebSocket connections add at most 64 MiB).

    python3 scripts/bench/realtime_idle.py [--binary PATH] [--subscribers 10000] [--json]

Starts `api serve` (release build by default) with the `projects` resource of config.example.json, measures its
resident memory (VmRSS) once idle, then opens SUBSCRIBERS subscriptions and holds them: half `GET /projects/events`
(server-sent events), half `GET /realtime` WebSockets each subscribed to `projects`; once every one is confirmed
(200 and the stream's head, or the `subscribed` message), waits 2 s and measures again. One write then goes out and
every subscriber must receive its event (they are idle, not dead). Prints the RSS added in total and per subscriber;
exits 1 when it passes 64 MiB or an event is missing.
"""
import argparse, base64, json, os, resource, selectors, shutil, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import api_binary, wait_for_200  # noqa: E402

PORT = 8098
SECRET = "realtime-idle-secret-0123456789-abcdefghijklmn"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def environment(directory):
    resources = json.load(open(os.path.join(ROOT, "config.example.json")))["resources"]
    return dict(os.environ, API_DATABASE_PATH=directory + "/api.db", API_AUTH_SECRET=SECRET, API_LOG_ACCESS="off",
                API_SERVER_PORT=str(PORT), API_RESOURCES=json.dumps(resources), API_HTTP_RATE_LIMITS_ENABLED="false",
                API_SERVER_MAX_CONNECTIONS="30000", API_AUTH_ARGON2_MEMORY_KIB="1024", API_AUTH_ARGON2_ITERATIONS="1")


def open_subscriber(index, token):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    if index % 2 == 0:
        sock.sendall(("GET /projects/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n\r\n" % token).encode())
    else:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(("GET /realtime HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                      "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n" % (key, token)).encode())
        payload, mask = b'{"type":"subscribe","id":"s","resource":"projects"}', os.urandom(4)
        sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    sock.setblocking(False)
    return sock


def wait_for(sockets, marker, timeout):
    """Reads every socket until each has received `marker`; returns how many did."""
    selector, received, done = selectors.DefaultSelector(), {}, set()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ)
        received[sock] = b""
    deadline = time.monotonic() + timeout
    while len(done) < len(sockets) and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            try:
                chunk = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            received[key.fileobj] += chunk
            if marker(key.fileobj, received[key.fileobj]):
                done.add(key.fileobj)
                selector.unregister(key.fileobj)
                received[key.fileobj] = b""
    selector.close()
    return len(done)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.subscribers + 1000), hard))
    binary = args.binary or api_binary()
    directory = tempfile.mkdtemp(prefix="realtime-idle-")
    env = environment(directory)
    subprocess.run([binary, "user", "add", "bench@example.com", "--admin", "--password-stdin"], input=b"bench-password-1\n", env=env,
                   check=True, capture_output=True)
    token = subprocess.run([binary, "token", "issue", "--subject", "bench@example.com", "--ttl", "2h"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_200(PORT, "/readyz")
        time.sleep(1)
        idle = rss_kib(server.pid)
        sockets = []
        for index in range(args.subscribers):
            sockets.append(open_subscriber(index, token))
        confirmed = wait_for(sockets, lambda sock, data: b"HTTP/1.1 200" in data or b'"subscribed"' in data, 60)
        time.sleep(2)
        held = rss_kib(server.pid)
        body = json.dumps({"name": "idle-check"}).encode()
        with socket.create_connection(("127.0.0.1", PORT)) as writer:
            writer.sendall(b"POST /projects/ HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + token.encode()
                           + b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            writer.recv(4096)
        delivered = wait_for(sockets, lambda sock, data: b"idle-check" in data, 60)
        after = rss_kib(server.pid)
        for sock in sockets:
            sock.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(directory, ignore_errors=True)
    added_mib = (held - idle) / 1024
    result = {"subscribers": args.subscribers, "confirmed": confirmed, "idle_rss_mib": round(idle / 1024, 1),
              "held_rss_mib": round(held / 1024, 1), "added_mib": round(added_mib, 1),
              "per_subscriber_kib": round((held - idle) / max(1, args.subscribers), 2),
              "after_one_event_rss_mib": round(after / 1024, 1), "event_delivered_to": delivered}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print("%-24s %s" % (key, value))
    ok = confirmed == args.subscribers and delivered == args.subscribers and added_mib <= 64
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
