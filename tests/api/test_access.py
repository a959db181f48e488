"""Tokens: 401 without a valid one (missing, unknown, expired, revoked), 403 for a missing scope or
the other kind of organisation, the last use recorded, and the per-token rate limit (429 with
Retry-After and the JSON error)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.api import tokens
from marketplace.api.models import ApiToken
from marketplace.extensions import db
from marketplace.timeutil import utcnow
from tests.api.helpers import bearer, build_world, token_for


def error_code(response) -> str:
    return response.get_json()["error"]["code"]


@pytest.mark.parametrize(
    "headers, code",
    [
        ({}, "token_missing"),
        ({"Authorization": "Basic abc"}, "token_missing"),
        ({"Authorization": "Bearer ocop_not-a-token"}, "token_invalid"),
    ],
)
def test_no_valid_token_answers_401(client, headers, code) -> None:
    response = client.get("/api/v1/catalog", headers=headers)
    assert response.status_code == 401
    assert error_code(response) == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_answers_401(client) -> None:
    world = build_world()
    token = db.session.query(ApiToken).filter_by(token_hash=tokens.digest(world.buyer_token)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/catalog", headers=bearer(world.buyer_token))
    assert response.status_code == 401 and error_code(response) == "token_expired"


def test_a_revoked_token_answers_401(client) -> None:
    world = build_world()
    token = db.session.query(ApiToken).filter_by(token_hash=tokens.digest(world.buyer_token)).one()
    tokens.revoke_token(token)
    db.session.commit()
    response = client.get("/api/v1/catalog", headers=bearer(world.buyer_token))
    assert response.status_code == 401 and error_code(response) == "token_revoked"


def test_a_missing_scope_answers_403(client) -> None:
    world = build_world()
    reader = token_for("buyer", world.organisation.id, world.owner.id, scopes=["orders:read"])
    response = client.get("/api/v1/catalog", headers=bearer(reader))
    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
    assert response.get_json()["error"]["details"] == {"required": "catalog:read"}
    assert client.get("/api/v1/orders", headers=bearer(reader)).status_code == 200
    assert client.get("/api/v1/invoices", headers=bearer(reader)).status_code == 403


def test_a_producer_token_cannot_use_buyer_operations_nor_the_reverse(client) -> None:
    world = build_world()
    response = client.get("/api/v1/orders", headers=bearer(world.producer_token))
    assert response.status_code == 403 and error_code(response) == "wrong_organisation_kind"
    response = client.get("/api/v1/producer-orders", headers=bearer(world.buyer_token))
    assert response.status_code == 403 and error_code(response) == "wrong_organisation_kind"


def test_the_token_is_stored_hashed_and_its_last_use_recorded(client) -> None:
    world = build_world()
    token = db.session.query(ApiToken).filter_by(token_hash=tokens.digest(world.buyer_token)).one()
    assert world.buyer_token not in (token.token_hash, token.prefix) and token.last_used_at is None
    client.get("/api/v1/orders", headers=bearer(world.buyer_token))
    db.session.expire_all()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"name": ""}, "invalid_name"),
        ({"scopes": ["listings:write"]}, "invalid_scopes"),
        ({"scopes": []}, "invalid_scopes"),
        ({"expires_at": utcnow() - timedelta(days=1)}, "invalid_expiry"),
    ],
)
def test_token_rules(app, fields, code) -> None:
    world = build_world()
    arguments = {"name": "ERP", "scopes": ["orders:read"], "user_id": world.owner.id, **fields}
    with pytest.raises(tokens.TokenError) as raised:
        tokens.create_token("buyer", world.organisation.id, **arguments)
    assert raised.value.code == code


def test_past_the_per_token_limit_the_api_answers_429_with_retry_after(app) -> None:
    world = build_world()
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        client = app.test_client()
        statuses = [
            client.get("/api/v1/orders", headers=bearer(world.buyer_token)).status_code for _ in range(3)
        ]
        limited = client.get("/api/v1/orders", headers=bearer(world.buyer_token))
        other = client.get("/api/v1/producer-orders", headers=bearer(world.producer_token))
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429 and error_code(limited) == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert other.status_code == 200  # the limit is per token


def test_unknown_paths_and_methods_answer_the_json_error(client) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.get_json()["error"] == {
        "code": "not_found",
        "message": missing.get_json()["error"]["message"],
        "details": {},
    }
    response = client.delete("/api/v1/orders")
    assert response.status_code == 405 and error_code(response) == "method_not_allowed"
    assert response.get_json()["error"]["details"] == {}
