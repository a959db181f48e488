"""Sends the buyer's order e-mails when `orders.signals` fire.

The signals fire inside the transaction of each change. Without MAIL_SERVER the message is an
outbox row written in that same transaction, so a rolled-back change leaves no message; with
MAIL_SERVER the message is a job (`marketplace.jobs`, on the queue when REDIS_URL is set) that
sends it by SMTP after the commit (and none is enqueued on rollback).
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from marketplace import jobs, mail
from marketplace.orders import notifications, signals
from marketplace.orders.models import Order, ProducerOrder

_connected = False


def _order_link(order: Order) -> str | None:
    if not has_request_context():
        return None
    from marketplace.orders.views import order_url

    return order_url("orders.order", order, _external=True)


def send_order_mail(kind: str, order: Order, producer_order: ProducerOrder | None = None) -> None:
    # In Vietnamese: accounts store no language (the site's language is the visitor's cookie).
    with force_locale("vi"):
        message = notifications.compose(kind, order, producer_order)
        body = message.body
        link = _order_link(order)
        if link:
            body += "\n\n" + _("Your order: %(link)s", link=link)
        subject = str(message.subject)
    deliver(message.to, subject, body, f"order_{kind}")


def deliver(to: str, subject: str, body: str, kind: str) -> None:
    """Send one order message with the change that caused it: an outbox row in its transaction,
    or (with MAIL_SERVER) by SMTP once it has committed."""
    if not current_app.config.get("MAIL_SERVER"):
        mail.send_mail(to, subject, body, kind=kind)
        return
    jobs.enqueue(
        "marketplace.mail:send_mail", to, str(subject), str(body), kind=kind, retry_intervals=(60, 600, 3600)
    )


def _placed(sender, order: Order, **kwargs) -> None:
    send_order_mail("placed", order)


def _paid(sender, order: Order, **kwargs) -> None:
    send_order_mail("paid", order)


def _shipped(sender, order: Order, producer_order: ProducerOrder, **kwargs) -> None:
    send_order_mail("shipped", order, producer_order)


def _cancelled(sender, order: Order, producer_order: ProducerOrder | None = None, **kwargs) -> None:
    send_order_mail("cancelled", order, producer_order)


def init_app(app: Flask) -> None:
    global _connected
    if _connected:
        return
    signals.order_placed.connect(_placed)
    signals.order_paid.connect(_paid)
    signals.producer_order_shipped.connect(_shipped)
    signals.order_cancelled.connect(_cancelled)
    _connected = True
