#!/usr/bin/env python3
"""The projects routes on PostgreSQL (issue 21, must show 4): `api serve` on PostgreSQL, the same on SQLite, and the
FastAPI app it replaces (`../shared/peers/fastapi_app.py`, gunicorn -w2, `APP_DATABASE_URL` with psycopg2) on the
same PostgreSQL, alternating in one run.

A private PostgreSQL 15 cluster is made for the run (initdb in a temporary folder, fsync on, as a production server
has it; as root the server runs as `postgres`). Each repetition gives each peer a fresh database (PostgreSQL) or data
directory (SQLite), seeds ROWS projects through the peer's own POST /projects/, has PostgreSQL gather the planner's
statistics (ANALYZE, as autovacuum does in time), then runs wrk -t2 -c64 for DUR seconds (after a 1 s warm-up) per
case:

    projects_get    GET /projects/{id}, a random seeded row
    projects_list   GET /projects/ filtered on status and budget, sorted by -budget, 20 items
    projects_post   POST /projects/, a new name each time

A fourth peer, `api` on PostgreSQL with `http.rate_limits.shared`, gives what sharing the rate limits costs.

Besides req/s and latency it reports where the time goes: the CPU time per request of the server's processes and of
PostgreSQL's (utime + stime from /proc over the run, divided by the requests answered).

    python3 scripts/bench/bench_postgres.py             # REPS=3 DUR=10 ROWS=10000
"""
import glob, json, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_api  # noqa: E402
from bench_api import API, FastAPI, seed_projects, wrk  # noqa: E402
from bench_http import api_binary, tree_pids  # noqa: E402

