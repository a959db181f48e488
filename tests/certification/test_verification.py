"""Administrators verify, reject, supersede and revoke certificates; the public product page
follows at once (its cache is keyed by the catalogue version)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace import search
from marketplace.accounts.models import VerificationDecision
from marketplace.catalog.models import Certification
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.timeutil import add_months, today_in_vietnam
from tests.conftest import FormClient
from tests.factories import make_certificate, make_producer, make_producer_member, make_product, make_user


def _world():
    producer = make_producer(contact_email="htx@example.vn")
    owner = make_producer_member(producer, email="owner@example.vn")
    product = make_product(producer, name="Chè Tân Cương đặc biệt", slug="che-tan-cuong-dac-biet")
    admin = make_user("admin@example.vn", is_admin=True)
    return producer, owner, product, admin


def _public(app, slug: str = "che-tan-cuong-dac-biet") -> str:
    response = FormClient(app.test_client()).get(f"/products/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _decide(web, cert_id: int, outcome: str, reason: str = ""):
    return web.post(f"/admin/verification/certificates/{cert_id}", {"outcome": outcome, "reason": reason})


def test_the_queue_lists_pending_certificates(app, web) -> None:
    _, _, product, admin = _world()
    make_certificate(product, 4, status="pending", certificate_number="CHO-DUYET-1")
    make_certificate(product, 3, status="verified", certificate_number="DA-DUYET-1")
    db.session.commit()
    page = web.sign_in(admin).get("/admin/verification/certificates").get_data(as_text=True)
    assert "CHO-DUYET-1" in page and "DA-DUYET-1" not in page
    assert "OCOP" in web.get("/admin/").get_data(as_text=True)


def test_verifying_a_certificate_shows_the_badge_on_the_public_page_at_once(app, web) -> None:
    _, _, product, admin = _world()
    cert = make_certificate(product, 4, status="pending", certificate_number="OCOP-TN-77")
    db.session.commit()
    before = _public(app)  # cached now
    assert "badge--stars-4" not in before and "OCOP-TN-77" not in before

    response = _decide(web.sign_in(admin), cert.id, "verified")
    assert response.status_code == 302
    db.session.expire_all()
    cert = db.session.get(Certification, cert.id)
    assert (cert.status, cert.decided_by_id) == ("verified", admin.id) and cert.decided_at is not None
    decision = db.session.scalar(select(VerificationDecision))
    assert (decision.subject_type, decision.subject_id, decision.outcome) == (
        "certificate",
        cert.id,
        "verified",
    )
    told = set(db.session.scalars(select(OutboxMessage.to_address)))
    assert told == {"owner@example.vn", "htx@example.vn"}

    after = _public(app)
    assert "badge--stars-4" in after and "OCOP-TN-77" in after


def test_a_rejection_needs_a_reason_shows_it_to_the_producer_and_no_badge(app, web) -> None:
    _, owner, product, admin = _world()
    cert = make_certificate(product, 4, status="pending")
    db.session.commit()
    web.sign_in(admin)
    assert _decide(web, cert.id, "rejected", "  ").status_code == 200
    assert db.session.scalar(select(VerificationDecision)) is None
    assert _decide(web, cert.id, "rejected", "Bản chụp không đọc được").status_code == 302
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "rejected"
    assert "badge--stars" not in _public(app)
    portal = FormClient(app.test_client()).sign_in(owner).get("/portal/certificates").get_data(as_text=True)
    assert "Bản chụp không đọc được" in portal


def test_a_decided_certificate_cannot_be_decided_again(app, web) -> None:
    _, _, product, admin = _world()
    cert = make_certificate(product, 4, status="rejected")
    db.session.commit()
    web.sign_in(admin)
    web.client.set_cookie("lang", "en")
    page = web.get(f"/admin/verification/certificates/{cert.id}").get_data(as_text=True)
    assert 'name="outcome"' not in page
    response = _decide(web, cert.id, "verified")
    assert "This certificate has already been decided." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "rejected"
    assert db.session.scalar(select(VerificationDecision)) is None


def test_a_new_verified_certificate_supersedes_the_old_one_and_history_is_kept(app, web) -> None:
    _, _, product, admin = _world()
    old = make_certificate(
        product, 3, issued_on=add_months(today_in_vietnam(), -30), certificate_number="CU-3-SAO"
    )
    new = make_certificate(
        product,
        4,
        issued_on=add_months(today_in_vietnam(), -1),
        status="pending",
        certificate_number="MOI-4-SAO",
    )
    db.session.commit()
    assert "badge--stars-3" in _public(app)
    web.sign_in(admin)
    web.client.set_cookie("lang", "en")
    notice = web.get(f"/admin/verification/certificates/{new.id}").get_data(as_text=True)
    assert "Approving this certificate supersedes certificate CU-3-SAO" in notice
    assert _decide(web, new.id, "verified").status_code == 302
    db.session.expire_all()
    old, new = db.session.get(Certification, old.id), db.session.get(Certification, new.id)
    assert (old.status, old.superseded_by_id, new.status) == ("superseded", new.id, "verified")
    page = _public(app)
    assert "badge--stars-4" in page and "badge--stars-3" not in page
    history = web.get(f"/admin/products/{product.id}/certificates").get_data(as_text=True)
    assert "CU-3-SAO" in history and "MOI-4-SAO" in history and "Superseded" in history


def test_an_older_certificate_cannot_supersede_a_newer_verified_one(app, web) -> None:
    _, _, product, admin = _world()
    newer = make_certificate(
        product, 4, issued_on=add_months(today_in_vietnam(), -2), certificate_number="MOI"
    )
    older = make_certificate(product, 3, issued_on=add_months(today_in_vietnam(), -20), status="pending")
    db.session.commit()
    web.sign_in(admin)
    web.client.set_cookie("lang", "en")
    page = _decide(web, older.id, "verified").get_data(as_text=True)
    assert "Certificate MOI, issued later" in page
    db.session.expire_all()
    assert db.session.get(Certification, newer.id).status == "verified"
    assert db.session.get(Certification, older.id).status == "pending"


def test_revoking_removes_the_badge_at_once_and_records_why(app, web) -> None:
    _, _, product, admin = _world()
    cert = make_certificate(product, 5, certificate_number="NAM-SAO-1")
    db.session.commit()
    assert "badge--stars-5" in _public(app)
    web.sign_in(admin)
    web.client.set_cookie("lang", "en")
    url = f"/admin/certificates/{cert.id}/revoke"
    refused = web.post(url, {"reason": " "})
    assert refused.status_code == 422
    assert "Give the reason for the revocation." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "verified"

    assert web.post(url, {"reason": "Cơ sở vi phạm an toàn thực phẩm"}).status_code == 302
    assert "badge--stars" not in _public(app)
    db.session.expire_all()
    cert = db.session.get(Certification, cert.id)
    assert (cert.status, cert.status_reason) == ("revoked", "Cơ sở vi phạm an toàn thực phẩm")
    decision = db.session.scalar(select(VerificationDecision))
    assert (decision.outcome, decision.decided_by_id) == ("revoked", admin.id)
    assert db.session.scalar(select(OutboxMessage.kind)) == "certification_revoked"
    history = web.get(f"/admin/products/{product.id}/certificates").get_data(as_text=True)
    assert "Cơ sở vi phạm an toàn thực phẩm" in history and "Revoked" in history
    # Only a verified certificate can be revoked.
    again = web.post(url, {"reason": "Lần nữa"}, follow_redirects=True)
    assert "Only a verified certificate or right can be revoked." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(VerificationDecision.id))) == 1


def test_the_badge_shows_through_the_expiry_date_and_not_the_day_after(app) -> None:
    today = today_in_vietnam()
    # Two producers: a product page also shows the producer's other products, with their badges.
    last_day = make_product(make_producer(), slug="het-han-hom-nay")
    expired = make_product(make_producer(), slug="het-han-hom-qua")
    make_certificate(last_day, 4, issued_on=add_months(today, -36), expires_on=today)
    make_certificate(
        expired, 4, issued_on=add_months(today - timedelta(days=1), -36), expires_on=today - timedelta(days=1)
    )
    db.session.commit()
    assert "badge--stars-4" in _public(app, "het-han-hom-nay")
    assert "badge--stars-4" not in _public(app, "het-han-hom-qua")


def test_the_star_filter_of_a_search_follows_verification_and_revocation(app, web) -> None:
    """The star class is not in the search index: the catalogue's SQL filters by it, so a search
    with a star filter follows a decision with no reindexing."""
    _, _, product, admin = _world()
    cert = make_certificate(product, 4, status="pending")
    db.session.commit()
    search.rebuild()
    anyone = FormClient(app.test_client())

    def shown() -> bool:
        return "che-tan-cuong-dac-biet" in anyone.get("/products?q=che+tan+cuong&stars=4").get_data(
            as_text=True
        )

    assert not shown()
    _decide(web.sign_in(admin), cert.id, "verified")
    assert shown()
    web.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "Thu hồi"})
    assert not shown()


def test_only_administrators_see_the_history_and_revoke(app, web) -> None:
    _, owner, product, _ = _world()
    cert = make_certificate(product, 4)
    db.session.commit()
    web.sign_in(owner)
    assert web.get(f"/admin/products/{product.id}/certificates").status_code == 403
    assert web.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "verified"


def test_the_admin_list_shows_certificates_by_status(app, web) -> None:
    _, _, product, admin = _world()
    make_certificate(product, 4, certificate_number="HIEU-LUC")
    make_certificate(product, 3, status="revoked", certificate_number="THU-HOI", issued_on=date(2025, 1, 2))
    db.session.commit()
    web.sign_in(admin)
    assert "HIEU-LUC" in web.get("/admin/certificates").get_data(as_text=True)
    page = web.get("/admin/certificates?status=revoked").get_data(as_text=True)
    assert "THU-HOI" in page and "HIEU-LUC" not in page
