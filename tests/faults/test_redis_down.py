"""Fault (f): Redis goes away. The site keeps serving; the throttles that counted in Redis count
in the database meanwhile (so the limits still hold), and go back to Redis when it returns."""

from __future__ import annotations

import time

import pytest
import redis

from marketplace import throttle
from tests.conftest import FormClient
from tests.factories import make_product


@pytest.fixture
def redis_throttled(app, redis_server, monkeypatch):
    """`app` counting its throttles in the test's own Redis (DB 7), with a tight sign-in limit."""
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ACCOUNT", "3 per 15 minutes")
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "4 per minute")
    store = throttle.RedisStore(
        redis_server.url, app.config["THROTTLE_KEY_PREFIX"], fallback=throttle.DatabaseStore(app)
    )
    monkeypatch.setitem(app.extensions, "throttle", store)
    yield store
    store.reset() if redis_server.process else store.fallback.reset()


def _wrong_sign_in(web: FormClient, email: str) -> int:
    return web.post("/account/login", {"email": email, "password": "not-the-password"}).status_code


def _redis_keys(server) -> int:
    return len(redis.Redis.from_url(server.url).keys("*"))


def test_with_redis_down_pages_are_served_and_the_sign_in_limit_still_holds(
    app, web, redis_server, redis_throttled
) -> None:
    make_product(name="Chè Shan Tuyết")
    from marketplace.extensions import db

    db.session.commit()
    assert _wrong_sign_in(web, "lan@example.vn") == 200
    assert _redis_keys(redis_server) == 2  # per account and per address, in Redis while it runs

    redis_server.stop()
    started = time.monotonic()
    assert web.get("/").status_code == 200
    assert web.get("/products").status_code == 200
    # Two more failures (one in Redis before, these in the database) pass; the limit of 3 then
    # holds again from the database: never a 500, never an open door.
    answers = [_wrong_sign_in(web, "mai@example.vn") for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert redis_throttled.using_fallback
    assert time.monotonic() - started < 10  # a dead Redis costs one short timeout, not one per request

    redis_server.start()
    redis_throttled.down_until = 0.0  # as REDIS_RETRY_SECONDS later
    assert _wrong_sign_in(web, "hoa@example.vn") == 200
    assert not redis_throttled.using_fallback and _redis_keys(redis_server) == 2


def test_with_redis_down_the_api_answers_and_its_rate_limit_still_applies(
    app, client, redis_server, redis_throttled
) -> None:
    redis_server.stop()
    statuses = [client.get("/api/v1/products").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    body = client.get("/api/v1/products").get_json()
    assert body["error"]["code"] == "rate_limited"
