"""Schemathesis hooks for our tests (Sources/TestKit/Schemathesis.swift loads this module as SCHEMATHESIS_HOOKS).

One documented difference from FastAPI (docs/openapi.md): a whole number past 64 bits is refused with a 422,
where Python's unbounded integers take it, because the handler's Int cannot hold it. The served document keeps
FastAPI's shapes (no int64 bounds), so schemathesis may draw such a number for an integer with no upper bound and
count the 422 as "a schema-valid request rejected". Before the schema is read, every integer schema without a
bound gets the 64-bit one, so the fuzzer draws only numbers the API is meant to take; every other check and value
is unchanged. The document the server serves is not touched.
"""
import schemathesis

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def is_integer(schema):
    kind = schema.get("type")
    return kind == "integer" or (isinstance(kind, list) and "integer" in kind)


def bound_integers(node):
    if isinstance(node, dict):
        if is_integer(node):
            if "minimum" not in node and "exclusiveMinimum" not in node:
                node["minimum"] = INT64_MIN
            if "maximum" not in node and "exclusiveMaximum" not in node:
                node["maximum"] = INT64_MAX
        for value in node.values():
            bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            bound_integers(value)


@schemathesis.hook
def before_load_schema(ctx, raw_schema):
    bound_integers(raw_schema)
