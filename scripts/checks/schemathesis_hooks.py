"""Schemathesis hooks for our tests (Sources/TestKit/Schemathesis.swift loads this module as SCHEMATHESIS_HOOKS).

One documented difference from FastAPI (docs/openapi.md): a whole number past 64 bits is refused with a 422,
where Python's unbounded integers take it, because the handler's Int cannot hold it. The served document keeps
FastAPI's shapes (no int64 bounds), so schemathesis may draw such a number for an integer with no upper bound and
count the 422 as "a schema-valid request rejected". Before the schema is read, every integer schema without a
bound gets the 64-bit one, so the fuzzer draws only numbers the API is meant to take; every other check and value
is unchanged. The document the server serves is not touched.

The resources' documents (issue 16, docs/resources.md) mark, with specification extensions, what JSON Schema cannot
state, and the fuzzer is kept to what the API is meant to take there too:
- `x-references` (a reference's id): whether an id is valid depends on the data (a missing record is 422 on the
  field), so an optional reference is drawn as null;
- `x-max-bytes` (an object's serialized size): such a member is not drawn at all (it is left out of its model);
- `x-grammar` (the `filter` parameter, a language of its own): it is drawn from the schema's `examples` and the empty
  filter;
- `x-opaque` (a list's `cursor`, `If-Match`, `If-None-Match`, `Idempotency-Key`, a batch item's `if_match`: tokens the
  server hands out, or the client's own names): it is not drawn at all.
The filter grammar and cursors are covered by their own tests (injections included: ResourceListTests).
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


def marks(schema, key):
    """Whether `schema` or one of its `anyOf` branches carries the extension `key`."""
    return isinstance(schema, dict) and (key in schema or any(isinstance(b, dict) and key in b for b in schema.get("anyOf", [])))


def keep_to_what_is_meant(node):
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if isinstance(branches, list) and any(isinstance(b, dict) and "x-references" in b for b in branches):
            node["anyOf"] = [b for b in branches if not (isinstance(b, dict) and "x-references" in b)]
        properties = node.get("properties")
        if isinstance(properties, dict):
            sized = [name for name, schema in properties.items() if marks(schema, "x-max-bytes") or marks(schema, "x-opaque")]
            for name in sized:
                del properties[name]
            if sized and "required" in node:
                node["required"] = [name for name in node["required"] if name not in sized]
        for value in node.values():
            keep_to_what_is_meant(value)
    elif isinstance(node, list):
        for value in node:
            keep_to_what_is_meant(value)


def keep_parameters_to_what_is_meant(raw_schema):
    for path in raw_schema.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            kept = []
            for parameter in operation["parameters"]:
                schema = parameter.get("schema", {})
                if marks(schema, "x-opaque"):
                    continue
                if marks(schema, "x-grammar"):
                    # The empty filter is no filter (every record), so it is one the API takes too.
                    parameter["schema"] = {"type": "string", "enum": [""] + schema.get("examples", [])}
                kept.append(parameter)
            operation["parameters"] = kept


@schemathesis.hook
def before_load_schema(ctx, raw_schema):
    bound_integers(raw_schema)
    keep_parameters_to_what_is_meant(raw_schema)
    keep_to_what_is_meant(raw_schema)
