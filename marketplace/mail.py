"""The one way the site sends e-mail.

With MAIL_SERVER set, messages go out by SMTP. Without it they are written to the outbox table,
which administrators read at /admin/outbox and tests inspect. Callers own the transaction: the
outbox row is committed with the change that caused it.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # e.g. password_reset, invitation
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def send_mail(to: str, subject: str, body: str, *, kind: str) -> None:
    """Send a plain-text message to one address."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        db.session.add(OutboxMessage(kind=kind, to_address=to, subject=str(subject), body=str(body)))
        db.session.flush()
        return
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = str(subject)
    message.set_content(str(body))
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
