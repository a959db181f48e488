"""A producer claims the right to use a GI or mark for a product; only a verified right shows
the badge on the public product page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace import search
from marketplace.accounts.models import VerificationDecision
from marketplace.catalog.models import ProtectionRight
from marketplace.extensions import db
from tests.certification.helpers import PDF, png_bytes
from tests.conftest import FormClient
from tests.factories import (
    grant_right,
    make_producer,
    make_producer_member,
    make_product,
    make_protection,
    make_user,
)


@pytest.fixture
def world(app):
    producer = make_producer(province_code="thai-nguyen")
    owner = make_producer_member(producer, email="owner@example.vn")
    product = make_product(producer, name="Chè búp Thái Nguyên", slug="che-bup")
    gi = make_protection("gi", name="Tân Cương", number="00013")
    mark = make_protection("certification_mark", name="Chè Shan Tuyết Hoàng Su Phì", number="00280")
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    return owner, product, gi, mark, admin


def _claim(web, product_id: int, protection_id: int, scan: bytes = PDF, decision: str = "QĐ 45/QĐ-UBND"):
    return web.post(
        f"/portal/products/{product_id}/rights/new",
        {
            "protection_id": str(protection_id),
            "decision_number": decision,
            "scan": (io.BytesIO(scan), "quyet-dinh.pdf"),
        },
    )


def _public(app) -> str:
    return FormClient(app.test_client()).get("/products/che-bup").get_data(as_text=True)


def test_the_form_lists_each_protection_with_its_registration_number(app, web, world) -> None:
    owner, product, *_ = world
    web.client.set_cookie("lang", "en")
    page = web.sign_in(owner).get(f"/portal/products/{product.id}/rights/new").get_data(as_text=True)
    assert "Geographical indication: Tân Cương · No. 00013" in page
    assert "Certification mark: Chè Shan Tuyết Hoàng Su Phì · No. 00280" in page


def test_a_pending_claim_shows_no_badge_and_a_verified_one_does(app, web, world) -> None:
    owner, product, gi, _, admin = world
    search.rebuild()
    assert product.id not in search.search("tan cuong").ids
    assert _public(app).count("badge--gi") == 0
    assert _claim(web.sign_in(owner), product.id, gi.id).status_code == 302
    right = db.session.scalar(select(ProtectionRight))
    assert (right.status, right.decision_number, right.scan_media_type) == (
        "pending",
        "QĐ 45/QĐ-UBND",
        "application/pdf",
    )
    assert "badge--gi" not in _public(app)
    assert "Tân Cương" in web.get("/portal/certificates").get_data(as_text=True)

    admin_web = FormClient(app.test_client()).sign_in(admin)
    assert "Tân Cương" in admin_web.get("/admin/verification/rights").get_data(as_text=True)
    assert (
        admin_web.post(f"/admin/verification/rights/{right.id}", {"outcome": "verified"}).status_code == 302
    )
    page = _public(app)
    assert "badge--gi" in page and "Tân Cương" in page
    assert db.session.scalar(select(VerificationDecision.subject_type)) == "protection_right"
    # The index follows the verification (after its commit): the GI's name finds the product.
    assert product.id in search.search("tan cuong").ids


def test_a_certification_mark_is_shown_as_a_mark_not_a_gi(app, web, world) -> None:
    owner, product, _, mark, admin = world
    _claim(web.sign_in(owner), product.id, mark.id)
    right = db.session.scalar(select(ProtectionRight))
    FormClient(app.test_client()).sign_in(admin).post(
        f"/admin/verification/rights/{right.id}", {"outcome": "verified"}
    )
    page = _public(app)
    assert "badge--cert-mark" in page and "badge--gi" not in page


def test_a_rejected_claim_shows_no_badge_and_may_be_made_again(app, web, world) -> None:
    owner, product, gi, _, admin = world
    _claim(web.sign_in(owner), product.id, gi.id)
    right = db.session.scalar(select(ProtectionRight))
    admin_web = FormClient(app.test_client()).sign_in(admin)
    admin_web.post(
        f"/admin/verification/rights/{right.id}", {"outcome": "rejected", "reason": "Sai số quyết định"}
    )
    assert "badge--gi" not in _public(app)
    assert "Sai số quyết định" in web.get("/portal/certificates").get_data(as_text=True)
    assert _claim(web, product.id, gi.id, decision="QĐ 46/QĐ-UBND").status_code == 302
    db.session.expire_all()
    right = db.session.scalar(select(ProtectionRight))
    assert (right.status, right.decision_number) == ("pending", "QĐ 46/QĐ-UBND")
    assert db.session.scalar(select(func.count(ProtectionRight.id))) == 1


def test_revoking_a_right_removes_its_badge_at_once(app, web, world) -> None:
    _, product, gi, _, admin = world
    right = grant_right(product, gi)
    db.session.commit()
    assert "badge--gi" in _public(app)
    web.sign_in(admin)
    assert web.post(f"/admin/rights/{right.id}/revoke", {"reason": "Hết quyền sử dụng"}).status_code == 302
    assert "badge--gi" not in _public(app)
    db.session.expire_all()
    assert db.session.get(ProtectionRight, right.id).status == "revoked"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_protection", "Choose a registered name."),
        ("fake_scan", "Upload the scan as a PDF, or as a JPEG, PNG or WebP picture."),
        ("no_decision", "Enter the number of the decision granting the right."),
        ("already_pending", "This claim is already waiting for verification."),
    ],
)
def test_a_bad_claim_is_refused_with_a_message_and_nothing_is_stored(app, web, world, case, message) -> None:
    owner, product, gi, _, _ = world
    if case == "already_pending":
        grant_right(product, gi, status="pending")
        db.session.commit()
    before = db.session.scalar(select(func.count(ProtectionRight.id)))
    web.client.set_cookie("lang", "en")
    web.sign_in(owner)
    response = _claim(
        web,
        product.id,
        0 if case == "no_protection" else gi.id,
        scan=b"%PNG fake" if case == "fake_scan" else png_bytes(),
        decision="" if case == "no_decision" else "QĐ 45/QĐ-UBND",
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProtectionRight.id))) == before
    documents = Path(app.config["DOCUMENT_DIR"])
    assert not documents.exists() or not any(p.is_file() for p in documents.rglob("*"))


def test_another_producers_product_answers_404(app, web, world) -> None:
    _, product, gi, _, _ = world
    rival = make_producer_member(make_producer())
    db.session.commit()
    web.sign_in(rival)
    assert web.get(f"/portal/products/{product.id}/rights/new").status_code == 404
    assert _claim(web, product.id, gi.id).status_code == 404
    assert db.session.scalar(select(func.count(ProtectionRight.id))) == 0


def test_a_right_scan_is_private(app, web, world) -> None:
    owner, product, gi, _, admin = world
    _claim(web.sign_in(owner), product.id, gi.id)
    right = db.session.scalar(select(ProtectionRight))
    assert web.get(f"/portal/rights/{right.id}/scan").data == PDF
    assert (
        FormClient(app.test_client()).sign_in(admin).get(f"/portal/rights/{right.id}/scan").status_code == 200
    )
    rival = make_producer_member(make_producer())
    db.session.commit()
    assert (
        FormClient(app.test_client()).sign_in(rival).get(f"/portal/rights/{right.id}/scan").status_code == 404
    )
