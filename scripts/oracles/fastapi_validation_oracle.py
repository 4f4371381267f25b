#!/usr/bin/env python3
"""Oracle for request validation: the exact responses FastAPI + Pydantic v2 give to good and bad requests.

Defines a small FastAPI app (a JSON body model with every kind of constraint, path/query/header
parameters, and a form login), sends each case below through fastapi.testclient.TestClient, and
prints a JSON array to stdout, one object per case:

    {"name": ..., "request": {"method", "target", "headers", "body"}, "status": ..., "response": ...}

`target` is the path and query string exactly as sent, `headers` exactly the headers the case sets
(lowercase names; TestClient's own host/user-agent/accept/content-length are not listed), `body` the
raw body text exactly as sent (or null for none), `response` the parsed JSON response body.
The Swift tests (Tests/OpenAPITests) mirror this app and replay the cases against `api`.

The app must stay exactly as written (names, constraints, order): the Swift side mirrors it.

Made with these versions (install them outside the repo, e.g. in a venv):

    python3 -m venv /tmp/oracle-venv && . /tmp/oracle-venv/bin/activate
    pip install fastapi==0.165.0 pydantic==2.14.4 pydantic-core==2.50.5 email-validator==2.4.0 \
        httpx==0.28.1 starlette==1.10.0 python-multipart==0.0.34

(python-multipart is needed by FastAPI for Form() parameters.) Run from the repo root:

    python3 scripts/oracles/fastapi_validation_oracle.py > Tests/OpenAPITests/Fixtures/validation_cases.json
    python3 scripts/oracles/fastapi_validation_oracle.py --openapi > Tests/OpenAPITests/Fixtures/fastapi_openapi.json

The output is deterministic (no timestamps, no random values); rerunning with the same versions
gives the same bytes.
"""
import json
import sys
import warnings
from typing import Literal

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette 1.x nags on stderr that its TestClient wants httpx2

from fastapi import FastAPI, Form, Header, Path, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, EmailStr, Field

app = FastAPI()


class Address(BaseModel):
    city: str = Field(min_length=1, max_length=20)
    zip: str = Field(pattern=r"^[0-9]{5}$")


class Sample(BaseModel):
    name: str = Field(min_length=2, max_length=10)
    email: EmailStr
    code: str = Field(pattern=r"^[A-Z]{3}$")
    age: int = Field(ge=0, le=150)
    level: int = Field(default=1, gt=0, lt=10)
    ratio: float = Field(ge=0, le=1)
    color: Literal["red", "green", "blue"]
    active: bool = True
    nickname: str | None = Field(default=None, max_length=8)
    tags: list[str] = Field(default=[], max_length=3)
    address: Address | None = None


@app.post("/samples/", status_code=201)
def create_sample(sample: Sample) -> Sample: return sample


@app.get("/items/{item_id}")
def read_item(item_id: int = Path(ge=1), limit: int = Query(20, ge=1, le=100),
              q: str | None = Query(None, min_length=2, max_length=5), flag: bool = False,
              x_token: str = Header(min_length=3)) -> dict:
    return {"item_id": item_id, "limit": limit, "q": q, "flag": flag, "x_token": x_token}


@app.post("/login")
def login(username: str = Form(), password: str = Form(min_length=8),
          grant_type: str | None = Form(None, pattern="^password$"), scope: str = Form("")) -> dict:
    return {"username": username, "scope": scope, "grant_type": grant_type}


# ---------------------------------------------------------------------------------------------
# Cases

JSON_CT = {"content-type": "application/json"}
FORM_CT = {"content-type": "application/x-www-form-urlencoded"}
TOKEN = {"x-token": "secret"}

BASE = {"name": "Ann", "email": "ann@example.com", "code": "ABC", "age": 30, "ratio": 0.5, "color": "red"}

CASES = []  # (name, method, target, headers, body-or-None)


def add(name, method, target, headers=None, body=None):
    CASES.append((name, method, target, dict(headers or {}), body))


