#!/usr/bin/env python3
"""Moves the FastAPI app's projects (../shared/peers/fastapi_app.py) into `api`'s `projects` resource.

The FastAPI app keeps its projects in SQLite, table `project` (id, name, status, budget, tags as JSON, owner as a
username, created_at). Export it as CSV with a header, convert it, and import it:

    sqlite3 -header -csv fastapi.db "SELECT * FROM project ORDER BY id" > fastapi-projects.csv
    python3 scripts/transfer/fastapi_projects_to_api.py fastapi-projects.csv --owner test=1 > projects.csv
    api import projects projects.csv --format csv --dry-run     # check every line first
    api import projects projects.csv --format csv

`--owner USERNAME=ID` maps the FastAPI owner names to `api` user ids (make the users first with `api user add`;
`--default-owner ID` takes the rest). Ids and creation times are kept, so links to `/projects/{id}` keep working;
`updated_at` is the creation time and `version` 1. FastAPI's times (`2026-12-04 01:02:03.456789`, naive UTC) become
RFC 3339 UTC to the millisecond, as `api` stores them. The output is the CSV `api export projects --format csv` writes.
"""
import argparse, csv, json, sys

COLUMNS = ["id", "name", "status", "budget", "tags", "due", "lead", "owner_id", "created_at", "updated_at", "version"]


def rfc3339(text):
    """`2026-12-04 01:02:03.456789` or `2026-12-04T01:02:03+00:00` -> `2026-12-04T01:02:03.456Z`."""
    date, _, time = text.replace("T", " ").partition(" ")
    time = time.split("+")[0].rstrip("Z")
    clock, _, fraction = time.partition(".")
    if clock.count(":") == 1:
        clock += ":00"
    return f"{date}T{clock}.{(fraction + '000')[:3]}Z"


def number(text):
    """A budget as `api` writes a number: always with a fraction (`5.0`), as its REAL column reads back."""
    return repr(float(text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv_file")
    parser.add_argument("--owner", action="append", default=[], help="USERNAME=ID (repeatable)")
    parser.add_argument("--default-owner", type=int, help="the api user id of owners not named by --owner")
    args = parser.parse_args()
    owners = {name: int(number) for name, number in (pair.split("=", 1) for pair in args.owner)}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in csv.DictReader(open(args.csv_file, newline="")):
        owner = owners.get(row["owner"], args.default_owner)
        if owner is None:
            sys.exit(f"project {row['id']}: no api user for owner {row['owner']!r}; give --owner {row['owner']}=ID")
        created = rfc3339(row["created_at"])
        tags = json.dumps(json.loads(row["tags"] or "[]"), separators=(",", ":"))
        writer.writerow([row["id"], row["name"], row["status"], number(row["budget"]), tags, "", "", owner, created, created, 1])


if __name__ == "__main__":
    main()
