"""A validly signed Stripe event whose body lacks what an event has is refused (400), not a 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

SECRET = "whsec_payload_tests"
PATH = "/payments/stripe/webhook"


def _signed(body: bytes) -> dict[str, str]:
    timestamp = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


@pytest.fixture
def signing_app(app):
    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET
    yield app
    app.config["STRIPE_WEBHOOK_SECRET"] = ""


@pytest.mark.parametrize(
    "event",
    [
        {"type": "payment_intent.succeeded", "object": "event", "data": {"object": {"id": "pi_1"}}},  # no id
        {"id": "evt_1", "object": "event", "data": {"object": {}}},  # no type
        {"id": "evt_2", "type": "payment_intent.succeeded", "object": "event", "data": {"object": {}}},
        {"id": "evt_3", "type": "payment_intent.succeeded", "object": "event", "data": {}},
        {"id": "evt_4", "type": "payment_intent.succeeded", "object": "event"},
        {
            "id": "evt_5",
            "type": "payment_intent.succeeded",
            "object": "event",
            "data": {"object": {"id": "pi_1", "status": "succeeded", "amount": "lots", "currency": "vnd"}},
        },
        {"id": 7, "type": ["x"], "object": "event", "data": {"object": {}}},
        [1, 2, 3],
    ],
)
def test_a_signed_event_without_what_an_event_has_answers_400(signing_app, client, event) -> None:
    body = json.dumps(event).encode()
    response = client.post(PATH, data=body, headers=_signed(body))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_webhook"


def test_a_signed_event_of_another_type_with_an_empty_object_is_received(signing_app, client) -> None:
    body = json.dumps(
        {"id": "evt_9", "type": "customer.created", "object": "event", "data": {"object": {}}}
    ).encode()
    assert client.post(PATH, data=body, headers=_signed(body)).status_code == 200