REPS = int(os.environ.get("REPS", "3"))
DUR = int(os.environ.get("DUR", "10"))
CASES = os.environ.get("CASES", "projects_get,projects_list,projects_post").split(",")
PG_PORT = 55439
SECRET = "bench-postgres-secret-0123456789-abcdefghijklmnop"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Cluster:
    """A PostgreSQL 15 cluster in a temporary folder, on a Unix socket and 127.0.0.1:PG_PORT."""

    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = tempfile.mkdtemp(prefix="bench-postgres-")
        self.as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(self.as_postgres + [f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                           "--locale=C"], check=True, capture_output=True)
        self.proc = subprocess.Popen(self.as_postgres + [f"{self.bin}/postgres", "-D", f"{self.dir}/data", "-k", self.dir, "-p", str(PG_PORT),
                                                         "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
                                     stderr=open(f"{self.dir}/log", "w"))
        for _ in range(300):
            if "ready to accept connections" in open(f"{self.dir}/log").read():
                break
            time.sleep(0.1)

    def sql(self, statement):
        subprocess.run([f"{self.bin}/psql", "-h", self.dir, "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres", "-qAtc", statement],
                       check=True, capture_output=True)

    def fresh(self, name):
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.sql(f"CREATE DATABASE {name}")
        return name

    def analyze(self):
        for database in ("bench_api", "bench_fastapi"):
            subprocess.run([f"{self.bin}/psql", "-h", self.dir, "-p", str(PG_PORT), "-U", "postgres", "-d", database, "-qAtc", "ANALYZE"],
                           capture_output=True)

    def pids(self):
        return tree_pids(self.proc.pid)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def cpu_seconds(pids):
    """utime + stime of `pids` so far, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / CLOCK_TICKS


class APIOnPostgres(API):
    def __init__(self, binary, cluster):
        super().__init__(binary)
        self.name, self.cluster = "api-postgres", cluster

    def env(self):
        database = self.cluster.fresh("bench_api")
        return dict(super().env(), API_DATABASE_URL=f"host=127.0.0.1 port={PG_PORT} user=postgres dbname={database}", API_AUTH_SECRET=SECRET)


class APIOnPostgresSharedLimits(APIOnPostgres):
    """The same with rate limits shared through the database (`http.rate_limits.shared`), under rules that never
    refuse this load: every request costs its statement in `rate_limits`, all on one bucket (one user), the worst case
    for row locks."""

    def __init__(self, binary, cluster):
        super().__init__(binary, cluster)
        self.name = "api-postgres-shared-limits"

    def env(self):
        return dict(super().env(), API_HTTP_RATE_LIMITS_ENABLED="true", API_HTTP_RATE_LIMITS_SHARED="true",
                    API_HTTP_RATE_LIMITS_RULES="read: read 1000/s 1000000 subject,write: write 1000/s 1000000 subject")


class FastAPIOnPostgres(FastAPI):
    def __init__(self, cluster):
        super().__init__()
        self.name, self.cluster = "fastapi-postgres", cluster

    def env(self):
        database = self.cluster.fresh("bench_fastapi")
        env = dict(super().env(), APP_DATABASE_URL=f"postgresql+psycopg2://postgres@127.0.0.1:{PG_PORT}/{database}")
        # The schema first, made once: the app's two workers would race on CREATE TYPE, which it tolerates on SQLite only.
        subprocess.run([os.path.join(bench_api.VENV, "bin", "python"), "-c", "import fastapi_app; fastapi_app.create_db_and_tables()"],
                       env=env, cwd=self.cwd(), check=True, capture_output=True)
        return env


def main():
    if not shutil.which("wrk"):
        sys.exit("bench_postgres: wrk is missing; run `make bench-deps`")
    bench_api.ROWS = int(os.environ.get("ROWS", "10000"))
    bench_api.LIST_PATHS["api-postgres"] = bench_api.LIST_PATHS["api-postgres-shared-limits"] = bench_api.LIST_PATHS["api"]
    bench_api.LIST_PATHS["fastapi-postgres"] = bench_api.LIST_PATHS["fastapi-gunicorn-w2"]
    binary = api_binary()
    cluster = Cluster()
    results = {}
    try:
        for rep in range(1, REPS + 1):
            for peer in (APIOnPostgres(binary, cluster), APIOnPostgresSharedLimits(binary, cluster), API(binary), FastAPIOnPostgres(cluster)):
                peer.start()
                seed_projects(peer, bench_api.ROWS)
                cluster.analyze()   # the planner's statistics of the seeded table, as autovacuum would gather them in time
                row = results.setdefault(peer.name, {})
                for case in CASES:
                    wrk(peer, case, 1)
                    server, database = tree_pids(peer.proc.pid), cluster.pids()
                    before = (cpu_seconds(server), cpu_seconds(database))
                    figures = wrk(peer, case, DUR)
                    after = (cpu_seconds(tree_pids(peer.proc.pid) | server), cpu_seconds(cluster.pids() | database))
                    answered = max(1, figures["requests"] - figures["non2xx"])
                    figures["server_cpu_us"] = (after[0] - before[0]) / answered * 1e6
                    figures["database_cpu_us"] = (after[1] - before[1]) / answered * 1e6
                    for key, value in figures.items():
                        row.setdefault(f"{case}_{key}", []).append(value)
                    print(f"rep {rep} {peer.name} {case}: {figures['rps']:.0f} req/s p50 {figures['p50']:.2f} ms p99 {figures['p99']:.2f} ms "
                          f"cpu/request server {figures['server_cpu_us']:.0f} us database {figures['database_cpu_us']:.0f} us "
                          f"non-2xx {figures['non2xx']} {figures['errors']}", file=sys.stderr, flush=True)
                peer.stop()
    finally:
        cluster.stop()
    report(results)


def report(results):
    med = lambda name, key: statistics.median(results[name][key])
    names = ("api-postgres", "api-postgres-shared-limits", "api", "fastapi-postgres")
    print(f"\n### Projects on PostgreSQL, wrk -t2 -c64, {DUR} s per run, median of {REPS} alternating runs\n")
    print("| server | case | req/s | p50 ms | p99 ms | CPU µs/request, server | CPU µs/request, PostgreSQL | non-2xx (last run) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for case in CASES:
        for name in names:
            print(f"| {name} | {case} | {med(name, f'{case}_rps'):,.0f} | {med(name, f'{case}_p50'):.2f} | {med(name, f'{case}_p99'):.2f} | "
                  f"{med(name, f'{case}_server_cpu_us'):,.0f} | {med(name, f'{case}_database_cpu_us'):,.0f} | {results[name][f'{case}_non2xx'][-1]} |")
    print("\n| case | api on PostgreSQL / FastAPI on PostgreSQL | api on PostgreSQL / api on SQLite | shared limits / none | per run (vs FastAPI) |")
    print("|---|---:|---:|---:|---|")
    ratios = lambda case, a, b: [x / y for x, y in zip(results[a][f"{case}_rps"], results[b][f"{case}_rps"])]
    for case in CASES:
        versus = ratios(case, "api-postgres", "fastapi-postgres")
        engines, shared = ratios(case, "api-postgres", "api"), ratios(case, "api-postgres-shared-limits", "api-postgres")
        print(f"| {case} | {statistics.median(versus):.1f}x | {statistics.median(engines):.2f}x | {statistics.median(shared):.2f}x | "
              f"{', '.join(f'{r:.1f}' for r in versus)} |")


if __name__ == "__main__":
    main()
