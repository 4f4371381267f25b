#!/usr/bin/env python3
"""Memory and database commits after work (DESIGN §8 "Memory after work", issue 14 items 1 and 2).

    python3 scripts/bench/memory_after_work.py [--binary PATH] [--logins 200] [--json]

Starts `api serve` (release build by default) on a fresh data directory with the default Argon2 cost (19456 KiB,
t=2) and the login throttle opened wide (so every login hashes), and measures its resident memory (VmRSS):

    idle            after start and one /healthz, then 1 s of rest
    sequential      after 10 logins one after another
    flood peak      the highest value sampled every 10 ms while LOGINS logins arrive at once (one thread each)
    after flood     1 s, 2 s ... 5 s after the last login was answered

and the commits of an idle server (`api_database_commits_total`, `api_db_commits_total` before issue 14) over 5 s,
after 10 and after 1,000 `POST /action/` requests, with the CPU time it used meanwhile. Targets (DESIGN §8): flood
peak at most idle + server.worker_threads x auth.argon2.memory_kib + 8 MiB; at most 16 MiB 5 s after the flood; at
most 5 idle commits in 5 s. Exits 1 when a target is missed.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import api_binary, wait_for_200  # noqa: E402

PORT = 8097
MEMORY_KIB = 19456
SECRET = "memory-after-work-secret-0123456789-abcdefghij"
OPEN_THROTTLE = {  # every login hashes; names after issue 14 (and the rate limits of issue 19), then before it
    "new": {"API_AUTH_LOGIN_THROTTLE_ACCOUNT_ADDRESS_FAILURES": "100000", "API_AUTH_LOGIN_THROTTLE_ADDRESS_FAILURES": "100000",
            "API_AUTH_LOGIN_THROTTLE_ACCOUNT_SLOWDOWN_FAILURES": "1000000", "API_HTTP_RATE_LIMITS_ENABLED": "false"},
    "old": {"API_AUTH_LOGIN_THROTTLE_ACCOUNT_FAILURES": "100000", "API_AUTH_LOGIN_THROTTLE_ADDRESS_FAILURES": "100000"},
}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(method, path, body=None, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def login():
    body = b"username=bench%40example.com&password=bench-password-1"
    status, text = request("POST", "/token", body, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise SystemExit(f"login answered {status}: {text[:200]!r}")
    return json.loads(text)["access_token"]


def start(binary, data):
    base = {"API_DATABASE_PATH": f"{data}/api.db", "API_AUTH_SECRET": SECRET, "API_LOG_ACCESS": "off",
            "API_SERVER_PORT": str(PORT), "PATH": os.environ["PATH"]}
    for names in OPEN_THROTTLE.values():
        env = {**base, **names}
        added = subprocess.run([binary, "user", "add", "bench@example.com", "--admin", "--password-stdin"], env=env,
                               input="bench-password-1\n", capture_output=True, text=True)
        if added.returncode == 2 and "login_throttle" in added.stderr.lower():
            continue                                            # a binary of the other generation
        if added.returncode != 0 and "already exists" not in added.stderr:
            raise SystemExit(f"api user add: {added.stderr}")
        proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for_200(PORT, "/healthz", deadline_s=20)
        return proc
    raise SystemExit("the binary refused both generations of throttle settings")


def flood(count):
    barrier, errors = threading.Barrier(count), []

    def one():
        barrier.wait()
        try:
            login()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, errors


def commits():
    _, text = request("GET", "/metrics")
    match = re.search(rb"^api_(?:db|database)_commits_total (\S+)$", text, re.M)
    return int(float(match.group(1)))


def idle_commits(pid, actions, token):
    connection = socket.create_connection(("127.0.0.1", PORT))
    head = f"POST /action/ HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n".encode()
    sent = 0
    while sent < actions:
        batch = min(100, actions - sent)
        connection.sendall(head * batch)
        received = b""
        while received.count(b"HTTP/1.1 200") < batch:
            received += connection.recv(65536)
        sent += batch
    connection.close()
    time.sleep(1.0)                                             # the actions' jobs run
    before, cpu_before = commits(), cpu_seconds(pid)
    time.sleep(5.0)
    return commits() - before, cpu_seconds(pid) - cpu_before


def measure(binary, logins):
    data = tempfile.mkdtemp(prefix="memory-after-work-")
    proc = start(binary, data)
    try:
        request("GET", "/healthz")
        time.sleep(1.0)
        result = {"binary": binary, "idle_kib": rss_kib(proc.pid)}
        for _ in range(10):
            token = login()
        result["after_10_sequential_kib"] = rss_kib(proc.pid)
        time.sleep(1.0)
        peak, sampling = [0], [True]

        def sample():
            while sampling[0]:
                peak[0] = max(peak[0], rss_kib(proc.pid))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        threads, errors = flood(logins)
        for thread in threads:
            thread.join()
        sampling[0] = False
        sampler.join()
        result["flood_peak_kib"] = peak[0]
        result["flood_errors"] = len(errors)
        after = []
        for _ in range(5):
            time.sleep(1.0)
            after.append(rss_kib(proc.pid))
        result["after_flood_kib"] = after
        result["idle_commits_after_10_actions"], result["idle_cpu_s_after_10_actions"] = idle_commits(proc.pid, 10, token)
        result["idle_commits_after_1000_actions"], result["idle_cpu_s_after_1000_actions"] = idle_commits(proc.pid, 990, token)
        return result
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=None, help="the api binary (default: the release build)")
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    binary = args.binary or api_binary()
    result = measure(binary, args.logins)
    workers = os.cpu_count()                                     # server.worker_threads' default
    budget = result["idle_kib"] + workers * MEMORY_KIB + 8 * 1024
    checks = {
        f"flood peak <= idle + {workers} x {MEMORY_KIB} KiB + 8 MiB ({budget / 1024:.1f} MiB)": result["flood_peak_kib"] <= budget,
        "at most 16 MiB 5 s after the flood": result["after_flood_kib"][-1] <= 16 * 1024,
        "at most 5 idle commits in 5 s after 10 actions": result["idle_commits_after_10_actions"] <= 5,
        "at most 5 idle commits in 5 s after 1,000 actions": result["idle_commits_after_1000_actions"] <= 5,
        "every login answered 200": result["flood_errors"] == 0,
    }
    result["checks"] = checks
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        mib = lambda kib: f"{kib / 1024:.1f} MiB"  # noqa: E731
        print(f"binary                      {binary}")
        print(f"idle RSS                    {mib(result['idle_kib'])}")
        print(f"after 10 sequential logins  {mib(result['after_10_sequential_kib'])}")
        print(f"peak during {args.logins} logins     {mib(result['flood_peak_kib'])}")
        print(f"1..5 s after the flood      {', '.join(mib(k) for k in result['after_flood_kib'])}")
        for actions in (10, 1000):
            print(f"idle commits in 5 s after {actions:>4} actions: {result[f'idle_commits_after_{actions}_actions']} "
                  f"(CPU {result[f'idle_cpu_s_after_{actions}_actions'] * 1000:.0f} ms)")
        for name, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
