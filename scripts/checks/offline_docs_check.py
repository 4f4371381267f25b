#!/usr/bin/env python3
"""Headless Chromium opens the built-in docs page with the network denied, and the page must work (issue 4).

    python3 scripts/checks/offline_docs_check.py --url http://127.0.0.1:8123/docs/offline [--screenshot FILE]

Checks, each bounded in time: the page renders an element `[data-operation-id]` for every operationId in the live
`/openapi.json`; expanding `GET /healthz` and clicking its Send button shows 200 and a body with "status": "ok"; the
page throws no JavaScript exception; and every request Chromium made went to the server's host. Prints
`FAIL: <reason>` lines and exits 1 on failure, or one `OK: ...` line. Needs Debian's `chromium` and python3 only:
the DevTools protocol runs over `--remote-debugging-pipe` (fds 3 and 4, NUL-terminated JSON), so no websocket
library is needed.
"""
import argparse, base64, fcntl, json, os, select, shutil, signal, subprocess, sys, tempfile, time, urllib.parse, urllib.request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RENDER_SECONDS = 20      # the page loads /openapi.json and renders every operation within this
RESPONSE_SECONDS = 20    # a Send click shows its response within this
COMMAND_SECONDS = 15     # any single DevTools command answers within this


class CheckFailed(Exception):
    """A check that failed; its message is the reason printed after FAIL."""


class DevTools:
    """A Chromium child driven over the DevTools pipe, with one page attached in flattened-session mode."""

    def __init__(self, arguments):
        self.next_id = 0
        self.buffer = b""
        self.requested = []     # every URL the page asked the network for (Network.requestWillBeSent)
        self.exceptions = []    # uncaught JavaScript exceptions (Runtime.exceptionThrown)
        self.session = None
        self.process, self.to_browser, self.from_browser = self._spawn(arguments)

    @staticmethod
    def _spawn(arguments):
        # Chromium reads commands from fd 3 and writes replies to fd 4. Whatever this process holds at 3 and 4 is
        # set aside, the child's pipe ends are put there just for the spawn (pass_fds keeps exactly those), and
        # then 3 and 4 are put back. Every other descriptor is first moved above 9 so none of them is 3 or 4.
        def above_nine(descriptor):
            moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
            os.close(descriptor)
            return moved

        saved = {}
        for number in (3, 4):
            try:
                saved[number] = (fcntl.fcntl(number, fcntl.F_DUPFD_CLOEXEC, 10), os.get_inheritable(number))
            except OSError:
                saved[number] = None
        to_child_read, to_child_write, from_child_read, from_child_write = map(above_nine, os.pipe() + os.pipe())
        try:
            os.dup2(to_child_read, 3)
            os.dup2(from_child_write, 4)
            process = subprocess.Popen([CHROMIUM] + arguments, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            for number in (3, 4):
                if saved[number] is None:
                    os.close(number)
                else:
                    descriptor, inheritable = saved[number]
                    os.dup2(descriptor, number, inheritable=inheritable)
                    os.close(descriptor)
            os.close(to_child_read)
            os.close(from_child_write)
        return process, to_child_write, from_child_read

    def send(self, method, params=None, session=True, timeout=COMMAND_SECONDS):
        """Sends a command and returns its result; raises CheckFailed on a protocol error or a timeout."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.to_browser, data):]
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline, f"the reply to {method}")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CheckFailed(f"{method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})

    def _read(self, deadline, what):
        """The next message; events are recorded on the way."""
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckFailed(f"timed out waiting for {what}")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self.from_browser, 1 << 16)
                if not chunk:
                    raise CheckFailed(f"chromium closed the DevTools pipe (exit status {self.process.poll()}) while waiting for {what}")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        method = message.get("method")
        if method == "Network.requestWillBeSent":
            self.requested.append(message["params"]["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.exceptions.append(details.get("exception", {}).get("description") or details.get("text"))
        return message

    def pump(self, seconds):
        """Reads events for up to `seconds`, so that network and exception records are current."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._read(deadline, "events")
        except CheckFailed:
            pass

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CheckFailed(f"evaluating {expression[:80]!r}: {details.get('exception', {}).get('description') or details.get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression, seconds, what):
        """Polls `expression` until it is truthy, and returns its value."""
        deadline = time.monotonic() + seconds
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise CheckFailed(f"timed out after {seconds} s waiting for {what}")
            self.pump(0.1)

    def click(self, selector, what):
        """A real mouse click (pressed and released) at the centre of the element `selector`."""
        box = self.evaluate(f"""(() => {{
            const node = document.querySelector({json.dumps(selector)});
            if (!node) return null;
            node.scrollIntoView({{ block: "center" }});
            const rect = node.getBoundingClientRect();
            return rect.width && rect.height ? {{ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }} : null;
        }})()""")
        if not box:
            raise CheckFailed(f"{what} ({selector}) is missing or not visible")
        for event in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": event, "x": box["x"], "y": box["y"], "button": "left" if event != "mouseMoved" else "none",
                                                   "clickCount": 1 if event != "mouseMoved" else 0})

    def screenshot(self, path):
        """A PNG of the whole page, not just the viewport, from the top (so sticky elements sit where a reader sees them)."""
        self.evaluate("window.scrollTo(0, 0)")
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        result = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}, timeout=30)
        with open(path, "wb") as file:
            file.write(base64.b64decode(result["data"]))

    def close(self):
        """Asks Chromium to quit, waits up to 5 s, then kills whatever is left of its process group."""
        if self.process.poll() is None:
            try:
                self.send("Browser.close", session=False, timeout=5)
            except (CheckFailed, OSError):
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        # start_new_session made chromium the leader of its own group: killing the group also ends any helper
        # (renderer, zygote) that outlived the browser process. The group ID cannot be reused while members remain.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait(timeout=10)
        for descriptor in (self.to_browser, self.from_browser):
            try:
                os.close(descriptor)
            except OSError:
                pass


