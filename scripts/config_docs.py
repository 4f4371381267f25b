#!/usr/bin/env python3
"""Regenerates the key table of docs/configuration.md from Sources/App/ConfigSchema.swift.

    python3 scripts/config_docs.py        # rewrites the table between the BEGIN/END markers
A test checks that every key of the schema appears in docs/configuration.md.
"""
import os, re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "Sources/App/ConfigSchema.swift")
DOC = os.path.join(ROOT, "docs/configuration.md")
BEGIN, END = "<!-- BEGIN keys (scripts/config_docs.py) -->", "<!-- END keys -->"


def accepts(kind):
    kind = " ".join(kind.split())
    if kind.startswith(".integer("):
        return "integer " + kind[len(".integer("):-1].replace("_", "")
    if kind.startswith(".number("):
        return "number " + kind[len(".number("):-1]
    if kind.startswith(".choice("):
        return "one of " + kind[len(".choice(["):-2]
    return {".string": "string", ".boolean": "`true` or `false`", ".sampling": "`on`, `off`, `sample:N`",
            ".stringList": "array of strings (comma-separated in the environment)"}[kind]


def table():
    source = open(SCHEMA).read()
    rows = re.findall(r'ConfigKey\(path: "([^"]+)", kind: (.*?), defaultValue: (.*?),\s*summary: "(.*?)"\)', source, re.S)
    lines = ["| key | environment | default | accepts | what |", "|---|---|---|---|---|"]
    for path, kind, default, summary in rows:
        env = "API_" + path.upper().replace(".", "_")
        lines.append(f"| `{path}` | `{env}` | `{default.replace('_', '')}` | {accepts(kind)} | {summary} |")
    return "\n".join(lines)


def main():
    text = open(DOC).read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    open(DOC, "w").write(text[:start] + "\n" + table() + "\n" + text[end:])


if __name__ == "__main__":
    main()
