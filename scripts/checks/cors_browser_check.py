#!/usr/bin/env python3
"""Headless Chromium runs a page served from another origin that calls the API with fetch (issue 19, CORS).

    python3 scripts/checks/cors_browser_check.py --api http://127.0.0.1:8000 --page-port 8765 \\
        --email ada@example.com --password secret-password

The page, at http://localhost:PAGE_PORT/app.html (another host and port than the API: another origin), logs in
with `POST /token`, reads `GET /users/me` with the token, creates a user with `POST /users/`, asks for another user's
record (403 for a member), and writes what it saw (statuses, the email it read, whether `x-request-id` was readable, or the
error a blocked call threw) into the page as JSON. This prints that JSON on one line; the caller decides whether the
calls should have worked (the origin allowed) or failed (not allowed). Exits 1 when the page did not finish.
"""
import argparse, http.server, json, os, shutil, sys, tempfile, threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offline_docs_check import CheckFailed, DevTools, open_page  # noqa: E402

FINISH_SECONDS = 20

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>another origin</title></head>
<body><pre id="result"></pre>
<script>
const API = %(api)s, out = {};
async function step(name, run) {
  try { await run(); } catch (error) { out[name + "_error"] = String(error); }
}
async function main() {
  let token = null;
  await step("login", async () => {
    const answer = await fetch(API + "/token", { method: "POST", body: new URLSearchParams({ username: %(email)s, password: %(password)s }) });
    out.login = answer.status;
    token = (await answer.json()).access_token;
  });
  await step("me", async () => {
    const answer = await fetch(API + "/users/me", { headers: { Authorization: "Bearer " + token } });
    out.me = answer.status;
    out.me_email = (await answer.json()).email;
    out.me_request_id = answer.headers.get("x-request-id") ? "readable" : "hidden";
  });
  await step("create", async () => {
    const answer = await fetch(API + "/users/", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "From the page", email: "page-" + Date.now() + "@example.com", password: "page-password-1" }) });
    out.create = answer.status;
  });
  await step("missing", async () => {
    const answer = await fetch(API + "/users/999999", { headers: { Authorization: "Bearer " + token } });
    out.missing = answer.status;
    out.missing_detail = (await answer.json()).detail;
  });
  document.getElementById("result").textContent = JSON.stringify(out);
}
main();
</script></body></html>
"""


def serve_page(directory, port):
    """A static server for `directory` on localhost:port, in a thread."""
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=directory)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api", required=True)
    parser.add_argument("--page-port", type=int, required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    arguments = parser.parse_args()
    directory, profile = tempfile.mkdtemp(), tempfile.mkdtemp()
    with open(os.path.join(directory, "app.html"), "w") as page:
        page.write(PAGE % {"api": json.dumps(arguments.api), "email": json.dumps(arguments.email), "password": json.dumps(arguments.password)})
    server = serve_page(directory, arguments.page_port)
    browser = DevTools(["--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", f"--user-data-dir={profile}",
                        "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                        "--disable-extensions", "--disable-sync", "about:blank"])
    try:
        open_page(browser, f"http://localhost:{arguments.page_port}/app.html")
        result = browser.wait_for("(document.getElementById('result') || {}).textContent || null", FINISH_SECONDS, "the page's calls to finish")
        print(result)
        return 0
    except CheckFailed as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        browser.close()
        server.shutdown()
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