def dumps(obj):
    """Compact JSON text, as a client like httpx's json= would send (but we send it raw with content=)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def sample(name, body_obj):
    add(name, "POST", "/samples/", JSON_CT, dumps(body_obj))


def with_(**changes):
    body = dict(BASE)
    body.update(changes)
    return body


def without(*keys):
    return {k: v for k, v in BASE.items() if k not in keys}


# --- /samples/: successes, defaults and coercions
sample("sample_ok_minimal", BASE)
sample("sample_ok_full", with_(level=9, active=False, nickname="annie", tags=["a", "b", "c"],
                               address={"city": "Paris", "zip": "75001"}))
sample("sample_ok_unknown_field_ignored", with_(extra="ignored", another={"x": 1}))
sample("sample_ok_age_string_coerced", with_(age="42"))
sample("sample_ok_age_float_integral_coerced", with_(age=42.0))
sample("sample_ok_ratio_int_echoed", with_(ratio=1))
sample("sample_ok_ratio_zero_int", with_(ratio=0))
sample("sample_ok_ratio_string_coerced", with_(ratio="0.25"))
sample("sample_ok_ratio_exponent", with_(ratio=1e-3))
sample("sample_ok_active_string_true", with_(active="true"))
sample("sample_ok_active_int_zero", with_(active=0))
sample("sample_ok_active_string_off", with_(active="off"))
sample("sample_ok_active_string_yes", with_(active="yes"))
sample("sample_ok_email_uppercase_domain", with_(email="Ann@Example.COM"))
sample("sample_ok_email_idn_domain", with_(email="user@exämple.com"))
sample("sample_ok_email_display_name", with_(email="Ann Smith <ann@example.com>"))
sample("sample_ok_nickname_null", with_(nickname=None))
sample("sample_ok_address_null", with_(address=None))
sample("sample_ok_tags_empty", with_(tags=[]))
sample("sample_ok_name_unicode", with_(name="Zoë"))
sample("sample_ok_age_string_whitespace", with_(age=" 42 "))
sample("sample_ok_age_string_plus_sign", with_(age="+42"))
sample("sample_ok_age_string_decimal_zero", with_(age="42.0"))
sample("sample_ok_age_true_coerced_to_1", with_(age=True))
sample("sample_ok_ratio_true_coerced_to_1", with_(ratio=True))
sample("sample_ok_ratio_negative_zero", with_(ratio=-0.0))
sample("sample_ok_active_float_one", with_(active=1.0))
sample("sample_ok_name_two_emoji", with_(name="\U0001F600\U0001F600"))
sample("sample_ok_name_emoji_with_skin_tone_two_scalars", with_(name="\U0001F44D\U0001F3FD"))
sample("sample_ok_name_combining_accent_two_scalars", with_(name="e\u0301"))
sample("sample_ok_boundaries", with_(name="Al", age=150, level=1, ratio=1.0, nickname="12345678",
                                     address={"city": "X", "zip": "00000"}))

# --- /samples/: each field missing
for field in BASE:
    sample(f"sample_missing_{field}", without(field))

# --- /samples/: constraints
sample("sample_name_too_short", with_(name="A"))
sample("sample_name_empty", with_(name=""))
sample("sample_name_too_long", with_(name="Abcdefghijk"))
sample("sample_code_pattern_lowercase", with_(code="abc"))
sample("sample_code_pattern_too_long", with_(code="ABCD"))
sample("sample_age_below_ge", with_(age=-1))
sample("sample_age_above_le", with_(age=151))
sample("sample_level_not_gt", with_(level=0))
sample("sample_level_not_lt", with_(level=10))
sample("sample_ratio_below_ge", with_(ratio=-0.1))
sample("sample_ratio_above_le", with_(ratio=1.5))
sample("sample_color_not_in_enum", with_(color="purple"))
sample("sample_color_wrong_case", with_(color="Red"))
sample("sample_nickname_too_long", with_(nickname="abcdefghi"))
sample("sample_tags_too_long", with_(tags=["a", "b", "c", "d"]))
sample("sample_address_missing_zip", with_(address={"city": "Paris"}))
sample("sample_address_bad_zip", with_(address={"city": "Paris", "zip": "7500"}))
sample("sample_address_city_too_long", with_(address={"city": "C" * 21, "zip": "75001"}))
sample("sample_address_city_empty_and_zip_int", with_(address={"city": "", "zip": 75001}))
sample("sample_address_empty_object", with_(address={}))
sample("sample_code_pattern_trailing_newline", with_(code="ABC\n"))
sample("sample_address_zip_trailing_newline", with_(address={"city": "Paris", "zip": "75001\n"}))
sample("sample_address_not_object_string", with_(address="Paris"))
sample("sample_address_not_object_list", with_(address=["Paris", "75001"]))

# --- /samples/: wrong types
sample("sample_name_one_emoji_too_short", with_(name="\U0001F600"))
sample("sample_name_int", with_(name=5))
sample("sample_name_null", with_(name=None))
sample("sample_name_true", with_(name=True))
sample("sample_name_object", with_(name={"first": "Ann"}))
sample("sample_age_string_not_number", with_(age="abc"))
sample("sample_age_fractional_float", with_(age=1.5))
sample("sample_age_fractional_string", with_(age="1.5"))
sample("sample_age_null", with_(age=None))
sample("sample_age_huge", with_(age=10 ** 20))
sample("sample_ratio_string_not_number", with_(ratio="x"))
sample("sample_ratio_string_nan", with_(ratio="nan"))
sample("sample_ratio_string_inf", with_(ratio="inf"))
sample("sample_ratio_null", with_(ratio=None))
sample("sample_active_string_maybe", with_(active="maybe"))
sample("sample_active_int_two", with_(active=2))
sample("sample_active_null", with_(active=None))
sample("sample_color_int", with_(color=1))
sample("sample_tags_string", with_(tags="x"))
sample("sample_tags_int_item", with_(tags=[1]))
sample("sample_tags_two_bad_items", with_(tags=["ok", 2, None]))
sample("sample_tags_null", with_(tags=None))
sample("sample_nickname_int", with_(nickname=5))
sample("sample_email_int", with_(email=5))

# --- /samples/: emails
for case, email in [
    ("no_at", "annexample.com"),
    ("two_at", "ann@@example.com"),
    ("two_at_apart", "a@b@example.com"),
    ("empty_local", "@example.com"),
    ("empty_domain", "ann@"),
    ("localhost", "user@localhost"),
    ("space_in_local", "a nn@example.com"),
    ("space_in_domain", "ann@exa mple.com"),
    ("leading_dot_local", ".ann@example.com"),
    ("double_dot_domain", "user@example..com"),
    ("empty_string", ""),
]:
    sample(f"sample_email_{case}", with_(email=email))

# --- /samples/: body not an object, empty, absent, malformed
for case, text in [("array", "[]"), ("string", '"x"'), ("number", "1"), ("null", "null")]:
    add(f"sample_body_{case}", "POST", "/samples/", JSON_CT, text)
add("sample_body_empty_with_json_content_type", "POST", "/samples/", JSON_CT, "")
add("sample_no_body_no_content_type", "POST", "/samples/", {}, None)
add("sample_body_json_without_content_type", "POST", "/samples/", {}, dumps(BASE))
add("sample_body_text_plain_content_type", "POST", "/samples/", {"content-type": "text/plain"}, dumps(BASE))
add("sample_body_json_charset_content_type", "POST", "/samples/",
    {"content-type": "application/json; charset=utf-8"}, dumps(BASE))
for case, text in [
    ("open_brace", "{"),
    ("truncated_value", '{"name":'),
    ("trailing_comma", '{"name":"Ann",}'),
    ("single_quotes", "{'name':'Ann'}"),
    ("trailing_garbage", '{"name":"Ann"} x'),
    ("control_char_in_string", '{"name":"A\x01nn","email":"ann@example.com"}'),
    ("whitespace_only", "   "),
    ("position_counts_characters", '{"name":"Zo\u00eb",}'),
    ("missing_colon", '{"name" "Ann"}'),
    ("missing_comma", '{"name":"Ann" "age":1}'),
    ("unterminated_string", '{"name":"Ann'),
    ("invalid_escape", '{"name":"A\\qnn"}'),
    ("invalid_unicode_escape", '{"name":"\\u12"}'),
    ("leading_zero_number", '{"age":01}'),
    ("leading_dot_number", '{"age":.5}'),
    ("second_line", '{\n "name": "Ann",\n "age": 30,\n}'),
]:
    add(f"sample_json_invalid_{case}", "POST", "/samples/", JSON_CT, text)

for case, text in [
    ("duplicate_key_last_wins", dumps(BASE)[:-1] + ',"name":"Bob"}'),
    ("exponent_integral_age", dumps(with_(age="AGE")).replace('"AGE"', "1E2")),
    ("utf8_bom", "\ufeff" + dumps(BASE)),
    ("surrounding_whitespace", " \n" + dumps(BASE) + "\n "),
]:
    add(f"sample_json_{case}", "POST", "/samples/", JSON_CT, text)
add("sample_body_vendor_plus_json_content_type", "POST", "/samples/",
    {"content-type": "application/vnd.api+json"}, dumps(BASE))
add("sample_body_form_content_type", "POST", "/samples/", FORM_CT, "name=Ann")

# --- /samples/: several errors at once
sample("sample_all_fields_wrong", {"name": "A", "email": "nope", "code": "abc", "age": -1, "level": 10,
                                   "ratio": 2, "color": "pink", "active": "maybe", "nickname": "abcdefghi",
                                   "tags": ["a", "b", "c", "d"], "address": {"city": "", "zip": "x"}})
sample("sample_all_fields_wrong_reverse_key_order",
       {"address": {"zip": "x", "city": ""}, "tags": ["a", "b", "c", "d"], "nickname": "abcdefghi",
        "active": "maybe", "color": "pink", "ratio": 2, "level": 10, "age": -1, "code": "abc",
        "email": "nope", "name": "A"})
sample("sample_empty_object", {})
sample("sample_two_missing_one_wrong", {"name": "Ann", "age": "x", "ratio": 0.5, "color": "red"})

# --- /items/{item_id}
add("items_ok", "GET", "/items/5?limit=10&q=abc&flag=true", TOKEN)
add("items_ok_defaults", "GET", "/items/5", TOKEN)
add("items_item_id_not_int", "GET", "/items/abc", TOKEN)
add("items_item_id_zero", "GET", "/items/0", TOKEN)
add("items_item_id_negative", "GET", "/items/-1", TOKEN)
add("items_item_id_float", "GET", "/items/1.5", TOKEN)
add("items_item_id_leading_plus_and_zeros", "GET", "/items/+007", TOKEN)
add("items_limit_zero", "GET", "/items/5?limit=0", TOKEN)
add("items_limit_too_big", "GET", "/items/5?limit=101", TOKEN)
add("items_limit_not_int", "GET", "/items/5?limit=x", TOKEN)
add("items_limit_empty", "GET", "/items/5?limit=", TOKEN)
add("items_limit_padded_with_space", "GET", "/items/5?limit=%205", TOKEN)
add("items_limit_decimal_zero", "GET", "/items/5?limit=5.0", TOKEN)
add("items_limit_repeated", "GET", "/items/5?limit=5&limit=7", TOKEN)
add("items_limit_repeated_bad_first", "GET", "/items/5?limit=x&limit=7", TOKEN)
add("items_q_too_short", "GET", "/items/5?q=a", TOKEN)
add("items_q_too_long", "GET", "/items/5?q=abcdef", TOKEN)
add("items_q_empty", "GET", "/items/5?q=", TOKEN)
add("items_q_percent_encoded", "GET", "/items/5?q=a%20b%C3%A9", TOKEN)
add("items_q_plus_is_space", "GET", "/items/5?q=a+b", TOKEN)
add("items_flag_maybe", "GET", "/items/5?flag=maybe", TOKEN)
add("items_flag_yes", "GET", "/items/5?flag=yes", TOKEN)
add("items_flag_one", "GET", "/items/5?flag=1", TOKEN)
add("items_flag_off", "GET", "/items/5?flag=off", TOKEN)
add("items_flag_uppercase_true", "GET", "/items/5?flag=TRUE", TOKEN)
add("items_flag_no", "GET", "/items/5?flag=no", TOKEN)
add("items_flag_on", "GET", "/items/5?flag=on", TOKEN)
add("items_flag_t", "GET", "/items/5?flag=t", TOKEN)
add("items_flag_two", "GET", "/items/5?flag=2", TOKEN)
add("items_flag_empty", "GET", "/items/5?flag=", TOKEN)
add("items_missing_x_token", "GET", "/items/5", {})
add("items_x_token_too_short", "GET", "/items/5", {"x-token": "ab"})
add("items_x_token_empty", "GET", "/items/5", {"x-token": ""})
add("items_x_token_underscore_name_not_accepted", "GET", "/items/5", {"x_token": "secret"})
add("items_all_wrong", "GET", "/items/0?limit=0&q=a&flag=maybe", {})
add("items_all_wrong_query_first", "GET", "/items/abc?flag=maybe&q=abcdef&limit=x", {"x-token": "ab"})
add("items_unknown_query_ignored", "GET", "/items/5?other=1", TOKEN)

# --- /login (form)
login = lambda name, body: add(name, "POST", "/login", FORM_CT, body)
login("login_ok", "username=ann&password=secret123")
login("login_ok_full", "username=ann&password=secret123&grant_type=password&scope=read+write")
login("login_missing_username", "password=secret123")
login("login_missing_password", "username=ann")
login("login_empty_password", "username=ann&password=")
login("login_short_password", "username=ann&password=short")
login("login_empty_username", "username=&password=secret123")
login("login_grant_type_bad", "username=ann&password=secret123&grant_type=bad")
login("login_grant_type_password", "username=ann&password=secret123&grant_type=password")
login("login_grant_type_empty", "username=ann&password=secret123&grant_type=")
login("login_grant_type_trailing_newline", "username=ann&password=secret123&grant_type=password%0A")
login("login_all_missing_empty_body", "")
login("login_plus_and_percent20", "username=ann+lee&password=pass%20word+1&scope=a+b%20c")
login("login_repeated_username", "username=first&username=second&password=secret123")
login("login_all_wrong", "password=short&grant_type=bad")
add("login_json_body", "POST", "/login", JSON_CT, '{"username":"ann","password":"secret123"}')
add("login_no_body_no_content_type", "POST", "/login", {}, None)


def run():
    client = TestClient(app)
    out, seen = [], set()
    for name, method, target, headers, body in CASES:
        assert name not in seen, f"duplicate case name {name}"
        seen.add(name)
        kwargs = {"headers": headers}
        if body is not None:
            kwargs["content"] = body.encode("utf-8")
        r = client.request(method, target, **kwargs)
        # the target must reach the app byte for byte as written in the fixture
        sent = r.request.url.raw_path.decode("ascii")
        assert sent == target.encode("utf-8").decode("ascii"), (name, sent, target)
        out.append({
            "name": name,
            "request": {"method": method, "target": target, "headers": headers, "body": body},
            "status": r.status_code,
            "response": r.json(),
        })
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["--openapi"]:
        print(json.dumps(TestClient(app).get("/openapi.json").json(), indent=2, ensure_ascii=False))
    else:
        print(json.dumps(run(), indent=1, ensure_ascii=False))
