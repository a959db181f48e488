"""Ledger tests: the Stripe harness for the tests that need a real webhook, and a stand-in for the
refund call where a test drives card payments directly (as the webhook would) without Stripe."""

from __future__ import annotations

import pytest

from marketplace.payments import stripe_gateway
from tests.payments.conftest import live_server, localstripe, stripe_app  # noqa: F401 - the Stripe fixtures


@pytest.fixture
def refunds(monkeypatch) -> list[tuple[str, int]]:
    """Card refunds accepted without Stripe; the list holds (payment intent, amount) per refund."""
    made: list[tuple[str, int]] = []

    def refund(*, payment_intent_id: str, amount_vnd: int, key: str) -> str:
        made.append((payment_intent_id, amount_vnd))
        return f"re_{len(made)}"

    monkeypatch.setattr(stripe_gateway, "refund", refund)
    monkeypatch.setattr(stripe_gateway, "cancel_payment_intent", lambda payment_intent_id: None)
    return made
