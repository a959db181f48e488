"""`flask certificates remind` e-mails a producer 60 and 30 days before a verified certificate
expires, each reminder once; the portal shows the same warning."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace.certification.models import CertificateReminder
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import make_certificate, make_producer, make_producer_member, make_product

TODAY = date(2026, 1, 1)


def _certificate_expiring_in(days: int, status: str = "verified", **fields):
    producer = fields.pop("producer", None) or make_producer(contact_email=None)
    product = make_product(producer, name=fields.pop("name", "Mật ong bạc hà"))
    expires = TODAY + timedelta(days=days)
    return make_certificate(
        product, 4, issued_on=add_months(expires, -36), expires_on=expires, status=status, **fields
    )


def _remind(app, today: date = TODAY):
    result = app.test_cli_runner().invoke(args=["certificates", "remind", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _mails() -> list[tuple[str, str]]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(OutboxMessage.to_address, OutboxMessage.subject)
            .where(OutboxMessage.kind == "certificate_expiry")
            .order_by(OutboxMessage.id)
        ).all()
    )


def _reminders() -> list[tuple[int, int]]:
    return sorted(
        db.session.execute(
            select(CertificateReminder.certification_id, CertificateReminder.days_before)
        ).all()
    )


def test_the_60_and_30_day_reminders_are_sent_once_each(app) -> None:
    producer = make_producer(contact_email="htx@example.vn")
    make_producer_member(producer, email="owner@example.vn")
    make_producer_member(producer, role="staff", email="staff@example.vn")
    cert = _certificate_expiring_in(60, producer=producer, certificate_number="MO-1")
    db.session.commit()

    output = _remind(app)
    assert "60-day reminder: certificate MO-1" in output and "Sent 1 reminder(s)." in output
    assert {to for to, _ in _mails()} == {"owner@example.vn", "staff@example.vn", "htx@example.vn"}
    assert "MO-1" in _mails()[0][1]

    # The same day again, and the next days until the 30-day mark: nothing more.
    assert "Sent 0 reminder(s)." in _remind(app)
    assert "Sent 0 reminder(s)." in _remind(app, TODAY + timedelta(days=1))
    assert "Sent 0 reminder(s)." in _remind(app, TODAY + timedelta(days=29))
    assert len(_mails()) == 3

    output = _remind(app, TODAY + timedelta(days=30))
    assert "30-day reminder: certificate MO-1" in output
    assert len(_mails()) == 6
    assert "Sent 0 reminder(s)." in _remind(app, TODAY + timedelta(days=30))
    assert "Sent 0 reminder(s)." in _remind(app, TODAY + timedelta(days=31))
    assert _reminders() == [(cert.id, 30), (cert.id, 60)]


def test_a_certificate_first_seen_at_25_days_gets_the_30_day_reminder_only(app) -> None:
    producer = make_producer()
    make_producer_member(producer, email="owner@example.vn")
    cert = _certificate_expiring_in(25, producer=producer)
    db.session.commit()
    assert "30-day reminder" in _remind(app)
    assert "Sent 0 reminder(s)." in _remind(app, TODAY + timedelta(days=1))
    assert _reminders() == [(cert.id, 30)]
    assert len(_mails()) == 1


def test_no_reminder_for_far_expired_or_unverified_certificates(app) -> None:
    producer = make_producer()
    make_producer_member(producer, email="owner@example.vn")
    _certificate_expiring_in(61, producer=producer)
    _certificate_expiring_in(-1, producer=producer)
    _certificate_expiring_in(20, status="pending", producer=producer, certificate_number="P-1")
    _certificate_expiring_in(20, status="revoked", producer=producer, certificate_number="R-1")
    _certificate_expiring_in(20, status="superseded", producer=producer, certificate_number="S-1")
    db.session.commit()
    assert "Sent 0 reminder(s)." in _remind(app)
    assert _mails() == []


def test_a_reminder_the_day_a_certificate_expires(app) -> None:
    producer = make_producer()
    make_producer_member(producer, email="owner@example.vn")
    _certificate_expiring_in(0, producer=producer)
    db.session.commit()
    assert "expires in 0 days" in _remind(app)


def test_a_bad_date_is_refused(app) -> None:
    result = app.test_cli_runner().invoke(args=["certificates", "remind", "--today", "2026-13-01"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_the_portal_warns_of_expiry_like_the_reminders(app, web) -> None:
    today = today_in_vietnam()
    producer = make_producer()
    owner = make_producer_member(producer)

    def cert(days: int, number: str) -> None:
        expires = today + timedelta(days=days)
        make_certificate(
            make_product(producer),
            4,
            issued_on=add_months(expires, -36),
            expires_on=expires,
            certificate_number=number,
        )

    cert(23, "SAP-HET")
    cert(-3, "DA-HET")
    cert(200, "CON-LAU")
    db.session.commit()
    web.client.set_cookie("lang", "en")
    page = web.sign_in(owner).get("/portal/certificates").get_data(as_text=True)
    assert "expires in 23 days" in page
    expired_on = today - timedelta(days=3)
    assert f"expired on {expired_on.strftime('%d %b %Y')}" in page
    assert page.count('class="cert-warning') == 2
