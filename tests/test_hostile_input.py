"""Hostile input thrown at every route of the site: every form field (the fields of every WTForms
class, and every `request.form` name the views read), every query parameter (every
`request.args` name the views read, and the fields of forms sent by GET) and every JSON API
field (the fields of the API's pydantic models). The routes and their URLs come from
`app.url_map` through the authorisation matrix, so a new route, form or field is covered
without touching this file.

Rules: never a 5xx; an HTML page never carries a hostile marker unescaped, neither reflected
from the request nor stored by an earlier one (the GETs run after the POSTs, on the same data).

The corpus: a fixed list (XSS, SQL-like, path traversal, overlong, NUL and other controls,
invalid UTF-8, Unicode confusables and bidirectional overrides, CSV formula injection, numbers
out of range), and Hypothesis' arbitrary text. Bounded for `make test`: each route gets
`HOSTILE_ROUNDS` requests (default 1), each field a different corpus entry in each, so that
across routes every entry reaches every common field; `HOSTILE_ROUNDS=0` sends the whole corpus
to every route (a thorough run, minutes).
"""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from wtforms.fields.core import UnboundField

from marketplace.extensions import db
from tests.conftest import FormClient, csrf_token
from tests.test_authorisation_matrix import RULES, build_world

MARKETPLACE = Path(__file__).resolve().parent.parent / "marketplace"
MARKER = "ocop-hostile"
# What must never appear in an HTML page as it was sent (each carries the marker).
# (Escaped, the same text is harmless: `&lt;img src=x onerror=...&gt;` is text.)
UNESCAPED = re.compile(
    rf"<{MARKER}|<script>{MARKER}|<img src=x onerror={MARKER}|<svg onload={MARKER}"
    rf"|\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:{MARKER}"
)

CORPUS: list[str] = [
    f"<{MARKER}>",
    f"<script>{MARKER}()</script>",
    f'"><img src=x onerror={MARKER}()>',
    f"javascript:{MARKER}()",
    f"'\"><svg onload={MARKER}()>",
    "' OR '1'='1' --",
    "1; DROP TABLE users; --",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd\x00.jpg",
    "A" * 10_000,
    "nul\x00byte",
    "esc\x1b[31mbel\x07",
    "раураl.com",  # Cyrillic letters that look Latin
    "ＡＤＭＩＮ",  # fullwidth
    "exe.\u202egpj",  # a right-to-left override
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "99999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "0x7fffffff",
    "",
    " ",
    "%s%s%n",
    "{{7*7}}",
    "${7*7}",
]
# Raw query strings and bodies that are not valid UTF-8 (or not even valid percent-encoding).
# (%ed%a0%80 is a lone surrogate, which no valid UTF-8 holds.)
RAW_BYTES: list[bytes] = [b"%ff%fe%fd", b"%c3%28", b"%e2%82", b"%ed%a0%80", b"\xff\xfe", b"%", b"%%41%zz"]
ROUNDS = int(os.environ.get("HOSTILE_ROUNDS", "1"))


def _source_names(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in MARKETPLACE.rglob("*.py"):
        found.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def form_classes() -> set[type]:
    return {c for c in _subclasses(FlaskForm) if c.__module__.startswith("marketplace.")}


def form_field_names() -> set[str]:
    names: set[str] = set()
    for form in form_classes():
        for name, value in inspect.getmembers(form):
            if isinstance(value, UnboundField):
                names.add(name)
    return names


def form_names() -> set[str]:
    """Every field a POST may carry: the forms' fields and what the views read from request.form."""
    read = _source_names(r"request\.(?:form|values)\.get(?:list)?\(\s*[\"']([^\"']+)[\"']")
    return (form_field_names() | read) - {"csrf_token"}


def query_names() -> set[str]:
    read = _source_names(r"request\.(?:args|values)\.get(?:list)?\(\s*[\"']([^\"']+)[\"']")
    return read | form_field_names()  # forms sent by GET (filters, periods) read the query too


def api_field_names() -> set[str]:
    from marketplace.api import schemas

    names: set[str] = set()
    for _, model in inspect.getmembers(schemas, inspect.isclass):
        if issubclass(model, BaseModel) and model.__module__ == schemas.__name__:
            names.update(model.model_fields)
    return names


def _reaching_role(expect: dict[str, int]) -> str | None:
    """The role that gets through to the view (not refused, not sent to sign in)."""
    for role in ("admin", "producer_a", "buyer_x", "consumer", "anonymous"):
        if expect.get(role, 999) < 400 and not (role == "anonymous" and expect[role] == 302):
            return role
    return "anonymous" if expect.get("anonymous", 999) < 400 else None


def _values(names: list[str], round_: int, shift: int) -> dict[str, str]:
    return {name: CORPUS[(k + round_ + shift) % len(CORPUS)] for k, name in enumerate(names)}


class Checker:
    def __init__(self, app, world) -> None:
        self.app, self.world = app, world
        self.problems: list[str] = []
        self.requests = 0

    def client(self, role: str) -> FormClient:
        web = FormClient(self.app.test_client())
        if role != "anonymous":
            user = self.world.users[role]
            db.session.refresh(user)  # a sign-out replaces the session token
            web.sign_in(user)
        return web

    def check(self, what: str, response) -> None:
        self.requests += 1
        html = "html" in (response.mimetype or "")
        body = response.get_data().decode("utf-8", "replace") if html else ""
        response.close()
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} {what}")
        elif html and UNESCAPED.search(body):
            found = UNESCAPED.search(body).group(0)
            self.problems.append(f"unescaped {found!r} in {what}")


