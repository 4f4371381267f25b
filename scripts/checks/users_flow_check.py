#!/usr/bin/env python3
"""Issue 5, must show 1 and 2: the users and OAuth2 flow of a running `api serve`, driven by a real client
(Python `requests`), and a stored password hash checked by an independent Argon2 (`argon2-cffi`).

    .tools/venv/bin/python scripts/checks/users_flow_check.py --url http://127.0.0.1:PORT --db DATA/api.db \
        --secret "$API_AUTH_SECRET" --admin-email admin@example.com --admin-password '...'

--db is the SQLite file, or a PostgreSQL connection string (checkdb.py). The admin must exist already (`api user
add ... --admin`); the secret is the server's, so expired and tampered tokens can be made here exactly as the
server would sign them. Prints one line per failed check ("FAIL: ...") and a summary; exits 1 if anything failed.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time

import checkdb
import requests
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

failures = []
passed = 0


def check(condition, what, response=None):
    global passed
    if condition:
        passed += 1
        return
    detail = f" -> {response.status_code} {response.text[:300]}" if response is not None else ""
    failures.append(what + detail)
    print(f"FAIL: {what}{detail}", flush=True)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(secret, header, claims):
    """An HS256 compact JWS, as RFC 7515 §A.1 builds one."""
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


class Flow:
    def __init__(self, url, secret):
        self.url = url.rstrip("/")
        self.secret = secret
        self.http = requests.Session()

    def call(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def login(self, email, password, scope=""):
        return self.call("POST", "/token", data={"username": email, "password": password, "scope": scope})

    def tokens(self, email, password):
        response = self.login(email, password)
        check(response.status_code == 200, f"login of {email}", response)
        body = response.json()
        return body["access_token"], body["refresh_token"]

    def refresh(self, refresh_token):
        return self.call("POST", "/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    # A token the server would sign itself: same key id, issuer and claims, times chosen here.
    def crafted(self, user_id, issued_at, expires_at, alg="HS256"):
        kid = b64url(hashlib.sha256(self.secret.encode()).digest()[:8])
        claims = {"iss": "api", "sub": str(user_id), "exp": expires_at, "nbf": issued_at, "iat": issued_at, "jti": f"crafted-{expires_at}"}
        if alg == "none":
            head = b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
            return f"{head}.{b64url(json.dumps(claims).encode())}."
        return sign(self.secret, {"alg": alg, "typ": "JWT", "kid": kid}, claims)


def expect_401(flow, token, reason, detail="Could not validate credentials"):
    response = flow.call("GET", "/users/me", token=token)
    check(response.status_code == 401 and response.json() == {"detail": detail}, f"401 for {reason}", response)
    check(response.headers.get("WWW-Authenticate") == "Bearer", f"WWW-Authenticate: Bearer for {reason}", response)


def signup_and_validation(flow):
    alice = {"name": "Alice", "email": "Alice@Example.COM", "password": "alice-password-1"}
    created = flow.call("POST", "/users/", json=alice)
    check(created.status_code == 201, "sign up", created)
    user = created.json()
    check(set(user) == {"id", "name", "email", "is_admin", "created_at"}, "the user has exactly the public fields", created)
    check(user["email"] == "Alice@example.com", "the email's domain is lowercased, as Pydantic's EmailStr does", created)
    check(created.headers.get("Location") == f"/users/{user['id']}", "Location of the new user", created)
    check("password" not in created.text and "argon2" not in created.text, "no password or hash in the response", created)

    again = flow.call("POST", "/users/", json=dict(alice, email="alice@example.com"))
    check(again.status_code == 409 and again.json() == {"detail": "Email already registered"}, "409 for the same email in another case", again)

    missing = flow.call("POST", "/users/", json={"name": "x", "password": "long-enough-1"})
    detail = missing.json().get("detail", [{}]) if missing.status_code == 422 else [{}]
    check(missing.status_code == 422 and detail[0].get("type") == "missing" and detail[0].get("loc") == ["body", "email"]
          and detail[0].get("msg") == "Field required", "422 missing email in Pydantic's shape", missing)

    bad_email = flow.call("POST", "/users/", json={"name": "x", "email": "not-an-email", "password": "long-enough-1"})
    detail = bad_email.json().get("detail", [{}]) if bad_email.status_code == 422 else [{}]
    check(bad_email.status_code == 422 and detail[0].get("type") == "value_error" and detail[0].get("loc") == ["body", "email"],
          "422 value_error for a bad email", bad_email)

    short = flow.call("POST", "/users/", json={"name": "x", "email": "short@example.com", "password": "short"})
    detail = short.json().get("detail", [{}]) if short.status_code == 422 else [{}]
    check(short.status_code == 422 and detail[0].get("type") == "string_too_short" and detail[0].get("loc") == ["body", "password"]
          and detail[0].get("ctx") == {"min_length": 8}, "422 string_too_short for a short password", short)

    several = flow.call("POST", "/users/", json={"email": "bad", "password": "short"})
    locs = [entry.get("loc") for entry in several.json().get("detail", [])] if several.status_code == 422 else []
    check(locs == [["body", "name"], ["body", "email"], ["body", "password"]], "every problem reported at once", several)
    return user, alice["password"]


def tokens_and_reads(flow, alice, alice_password, admin_email, admin_password):
    wrong = flow.login("alice@example.com", "not-her-password")
    check(wrong.status_code == 400 and wrong.json() == {"detail": "Incorrect username or password"}, "400 for a wrong password", wrong)
    unknown = flow.login("nobody@example.com", "whatever-password")
    check(unknown.status_code == 400 and unknown.json() == {"detail": "Incorrect username or password"}, "400 for an unknown user", unknown)

    response = flow.login("ALICE@example.com", alice_password)
    check(response.status_code == 200, "login with the email in another case", response)
    body = response.json()
    check(body.get("token_type") == "bearer" and body.get("expires_in") == 1800 and body.get("refresh_token"), "RFC 6749 token response", response)
    check(response.headers.get("Cache-Control") == "no-store", "token responses are not cached", response)
    access = body["access_token"]

    me = flow.call("GET", "/users/me", token=access)
    check(me.status_code == 200 and me.json() == {"id": alice["id"], "name": "Alice", "email": "Alice@example.com", "is_admin": False,
                                                   "scopes": [], "username": "Alice@example.com"}, "/users/me", me)
    for header in (f"bearer {access}", f"BEARER   {access}\t"):
        spelled = flow.call("GET", "/users/me", headers={"Authorization": header})
        check(spelled.status_code == 200, f"the scheme in any case, blanks around the token: {header[:9]!r}", spelled)
    for header in (f"Basic {access}", f"Bearer{access}", "Bearer", "Bearer  ", f"Bearer\t{access}"):
        refused = flow.call("GET", "/users/me", headers={"Authorization": header})
        check(refused.status_code == 401, f"401 for Authorization {header[:9]!r}", refused)
    own = flow.call("GET", f"/users/{alice['id']}", token=access)
    check(own.status_code == 200 and own.json() == alice, "a user reads themselves", own)

    bob = flow.call("POST", "/users/", json={"name": "Bob", "email": "bob@example.com", "password": "bob-password-1"}).json()
    other = flow.call("GET", f"/users/{bob['id']}", token=access)
    check(other.status_code == 403 and other.json() == {"detail": "Not enough permissions"}, "403 reading another user", other)
    listing = flow.call("GET", "/users/", token=access)
    check(listing.status_code == 403, "403 listing users as a non-admin", listing)

    admin_access, _ = flow.tokens(admin_email, admin_password)
    ids, cursor, pages = [], None, 0
    while pages < 10:
        params = {"limit": 1} if cursor is None else {"limit": 1, "cursor": cursor}
        page = flow.call("GET", "/users/", token=admin_access, params=params)
        check(page.status_code == 200 and len(page.json()["items"]) <= 1, "a page of users", page)
        ids += [item["id"] for item in page.json()["items"]]
        cursor, pages = page.json()["next_cursor"], pages + 1
        if cursor is None:
            break
    check(len(ids) == 3 and ids == sorted(ids), f"pagination visits every user once, by id (got {ids})")
    admin_reads = flow.call("GET", f"/users/{bob['id']}", token=admin_access)
    check(admin_reads.status_code == 200 and admin_reads.json() == bob, "an admin reads anyone", admin_reads)
    return access, bob, admin_access


def updates(flow, alice, access, bob):
    renamed = flow.call("PATCH", f"/users/{alice['id']}", token=access, json={"name": "Alice Liddell"})
    check(renamed.status_code == 200 and renamed.json()["name"] == "Alice Liddell" and renamed.json()["email"] == alice["email"],
          "patch changes only what is given", renamed)
    promoted = flow.call("PATCH", f"/users/{alice['id']}", token=access, json={"is_admin": True})
    check(promoted.status_code == 403, "only an admin changes is_admin", promoted)
    taken = flow.call("PATCH", f"/users/{alice['id']}", token=access, json={"email": bob["email"].upper()})
    check(taken.status_code == 409, "409 patching to a taken email", taken)
    others = flow.call("PATCH", f"/users/{bob['id']}", token=access, json={"name": "Mallory"})
    check(others.status_code == 403, "403 patching another user", others)


def refresh_rotation(flow, alice_password):
    access, first = flow.tokens("alice@example.com", alice_password)
    rotated = flow.refresh(first)
    check(rotated.status_code == 200, "refresh grant", rotated)
    second_access, second = rotated.json()["access_token"], rotated.json()["refresh_token"]
    check(second != first and second_access != access, "refresh rotates both tokens")
    check(flow.call("GET", "/users/me", token=second_access).status_code == 200, "the refreshed access token works")

    reused = flow.refresh(first)
    check(reused.status_code == 400 and reused.json() == {"detail": "Invalid refresh token"}, "a reused refresh token is refused", reused)
    after = flow.refresh(second)
    check(after.status_code == 400, "reuse revoked the family: the newest refresh token is dead too", after)
    expect_401(flow, second_access, "an access token of a revoked family")
    expect_401(flow, access, "the first access token of a revoked family")


def revocation(flow, alice_password):
    access, refresh = flow.tokens("alice@example.com", alice_password)
    revoked = flow.call("POST", "/token/revoke", token=access, data={"token": access})
    check(revoked.status_code == 200, "RFC 7009 revocation of the caller's own access token", revoked)
    expect_401(flow, access, "a revoked access token")
    other_access, other_refresh = flow.tokens("alice@example.com", alice_password)
    by_refresh = flow.call("POST", "/token/revoke", token=other_access, data={"token": other_refresh, "token_type_hint": "refresh_token"})
    check(by_refresh.status_code == 200, "revoking a refresh token", by_refresh)
    check(flow.refresh(other_refresh).status_code == 400, "a revoked refresh token is refused")
    expect_401(flow, other_access, "an access token whose refresh token was revoked")
    junk = flow.call("POST", "/token/revoke", token=flow.tokens("alice@example.com", alice_password)[0], data={"token": "junk"})
    check(junk.status_code == 200, "RFC 7009 §2.2: an unknown token is not an error", junk)


def bad_tokens(flow, alice):
    expect_401(flow, None, "no token", detail="Not authenticated")
    now = int(time.time())
    valid = flow.crafted(alice["id"], now, now + 600)
    check(flow.call("GET", "/users/me", token=valid).status_code == 200, "a token made here with the server's secret is valid (control)")
    expect_401(flow, flow.crafted(alice["id"], now - 7200, now - 3600), "an expired token")
    head, body, mac = valid.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "1"
    forged_body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    expect_401(flow, f"{head}.{forged_body}.{mac}", "a tampered payload (another sub, old signature)")
    expect_401(flow, f"{head}.{body}.{mac[:-2]}AA", "a tampered signature")
    expect_401(flow, flow.crafted(alice["id"], now, now + 600, alg="none"), "alg: none")
    expect_401(flow, flow.crafted(alice["id"], now, now + 600, alg="HS512"), "another alg")


def deletion(flow, alice, alice_password, admin_access):
    access, refresh = flow.tokens("alice@example.com", alice_password)
    deleted = flow.call("DELETE", f"/users/{alice['id']}", token=access)
    check(deleted.status_code == 204 and deleted.content == b"", "a user deletes themselves: 204", deleted)
    expect_401(flow, access, "the token of a deleted user")
    check(flow.refresh(refresh).status_code == 400, "the refresh token of a deleted user is dead")
    gone = flow.call("GET", f"/users/{alice['id']}", token=admin_access)
    check(gone.status_code == 404 and gone.json() == {"detail": "User not found"}, "404 User not found", gone)


def independent_argon2(db_path, email, password):
    hashed = checkdb.connect(db_path).execute("SELECT password_hash FROM users WHERE email_key = ?", (email.lower(),)).fetchone()[0]
    check(hashed.startswith("$argon2id$v=19$"), f"a PHC Argon2id string is stored ({hashed[:30]}...)")
    hasher = PasswordHasher()
    try:
        check(hasher.verify(hashed, password), "argon2-cffi verifies the stored hash")
    except VerifyMismatchError:
        check(False, "argon2-cffi verifies the stored hash")
    try:
        hasher.verify(hashed, password + "x")
        check(False, "argon2-cffi refuses a wrong password")
    except VerifyMismatchError:
        check(True, "argon2-cffi refuses a wrong password")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--admin-email", required=True)
    parser.add_argument("--admin-password", required=True)
    args = parser.parse_args()
    flow = Flow(args.url, args.secret)
    alice, alice_password = signup_and_validation(flow)
    access, bob, admin_access = tokens_and_reads(flow, alice, alice_password, args.admin_email, args.admin_password)
    updates(flow, alice, access, bob)
    refresh_rotation(flow, alice_password)
    revocation(flow, alice_password)
    bad_tokens(flow, alice)
    independent_argon2(args.db, bob["email"], "bob-password-1")
    deletion(flow, alice, alice_password, admin_access)
    print(f"{passed} checks passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
