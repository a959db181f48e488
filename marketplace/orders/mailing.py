"""Sends the buyer's order e-mails when `orders.signals` fire.

The signals fire inside the transaction of each change. Without MAIL_SERVER the message is an
outbox row written in that same transaction, so a rolled-back change leaves no message; with
MAIL_SERVER the message waits in the session and goes out by SMTP only after the commit (and is
dropped on rollback).
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace import mail
from marketplace.extensions import db
from marketplace.orders import notifications, signals
from marketplace.orders.models import Order, ProducerOrder

PENDING_KEY = "order_mail_after_commit"
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
    db.session.info.setdefault(PENDING_KEY, []).append((to, subject, body, kind))


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    for to, subject, body, kind in pending:
        try:
            mail.send_mail(to, subject, body, kind=kind)
        except OSError:
            current_app.logger.exception("order e-mail to %s not sent", to)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


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
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
    _connected = True
