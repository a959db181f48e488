"""A producer submits an OCOP certificate for one of its products: every rule is checked, each
refusal is a message on its field, and nothing (row or file) is stored when anything is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Certification
from marketplace.certification.documents import MAX_SCAN_BYTES
from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.certification.helpers import PDF, certificate_form, jpeg_with_exif, png_bytes
from tests.factories import make_certificate, make_producer, make_producer_member, make_product, make_user


def _stored_documents(app) -> list[Path]:
    root = Path(app.config["DOCUMENT_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def shop(app):
    producer = make_producer(province_code="thai-nguyen")
    owner = make_producer_member(producer, email="owner@htx.vn")
    product = make_product(producer, name="Chè Tân Cương")
    db.session.commit()
    return producer, owner, product


def test_a_valid_certificate_is_stored_pending_with_its_expiry_and_a_private_scan(app, web, shop) -> None:
    _, owner, product = shop
    issued = (
        date(2026, 3, 31) if today_in_vietnam() >= date(2026, 3, 31) else add_months(today_in_vietnam(), -6)
    )
    response = web.sign_in(owner).post(
        f"/portal/products/{product.id}/certificates/new", certificate_form(issued_on=issued)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    cert = db.session.scalar(select(Certification))
    assert (cert.status, cert.star_class, cert.score, cert.issuing_level) == ("pending", 4, 78, "province")
    assert cert.expires_on == add_months(issued, 36)
    assert cert.submitted_by_id == owner.id and cert.issuing_province == "Thái Nguyên"
    assert cert.scan_media_type == "application/pdf"
    stored = _stored_documents(app)
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    assert not Path(app.config["UPLOAD_DIR"]).exists() or not any(
        Path(app.config["UPLOAD_DIR"]).rglob("*.pdf")
    )
    assert "OCOP-TN-2026-0042" in web.get("/portal/certificates").get_data(as_text=True)


def _over_ten_megabytes() -> bytes:
    return PDF + b"0" * (MAX_SCAN_BYTES - len(PDF) + 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"star_class": "4", "score": "65"}, "A 4-star product scores 70 to 89 points, not 65."),
        ({"star_class": "3", "score": "72"}, "A 3-star product scores 50 to 69 points, not 72."),
        ({"star_class": "5", "score": "88"}, "A 5-star product scores 90 to 100 points, not 88."),
        (
            {"star_class": "5", "score": "93", "issuing_level": "province"},
            "5-star products are recognised at central level only.",
        ),
        (
            {"star_class": "4", "issuing_level": "central"},
            "The central level recognises 5-star products only.",
        ),
        (
            {"star_class": "3", "score": "60", "issuing_level": "district"},
            "Districts have not recognised OCOP products since 1 July 2025",
        ),
        (
            {"issued_on": date.fromordinal(today_in_vietnam().toordinal() + 1)},
            "The issue date cannot be in the future.",
        ),
        (
            {"issued_on": add_months(today_in_vietnam(), -37)},
            "(36 months later). Submit the certificate in force.",
        ),
        ({"issued_on": "2026-02-31"}, "Enter the issue date as it is printed on the certificate."),
        ({"score": "nhiều"}, "Enter the score, a whole number from 0 to 100."),
        ({"score": "101"}, "The score is a whole number from 0 to 100."),
        ({"certificate_number": "  "}, "Enter the certificate number."),
        ({"issuing_decision": ""}, "Enter the number of the recognition decision."),
        (
            {"scan_data": b"Day la giay chung nhan OCOP\n", "scan_name": "chung-nhan.pdf"},
            "Upload the scan as a PDF, or as a JPEG, PNG or WebP picture.",
        ),
        (
            {"scan_data": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "scan_name": "scan.gif"},
            "Upload the scan as a PDF, or as a JPEG, PNG or WebP picture.",
        ),
        ({"scan_data": b"", "scan_name": ""}, "Attach the scan of the certificate."),
    ],
)
def test_a_broken_rule_is_refused_on_its_field_and_nothing_is_stored(
    app, web, shop, changes, message
) -> None:
    _, owner, product = shop
    web.client.set_cookie("lang", "en")
    response = web.sign_in(owner).post(
        f"/portal/products/{product.id}/certificates/new", certificate_form(**changes)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page.replace("&#39;", "'")
    assert 'class="field field--error"' in page
    assert db.session.scalar(select(func.count(Certification.id))) == 0
    assert _stored_documents(app) == []


def test_a_scan_over_10_megabytes_is_refused_and_nothing_is_stored(app, web, shop) -> None:
    from werkzeug.test import EnvironBuilder

    from tests.conftest import csrf_token

    _, owner, product = shop
    web.client.set_cookie("lang", "en")
    web.sign_in(owner)
    data = {**certificate_form(scan_data=_over_ten_megabytes()), "csrf_token": csrf_token(web.client)}
    # Built here so that the spooled request body can be closed (the test client leaves it open).
    builder = EnvironBuilder(path=f"/portal/products/{product.id}/certificates/new", method="POST", data=data)
    environ = builder.get_environ()
    try:
        with app.app_context():
            response = web.client.open(environ)
        page = response.get_data(as_text=True)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert "The scan is larger than 10 MB." in page
    assert db.session.scalar(select(func.count(Certification.id))) == 0
    assert _stored_documents(app) == []


def test_every_broken_rule_is_reported_at_once(app, web, shop) -> None:
    _, owner, product = shop
    web.client.set_cookie("lang", "en")
    form = certificate_form(
        star_class="5",
        score="70",
        issuing_level="province",
        issued_on=date.fromordinal(today_in_vietnam().toordinal() + 3),
        scan_data=b"not a scan",
    )
    page = (
        web.sign_in(owner)
        .post(f"/portal/products/{product.id}/certificates/new", form)
        .get_data(as_text=True)
    )
    assert page.count('class="field field--error"') == 4  # score, level, issue date, scan


def test_the_ocop_rules_are_checked_even_when_the_form_refuses_another_field(app, web, shop) -> None:
    _, owner, product = shop
    web.client.set_cookie("lang", "en")
    form = certificate_form(
        star_class="5", score="75", issuing_level="province", issuing_decision="", scan_data=b"plain text"
    )
    page = (
        web.sign_in(owner)
        .post(f"/portal/products/{product.id}/certificates/new", form)
        .get_data(as_text=True)
    )
    for message in (
        "Enter the number of the recognition decision.",
        "A 5-star product scores 90 to 100 points",
        "5-star products are recognised at central level only.",
        "Upload the scan as a PDF",
    ):
        assert message in page
    assert db.session.scalar(select(func.count(Certification.id))) == 0
    assert _stored_documents(app) == []


def test_a_certificate_already_submitted_for_the_product_is_refused(app, web, shop) -> None:
    _, owner, product = shop
    make_certificate(product, 4, certificate_number="OCOP-TN-2026-0042", status="pending")
    db.session.commit()
    web.client.set_cookie("lang", "en")
    page = (
        web.sign_in(owner)
        .post(f"/portal/products/{product.id}/certificates/new", certificate_form())
        .get_data(as_text=True)
    )
    assert "This certificate has already been submitted for this product." in page
    assert db.session.scalar(select(func.count(Certification.id))) == 1


def test_a_picture_scan_is_re_encoded_without_its_metadata(app, web, shop) -> None:
    _, owner, product = shop
    web.sign_in(owner).post(
        f"/portal/products/{product.id}/certificates/new",
        certificate_form(scan_data=jpeg_with_exif(), scan_name="anh.jpg"),
    )
    cert = db.session.scalar(select(Certification))
    assert cert.scan_media_type == "image/jpeg"
    (stored,) = _stored_documents(app)
    assert b"SecretCamera" not in stored.read_bytes()


def test_a_png_scan_is_accepted(app, web, shop) -> None:
    _, owner, product = shop
    response = web.sign_in(owner).post(
        f"/portal/products/{product.id}/certificates/new",
        certificate_form(scan_data=png_bytes(), scan_name="scan.png"),
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Certification.scan_media_type)) == "image/png"


def test_a_decompression_bomb_is_refused(app, web, shop) -> None:
    _, owner, product = shop
    web.client.set_cookie("lang", "en")
    bomb = png_bytes((9000, 9000))  # 81 million pixels, a few hundred kilobytes
    page = (
        web.sign_in(owner)
        .post(
            f"/portal/products/{product.id}/certificates/new",
            certificate_form(scan_data=bomb, scan_name="bomb.png"),
        )
        .get_data(as_text=True)
    )
    assert "too many pixels" in page or "Upload the scan as a PDF" in page
    assert db.session.scalar(select(func.count(Certification.id))) == 0


def test_another_producers_product_answers_404_and_nothing_is_stored(app, web, shop) -> None:
    _, _, product = shop
    rival = make_producer_member(make_producer(), email="rival@htx.vn")
    db.session.commit()
    web.sign_in(rival)
    assert web.get(f"/portal/products/{product.id}/certificates/new").status_code == 404
    assert web.post(f"/portal/products/{product.id}/certificates/new", certificate_form()).status_code == 404
    assert web.get("/portal/products/999999/certificates/new").status_code == 404
    assert db.session.scalar(select(func.count(Certification.id))) == 0
    assert _stored_documents(app) == []


def test_scans_are_served_only_to_the_producers_members_and_administrators(app, web, shop) -> None:
    from tests.conftest import FormClient

    producer, owner, product = shop
    web.sign_in(owner).post(f"/portal/products/{product.id}/certificates/new", certificate_form())
    cert = db.session.scalar(select(Certification))
    staff = make_producer_member(producer, role="staff")
    rival = make_producer_member(make_producer())
    consumer = make_user()
    admin = make_user(is_admin=True)
    db.session.commit()
    url = f"/portal/certificates/{cert.id}/scan"

    def status(user) -> int:
        client = FormClient(app.test_client())
        if user is not None:
            client.sign_in(user)
        response = client.get(url)
        if response.status_code == 200:
            assert response.data == PDF
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert "no-store" in response.headers["Cache-Control"]
        return response.status_code

    assert [status(u) for u in (owner, staff, admin)] == [200, 200, 200]
    assert [status(u) for u in (rival, consumer)] == [404, 404]
    assert status(None) == 302
    # Not reachable as a public file either.
    assert web.get(f"/media/{cert.scan_key}").status_code == 404
    assert web.get(f"/media/../documents/{cert.scan_key}").status_code == 404


def test_the_organisation_page_links_to_the_certificates(app, web, shop) -> None:
    _, owner, _ = shop
    assert "/portal/certificates" in web.sign_in(owner).get("/account/organisation").get_data(as_text=True)
