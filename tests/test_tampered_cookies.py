"""Tampered session cookies and CSRF tokens: a cookie that does not verify is no session (the
visitor is signed out, never someone else, never a 500), and every form POST of the site (all of
`app.url_map` except the bearer-token API and Stripe's signed webhook) refuses a missing, forged
or foreign CSRF token with 400 and changes nothing."""

from __future__ import annotations

import base64
import json

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from marketplace.extensions import db
from tests.conftest import FormClient, csrf_token
from tests.factories import make_user
from tests.test_authorisation_matrix import RULES, build_world, database_snapshot
from tests.test_hostile_input import _reaching_role

COOKIE = "ocop_session"
CSRF_EXEMPT = ("api.", "payments.stripe_webhook")


def _signed_in_cookie(app, user) -> str:
    client = app.test_client()
    FormClient(client).sign_in(user).get("/")
    return client.get_cookie(COOKIE).value


def _signed_with(app, secret: str, payload: dict) -> str:
    interface = SecureCookieSessionInterface()
    serializer = URLSafeTimedSerializer(
        secret,
        salt=interface.salt,
        serializer=interface.serializer,
        signer_kwargs={"key_derivation": "hmac", "digest_method": interface.digest_method},
    )
    return serializer.dumps(payload)


def _tampered(app, genuine: str, admin) -> dict[str, str]:
    body, _, signature = genuine.rpartition(".")
    # The first character: the last one of a base64 signature may carry only unused bits.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return {
        "signature flipped": f"{body}.{flipped}",
        "signature removed": body,
        "truncated": genuine[: len(genuine) // 2],
        "garbage": "not-a-session-at-all",
        "base64 json unsigned": base64.urlsafe_b64encode(
            json.dumps({"_user_id": admin.session_token}).encode()
        ).decode(),
        "another key, admin's token": _signed_with(
            app, "guessed-secret", {"_user_id": admin.session_token, "_fresh": True}
        ),
        "compressed marker only": ".eJyrVkpUslIqTi0qyUxOVaoFADrKBfk",
        "overlong": "A" * 4000,
        "non-ascii": "phiên-đăng-nhập",
        "empty": "",
    }


def test_a_tampered_session_cookie_is_no_session(app) -> None:
    user = make_user("lan@example.vn")
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    genuine = _signed_in_cookie(app, user)
    for name, value in _tampered(app, genuine, admin).items():
        # (Each request in its own app context, as in production: see FormClient.)
        client = FormClient(app.test_client())
        client.client.set_cookie(COOKIE, value)
        for path in ("/", "/account/profile", "/admin/", "/orders", "/cart"):
            response = client.get(path)
            assert response.status_code in (200, 302), (name, path, response.status_code)
            if path != "/" and path != "/cart":
                assert "/account/login" in response.headers.get("Location", ""), (name, path)
        assert "lan@example.vn" not in client.get("/").get_data(as_text=True)
    # The genuine cookie still works, so the test would see a session if one were accepted.
    client = FormClient(app.test_client())
    client.client.set_cookie(COOKIE, genuine)
    assert client.get("/account/profile").status_code == 200


KINDS = ("missing", "empty", "garbage", "another session's", "another key's", "raw session value")


def test_every_form_refuses_a_forged_csrf_token_and_changes_nothing(app) -> None:
    """Each route gets a garbage token and one other kind (in turn), so every kind meets many
    routes and the test stays quick."""
    world = build_world(app)
    other = FormClient(app.test_client())
    other.get("/")
    foreign = csrf_token(other.client)
    forged_key = URLSafeTimedSerializer("guessed-secret", salt="wtf-csrf-token").dumps("x" * 40)
    before = database_snapshot()
    wrong = []
    routes = [
        (endpoint, method, rule)
        for (endpoint, method), rules in sorted(RULES.items())
        if method != "GET" and not endpoint.startswith(CSRF_EXEMPT)
        for rule in rules
    ]
    assert len(routes) > 50
    for n, (endpoint, method, rule) in enumerate(routes):
        for token in ("garbage", KINDS[n % len(KINDS)]):
            role = _reaching_role(rule.expect)
            if role is None:
                continue
            web = FormClient(app.test_client())
            if role != "anonymous":
                db.session.refresh(world.users[role])
                web.sign_in(world.users[role])
            with web.client.session_transaction() as session:
                raw = session.setdefault("csrf_token", "a" * 40)
            value = {
                "empty": "",
                "garbage": "garbage.token.value",
                "another session's": foreign,
                "another key's": forged_key,
                "raw session value": raw,
            }.get(token)
            data = dict(rule.data)
            if value is not None:
                data["csrf_token"] = value
            response = web._request(method, rule.url(world), data=data)
            response.close()
            if response.status_code != 400:
                wrong.append(f"{role} {method} {rule.url(world)} ({endpoint}): {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert database_snapshot() == before
