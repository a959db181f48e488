"""`certificate_in_force(product, on)` and `rights_in_force`: what was in force on a given day,
not today, across an expiry, a revocation and a newer certificate."""

from __future__ import annotations

from datetime import date, datetime

from marketplace.accounts.models import VerificationDecision
from marketplace.certification.services import (
    certificate_in_force,
    revoke_certificate,
    revoke_right,
    rights_in_force,
)
from marketplace.extensions import db
from tests.factories import grant_right, make_certificate, make_product, make_protection, make_user


def test_a_certificate_is_in_force_from_its_issue_date_through_its_expiry_date(app) -> None:
    product = make_product()
    cert = make_certificate(product, 4, issued_on=date(2022, 3, 1), expires_on=date(2025, 3, 1))
    assert certificate_in_force(product, on=date(2022, 2, 28)) is None
    assert certificate_in_force(product, on=date(2022, 3, 1)) == cert
    assert certificate_in_force(product, on=date(2025, 3, 1)) == cert  # the expiry day itself
    assert certificate_in_force(product, on=date(2025, 3, 2)) is None  # expired since


def test_pending_and_rejected_certificates_were_never_in_force(app) -> None:
    product = make_product()
    make_certificate(product, issued_on=date(2024, 1, 1), status="pending")
    make_certificate(product, issued_on=date(2024, 1, 1), status="rejected")
    assert certificate_in_force(product, on=date(2024, 6, 1)) is None


def test_a_revoked_certificate_was_in_force_before_the_day_it_was_revoked_only(app) -> None:
    product = make_product()
    cert = make_certificate(product, 3, issued_on=date(2024, 1, 10))
    admin = make_user(is_admin=True)
    revoke_certificate(cert, reason="Hồ sơ sai", administrator=admin)
    cert.decided_at = datetime(2026, 5, 20, 3, 0)  # 10:00 in Vietnam on 20 May 2026
    db.session.flush()
    assert cert.status == "revoked"
    assert certificate_in_force(product, on=date(2026, 5, 19)) == cert
    assert certificate_in_force(product, on=date(2026, 5, 20)) is None
    assert certificate_in_force(product) is None  # today


def test_the_revocation_day_is_vietnams_calendar_day(app) -> None:
    product = make_product()
    cert = make_certificate(product, 3, issued_on=date(2024, 1, 10), status="revoked")
    cert.decided_at = datetime(2026, 5, 19, 18, 30)  # 01:30 on 20 May in Vietnam
    db.session.flush()
    assert certificate_in_force(product, on=date(2026, 5, 19)) == cert
    assert certificate_in_force(product, on=date(2026, 5, 20)) is None


def test_of_two_certificates_the_one_issued_last_before_the_day_was_in_force(app) -> None:
    product = make_product()
    older = make_certificate(product, 4, issued_on=date(2023, 1, 1), status="superseded")
    newer = make_certificate(product, 3, issued_on=date(2025, 6, 1))
    assert certificate_in_force(product, on=date(2024, 12, 31)) == older
    assert certificate_in_force(product, on=date(2025, 6, 1)) == newer
    assert certificate_in_force(product.id, on=date(2025, 12, 1)) == newer


def test_another_products_certificate_does_not_count(app) -> None:
    product, other = make_product(), make_product()
    make_certificate(other, issued_on=date(2024, 1, 1))
    assert certificate_in_force(product, on=date(2024, 6, 1)) is None


def _decision(right, outcome: str, at: datetime) -> None:
    db.session.add(
        VerificationDecision(
            subject_type="protection_right", subject_id=right.id, outcome=outcome, reason="", decided_at=at
        )
    )
    db.session.flush()


def test_a_right_counts_from_its_verification_until_its_revocation(app) -> None:
    product = make_product()
    protection = make_protection(name="Tân Cương")
    right = grant_right(product, protection)
    _decision(right, "verified", datetime(2025, 3, 1, 2, 0))
    assert rights_in_force(product, on=date(2025, 2, 28)) == []
    assert rights_in_force(product, on=date(2025, 3, 1)) == [(right, protection)]
    revoke_right(right, reason="Hết quyền", administrator=make_user(is_admin=True))
    revocation = (
        db.session.query(VerificationDecision).filter_by(subject_id=right.id, outcome="revoked").one()
    )
    revocation.decided_at = datetime(2026, 1, 10, 2, 0)
    db.session.flush()
    assert rights_in_force(product, on=date(2026, 1, 9)) == [(right, protection)]
    assert rights_in_force(product, on=date(2026, 1, 10)) == []


def test_a_verified_right_without_recorded_decisions_counts_and_a_pending_one_does_not(app) -> None:
    product = make_product()
    held = grant_right(product, make_protection(name="Sơn La"))
    grant_right(product, make_protection(name="Phú Quốc"), status="pending")
    assert [r for r, _p in rights_in_force(product, on=date(2020, 1, 1))] == [held]
