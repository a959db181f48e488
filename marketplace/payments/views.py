"""The Stripe webhook endpoint: signature first, then each event applied once."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from marketplace.extensions import csrf
from marketplace.payments import services, stripe_gateway

bp = Blueprint("payments", __name__, url_prefix="/payments")


def stripe_js_url() -> str:
    """STRIPE_JS_URL, else Stripe's own, else (localstripe) the stand-in served under its address."""
    api_base = (current_app.config.get("STRIPE_API_BASE") or "").rstrip("/")
    configured = current_app.config.get("STRIPE_JS_URL") or ""
    return configured or (f"{api_base}/js.stripe.com/v3/" if api_base else "https://js.stripe.com/v3/")


@bp.app_context_processor
def _payment_settings() -> dict:
    """For payment pages: the key stripe.js needs, and whether to say that payments are tests."""
    return {
        "stripe_publishable_key": current_app.config.get("STRIPE_PUBLISHABLE_KEY") or "",
        # localstripe serves a stand-in for stripe.js under its own address
        "stripe_js_url": stripe_js_url(),
        "payments_are_test_payments": stripe_gateway.is_test_mode(),
    }


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe cannot send a CSRF token; the signature proves where the request came from
def stripe_webhook():
    try:
        event = stripe_gateway.verify_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except stripe_gateway.InvalidWebhook as exc:
        current_app.logger.warning("Stripe webhook refused: %s", exc)
        return jsonify(error={"code": exc.code, "message": "Invalid signature"}), 400
    outcome = services.apply_stripe_event(event)
    current_app.logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome)
