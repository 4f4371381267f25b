#!/usr/bin/env python3
"""The API routes of `api serve` next to the FastAPI app it replaces, alternating in one run (DESIGN §8, issues 5 and 8).

Peers: `../shared/peers/fastapi_app.py` under gunicorn with 2 uvicorn workers (as ../shared/peers/run.sh runs
it), in `.tools/peers-venv` (make bench-deps pins its packages), and `api serve` (release build) with
`Benchmarks/api-bench.json` (2 workers, access log off as gunicorn's is, the minimum Argon2 cost for POST
/users/). Each repetition starts each server on a fresh data directory, makes a user and a token, then runs
wrk -t2 -c64 for DUR seconds (after a 1 s warm-up) per case:

    users_get   GET /users/1 with a bearer token (api: token check + SQLite read; FastAPI: a SQLite read, no auth)
    me          GET /users/me with a bearer token (api: token check + user read; FastAPI: JWT decode)
    users_post  POST /users/ with a new email each time (api: Argon2id + a committed insert; FastAPI: an insert)
    action      POST /action/?user=bench (api: token check + a committed job, which writes the audit entry;
                FastAPI: 200 at once, a BackgroundTasks append to a file after the response)
    projects_post   POST /projects/ (api: the `projects` resource of config.example.json, declared in the config;
                    FastAPI: the peer's SQLModel `projects`), a new name each time
    projects_get    GET /projects/{id}, a random one of the 10,000 seeded rows
    projects_list   GET /projects/ filtered on status and budget, sorted by -budget, 20 items (api: `filter=` and the
                    owner rule; FastAPI: `status=&min_budget=&owner=&order_by=-budget`)
    projects_patch  PATCH /projects/{id} with a new budget, a random seeded row

Before the projects cases, each server gets the same 10,000 projects (ROWS), made through its own POST /projects/.

Reported: medians of req/s and latency, the api/FastAPI ratios taken inside each repetition, and for `action`
the background writes still pending when wrk stopped, the age of the oldest (api's queue age), and how long they
took to drain.

    python3 scripts/bench/bench_api.py                  # REPS=3 DUR=10
    REPS=5 CASES=users_get,me python3 scripts/bench/bench_api.py
"""
import concurrent.futures, json, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import api_binary, to_ms, tree_pids, status_kib, wait_for_200  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")
VENV = os.path.join(ROOT, ".tools", "peers-venv")
WRK_SCRIPTS = os.path.join(ROOT, "Benchmarks", "wrk")
REPS = int(os.environ.get("REPS", "3"))
DUR = int(os.environ.get("DUR", "10"))
CASES = os.environ.get("CASES", "users_get,me,users_post,action,projects_post,projects_get,projects_list,projects_patch").split(",")
ROWS = int(os.environ.get("ROWS", "10000"))
API_PORT, FASTAPI_PORT = 8093, 8001
# DESIGN §8 and issue 16: times FastAPI under gunicorn -w2
TARGETS = {"users_get": 20, "me": 6, "users_post": 20, "action": 10, "projects_post": 15, "projects_get": 20, "projects_list": 15,
           "projects_patch": 15}
PATHS = {"users_get": "/users/1", "me": "/users/me", "users_post": "/users/", "action": "/action/?user=bench",
         "projects_post": "/projects/", "projects_get": "/projects/1", "projects_patch": "/projects/1"}
LIST_PATHS = {"api": "/projects/?filter=status%20%3D%20%22active%22%20%26%26%20budget%20%3E%3D%20100&sort=-budget&limit=20",
              "fastapi-gunicorn-w2": "/projects/?status=active&min_budget=100&owner=test&order_by=-budget&limit=20"}
SCRIPTS = {"users_get": "get_token.lua", "me": "get_token.lua", "users_post": "post_users.lua", "action": "post_action.lua",
           "projects_post": "post_projects.lua", "projects_get": "project_by_id.lua", "projects_list": "get_token.lua",
           "projects_patch": "project_by_id.lua"}
METHODS = {"projects_patch": "PATCH"}
RUN_ID = [0]


def request(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Peer:
    def __init__(self, name, port):
        self.name, self.port = name, port

    def start(self):
        self.data = tempfile.mkdtemp(prefix=f"bench-{self.name}-")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv(), env=self.env(), cwd=self.cwd(), stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.data, "stderr"), "w"))
        self.startup = time.monotonic() - t0 + wait_for_200(self.port, self.probe, deadline_s=60)
        time.sleep(1.0)
        self.pids = tree_pids(self.proc.pid)
        self.idle_kib = status_kib(self.pids, "VmRSS")
        self.token = self.prepare()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)


