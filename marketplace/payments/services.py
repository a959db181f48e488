"""Card payments for orders: starting a PaymentIntent, and applying Stripe's webhook events once."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.errors import TransitionNotAllowed
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments import stripe_gateway
from marketplace.payments.models import ProcessedStripeEvent
from marketplace.payments.stripe_gateway import PaymentIntent, WebhookEvent


def init_app(app: Flask) -> None:
    """Stripe becomes the order rules' card gateway: refunds of cancelled paid parts and the
    cancellation of an unpaid order's PaymentIntent (orders never imports payments)."""
    orders.register_card_gateway(
        app,
        orders.CardGateway(
            refund=lambda **kwargs: stripe_gateway.refund(**kwargs),
            cancel_payment_intent=lambda intent_id: stripe_gateway.cancel_payment_intent(intent_id),
        ),
    )


def start_card_payment(
    order: Order, *, payment_method: str | None = None, confirm: bool = False
) -> PaymentIntent:
    """The order's PaymentIntent, created once (its id is kept on the order) and reused on every
    later visit to the payment page; the browser confirms it with stripe.js. Commits the id."""
    if order.payment_method != "card" or order.payment_status != "awaiting_payment":
        raise TransitionNotAllowed("This order is not waiting for a card payment.")
    if order.stripe_payment_intent_id:
        return stripe_gateway.retrieve_payment_intent(order.stripe_payment_intent_id)
    intent = stripe_gateway.create_payment_intent(
        order_reference=order.reference,
        amount_vnd=order.total_vnd,
        payment_method=payment_method,
        confirm=confirm,
    )
    order.stripe_payment_intent_id = intent.id
    db.session.commit()
    return intent


def confirm_card_payment(order: Order, payment_method: str) -> str:
    """Confirm the order's PaymentIntent from the server with a card tokenised by stripe.js (for
    the local Stripe stand-in, whose stripe.js cannot confirm in the browser). A declined card
    raises `CardDeclined`; the buyer may try another card, on a fresh PaymentIntent if the
    stand-in will not take a second card on the first. Returns the PaymentIntent's status."""
    if not re.fullmatch(r"(pm|card|src)_[A-Za-z0-9]{1,64}", payment_method or ""):
        raise stripe_gateway.PaymentError("No card was given.")
    intent = start_card_payment(order)
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        return intent.status
    if intent.last_error:  # a declined attempt: start again on a new PaymentIntent
        stripe_gateway.cancel_payment_intent(intent.id)
        attempts = db.session.scalar(
            select(func.count(OrderEvent.id)).where(
                OrderEvent.order_id == order.id, OrderEvent.note.like("payment failed:%")
            )
        )
        intent = stripe_gateway.create_payment_intent(
            order_reference=order.reference, amount_vnd=order.total_vnd, attempt=attempts + 1
        )
        order.stripe_payment_intent_id = intent.id
        db.session.commit()
    try:
        return stripe_gateway.confirm_payment_intent(intent.id, payment_method).status
    except stripe_gateway.CardDeclined as declined:
        # The webhook records the failure too; recording it here shows it at once.
        orders.record_card_failure(order, message=declined.message)
        db.session.commit()
        raise


def already_processed(event_id: str) -> bool:
    return (
        db.session.scalar(select(ProcessedStripeEvent.id).where(ProcessedStripeEvent.event_id == event_id))
        is not None
    )


def apply_stripe_event(event: WebhookEvent) -> str:
    """Apply a verified event exactly once, in one transaction with the record of its id.
    Returns what was done ("duplicate" for an event seen before)."""
    if already_processed(event.id):
        return "duplicate"
    try:
        outcome = _dispatch(event)
        db.session.add(
            ProcessedStripeEvent(event_id=event.id, event_type=event.type[:80], outcome=outcome[:200])
        )
        db.session.commit()
    except IntegrityError:
        # The same event, delivered twice at once: the other delivery applied it.
        db.session.rollback()
        if already_processed(event.id):
            return "duplicate"
        raise
    except BaseException:
        db.session.rollback()
        raise
    return outcome


def _dispatch(event: WebhookEvent) -> str:
    intent = event.payment_intent
    if event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed") or intent is None:
        return "ignored: not a payment event"
    order = orders.order_by_reference(intent.order_reference or "")
    if order is None:
        return "ignored: no order for this payment"
    if event.type == "payment_intent.succeeded":
        return orders.record_card_payment(
            order, payment_intent_id=intent.id, amount_vnd=intent.amount, currency=intent.currency
        )
    return orders.record_card_failure(
        order, message=intent.last_error or "The card payment failed.", payment_intent_id=intent.id
    )
