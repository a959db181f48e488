"""Outgoing mail: the outbox without MAIL_SERVER, SMTP with it."""

from __future__ import annotations

from sqlalchemy import select

from marketplace import mail
from marketplace.extensions import db


def test_without_a_mail_server_messages_go_to_the_outbox(app) -> None:
    mail.send_mail("lan@example.vn", "Xin chào", "Nội dung", kind="test")
    message = db.session.scalar(select(mail.OutboxMessage))
    assert (message.to_address, message.subject, message.body) == ("lan@example.vn", "Xin chào", "Nội dung")


def test_with_a_mail_server_messages_go_by_smtp(app, monkeypatch) -> None:
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self) -> None:
            sent.append(("starttls",))

        def login(self, user, password) -> None:
            sent.append(("login", user))

        def send_message(self, message) -> None:
            sent.append(("send", message["To"], message["Subject"]))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.vn")
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "ocop")
    mail.send_mail("lan@example.vn", "Xin chào", "Nội dung", kind="test")
    assert sent == [
        ("connect", "smtp.example.vn", 587),
        ("starttls",),
        ("login", "ocop"),
        ("send", "lan@example.vn", "Xin chào"),
    ]
    assert db.session.scalar(select(mail.OutboxMessage)) is None
