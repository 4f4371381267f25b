#!/usr/bin/env python3
"""Regenerates the key table of docs/configuration.md and config.example.json from Sources/App/Configuration/ConfigSchema.swift.

    python3 scripts/docs/config_docs.py        # rewrites the table between the BEGIN/END markers, and the example file
Tests check that every key of the schema appears in docs/configuration.md, and that config.example.json sets
every key to its default.
"""
import collections, json, os, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "Sources/App/Configuration/ConfigSchema.swift")
DOC = os.path.join(ROOT, "docs/configuration.md")
EXAMPLE = os.path.join(ROOT, "config.example.json")
BEGIN, END = "<!-- BEGIN keys (scripts/docs/config_docs.py) -->", "<!-- END keys -->"


def accepts(kind):
    kind = " ".join(kind.split())
    if kind.startswith(".integer("):
        return "integer " + kind[len(".integer("):-1].replace("_", "")
    if kind.startswith(".number("):
        return "number " + kind[len(".number("):-1]
    if kind.startswith(".choice("):
        return "one of " + kind[len(".choice(["):-2]
    return {".resources": "object: the resources (docs/resources.md); JSON in the environment",
            ".channels": "object: the channels (docs/realtime.md); JSON in the environment", ".string": "string", ".boolean": "`true` or `false`", ".sampling": "`on`, `off`, `sample:N`",
            ".stringList": "array of strings (comma-separated in the environment)"}[kind]


def rows():
    source = open(SCHEMA).read()
    return re.findall(r'ConfigKey\(path: "([^"]+)", kind: (.*?),\s*defaultValue: (.*?),\s*summary: "(.*?)"\)', source, re.S)


def example():
    """Every key with its default, nested by section, in the schema's order; `resources` keeps the example's own
    declaration (DESIGN §10's projects), which a test checks."""
    kept = json.load(open(EXAMPLE), object_pairs_hook=collections.OrderedDict).get("resources", {})
    root = collections.OrderedDict()
    for path, _, default, _ in rows():
        default = default.strip()
        value = kept if path == "resources" else json.loads(default if default.startswith('"') else default.replace("_", "").replace("[:]", "{}"))
        *sections, key = path.split(".")
        node = root
        for section in sections:
            node = node.setdefault(section, collections.OrderedDict())
        node[key] = value
    return json.dumps(root, indent=2) + "\n"


def table():
    lines = ["| key | environment | default | accepts | what |", "|---|---|---|---|---|"]
    for path, kind, default, summary in rows():
        env = "API_" + path.upper().replace(".", "_")
        shown = default.replace('_', '').replace("[:]", "{}")
        lines.append(f"| `{path}` | `{env}` | `{shown}` | {accepts(kind)} | {summary} |")
    return "\n".join(lines)


def main():
    text = open(DOC).read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    rewritten, example_text = text[:start] + "\n" + table() + "\n" + text[end:], example()   # before truncating either file
    open(DOC, "w").write(rewritten)
    open(EXAMPLE, "w").write(example_text)


if __name__ == "__main__":
    main()
