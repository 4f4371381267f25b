#!/usr/bin/env python3
"""Peak memory of `api import` and `api export` by the number of records (issue 17): both stream, so the peak should
stay flat from 100,000 to 1,000,000 records.

For each size, a fresh database with config.example.json's `projects` and its owner, an NDJSON file of that many
projects, then `api import projects FILE` and `api export projects > /dev/null`, each one process whose peak RSS
(`ru_maxrss` from wait4) and wall time are reported. Release build.

    python3 scripts/bench/import_memory.py              # SIZES=100000,1000000
"""
import json, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import api_binary  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZES = [int(size) for size in os.environ.get("SIZES", "100000,1000000").split(",")]


def measured(argv, env, stdin=None, stdout=subprocess.DEVNULL):
    """Runs argv; its exit status, peak RSS in MiB and seconds."""
    start = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, time.monotonic() - start


def main():
    binary = api_binary()
    resources = json.dumps(json.load(open(os.path.join(ROOT, "config.example.json")))["resources"])
    print("| records | import: peak RSS MiB | import s | export: peak RSS MiB | export s |")
    print("|---:|---:|---:|---:|---:|")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as directory:
            env = dict(os.environ, API_DATABASE_PATH=os.path.join(directory, "api.db"), API_RESOURCES=resources,
                       API_AUTH_SECRET="bench-secret-0123456789-abcdefghijklmnopqrstuv", API_AUTH_ARGON2_MEMORY_KIB="8")
            added = subprocess.run([binary, "user", "add", "owner@example.com", "--password-stdin"], input=b"owner-password-1\n", env=env,
                                   capture_output=True)
            assert added.returncode == 0, added.stderr
            source = os.path.join(directory, "projects.ndjson")
            with open(source, "w") as file:
                for number in range(1, size + 1):
                    file.write(json.dumps({"name": f"project {number}", "budget": number % 1000, "tags": ["t"], "owner_id": 1}) + "\n")
            code, import_mib, import_s = measured([binary, "import", "projects", source], env)
            assert code == 0, f"import of {size} failed"
            code, export_mib, export_s = measured([binary, "export", "projects"], env)
            assert code == 0, f"export of {size} failed"
            print(f"| {size:,} | {import_mib:.1f} | {import_s:.1f} | {export_mib:.1f} | {export_s:.1f} |", flush=True)


if __name__ == "__main__":
    main()
