#!/usr/bin/env python3
"""deploy/nginx.conf end to end (issue 20, must show 3): TLS, HTTP/2, WebSocket and event streams through nginx.

    tls_proxy_check.py --upstream-port P --username U --password PW [--resource projects] [--request-id ID]
                       [--expect-hsts] [--config deploy/nginx.conf] [--keep]

In front of an `api serve` already listening on 127.0.0.1:P (started with `server.trusted_proxies` 127.0.0.1 and a
resource to write to), serves the shipped nginx configuration itself: only what a test cannot use is replaced (the
listen ports by free ones on 127.0.0.1, the IPv6 listeners dropped, the certificate by one made here for localhost by
a CA made here, pid, log and temporary paths by a temporary directory, the upstream port, and `user`). Then, with
curl over HTTP/2 and with Python's `ssl`, it checks through nginx:

    tls        TLS 1.3 with h2 by ALPN; TLS 1.2 with an ECDHE AEAD cipher and no session ticket; a TLS 1.2 cipher
               outside Mozilla's intermediate list, and TLS 1.1, refused
    redirect   plain HTTP answered 301 to the same path and query over https
    login      POST /token (the OAuth2 password form) 200 with an access token, over HTTP/2
    me         GET /users/me with that token 200 over HTTP/2, with one Strict-Transport-Security (api's, when
               --expect-hsts) or none, never one added by nginx
    client     GET /users/me from 127.0.0.2 with a forged X-Forwarded-For and X-Request-ID ID: api's access log must
               name 127.0.0.2 as that request's client (the caller reads the log: it is api's stdout)
    body       a body of exactly 1 MiB passes nginx to api (422), one byte more nginx refuses itself (413, JSON)
    websocket  an HTTP/1.1 upgrade to /ws/echo over TLS: text messages of 3 sizes come back unchanged, then the close
    realtime   GET /realtime over TLS: a subscription to R gets the next record created within 1 s
    events     GET /R/events over HTTP/2: a record created meanwhile arrives as `created` within 1 s, while the
               stream is still open (nginx does not buffer it)
    log        nginx logged no error (but the 413 of `body`)

Prints one line per check; exits 0 when all pass, else 1 with nginx's error log.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"   # RFC 6455 §1.3
DELIVERY_LIMIT_S = 1.0


class CheckFailed(Exception):
    """A check's expectation that did not hold; its message says what was seen."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


# MARK: - Certificates


