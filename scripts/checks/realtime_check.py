#!/usr/bin/env python3
"""Realtime streams under faults and load (issue 18, must show 2 and 4), against the real `api` binary.

    resume --api BIN --port P --db DB --token T [--seconds 6] [--kills 2]
        Serves with BIN (the environment gives the rest of the configuration), a writer creating, updating and
        deleting `projects`, and a subscriber to `GET /projects/events?filter=budget >= 50` that reconnects with
        `Last-Event-ID` whenever its stream breaks. The server is killed with SIGKILL `--kills` times and restarted
        on the same port. Afterwards the events received must be exactly, in order, those the change log (read from
        DB: the SQLite file or a PostgreSQL connection string) gives for the filter: no gap, no duplicate; and the last event of each record must agree with the final
        table. Prints a JSON summary; exits 1 otherwise.
    access --url URL --admin-token T --token-a T --token-b T --user-a ID --user-b ID
        Two users subscribe to `tasks`, a resource whose `read` rule is `keeper = @caller.id`: A with `GET /tasks/events`,
        B over the `GET /realtime` WebSocket. The admin creates a task kept by each, then hands A's to B: A must get
        `created` then `left`, B `created`, `entered`, `updated`, and nothing of the other's. Then each revokes its own
        token: A's stream must end within 1 s, and B's WebSocket close with 4001 within 1 s.
    protocol --url URL --token T
        The answers of `GET /realtime` to subscriptions it refuses (404, 422, 400), one from `since` that gets an
        event of the log, an unsubscription after which nothing more comes for it, and a live subscription.
    channels --url URL --admin-token T --token-a T --user-admin ID --user-a ID [--url-b URL]
        With `chat:{room}` (authenticated, history 2, 100 bytes) and `user:{id:int}` (subscribe `id = @caller.id`,
        publish `admin`) declared: each rule's refusals (401, 403), the size limit (413), an unknown channel (404),
        messages in order with their sender, a private channel, and the history a late subscriber gets.
    missed-bell --url URL --token T --db CONNSTR
        A channel message whose bell nobody hears (issue 21): a member subscribes to `chat:lobby`, and a message is
        written straight into PostgreSQL's `channel_messages` with triggers off (`session_replication_role =
        replica`), so `api_channels` does not ring. The realtime hub's poll must still deliver it within 2 s.
    channel-history --url URL --token T [--publish N] [--expect SEQ,SEQ...]
        Publishes N messages to `chat:lobby`, or subscribes to it with `history` and expects the kept messages to be
        those numbers, in order: a test restarts the server (or starts another instance) in between (issue 21).
    slow --url URL --token T [--subscribers 100] [--writes 400]
        100 subscribers that read (one thread, timing each event's arrival), one that reads nothing while 100 records
        a second are created (each about 1 KiB of event). The slow one must end with `overflow` (the server's queue
        bound, `realtime.max_queue_bytes`, set small), the others must get every event with p99 delivery (the write
        sent to the event received) at most 50 ms, and the slow one, resuming from the id `overflow` gave, must get
        every event after it. Prints a JSON summary; exits 1 otherwise.
"""
import argparse
import base64
import http.client
import json
import os
import random
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

import checkdb