def chromium_arguments(profile, host):
    # Deny the network three ways: every host name but the server's fails to resolve, anything that still
    # tries goes to a proxy on the discard port, and the Network domain records what was asked (checked below).
    return [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", f"--user-data-dir={profile}",
        f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {host}",
        "--proxy-server=127.0.0.1:9", f"--proxy-bypass-list={host}",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-default-apps", "--disable-extensions", "--disable-sync", "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--metrics-recording-only", "--mute-audio", "--password-store=basic", "--use-mock-keychain",
        "--window-size=1280,900", "about:blank",
    ]


def operations_of(document):
    """(operationId, method, path) for every operation in an OpenAPI document."""
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return [(operation.get("operationId"), method, path)
            for path, item in document.get("paths", {}).items()
            for method, operation in item.items() if method in methods and isinstance(operation, dict)]


def open_page(browser, url):
    """Attaches to a fresh page, turns on the domains the checks read, and loads `url`."""
    target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
    for domain in ("Page", "Runtime", "Network"):
        browser.send(f"{domain}.enable")
    browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    result = browser.send("Page.navigate", {"url": url})
    if result.get("errorText"):
        raise CheckFailed(f"loading {url}: {result['errorText']}")


def check_page(browser, url, document, screenshot):
    """Runs every check against the loaded page; returns the OK line."""
    operations = operations_of(document)
    ids = [operation_id for operation_id, _, _ in operations if operation_id]
    if len(ids) != len(operations):
        raise CheckFailed("an operation in /openapi.json has no operationId")
    open_page(browser, url)
    rendered = browser.wait_for(f"""(() => {{
        if (document.querySelector("[data-load-error]")) return "error: " + document.querySelector("[data-load-error]").textContent;
        return document.querySelectorAll("[data-operation-id]").length >= {len(ids)} ? "ok" : "";
    }})()""", RENDER_SECONDS, f"{len(ids)} operations to render")
    if rendered != "ok":
        raise CheckFailed(f"the page could not load the document: {rendered}")
    missing = browser.evaluate(f"""{json.dumps(ids)}.filter((id) => !document.querySelector('[data-operation-id="' + CSS.escape(id) + '"]'))""")
    if missing:
        raise CheckFailed(f"operations in /openapi.json not on the page: {', '.join(missing)}")

    health = [operation_id for operation_id, method, path in operations if method == "get" and path == "/healthz"]
    if not health:
        raise CheckFailed("/openapi.json has no GET /healthz")
    operation = f"[data-operation-id={json.dumps(health[0])}]"
    send, panel = json.dumps(operation + " .send"), json.dumps(operation + " .response")
    browser.click(f"{operation} .op-head", "the GET /healthz header")
    browser.wait_for(f"(() => {{ const b = document.querySelector({send}); return Boolean(b && b.getBoundingClientRect().height); }})()",
                     5, "the GET /healthz operation to expand")
    text = browser.evaluate(f"document.querySelector({send}).textContent.trim()")
    if text != "Send":
        raise CheckFailed(f"the send button reads {text!r}, not 'Send'")
    browser.click(f"{operation} .send", "the GET /healthz Send button")
    answered = browser.wait_for(f"""(() => {{
        const panel = document.querySelector({panel});
        if (!panel) return null;
        if (panel.dataset.status) return {{ status: panel.dataset.status, text: panel.textContent }};
        if (panel.dataset.error) return {{ error: panel.dataset.error }};
        return null;
    }})()""", RESPONSE_SECONDS, "the GET /healthz response")
    if "error" in answered:
        raise CheckFailed(f"GET /healthz from the page failed: {answered['error']}")
    if answered["status"] != "200":
        raise CheckFailed(f"GET /healthz from the page answered {answered['status']}")
    if '"status"' not in answered["text"] or '"ok"' not in answered["text"]:
        raise CheckFailed(f"GET /healthz shows no \"status\": \"ok\": {answered['text'][:300]!r}")
    browser.pump(0.3)   # the last network and exception events
    if screenshot:
        browser.screenshot(screenshot)
    return f"OK: {len(ids)} operations listed, GET /healthz -> 200"


