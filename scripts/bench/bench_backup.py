#!/usr/bin/env python3
"""Write latency while `api backup` runs (issue 20, must show 5; DESIGN §13: a backup never blocks writes).

One release `api serve` (its defaults: a loop per core) holds a `notes` resource seeded with SEED records. Then, in
ROUNDS rounds whose order alternates, two windows of DUR seconds each of `api bench -m POST /notes/ -c 64` (closed
loop): one quiet, one during which `api backup` runs back to back. The table gives each window's p99 write latency,
the ratio inside each round, and the backups' sizes and durations; target: the median ratio at most 2.

    python3 scripts/bench/bench_backup.py              # SEED=200000 ROUNDS=4 DUR=6
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import api_binary, wait_for_200  # noqa: E402

SEED = int(os.environ.get("SEED", "200000"))
ROUNDS = int(os.environ.get("ROUNDS", "4"))
DUR = int(os.environ.get("DUR", "6"))
PORT = 8098
NOTES = {"notes": {"fields": {"title": {"type": "string"}, "body": {"type": "string", "default": ""}},
                   "rules": {"create": "authenticated", "list": "authenticated"}}}


def bench(binary, token, body, extra):
    argv = [binary, "bench", f"http://127.0.0.1:{PORT}/notes/", "-m", "POST", "--body", body, "-c", "64",
            "-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {token}", "--json"] + extra
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)


def backups_until(binary, env, target, stop, made):
    """Runs `api backup` back to back until `stop` is set; records (seconds, bytes) of each."""
    while not stop.is_set():
        started = time.monotonic()
        subprocess.run([binary, "backup", target], env=env, capture_output=True, check=True)
        made.append((time.monotonic() - started, os.path.getsize(target)))


def main():
    binary = api_binary()
    data = tempfile.mkdtemp(prefix="bench-backup-")
    env = dict(os.environ, API_DATABASE_PATH=os.path.join(data, "api.db"), API_AUTH_SECRET="bench-secret-" + "x" * 40,
               API_LOG_ACCESS="off", API_HTTP_RATE_LIMITS_ENABLED="false", API_RESOURCES=json.dumps(NOTES),
               API_AUTH_ARGON2_MEMORY_KIB="1024", API_AUTH_ARGON2_ITERATIONS="1")
    subprocess.run([binary, "user", "add", "admin@example.com", "--admin", "--password-stdin"], input="admin-password-1\n",
                   env=env, capture_output=True, text=True, check=True)
    token = subprocess.run([binary, "token", "issue", "--subject", "admin@example.com", "--ttl", "2h"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    body = os.path.join(data, "note.json")
    open(body, "w").write(json.dumps({"title": "a note", "body": "x" * 200}))
    server = subprocess.Popen([binary, "serve", "--port", str(PORT)], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for_200(PORT, "/readyz")
        bench(binary, token, body, ["-n", str(SEED)])
        print(f"seeded {SEED} notes: database {os.path.getsize(os.path.join(data, 'api.db')) / 1e6:.1f} MB", flush=True)
        rows, made = [], []
        for number in range(ROUNDS):
            order = ["quiet", "backup"] if number % 2 == 0 else ["backup", "quiet"]
            p99 = {}
            for window in order:
                stop = threading.Event()
                runner = threading.Thread(target=backups_until, args=(binary, env, os.path.join(data, "b.db"), stop, made))
                if window == "backup":
                    runner.start()
                result = bench(binary, token, body, ["-d", f"{DUR}s"])
                stop.set()
                if window == "backup":
                    runner.join()
                p99[window] = result["latency_us"]["p99"]
                failed = result["status_400_or_more"] + result["errors"]["total"]
                if failed:
                    raise SystemExit(f"{window}: {failed} failed writes")
            rows.append((p99["quiet"], p99["backup"]))
            print(f"round {number + 1}: p99 quiet {p99['quiet'] / 1000:.2f} ms, during backups {p99['backup'] / 1000:.2f} ms", flush=True)
        ratios = [backup / quiet for quiet, backup in rows]
        print(f"\n| window | p99 write latency (median of {ROUNDS}) |\n|---|---|")
        print(f"| quiet | {statistics.median(q for q, _ in rows) / 1000:.2f} ms |")
        print(f"| `api backup` back to back | {statistics.median(b for _, b in rows) / 1000:.2f} ms |")
        print(f"\nratio (median of per-round ratios): {statistics.median(ratios):.2f}x (target at most 2x); "
              f"{len(made)} backups of {statistics.median(b for _, b in made) / 1e6:.1f} MB, "
              f"median {statistics.median(s for s, _ in made):.2f} s each")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
