"""The one module that talks to Stripe (the `stripe` library is imported nowhere else).

Settings come from the app config: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and, to use another
server such as localstripe, STRIPE_API_BASE. Every request that creates something carries an
idempotency key derived from what it is for, so a retry never charges or refunds twice. Stripe's
errors leave this module as `PaymentError` (or its subclass `CardDeclined`), never as stripe's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import stripe
from flask import current_app

from marketplace.domain import DomainError

CURRENCY = "vnd"  # zero-decimal: amount 250000 is 250,000 ₫


class PaymentError(DomainError):
    """Stripe refused or could not be reached."""

    code = "payment_error"


class CardDeclined(PaymentError):
    code = "card_declined"


class PaymentsNotConfigured(PaymentError):
    code = "payments_not_configured"


class InvalidWebhook(Exception):
    """A webhook whose payload or signature does not check out."""

    code = "invalid_webhook"


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    status: str
    amount: int
    currency: str
    client_secret: str | None
    order_reference: str | None
    last_error: str | None = None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    payment_intent: PaymentIntent | None  # for payment_intent.* events


@lru_cache(maxsize=8)
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    base_addresses = {"api": api_base} if api_base else None
    return stripe.StripeClient(secret_key, base_addresses=base_addresses, max_network_retries=2)


def client() -> stripe.StripeClient:
    key = current_app.config.get("STRIPE_SECRET_KEY") or ""
    if not key:
        raise PaymentsNotConfigured("Card payments are not configured (STRIPE_SECRET_KEY is empty).")
    return _client(key, current_app.config.get("STRIPE_API_BASE") or "")


def is_test_mode() -> bool:
    """Whether payments are test payments: a test key, or a local Stripe stand-in."""
    key = current_app.config.get("STRIPE_SECRET_KEY") or ""
    return key.startswith("sk_test_") or bool(current_app.config.get("STRIPE_API_BASE"))


def _intent(obj) -> PaymentIntent:
    if isinstance(obj, stripe.StripeObject):
        obj = obj.to_dict()
    metadata = obj.get("metadata") or {}
    error = obj.get("last_payment_error") or {}
    return PaymentIntent(
        id=obj["id"],
        status=obj["status"],
        amount=int(obj["amount"]),
        currency=obj["currency"],
        client_secret=obj.get("client_secret"),
        order_reference=metadata.get("order_reference"),
        last_error=error.get("message") if error else None,
    )


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as exc:
        raise CardDeclined(exc.user_message or "Your card was declined.") from exc
    except stripe.StripeError as exc:
        raise PaymentError(exc.user_message or str(exc) or "The payment service failed.") from exc


def create_payment_intent(
    *,
    order_reference: str,
    amount_vnd: int,
    payment_method: str | None = None,
    confirm: bool = False,
    attempt: int = 0,
) -> PaymentIntent:
    """A PaymentIntent for one order, in VND. The browser confirms it with stripe.js; a server-side
    `payment_method`/`confirm` is for tests and for saved cards. `attempt` > 0 makes a new one
    after a declined card (its own idempotency key)."""
    params: dict = {
        "amount": amount_vnd,
        "currency": CURRENCY,
        "payment_method_types": ["card"],
        "metadata": {"order_reference": order_reference},
    }
    if payment_method:
        params["payment_method"] = payment_method
    if confirm:
        params["confirm"] = True
    intent = _call(
        client().v1.payment_intents.create,
        params=params,
        options={"idempotency_key": f"payment-intent-{order_reference}" + (f"-{attempt}" if attempt else "")},
    )
    return _intent(intent)


def retrieve_payment_intent(payment_intent_id: str) -> PaymentIntent:
    return _intent(_call(client().v1.payment_intents.retrieve, payment_intent_id))


def confirm_payment_intent(payment_intent_id: str, payment_method: str) -> PaymentIntent:
    """Attach `payment_method` and confirm, from the server. Raises `CardDeclined`."""
    api = client().v1.payment_intents
    _call(api.update, payment_intent_id, params={"payment_method": payment_method})
    return _intent(_call(api.confirm, payment_intent_id))


def cancel_payment_intent(payment_intent_id: str) -> PaymentIntent:
    return _intent(_call(client().v1.payment_intents.cancel, payment_intent_id))


def refund(*, payment_intent_id: str, amount_vnd: int, key: str) -> str:
    """Refund `amount_vnd` of a succeeded PaymentIntent; `key` names what is refunded (one key per
    cancelled part), so retrying never refunds twice. Returns the refund id."""
    result = _call(
        client().v1.refunds.create,
        params={"payment_intent": payment_intent_id, "amount": amount_vnd},
        options={"idempotency_key": f"refund-{key}"},
    )
    return result.id


def verify_webhook(payload: bytes, signature_header: str | None) -> WebhookEvent:
    """The event in `payload` if the `Stripe-Signature` header proves it came from Stripe."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not secret or not signature_header:
        raise InvalidWebhook("missing signature or webhook secret")
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature_header, secret, stripe.Webhook.DEFAULT_TOLERANCE
        )
        data = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    return _event(data)


def _event(data: object) -> WebhookEvent:
    """The fields this site reads from a verified event. A signed body is still checked: a
    body without them (a misconfigured endpoint, a future API version) is refused, not a 500."""
    if not isinstance(data, dict):
        raise InvalidWebhook("the event is not a JSON object")
    event_id, event_type = data.get("id"), data.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str) or not event_type:
        raise InvalidWebhook("the event has no id or type")
    if not event_type.startswith("payment_intent."):
        return WebhookEvent(id=event_id, type=event_type, payment_intent=None)
    obj = (data.get("data") or {}).get("object") if isinstance(data.get("data"), dict) else None
    if not isinstance(obj, dict) or not obj:
        raise InvalidWebhook("a payment_intent event without its payment intent")
    try:
        intent = _intent(obj)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidWebhook(f"the payment intent lacks {exc}") from exc
    if not isinstance(intent.id, str) or not isinstance(intent.status, str):
        raise InvalidWebhook("the payment intent has no id or status")
    return WebhookEvent(id=event_id, type=event_type, payment_intent=intent)
