#!/usr/bin/env python3
"""Oracle for a resource's validation: Pydantic v2's errors on the model FastAPI would declare for the test resource
`things` (scripts/checks/test_resources.json), for the bodies of Tests/AppTests/Resources/ResourceValidationTests.swift.

Numbers and Booleans are Pydantic's strict types, as `api` documents them (docs/openapi.md). Bodies are validated in
Python mode after `json.loads`, as FastAPI validates a parsed JSON body. `email` is a plain string here (the venv has
no email-validator; emails have their own oracle cases in Tests/OpenAPITests). Run with the tool venv's Python:

    grep -o 'Case(body: #"[^#]*"#' Tests/AppTests/Resources/ResourceValidationTests.swift \
        | sed 's/Case(body: #"//; s/"#$//' | .tools/venv/bin/python scripts/oracles/resource_validation_oracle.py

Each line prints the body and `[type, loc, msg]` of each error (loc without FastAPI's leading "body").
"""
import json
import sys
from datetime import date, datetime
from typing import Annotated, Literal, Optional
from uuid import UUID

from pydantic import AnyUrl, BaseModel, Field, StrictBool, StrictFloat, StrictInt, ValidationError


class Thing(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=20, pattern="^[a-z0-9 ]+$")]
    email: Optional[str] = None
    site: Optional[AnyUrl] = None
    key: Optional[UUID] = None
    status: Literal["draft", "active", "archived"] = "draft"
    count: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    ratio: Optional[Annotated[StrictFloat, Field(gt=0, lt=1)]] = None
    budget: Annotated[float, Field(ge=0, strict=True)] = 0
    done: StrictBool = False
    due: Optional[date] = None
    at: Optional[datetime] = None
    tags: Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=3)] = []
    meta: Optional[dict] = None
    lead: Optional[Annotated[StrictInt, Field(ge=1)]] = None


def main():
    for body in sys.stdin.read().splitlines():
        if not body.strip():
            continue
        try:
            Thing.model_validate(json.loads(body))
            print(body, "-> ok")
        except ValidationError as error:
            print(body, "->", json.dumps([(item["type"], item["loc"], item["msg"]) for item in error.errors()]))


if __name__ == "__main__":
    main()