class API(Peer):
    probe = "/healthz"

    def __init__(self, binary):
        super().__init__("api", API_PORT)
        self.binary = binary

    def argv(self):
        return [self.binary, "serve", "--config", os.path.join(ROOT, "Benchmarks", "api-bench.json"), "--port", str(self.port)]

    def env(self):
        # A load test is a flood from one address and one token, which the default rate limits (issue 19) refuse; a
        # binary from before them ignores the variable (it knows no `http` section).
        resources = json.dumps(json.load(open(os.path.join(ROOT, "config.example.json")))["resources"])
        return dict(os.environ, API_DATABASE_PATH=os.path.join(self.data, "api.db"), API_HTTP_RATE_LIMITS_ENABLED="false",
                    API_RESOURCES=resources)

    def cwd(self):
        return self.data

    def jobs_metrics(self):
        _, text = request("GET", f"http://127.0.0.1:{self.port}/metrics")
        return {name: float(value) for name, value in (line.split(" ", 1) for line in text.decode().splitlines() if line.startswith("api_jobs_"))}

    def backlog(self):
        """Jobs not yet done (queued or running), from /metrics."""
        values = self.jobs_metrics()
        return int(values["api_jobs_queued"]) + int(values["api_jobs_running"])

    def queue_age_ms(self):
        """The age of the oldest queued job (0 when none is), from /metrics."""
        return self.jobs_metrics()["api_jobs_queue_age_seconds"] * 1000

    def prepare(self):
        body = json.dumps({"name": "bench", "email": "bench@example.com", "password": "bench-password"}).encode()
        status, _ = request("POST", f"http://127.0.0.1:{self.port}/users/", body, {"Content-Type": "application/json"})
        assert status == 201, f"api: creating user 1 gave {status}"
        form = b"username=bench%40example.com&password=bench-password"
        status, body = request("POST", f"http://127.0.0.1:{self.port}/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200, f"api: login gave {status} {body[:200]}"
        return json.loads(body)["access_token"]


class FastAPI(Peer):
    probe = "/hello"

    def __init__(self):
        super().__init__("fastapi-gunicorn-w2", FASTAPI_PORT)

    def argv(self):
        return [os.path.join(VENV, "bin", "gunicorn"), "fastapi_app:app", "-k", "uvicorn.workers.UvicornWorker", "--workers", "2",
                "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]

    def env(self):
        return dict(os.environ, APP_DATA_DIR=self.data)

    def cwd(self):
        return PEERS

    def queue_age_ms(self):
        """Not known: BackgroundTasks are not timed."""
        return float("nan")

    def backlog(self):
        """Audit lines not yet written: the requests answered minus the lines in the file (run.sh's audit_drain)."""
        path = os.path.join(self.data, "audit.log")
        lines = sum(1 for _ in open(path)) if os.path.exists(path) else 0
        return self.answered - lines

    def prepare(self):
        body = json.dumps({"name": "bench", "email": "bench@example.com", "password": "bench-password"}).encode()
        status, _ = request("POST", f"http://127.0.0.1:{self.port}/users/", body, {"Content-Type": "application/json"})
        assert status == 200, f"fastapi: creating user 1 gave {status}"
        status, body = request("POST", f"http://127.0.0.1:{self.port}/token", b"username=test&password=test",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200, f"fastapi: login gave {status}"
        return json.loads(body)["access_token"]


def seed_projects(peer, rows):
    """`rows` projects through the peer's own POST /projects/, 8 at a time: statuses in turn, budgets 0-999."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {peer.token}"}
    statuses = ("draft", "active", "archived")

    def create(number):
        body = json.dumps({"name": f"seed {number}", "status": statuses[number % 3], "budget": (number * 37) % 1000, "tags": ["seed"]})
        status, answer = request("POST", f"http://127.0.0.1:{peer.port}/projects/", body.encode(), headers)
        assert status == 201, f"{peer.name}: seeding project {number} gave {status} {answer[:200]}"

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(create, range(1, rows + 1)))


def wrk(peer, case, duration):
    url = f"http://127.0.0.1:{peer.port}" + (LIST_PATHS[peer.name] if case == "projects_list" else PATHS[case])
    script = os.path.join(WRK_SCRIPTS, SCRIPTS[case])
    RUN_ID[0] += 1
    env = dict(os.environ, TOKEN=peer.token, RUN=f"{os.getpid()}-{RUN_ID[0]}", ROWS=str(ROWS), METHOD=METHODS.get(case, "GET"))
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{duration}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "requests": requests, "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors.group(1) if errors else ""}


def drain(peer, answered):
    """The background writes pending when wrk stopped, the age of the oldest (api only: FastAPI's tasks are not
    timed), and the milliseconds until none are (at most 120 s); `answered` is how many POST /action/ got a 2xx so
    far (FastAPI's backlog is counted against it)."""
    peer.answered = answered
    start = time.monotonic()
    age = peer.queue_age_ms()
    pending = peer.backlog()
    while peer.backlog() > 0 and time.monotonic() - start < 120:
        time.sleep(0.02)
    return pending, age, (time.monotonic() - start) * 1000


def main():
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit("bench_api: wrk is missing; run `make bench-deps`")
    if not os.path.exists(os.path.join(VENV, "bin", "gunicorn")):
        sys.exit("bench_api: the FastAPI peer's venv is missing; run `make bench-deps`")
    binary = api_binary()
    results = {}
    for rep in range(1, REPS + 1):
        for peer in (API(binary), FastAPI()):
            peer.start()
            row = results.setdefault(peer.name, {})
            row.setdefault("idle_mib", []).append(peer.idle_kib / 1024)
            row.setdefault("startup_ms", []).append(peer.startup * 1000)
            answered = 0                           # POST /action/ answered 2xx so far, warm-ups included
            if any(case.startswith("projects_") for case in CASES):
                seed_projects(peer, ROWS)
            for case in CASES:
                warm = wrk(peer, case, 1)
                if case == "action":
                    answered += warm["requests"] - warm["non2xx"]
                    drain(peer, answered)
                figures = wrk(peer, case, DUR)
                if case == "action":
                    answered += figures["requests"] - figures["non2xx"]
                    figures["pending"], figures["queue_age_ms"], figures["drain_ms"] = drain(peer, answered)
                for key, value in figures.items():
                    row.setdefault(f"{case}_{key}", []).append(value)
                print(f"rep {rep} {peer.name} {case}: {figures['rps']:.0f} req/s p50 {figures['p50']:.2f} ms p99 {figures['p99']:.2f} ms "
                      f"non-2xx {figures['non2xx']} {figures['errors']}", file=sys.stderr, flush=True)
            row.setdefault("peak_mib", []).append(status_kib(peer.pids, "VmHWM") / 1024)
            peer.stop()
    report(results)


def report(results):
    med = lambda name, key: statistics.median(results[name][key])
    names = ("api", "fastapi-gunicorn-w2")
    print(f"\n### API routes, wrk -t2 -c64, {DUR} s per run, median of {REPS} alternating runs\n")
    print("| server | case | req/s | p50 ms | p99 ms | non-2xx (last run) |")
    print("|---|---|---:|---:|---:|---:|")
    for case in CASES:
        for name in names:
            print(f"| {name} | {case} | {med(name, f'{case}_rps'):,.0f} | {med(name, f'{case}_p50'):.2f} | {med(name, f'{case}_p99'):.2f} | "
                  f"{results[name][f'{case}_non2xx'][-1]} |")
    print("\n| case | api / FastAPI gunicorn -w2, req/s (median of per-run ratios) | target | per run |")
    print("|---|---:|---:|---|")
    for case in CASES:
        ratios = [a / b for a, b in zip(results["api"][f"{case}_rps"], results["fastapi-gunicorn-w2"][f"{case}_rps"])]
        print(f"| {case} | {statistics.median(ratios):.1f}x | {TARGETS.get(case, '-')}x | {', '.join(f'{r:.1f}' for r in ratios)} |")
    if "action" in CASES:
        print("\n| server | POST /action/ background writes pending when wrk stopped | oldest one's age, ms | time to drain them, ms |")
        print("|---|---:|---:|---:|")
        for name in names:
            age = med(name, 'action_queue_age_ms')
            print(f"| {name} | {med(name, 'action_pending'):,.0f} | {'-' if age != age else f'{age:,.0f}'} | {med(name, 'action_drain_ms'):,.0f} |")
    print("\n| server | idle RSS MiB | peak RSS MiB | start to first 200 ms |")
    print("|---|---:|---:|---:|")
    for name in names:
        print(f"| {name} | {med(name, 'idle_mib'):.1f} | {med(name, 'peak_mib'):.1f} | {med(name, 'startup_ms'):.0f} |")


if __name__ == "__main__":
    main()