def make_certificates(directory):
    """A CA, and a certificate it signed for localhost and 127.0.0.1 (P-256, as Mozilla recommends); their paths."""
    paths = {name: os.path.join(directory, name + ".pem") for name in ("ca", "ca-key", "fullchain", "privkey")}
    openssl("req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-days", "2",
            "-subj", "/CN=api tls_proxy_check CA", "-keyout", paths["ca-key"], "-out", paths["ca"],
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    request = os.path.join(directory, "server.csr")
    openssl("req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-subj", "/CN=localhost",
            "-keyout", paths["privkey"], "-out", request)
    extensions = os.path.join(directory, "server.ext")
    with open(extensions, "w") as file:
        file.write("subjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = critical, CA:FALSE\n"
                   "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n")
    openssl("x509", "-req", "-in", request, "-CA", paths["ca"], "-CAkey", paths["ca-key"], "-days", "2",
            "-set_serial", "0x" + os.urandom(8).hex(), "-extfile", extensions, "-out", paths["fullchain"])
    return paths


def openssl(*arguments):
    result = subprocess.run(["openssl", *arguments], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise CheckFailed("openssl %s: %s" % (" ".join(arguments[:2]), result.stderr.strip()))


# MARK: - nginx


def free_port():
    """A port free on 127.0.0.1 now (the kernel's choice), for a listener started soon after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replace_once_or_more(text, old, new):
    """`text` with `old` replaced; fails when `old` is absent, so the shipped file and this check cannot drift."""
    if old not in text:
        raise CheckFailed("deploy/nginx.conf no longer contains %r, which this check replaces" % old)
    return text.replace(old, new)


def render_config(template, directory, certificates, https_port, http_port, upstream_port):
    """The shipped configuration with only what a test cannot use replaced (see the module's doc)."""
    temporary_paths = "".join("\n    %s_temp_path %s/%s;" % (kind, directory, kind)
                              for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Under root the workers would run as www-data, which cannot enter the 0700 temporary directory; otherwise nginx
    # cannot change user at all and only warns that `user` is ignored.
    user = "user root;" if os.geteuid() == 0 else ""
    for old, new in [
        ("user www-data;", user),
        ("/run/nginx.pid", directory + "/nginx.pid"),
        ("/var/log/nginx/error.log", directory + "/error.log"),
        ("/var/log/nginx/access.log", directory + "/access.log"),
        ("http {", "http {" + temporary_paths),
        ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
        ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % https_port),
        ("server_name api.example.com;", "server_name localhost;"),
        ("/etc/ssl/api/fullchain.pem", certificates["fullchain"]),
        ("/etc/ssl/api/privkey.pem", certificates["privkey"]),
        ("server 127.0.0.1:8000;", "server 127.0.0.1:%d;" % upstream_port),
    ]:
        template = replace_once_or_more(template, old, new)
    # IPv6 may be missing where tests run, and the wildcard address would collide with other runs.
    without_ipv6, removed = re.subn(r"(?m)^\s*listen \[::\]:.*\n", "", template)
    expect(removed == 2, "expected the two IPv6 listeners in deploy/nginx.conf, found %d" % removed)
    return without_ipv6


class Nginx:
    """nginx in the foreground on a rendered configuration; stopped gracefully, then killed."""

    def __init__(self, directory, configuration):
        self.directory = directory
        self.path = os.path.join(directory, "nginx.conf")
        with open(self.path, "w") as file:
            file.write(configuration)
        self.stderr = open(os.path.join(directory, "stderr.log"), "w")
        self.process = subprocess.Popen(["nginx", "-p", directory, "-c", self.path, "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=self.stderr)

    def wait_listening(self, port, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CheckFailed("nginx exited with %d" % self.process.returncode)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise CheckFailed("nginx did not listen on %d within %d s" % (port, timeout))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)          # graceful: let the workers finish
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.stderr.close()

    def log(self):
        """What nginx reported: its stderr, then its error log."""
        text = ""
        for name in ("stderr.log", "error.log"):
            path = os.path.join(self.directory, name)
            if os.path.exists(path):
                with open(path, errors="replace") as file:
                    text += file.read()
        return text


# MARK: - HTTP through curl


class Response:
    """A curl answer: status, HTTP version as curl names it ("2", "1.1"), headers (lower-case names), body."""

    def __init__(self, status, version, headers, body):
        self.status, self.version, self.headers, self.body = status, version, headers, body

    def header_values(self, name):
        return [value for key, value in self.headers if key == name]

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "HTTP/%s %d %s %r" % (self.version, self.status, self.headers, self.body[:300])


class Curl:
    """curl against nginx's TLS port as `localhost` (pinned to 127.0.0.1), trusting only the CA made here."""

    def __init__(self, directory, ca, https_port):
        self.directory, self.ca, self.port = directory, ca, https_port

    def url(self, path):
        return "https://localhost:%d%s" % (self.port, path)

    def base(self, source=None):
        """curl's options common to every request: HTTP/2, the CA, the name pinned, from `source` if given."""
        options = ["curl", "-sS", "--http2", "--cacert", self.ca, "--resolve", "localhost:%d:127.0.0.1" % self.port,
                   "--max-time", "20"]
        return options + (["--interface", source] if source else [])

    def request(self, path, *options, source=None):
        headers, body = os.path.join(self.directory, "headers"), os.path.join(self.directory, "body")
        result = subprocess.run(self.base(source) + ["-D", headers, "-o", body, "-w", "%{http_code} %{http_version}",
                                                     *options, self.url(path)], capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise CheckFailed("curl %s: exit %d: %s" % (path, result.returncode, result.stderr.strip()))
        status, version = result.stdout.split()
        with open(body, "rb") as file:
            content = file.read()
        return Response(int(status), version, parse_headers(headers), content)


def parse_headers(path):
    """The last header block curl wrote (after any 1xx), as (lower-case name, value) pairs."""
    with open(path, errors="replace", newline="") as file:    # keep the CRLFs that separate the blocks
        blocks = [block for block in file.read().split("\r\n\r\n") if block.strip()]
    lines = blocks[-1].split("\r\n")[1:] if blocks else []
    return [(name.strip().lower(), value.strip()) for name, _, value in (line.partition(":") for line in lines)]


# MARK: - WebSocket over TLS


def tls_context(ca, alpn=("http/1.1",)):
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(list(alpn))
    return context


class WebSocket:
    """A minimal RFC 6455 client over TLS through nginx: masked text frames out, frames in; no extensions."""

    def __init__(self, ca, port, path, token=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        # nginx 1.22 has no WebSocket over HTTP/2 (RFC 8441): a browser upgrades on HTTP/1.1, and so does this.
        self.sock = tls_context(ca).wrap_socket(raw, server_hostname="localhost")
        key = base64.b64encode(os.urandom(16)).decode()
        head = ("GET %s HTTP/1.1\r\nHost: localhost:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % (path, port, key))
        if token:
            head += "Authorization: Bearer %s\r\n" % token
        self.sock.sendall((head + "\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            expect(chunk, "the connection closed during the upgrade of %s: %r" % (path, self.buffer))
            self.buffer += chunk
        response, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = response.decode(errors="replace").split("\r\n")
        expect(lines[0].startswith("HTTP/1.1 101 "), "upgrade of %s answered %r" % (path, response))
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
        accept = base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest()).decode()
        expect(headers.get("sec-websocket-accept") == accept, "Sec-WebSocket-Accept of %s: %r" % (path, headers))

    def send(self, opcode, payload):
        """One final frame, masked as every client frame must be (RFC 6455 §5.3)."""
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload)))

    def receive(self, timeout=5):
        """The next data or close frame as (opcode, payload); pings and pongs are skipped."""
        self.sock.settimeout(timeout)
        while True:
            opcode, payload = self.frame()
            if opcode not in (0x9, 0xA):
                return opcode, payload

    def frame(self):
        while True:
            parsed = self.parse_frame()
            if parsed:
                return parsed
            chunk = self.sock.recv(1 << 16)
            expect(chunk, "the WebSocket closed without a close frame")
            self.buffer += chunk

    def parse_frame(self):
        """A whole unmasked server frame from the buffer (removed from it), or None while it is incomplete."""
        if len(self.buffer) < 2:
            return None
        length, offset = self.buffer[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
        if len(self.buffer) < offset + length:
            return None
        expect(self.buffer[0] & 0x80, "a fragmented message came back; the echo answers each message whole")
        frame = (self.buffer[0] & 0x0F, self.buffer[offset:offset + length])
        self.buffer = self.buffer[offset + length:]
        return frame

    def close(self):
        self.sock.close()


# MARK: - Checks


def check_tls(port, ca):
    with tls_context(ca, alpn=("h2", "http/1.1")).wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                                                              server_hostname="localhost") as tls:
        expect(tls.version() == "TLSv1.3" and tls.selected_alpn_protocol() == "h2",
               "default handshake: %s, ALPN %s" % (tls.version(), tls.selected_alpn_protocol()))
    twelve = handshake(port, ca, ssl.TLSVersion.TLSv1_2, "ECDHE-ECDSA-AES128-GCM-SHA256")
    expect(twelve == ("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256", False), "TLS 1.2 (version, cipher, ticket): %r" % (twelve,))
    # nginx's default list (HIGH:!aNULL:!MD5) would take this CBC cipher; the intermediate profile must not.
    refused(port, ca, ssl.TLSVersion.TLSv1_2, "ECDHE-ECDSA-AES128-SHA256", "HANDSHAKE_FAILURE")
    with warnings.catch_warnings():     # Python deprecates TLS 1.1, which is the point: offer it and see it refused
        warnings.simplefilter("ignore", DeprecationWarning)
        refused(port, ca, ssl.TLSVersion.TLSv1_1, "DEFAULT:@SECLEVEL=0", "PROTOCOL_VERSION")
    return "TLSv1.3 with h2; TLS 1.2 with an ECDHE AEAD cipher and no ticket; a CBC cipher and TLS 1.1 refused"


def handshake(port, ca, version, ciphers):
    """(version, cipher, whether a session ticket came) of a handshake limited to `version` and `ciphers`."""
    context = tls_context(ca)
    context.minimum_version = context.maximum_version = version
    context.set_ciphers(ciphers)
    with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost") as tls:
        return tls.version(), tls.cipher()[0], tls.session.has_ticket


def refused(port, ca, version, ciphers, alert):
    """The server (not this client) must refuse the handshake, with a TLS alert whose name contains `alert`."""
    try:
        result = handshake(port, ca, version, ciphers)
    except ssl.SSLError as error:
        expect(alert in (error.reason or ""), "%s with %s: refused, but not by nginx's %s alert: %s" % (version.name, ciphers, alert, error))
        return
    raise CheckFailed("%s with %s was accepted: %r" % (version.name, ciphers, result))


def check_redirect(http_port):
    result = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                             "http://127.0.0.1:%d/users/me?from=http" % http_port, "-H", "Host: localhost"],
                            capture_output=True, text=True, timeout=30)
    expect(result.stdout == "301 https://localhost/users/me?from=http", "plain HTTP: %r %s" % (result.stdout, result.stderr))
    return result.stdout


def log_in(curl, username, password):
    response = curl.request("/token", "--data-urlencode", "username=" + username, "--data-urlencode", "password=" + password)
    expect(response.status == 200 and response.version == "2", "POST /token: %r" % response)
    body = response.json()
    expect(body.get("token_type", "").lower() == "bearer" and body.get("access_token"), "POST /token: %r" % response)
    return body["access_token"]


def check_me(curl, token, username, expect_hsts):
    response = curl.request("/users/me", "-H", "Authorization: Bearer " + token)
    expect(response.status == 200 and response.version == "2", "GET /users/me: %r" % response)
    expect(response.json().get("email") == username, "GET /users/me: %r" % response)
    hsts = response.header_values("strict-transport-security")
    expect(len(hsts) == (1 if expect_hsts else 0), "Strict-Transport-Security: %r" % hsts)
    return "200 over HTTP/%s, %d Strict-Transport-Security" % (response.version, len(hsts))


def check_client(curl, token, request_id):
    # The first X-Forwarded-For hop is whatever the client wrote; api must take nginx's, the last one.
    response = curl.request("/users/me", "-H", "Authorization: Bearer " + token, "-H", "X-Request-ID: " + request_id,
                            "-H", "X-Forwarded-For: 203.0.113.7", source="127.0.0.2")
    expect(response.status == 200 and response.header_values("x-request-id") == [request_id], "from 127.0.0.2: %r" % response)
    return "request %s sent from 127.0.0.2 (api's access log must name it)" % request_id


def check_body_limit(curl, token, resource, directory):
    """nginx's limit is api's (1 MiB): the largest body nginx lets through, api reads and answers (422: the name is too
    long); one byte more nginx refuses itself (its 413 has no X-Request-ID, which every answer of api has)."""
    answers = []
    for size in (1 << 20, (1 << 20) + 1):
        path = os.path.join(directory, "large-body.json")
        with open(path, "w") as file:
            file.write('{"name": "' + "x" * (size - 12) + '"}')
        response = curl.request("/%s/" % resource, "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                                "--data-binary", "@" + path)
        answers.append((response.status, "api" if response.header_values("x-request-id") else "nginx"))
    expect(answers == [(422, "api"), (413, "nginx")], "1 MiB and 1 MiB + 1 byte: %r" % answers)
    expect(response.json() == {"detail": "Request body too large"} and
           response.header_values("content-type") == ["application/json"], "nginx's 413 in api's shape: %r" % response)
    return "1 MiB: 422 from api; 1 MiB + 1: 413 from nginx, as JSON in api's shape"


def create_record(curl, token, resource):
    name = "tls-proxy-" + os.urandom(6).hex()
    response = curl.request("/%s/" % resource, "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                            "--data-binary", json.dumps({"name": name}))
    expect(response.status == 201, "POST /%s/: %r" % (resource, response))
    return response.json()["id"]


class EventStreamReader:
    """`curl -N` following an event stream over HTTP/2; every line it prints (head, then body), with the time it arrived.
    The head goes through `-D -`, which curl flushes at once, unlike `-i`'s."""

    def __init__(self, curl, path, token):
        self.lines, self.arrived = [], threading.Condition()
        self.process = subprocess.Popen(curl.base() + ["-N", "-D", "-", "-H", "Authorization: Bearer " + token, curl.url(path)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in iter(self.process.stdout.readline, b""):
            with self.arrived:
                self.lines.append((time.monotonic(), line.decode(errors="replace").rstrip("\r\n")))
                self.arrived.notify_all()

    def wait_for(self, predicate, timeout):
        """The time the first line satisfying `predicate` arrived, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = next((at for at, line in self.lines if predicate(line)), None)
                if found is not None or time.monotonic() >= deadline:
                    return found
                self.arrived.wait(deadline - time.monotonic())

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=5)


def event_record_id(line):
    """The record id in an event stream's `data:` line, or None for any other line."""
    if not line.startswith("data: "):
        return None
    try:
        return json.loads(line[len("data: "):]).get("id")
    except ValueError:
        return None


def check_events(curl, token, resource, since):
    # Over HTTP/2 nginx 1.22 holds a response's headers until its first body bytes (its TLS buffer is flushed only
    # with data): api writes a comment as a stream opens, so the head must come at once. Resuming from `since` keeps
    # a creation that beat the subscription in the stream all the same.
    stream = EventStreamReader(curl, "/%s/events?last_event_id=%d" % (resource, since), token)
    try:
        opened = stream.wait_for(lambda line: line.startswith("HTTP/2 200"), timeout=2)
        expect(opened is not None, "the head of GET /%s/events did not come through nginx within 2 s: %r" % (resource, stream.lines))
        expect(stream.process.poll() is None, "GET /%s/events ended: %r" % (resource, stream.lines))
        started = time.monotonic()
        record = create_record(curl, token, resource)
        arrived = stream.wait_for(lambda line: event_record_id(line) == record, timeout=5)
        expect(arrived is not None, "no event for record %d through nginx: %r" % (record, stream.lines))
        expect(stream.process.poll() is None, "the event came only as the stream ended: nginx buffered it")
        head = [line for _, line in stream.lines]
        expect(head[0].startswith("HTTP/2 200") and "content-type: text/event-stream" in (line.lower() for line in head),
               "GET /%s/events: %r" % (resource, head))
        delay = arrived - started
        expect(delay <= DELIVERY_LIMIT_S, "the event of record %d took %.3f s through nginx" % (record, delay))
        return "HTTP/2 text/event-stream; `created` arrived %.0f ms after the POST started, stream still open" % (delay * 1000)
    finally:
        stream.stop()


def check_websocket(ca, port):
    socket_ = WebSocket(ca, port, "/ws/echo")
    try:
        # Under 126 bytes, a 16-bit length and a 64-bit length: each length encoding through nginx and back.
        for size in (22, 5000, 70000):
            text = ("tls proxy echo " * (size // 15 + 1))[:size].encode()
            socket_.send(0x1, text)
            expect(socket_.receive() == (0x1, text), "the echo of a %d-byte message differs" % size)
        socket_.send(0x8, (1000).to_bytes(2, "big"))
        opcode, payload = socket_.receive()
        expect(opcode == 0x8 and payload[:2] == (1000).to_bytes(2, "big"), "close answered %r %r" % (opcode, payload[:20]))
    finally:
        socket_.close()
    return "101, echoes of 22, 5000 and 70000 bytes, close 1000"


def check_realtime(curl, ca, port, token, resource):
    """The subscription's event, and its id (the change log's sequence number)."""
    socket_ = WebSocket(ca, port, "/realtime", token=token)
    try:
        socket_.send(0x1, json.dumps({"type": "subscribe", "id": "tls", "resource": resource}).encode())
        opcode, payload = socket_.receive()
        expect(opcode == 0x1 and json.loads(payload) == {"type": "subscribed", "id": "tls"}, "subscribe answered %r" % payload)
        started = time.monotonic()
        record = create_record(curl, token, resource)
        message = json.loads(socket_.receive()[1])
        delay = time.monotonic() - started
        expect(message.get("type") == "event" and message.get("event") == "created" and message["data"]["id"] == record,
               "expected the creation of %d: %r" % (record, message))
        expect(delay <= DELIVERY_LIMIT_S, "the event of record %d took %.3f s through nginx" % (record, delay))
    finally:
        socket_.close()
    return "subscribed; `created` arrived %.0f ms after the POST started" % (delay * 1000), message["id"]


def check_error_log(nginx):
    """Nothing nginx logged at `error` or worse (no failed upstream, no refused directive) but the 413 of `body`."""
    serious = [line for line in nginx.log().splitlines()
               if re.search(r"\[(error|crit|alert|emerg)\]", line) and "client intended to send too large body" not in line]
    expect(not serious, "nginx logged:\n" + "\n".join(serious))
    return "no error in nginx's log"


# MARK: - Main


def run_checks(args, directory, certificates, nginx, https_port, http_port):
    curl = Curl(directory, certificates["ca"], https_port)
    ca = certificates["ca"]
    token, since = None, None

    def login():
        nonlocal token
        token = log_in(curl, args.username, args.password)
        return "200 over HTTP/2, an access token"

    def realtime():
        nonlocal since
        summary, since = check_realtime(curl, ca, https_port, token, args.resource)
        return summary

    checks = [
        ("tls", lambda: check_tls(https_port, ca)),
        ("redirect", lambda: check_redirect(http_port)),
        ("login", login),
        ("me", lambda: check_me(curl, token, args.username, args.expect_hsts)),
        ("client", lambda: check_client(curl, token, args.request_id)),
        ("body", lambda: check_body_limit(curl, token, args.resource, directory)),
        ("websocket", lambda: check_websocket(ca, https_port)),
        ("realtime", realtime),
        ("events", lambda: check_events(curl, token, args.resource, since)),
        ("log", lambda: check_error_log(nginx)),
    ]
    for name, check in checks:
        print("ok   %-9s %s" % (name, check()), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream-port", type=int, required=True, help="where api serve listens on 127.0.0.1")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--resource", default="projects", help="a declared resource the user may create and read")
    parser.add_argument("--request-id", default="tls-proxy-check-" + os.urandom(4).hex())
    parser.add_argument("--expect-hsts", action="store_true", help="api runs with an https:// server.public_url")
    parser.add_argument("--config", default=os.path.join(REPOSITORY, "deploy", "nginx.conf"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (printed)")
    args = parser.parse_args()
    for tool in ("nginx", "openssl", "curl"):
        if shutil.which(tool) is None:
            print("FAIL %s is not installed (make test installs it)" % tool)
            return 1

    directory = tempfile.mkdtemp(prefix="tls-proxy-check-")
    nginx = None
    try:
        certificates = make_certificates(directory)
        https_port, http_port = free_port(), free_port()
        with open(args.config) as file:
            configuration = render_config(file.read(), directory, certificates, https_port, http_port, args.upstream_port)
        nginx = Nginx(directory, configuration)
        nginx.wait_listening(https_port)
        nginx.wait_listening(http_port)
        run_checks(args, directory, certificates, nginx, https_port, http_port)
        return 0
    except (CheckFailed, OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
        print("FAIL %s: %s" % (type(error).__name__, error))
        if nginx:
            print("--- nginx's log\n" + nginx.log())
        return 1
    finally:
        if nginx:
            nginx.stop()
        if args.keep:
            print("kept", directory)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