def check_network(browser, host):
    """FAIL reasons for any request the page made away from the server, and for any JavaScript exception."""
    reasons = []
    for url in browser.requested:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != host:
            reasons.append(f"the page requested {url}, which is not on {host}")
    for exception in browser.exceptions:
        reasons.append(f"JavaScript exception: {exception}")
    return reasons


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the docs page, e.g. http://127.0.0.1:8123/docs/offline")
    parser.add_argument("--screenshot", help="save a full-page PNG here once the response is shown")
    options = parser.parse_args()
    parts = urllib.parse.urlsplit(options.url)
    host = parts.hostname or ""
    if host != "127.0.0.1":
        print(f"FAIL: --url must be on 127.0.0.1 (the only host the browser may reach), not {host!r}")
        return 1
    try:
        with urllib.request.urlopen(f"{parts.scheme}://{parts.netloc}/openapi.json", timeout=10) as response:
            document = json.load(response)
    except (OSError, ValueError) as error:
        print(f"FAIL: GET /openapi.json: {error}")
        return 1
    if not os.path.exists(CHROMIUM):
        print(f"FAIL: chromium not found at {CHROMIUM} (apt-get install chromium)")
        return 1

    profile = tempfile.mkdtemp(prefix="offline-docs-chromium-")
    browser = None
    reasons, summary = [], None
    try:
        browser = DevTools(chromium_arguments(profile, host))
        summary = check_page(browser, options.url, document, options.screenshot)
    except CheckFailed as error:
        reasons.append(str(error))
    finally:
        if browser:
            reasons += check_network(browser, host)
            browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    if reasons:
        for reason in reasons:
            print(f"FAIL: {reason}")
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