def start_server(args):
    env = dict(os.environ, API_SERVER_PORT=str(args.port))
    process = subprocess.Popen([args.api, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not become ready")


def request(port, method, path, token, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


class Stream:
    """An SSE client: `events` gets (id, name, data) in order; reconnects with Last-Event-ID until `stop`."""

    def __init__(self, port, path, token, reconnect=True, last_event_id=None, read=True, host="127.0.0.1"):
        self.host, self.port, self.path, self.token, self.reconnect, self.read = host, port, path, token, reconnect, read
        self.events, self.last_id, self.ends, self.received_at = [], last_event_id, [], []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                self.follow()
            except (OSError, http.client.HTTPException) as error:
                self.ends.append(type(error).__name__)
            if not self.reconnect:
                return
            time.sleep(0.1)

    def follow(self):
        sock = socket.create_connection((self.host, self.port), timeout=30)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        head = "GET %s HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n" % (self.path, self.token)
        if self.last_id is not None:
            head += "Last-Event-ID: %d\r\n" % self.last_id
        sock.sendall((head + "\r\n").encode())
        if not self.read:
            self.stop.wait()
            sock.close()
            return
        reader = sock.makefile("rb")
        status = reader.readline()
        if b" 200 " not in status:
            raise http.client.HTTPException(status.decode(errors="replace"))
        while reader.readline() not in (b"\r\n", b""):
            pass
        fields = {}
        while not self.stop.is_set():
            size_line = reader.readline()
            if not size_line:
                raise ConnectionResetError("closed")
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                self.ends.append("end")
                return
            chunk = reader.read(size + 2)[:-2].decode()
            for line in chunk.split("\n"):
                if line == "":
                    self.dispatch(fields)
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value

    def dispatch(self, fields):
        if "event" not in fields:
            return
        if "id" in fields:
            self.last_id = int(fields["id"])
        data = json.loads(fields["data"]) if "data" in fields else None
        self.events.append((int(fields["id"]) if "id" in fields else None, fields["event"], data))
        self.received_at.append(time.monotonic())

    def close(self):
        self.stop.set()


class Socket:
    """A minimal WebSocket client (RFC 6455): text messages out (masked), messages in; no extensions."""

    def __init__(self, port, path, token=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        head = "GET %s HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n" \
               "Sec-WebSocket-Version: 13\r\n" % (path, key)
        if token:
            head += "Authorization: Bearer %s\r\n" % token
        self.sock.sendall((head + "\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        status, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if b" 101 " not in status.split(b"\r\n")[0]:
            raise http.client.HTTPException(status.decode(errors="replace"))
        self.close_code = None

    def send(self, message):
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self, timeout=5):
        """The next message as JSON; None once the server closed (its code in `close_code`)."""
        self.sock.settimeout(timeout)
        while True:
            frame = self.frame()
            if frame is None:
                return None
            opcode, payload = frame
            if opcode == 1:
                return json.loads(payload)
            if opcode == 8:
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                return None

    def frame(self):
        while True:
            if len(self.buffer) >= 2:
                length, offset = self.buffer[1] & 0x7F, 2
                if length == 126:
                    length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
                elif length == 127:
                    length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
                if len(self.buffer) >= offset + length and len(self.buffer) >= offset:
                    opcode, payload = self.buffer[0] & 0x0F, self.buffer[offset:offset + length]
                    self.buffer = self.buffer[offset + length:]
                    return opcode, payload
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                return None
            self.buffer += chunk

    def close(self):
        self.sock.close()


class SocketStream:
    """A subscription over `GET /realtime` with the interface of `Stream` (no reconnection): `events`, `thread`, `close`."""

    def __init__(self, port, resource, token):
        self.socket = Socket(port, "/realtime", token)
        self.socket.send({"type": "subscribe", "id": "s", "resource": resource})
        if self.socket.receive() != {"type": "subscribed", "id": "s"}:
            raise http.client.HTTPException("not subscribed")
        self.events, self.ends = [], []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                message = self.socket.receive(timeout=30)
            except OSError as error:
                self.ends.append(type(error).__name__)
                return
            if message is None:
                self.ends.append(self.socket.close_code)
                return
            if message.get("type") == "event":
                self.events.append((message["id"], message["event"], message["data"]))

    def close(self):
        self.socket.close()


def expected_events(db, visible):
    """The events the change log gives a subscriber who sees the records `visible` accepts."""
    events = []
    rows = checkdb.connect(db).execute("SELECT seq, operation, record, previous FROM changes WHERE resource = 'projects' ORDER BY seq")
    for seq, operation, record, previous in rows:
        record = json.loads(record)
        if operation == "created" and visible(record):
            events.append((seq, "created", record))
        elif operation == "deleted" and visible(record):
            events.append((seq, "deleted", record))
        elif operation == "updated":
            before, after = visible(json.loads(previous)), visible(record)
            name = {(True, True): "updated", (False, True): "entered", (True, False): "left"}.get((before, after))
            if name:
                events.append((seq, name, json.loads(previous) if name == "left" else record))
    return events


def resume(args):
    server = start_server(args)
    stream = Stream(args.port, "/projects/events?filter=budget%20%3E%3D%2050", args.token)
    stop_writing = threading.Event()
    written = {"acknowledged": 0, "failed": 0}

    def writer():
        ids, n = [], 0
        while not stop_writing.is_set():
            n += 1
            try:
                choice = random.random()
                if not ids or choice < 0.4:
                    status, body = request(args.port, "POST", "/projects/", args.token, {"name": "p%d" % n, "budget": random.randint(0, 100)})
                    if status == 201:
                        ids.append(json.loads(body)["id"])
                elif choice < 0.9:
                    status, _ = request(args.port, "PATCH", "/projects/%d" % random.choice(ids), args.token, {"budget": random.randint(0, 100)})
                else:
                    status, _ = request(args.port, "DELETE", "/projects/%d" % ids.pop(random.randrange(len(ids))), args.token)
                written["acknowledged" if status < 300 else "failed"] += 1
            except (OSError, http.client.HTTPException):
                written["failed"] += 1
                time.sleep(0.05)

    writing = threading.Thread(target=writer, daemon=True)
    writing.start()
    for _ in range(args.kills):
        time.sleep(args.seconds / (args.kills + 1))
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = start_server(args)
    time.sleep(args.seconds / (args.kills + 1))
    stop_writing.set()
    writing.join(timeout=30)   # its last request answered: nothing commits after the log is read below
    expected = expected_events(args.db, lambda record: record["budget"] >= 50)
    deadline = time.monotonic() + 10
    while len(stream.events) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    stream.close()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=10)
    received = stream.events
    ids = [event[0] for event in received]
    final = {row[0]: json.loads(row[1]) for row in checkdb.connect(args.db).execute("SELECT record_id, record FROM changes ORDER BY seq")}
    last_seen = {}
    for _, name, data in received:
        last_seen[data["id"]] = (name, data)
    disagreeing = [record_id for record_id, (name, data) in last_seen.items()
                   if name in ("created", "updated", "entered") and final.get(record_id) != data]
    summary = {"written": written, "events": len(received), "expected": len(expected), "reconnections": len(stream.ends),
               "duplicates": len(ids) - len(set(ids)), "in_order": ids == sorted(ids), "exact": received == expected,
               "disagreeing_with_table": disagreeing, "ends": {end: stream.ends.count(end) for end in set(stream.ends)}}
    print(json.dumps(summary))
    ok = received == expected and len(expected) > 0 and not disagreeing and len(stream.ends) >= args.kills
    sys.exit(0 if ok else 1)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else None


def open_stream(port, token, last_event_id=None, receive_buffer=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    head = "GET /projects/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n" % token
    if last_event_id is not None:
        head += "Last-Event-ID: %d\r\n" % last_event_id
    sock.sendall((head + "\r\n").encode())
    return sock


def parse_events(received):
    """(id, name, data, arrival) of each event in `received`, a list of (time, bytes) of one chunked SSE response."""
    events, buffer, times = [], b"", []
    for at, chunk in received:
        buffer += chunk
        times.append((len(buffer), at))
    body = buffer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in buffer else b""
    offset = len(buffer) - len(body)
    text, position = b"", 0
    while position < len(body):                       # undo the chunked framing, keeping where each byte was
        line_end = body.index(b"\r\n", position)
        size = int(body[position:line_end] or b"0", 16)
        if size == 0:
            break
        text += body[line_end + 2:line_end + 2 + size]
        position = line_end + 2 + size + 2
    arrival = times[-1][1] if times else None
    for block in text.split(b"\n\n"):
        fields = dict(line.split(": ", 1) for line in block.decode().split("\n") if ": " in line and not line.startswith(":"))
        if "event" in fields:
            data = json.loads(fields["data"]) if "data" in fields else None
            events.append((int(fields["id"]) if "id" in fields else None, fields["event"], data))
    return events, arrival


def slow(args):
    port = int(args.url.rsplit(":", 1)[1])
    readers = [open_stream(port, args.token) for _ in range(args.subscribers)]
    stuck = open_stream(port, args.token, receive_buffer=65536)
    received = {sock: [] for sock in readers}
    first_byte = {}
    selector = selectors.DefaultSelector()
    for sock in readers:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
    stop = threading.Event()

    def read_all():
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.05):
                try:
                    chunk = key.fileobj.recv(1 << 16)
                except BlockingIOError:
                    continue
                if chunk:
                    received[key.fileobj].append((time.monotonic(), chunk))

    reader_thread = threading.Thread(target=read_all, daemon=True)
    reader_thread.start()
    time.sleep(0.5)
    sent_at = {}
    filler = ["x" * 40] * 20
    for n in range(args.writes):
        started = time.monotonic()
        status, body = request(port, "POST", "/projects/", args.token, {"name": "w%d" % n, "tags": filler})
        if status == 201:
            sent_at[json.loads(body)["id"]] = started
        time.sleep(max(0, 0.01 - (time.monotonic() - started)))
    time.sleep(1)
    stop.set()
    reader_thread.join()
    delays, complete = [], True
    for sock in readers:
        created = 0
        for at, chunk in received[sock]:
            for line in chunk.split(b"\n"):
                if line.startswith(b'data: {"id":'):
                    record_id = int(line[len(b'data: {"id":'):].split(b",", 1)[0])
                    if record_id in sent_at:
                        created += 1
                        delays.append((at - sent_at[record_id]) * 1000)
        complete = complete and created == len(sent_at)
        sock.close()
    stuck.settimeout(5)
    stuck_bytes = b""
    try:
        while not stuck_bytes.endswith(b"0\r\n\r\n"):
            chunk = stuck.recv(1 << 20)
            if not chunk:
                break
            stuck_bytes += chunk
    except socket.timeout:
        pass
    stuck.close()
    stuck_events, _ = parse_events([(0, stuck_bytes)])
    overflow = [event for event in stuck_events if event[1] == "overflow"]
    resumed_ids = []
    if overflow:
        last_id = overflow[0][2]["last_event_id"]
        sock = open_stream(port, args.token, last_event_id=last_id)
        sock.settimeout(0.5)
        data = b""
        deadline = time.monotonic() + 10
        expected_count = len(sent_at) - len([e for e in stuck_events if e[1] == "created" and e[2]["id"] in sent_at])
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(1 << 20)
            except socket.timeout:
                if data.count(b"event: created") >= expected_count:
                    break
                continue
            if not chunk:
                break
            data += chunk
        sock.close()
        resumed_events, _ = parse_events([(0, data)])
        resumed_ids = [event[2]["id"] for event in resumed_events if event[1] == "created"]
    before_overflow = [event[2]["id"] for event in stuck_events if event[1] == "created"]
    everything = sorted(sent_at)
    summary = {"subscribers": len(readers), "delivered": len(delays), "p50_ms": percentile(delays, 0.5), "p99_ms": percentile(delays, 0.99),
               "complete": complete, "overflowed": bool(overflow), "received_before_overflow": len(before_overflow),
               "received_after_resume": len(resumed_ids), "slow_got_everything": before_overflow + resumed_ids == everything}
    print(json.dumps(summary))
    ok = complete and summary["p99_ms"] is not None and summary["p99_ms"] <= 50 and overflow and summary["slow_got_everything"]
    sys.exit(0 if ok else 1)


def access(args):
    port = int(args.url.rsplit(":", 1)[1])
    streams = {"a": Stream(port, "/tasks/events", args.token_a, reconnect=False), "b": SocketStream(port, "tasks", args.token_b)}
    time.sleep(0.5)
    ids = {}
    for title, keeper in (("first", args.user_a), ("second", args.user_b)):
        status, body = request(port, "POST", "/tasks/", args.admin_token, {"title": title, "keeper": keeper})
        ids[title] = json.loads(body)["id"]
    request(port, "PATCH", "/tasks/%d" % ids["first"], args.admin_token, {"keeper": args.user_b})
    request(port, "PATCH", "/tasks/%d" % ids["second"], args.admin_token, {"title": "second, renamed"})
    time.sleep(0.5)
    seen = {name: [(event, data["id"], data["keeper"]) for _, event, data in stream.events] for name, stream in streams.items()}
    expected = {"a": [("created", ids["first"], args.user_a), ("left", ids["first"], args.user_a)],
                "b": [("created", ids["second"], args.user_b), ("entered", ids["first"], args.user_b), ("updated", ids["second"], args.user_b)]}
    revoked_status, closed_after = revoke_and_time(port, args.token_a, streams["a"])
    _, closed_b = revoke_and_time(port, args.token_b, streams["b"])
    summary = {"seen": seen, "expected": expected, "revoke_status": revoked_status, "sse_closed_after_s": round(closed_after, 3),
               "websocket_closed_after_s": round(closed_b, 3), "websocket_close_code": streams["b"].ends}
    print(json.dumps(summary))
    ok = seen == expected and revoked_status == 200 and closed_after <= 1 and closed_b <= 1 and streams["b"].ends == [4001]
    sys.exit(0 if ok else 1)


def revoke_and_time(port, token, stream):
    """Revokes `token` (as its holder); the answer's status and the seconds until `stream` ended."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("POST", "/token/revoke", body="token=" + token,
                       headers={"Authorization": "Bearer " + token, "Content-Type": "application/x-www-form-urlencoded"})
    status = connection.getresponse().status
    revoked_at = time.monotonic()
    while stream.thread.is_alive() and time.monotonic() - revoked_at < 5:
        time.sleep(0.01)
    return status, time.monotonic() - revoked_at


def protocol(args):
    """Each answer of the WebSocket protocol, and an event after `since`."""
    port = int(args.url.rsplit(":", 1)[1])
    anonymous, admin = Socket(port, "/realtime"), Socket(port, "/realtime", args.token)
    answers = []
    for sock, message in ((anonymous, {"type": "subscribe", "id": "a", "resource": "projects"}),
                          (admin, {"type": "subscribe", "id": "b", "resource": "nothing"}),
                          (admin, {"type": "subscribe", "id": "c", "resource": "projects", "filter": "budget >>"}),
                          (admin, {"type": "subscribe", "id": 7, "resource": "projects"}),
                          (admin, {"type": "subscribe", "id": "d", "resource": "projects", "since": -1}),
                          (admin, {"type": "unsubscribe", "id": "zzz"}),
                          (admin, {"type": "dance"})):
        sock.send(message)
        answer = sock.receive()
        answers.append((answer["type"], answer.get("status")))
    _, body = request(port, "POST", "/projects/", args.token, {"name": "before", "budget": 80})
    admin.send({"type": "subscribe", "id": "e", "resource": "projects", "filter": "budget >= 50", "since": 0})
    subscribed, event = admin.receive(), admin.receive()
    admin.send({"type": "unsubscribe", "id": "e"})
    unsubscribed = admin.receive()
    admin.send({"type": "subscribe", "id": "f", "resource": "projects"})
    after = [admin.receive()]
    request(port, "POST", "/projects/", args.token, {"name": "after", "budget": 90})
    after.append(admin.receive())
    # An anonymous caller may subscribe to a resource whose read rule is a filter: it sees what the rule lets it.
    expected = [("subscribed", None), ("error", 404), ("error", 422), ("error", 422), ("error", 422), ("error", 404), ("error", 400)]
    ok = (answers == expected and subscribed == {"type": "subscribed", "id": "e"} and event["event"] == "created"
          and event["data"] == json.loads(body) and unsubscribed == {"type": "unsubscribed", "id": "e"}
          and after[0] == {"type": "subscribed", "id": "f"} and after[1] is not None and after[1]["subscription"] == "f" and after[1]["data"]["name"] == "after")
    print(json.dumps({"answers": answers, "event": event, "after": after}))
    sys.exit(0 if ok else 1)


def channels(args):
    """Channels (issue 18): subscribe and publish rules, history, the size limit, delivery across connections. With
    --url-b (issue 21), the member is on that second instance, and gets what the admin publishes on the first."""
    port = int(args.url.rsplit(":", 1)[1])
    member_port = int(args.url_b.rsplit(":", 1)[1]) if args.url_b else port
    admin, member, anonymous = Socket(port, "/realtime", args.admin_token), Socket(member_port, "/realtime", args.token_a), Socket(port, "/realtime")
    results = {}

    def ask(sock, message):
        sock.send(message)
        answer = sock.receive()
        return (answer.get("type"), answer.get("status")) if answer else None

    results["member joins the lobby"] = ask(member, {"type": "subscribe", "id": "c1", "channel": "chat:lobby", "history": True})
    results["anonymous joins the lobby"] = ask(anonymous, {"type": "subscribe", "id": "x", "channel": "chat:lobby"})
    results["admin publishes"] = [ask(admin, {"type": "publish", "id": "p%d" % n, "channel": "chat:lobby", "data": {"text": "m%d" % n}})
                                  for n in range(1, 4)]
    received = [member.receive() for _ in range(3)]
    results["member receives"] = [(m["subscription"], m["channel"], m["seq"], m["from"], m["data"]) for m in received]
    results["too large"] = ask(admin, {"type": "publish", "id": "big", "channel": "chat:lobby", "data": {"text": "x" * 200}})
    results["unknown channel"] = ask(admin, {"type": "publish", "id": "u", "channel": "nowhere", "data": 1})
    results["someone else's user channel"] = ask(member, {"type": "subscribe", "id": "c2", "channel": "user:%d" % args.user_admin})
    results["own user channel"] = ask(member, {"type": "subscribe", "id": "c3", "channel": "user:%d" % args.user_a})
    results["member publishes to it"] = ask(member, {"type": "publish", "id": "q", "channel": "user:%d" % args.user_a, "data": 1})
    ask(admin, {"type": "publish", "id": "r", "channel": "user:%d" % args.user_a, "data": {"note": "hi"}})
    private = member.receive()
    results["private message"] = (private["subscription"], private["data"])
    member.send({"type": "subscribe", "id": "c4", "channel": "chat:lobby", "history": True})
    again = member.receive()
    results["history"] = [entry["seq"] for entry in again["history"]]
    _, metrics = request(member_port, "GET", "/metrics", args.admin_token)
    results["channel subscriptions in /metrics"] = 'api_realtime_subscriptions{kind="channel"} 3' in metrics.decode()
    expected = {
        "member joins the lobby": ("subscribed", None), "anonymous joins the lobby": ("error", 401),
        "admin publishes": [("published", None)] * 3,
        "member receives": [("c1", "chat:lobby", n, args.user_admin, {"text": "m%d" % n}) for n in range(1, 4)],
        "too large": ("error", 413), "unknown channel": ("error", 404), "someone else's user channel": ("error", 403),
        "own user channel": ("subscribed", None), "member publishes to it": ("error", 403), "private message": ("c3", {"note": "hi"}),
        "history": [2, 3], "channel subscriptions in /metrics": True,
    }
    results = {key: json.loads(json.dumps(value)) for key, value in results.items()}
    expected = {key: json.loads(json.dumps(value)) for key, value in expected.items()}
    print(json.dumps({key: value for key, value in results.items() if value != expected[key]} or "all as expected"))
    sys.exit(0 if results == expected else 1)


def missed_bell(args):
    port = int(args.url.rsplit(":", 1)[1])
    member = Socket(port, "/realtime", args.token)
    member.send({"type": "subscribe", "id": "c", "channel": "chat:lobby"})
    subscribed = member.receive()
    database = checkdb.connect(args.db)
    database.execute("SET session_replication_role = replica")
    database.execute("INSERT INTO channel_sequences (channel, seq) VALUES ('chat:lobby', 1)")
    database.execute("INSERT INTO channel_messages (channel, seq, from_user, at, data) VALUES (?, ?, NULL, ?, ?)",
                     ("chat:lobby", 1, "2026-12-04T00:00:00.000Z", json.dumps({"text": "quiet"})))
    started = time.monotonic()
    message = member.receive(timeout=5)
    elapsed = time.monotonic() - started
    received = message and (message.get("subscription"), message.get("seq"), message.get("data"))
    ok = (subscribed or {}).get("type") == "subscribed" and received == ("c", 1, {"text": "quiet"}) and elapsed <= 2
    print(json.dumps({"subscribed": subscribed, "message": message, "seconds": round(elapsed, 3)}))
    sys.exit(0 if ok else 1)


def channel_history(args):
    sock = Socket(int(args.url.rsplit(":", 1)[1]), "/realtime", args.token)
    answers = []
    for n in range(1, args.publish + 1):
        sock.send({"type": "publish", "id": "p%d" % n, "channel": "chat:lobby", "data": {"text": "m%d" % n}})
        answers.append(sock.receive().get("type"))
    ok = answers == ["published"] * args.publish
    if args.expect is not None:
        sock.send({"type": "subscribe", "id": "h", "channel": "chat:lobby", "history": True})
        subscribed = sock.receive()
        answers = [entry["seq"] for entry in subscribed.get("history", [])]
        ok = answers == [int(seq) for seq in args.expect.split(",") if seq]
    print(json.dumps({"answers": answers}))
    sys.exit(0 if ok else 1)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    resume_parser = commands.add_parser("resume")
    resume_parser.add_argument("--api", required=True)
    resume_parser.add_argument("--port", type=int, required=True)
    resume_parser.add_argument("--db", required=True)
    resume_parser.add_argument("--token", required=True)
    resume_parser.add_argument("--seconds", type=float, default=6)
    resume_parser.add_argument("--kills", type=int, default=2)
    slow_parser = commands.add_parser("slow")
    slow_parser.add_argument("--url", required=True)
    slow_parser.add_argument("--token", required=True)
    slow_parser.add_argument("--subscribers", type=int, default=100)
    slow_parser.add_argument("--writes", type=int, default=400)
    access_parser = commands.add_parser("access")
    access_parser.add_argument("--url", required=True)
    access_parser.add_argument("--admin-token", required=True)
    access_parser.add_argument("--token-a", required=True)
    access_parser.add_argument("--token-b", required=True)
    access_parser.add_argument("--user-a", type=int, required=True)
    access_parser.add_argument("--user-b", type=int, required=True)
    protocol_parser = commands.add_parser("protocol")
    protocol_parser.add_argument("--url", required=True)
    protocol_parser.add_argument("--token", required=True)
    channels_parser = commands.add_parser("channels")
    channels_parser.add_argument("--url", required=True)
    channels_parser.add_argument("--admin-token", required=True)
    channels_parser.add_argument("--token-a", required=True)
    channels_parser.add_argument("--user-admin", type=int, required=True)
    channels_parser.add_argument("--user-a", type=int, required=True)
    channels_parser.add_argument("--url-b", help="a second instance on the same database, for the member")
    missed_parser = commands.add_parser("missed-bell")
    missed_parser.add_argument("--url", required=True)
    missed_parser.add_argument("--token", required=True)
    missed_parser.add_argument("--db", required=True)
    history_parser = commands.add_parser("channel-history")
    history_parser.add_argument("--url", required=True)
    history_parser.add_argument("--token", required=True)
    history_parser.add_argument("--publish", type=int, default=0)
    history_parser.add_argument("--expect", help="the numbers the history must hold, comma-separated")
    args = parser.parse_args()
    {"resume": resume, "slow": slow, "access": access, "protocol": protocol, "channels": channels,
     "missed-bell": missed_bell, "channel-history": channel_history}[args.command](args)


if __name__ == "__main__":
    main()