def _post_routes():
    for (endpoint, method), rules in sorted(RULES.items()):
        if method != "GET" and not endpoint.startswith("api."):
            for rule in rules:
                yield endpoint, method, rule


def _get_routes():
    for (endpoint, method), rules in sorted(RULES.items()):
        if method == "GET" and endpoint not in ("static", "catalog.media"):
            for rule in rules:
                yield endpoint, rule


def test_hostile_input_in_every_form_field_and_query_parameter(app) -> None:
    world = build_world(app)
    checker = Checker(app, world)
    fields, params = sorted(form_names()), sorted(query_names())
    rounds = ROUNDS or len(CORPUS)
    # POSTs first: what they store is then shown by the GETs.
    for shift, (endpoint, method, rule) in enumerate(_post_routes()):
        role = _reaching_role(rule.expect)
        if role is None:
            continue
        target = rule.url(world)
        for round_ in range(rounds):
            web = checker.client(role)
            data = {**_values(fields, round_, shift), "csrf_token": csrf_token(web.client)}
            response = web._request(method, target, data=data)
            checker.check(f"{role} {method} {target} ({endpoint}) round {round_}", response)
        web = checker.client(role)
        raw = b"&".join(
            [b"csrf_token=" + csrf_token(web.client).encode(), *(b"name=" + r for r in RAW_BYTES)]
        )
        response = web._request(method, target, data=raw, content_type="application/x-www-form-urlencoded")
        checker.check(f"{role} {method} {target} ({endpoint}) invalid UTF-8", response)
    for shift, (endpoint, rule) in enumerate(_get_routes()):
        role = _reaching_role(rule.expect)
        if role is None:
            continue
        target = rule.url(world)
        path, _, own_query = target.partition("?")
        own = dict(parse_qsl(own_query))
        separator = "&" if "?" in target else "?"
        for round_ in range(rounds):
            query = {**_values(params, round_, shift), **own}  # the route's own parameters stay
            response = checker.client(role).get(path, query_string=query)
            checker.check(f"{role} GET {target} ({endpoint}) round {round_}", response)
        raw = b"&".join(name.encode() + b"=" + RAW_BYTES[shift % len(RAW_BYTES)] for name in params)
        response = checker.client(role).get(target + separator + raw.decode("latin-1"))
        checker.check(f"{role} GET {target} ({endpoint}) invalid UTF-8", response)
    print(f"{checker.requests} hostile requests")
    assert checker.requests > 200
    assert not checker.problems, f"{len(checker.problems)} problems:\n" + "\n".join(checker.problems[:80])


def _api_operations(client) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").get_json()
    return [
        (method.upper(), path)
        for path, item in sorted(spec["paths"].items())
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _api_bodies(names: list[str], round_: int) -> list[object]:
    """Every API field name at the top level and inside a list of lines, each with a corpus
    entry; then bodies of the wrong shape."""
    flat = _values(names, round_, 0)
    return [{**flat, "lines": [flat], "items": [flat]}, [flat], CORPUS[round_ % len(CORPUS)], None]


def test_hostile_input_in_every_api_field(app, client) -> None:
    from tests.api.helpers import build_world as api_world

    world = api_world(products=2)
    names = sorted(api_field_names())
    checker = Checker(app, None)
    operations = _api_operations(client)
    assert len(operations) >= 17
    for method, path in operations:
        token = (
            world.producer_token
            if path.startswith(("/api/v1/listings", "/api/v1/producer-"))
            else world.buyer_token
        )
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "hostile-key"}
        target = re.sub(r"\{[^}]+\}", "1", path)
        for round_ in range(ROUNDS or len(CORPUS)):
            query = _values(names, round_, 1)
            if method == "GET":
                response = client.get(target, query_string=query, headers=headers)
                checker.check(f"GET {target} round {round_}", response)
                continue
            for body in _api_bodies(names, round_):
                response = client.open(target, method=method, json=body, headers=headers)
                checker.check(f"{method} {target} round {round_} body {type(body).__name__}", response)
        for raw in RAW_BYTES:
            response = client.open(
                target, method=method, data=raw, headers={**headers, "Content-Type": "application/json"}
            )
            checker.check(f"{method} {target} invalid JSON {raw!r}", response)
    assert not checker.problems, f"{len(checker.problems)} problems:\n" + "\n".join(checker.problems[:80])


@pytest.fixture
def world_of(app):
    return build_world(app)


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=200), which=st.integers(min_value=0, max_value=10_000))
def test_arbitrary_text_in_every_field_of_a_route(app, world_of, text, which) -> None:
    """Hypothesis' text in every form field (POST) or query parameter (GET) of one route."""
    routes = [("POST", e, m, r) for e, m, r in _post_routes()] + [
        ("GET", e, "GET", r) for e, r in _get_routes()
    ]
    kind, endpoint, method, rule = routes[which % len(routes)]
    role = _reaching_role(rule.expect)
    if role is None:
        return
    checker = Checker(app, world_of)
    web = checker.client(role)
    target = rule.url(world_of)
    if kind == "GET":
        path, _, own_query = target.partition("?")
        query = {**{name: text for name in query_names()}, **dict(parse_qsl(own_query))}
        response = web.get(path, query_string=query)
    else:
        data = {**{name: text for name in form_names()}, "csrf_token": csrf_token(web.client)}
        response = web._request(method, target, data=data)
    checker.check(f"{role} {method} {target} ({endpoint}) with {text!r}", response)
    assert not checker.problems, checker.problems
