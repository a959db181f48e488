"""The public batch page at its GS1 Digital Link address, and its QR code: the certificate and GI
right in force on the production date, with a notice of what has changed since."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import zxingcpp
from PIL import Image

from marketplace.extensions import db
from tests.factories import (
    grant_right,
    make_certificate,
    make_producer,
    make_producer_member,
    make_product,
    make_protection,
)
from tests.traceability.helpers import batch

GTIN = "09506000134352"


def _page(web, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_a_product_with_a_gtin_has_its_batches_at_the_digital_link_address(web) -> None:
    product = make_product(gtin=GTIN, name="Chè Tân Cương")
    batch(product, "L2026-01")
    db.session.commit()
    page = _page(web, f"/01/{GTIN}/10/L2026-01")
    assert "Chè Tân Cương" in page and "Batch L2026-01" in page and "9506000134352" in page
    # The product address keeps working; both pages' QR code holds the Digital Link address.
    by_slug = _page(web, f"/t/{product.slug}/L2026-01")
    assert "Batch L2026-01" in by_slug
    assert (
        f"<title>http://localhost/01/{GTIN}/10/L2026-01</title>" in page
        and f"<title>http://localhost/01/{GTIN}/10/L2026-01</title>" in by_slug
    )


def test_a_shorter_gtin_form_redirects_to_the_14_digit_address(web) -> None:
    product = make_product(gtin=GTIN)
    batch(product, "L1")
    db.session.commit()
    response = web.get("/01/9506000134352/10/L1")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/01/{GTIN}/10/L1")


def test_a_product_without_a_gtin_has_its_batches_under_t(web) -> None:
    product = make_product()
    batch(product, "L1")
    db.session.commit()
    assert "Batch L1" in _page(web, f"/t/{product.slug}/L1")


@pytest.mark.parametrize(
    "path",
    [
        "/01/{gtin}/10/NOPE",
        "/01/09506000134353/10/L1",
        "/01/123/10/L1",
        "/t/{slug}/l1",
        "/t/{slug}/L1%2F..",
        "/t/{slug}/L%C3%941",
        "/t/{slug}/" + "L" * 300,
        "/t/no-such-product/L1",
    ],
)
def test_unknown_and_hostile_addresses_answer_404(web, path: str) -> None:
    product = make_product(gtin=GTIN)
    batch(product, "L1")
    db.session.commit()
    assert web.get(path.format(gtin=GTIN, slug=product.slug)).status_code == 404


def test_batches_of_an_unverified_producer_are_not_public(web) -> None:
    product = make_product(make_producer(verification_status="pending"))
    batch(product, "L1")
    db.session.commit()
    assert web.get(f"/t/{product.slug}/L1").status_code == 404


def test_the_page_shows_the_certificate_in_force_on_the_production_date_across_an_expiry(web) -> None:
    product = make_product()
    make_certificate(
        product,
        4,
        issued_on=date(2022, 1, 10),
        expires_on=date(2025, 1, 10),
        certificate_number="OCOP-OLD",
        status="superseded",
    )
    make_certificate(product, 3, issued_on=date(2025, 3, 1), certificate_number="OCOP-NEW")
    batch(product, "BEFORE", produced=date(2024, 12, 1))  # the old certificate was in force
    batch(product, "GAP", produced=date(2025, 2, 1))  # none: the old one had expired
    batch(product, "AFTER", produced=date(2025, 6, 1))
    db.session.commit()
    before = _page(web, f"/t/{product.slug}/BEFORE")
    assert "OCOP 4 stars, certificate OCOP-OLD" in before and "has since expired" in before
    assert "OCOP-NEW" not in before
    assert "No OCOP certificate was in force on the production date." in _page(web, f"/t/{product.slug}/GAP")
    after = _page(web, f"/t/{product.slug}/AFTER")
    assert "OCOP 3 stars, certificate OCOP-NEW" in after and "since" not in after.split("OCOP-NEW")[1][:300]


def test_a_certificate_revoked_after_the_production_date_shows_with_a_notice(web) -> None:
    product = make_product()
    cert = make_certificate(product, 4, issued_on=date(2025, 1, 1), certificate_number="OCOP-R")
    batch(product, "EARLY", produced=date(2025, 5, 1))
    batch(product, "LATE", produced=date(2026, 4, 1))
    cert.status, cert.status_reason, cert.decided_at = "revoked", "Sai phạm", datetime(2026, 3, 1, 3)
    db.session.commit()
    early = _page(web, f"/t/{product.slug}/EARLY")
    assert "certificate OCOP-R" in early and "has since been revoked (01 Mar 2026)" in early
    assert "No OCOP certificate was in force" in _page(web, f"/t/{product.slug}/LATE")


def test_a_gi_right_revoked_since_shows_as_held_then_with_a_notice(web) -> None:
    product = make_product()
    right = grant_right(product, make_protection(name="Tân Cương", number="00013"))
    batch(product, "L1", produced=date(2025, 5, 1))
    right.status, right.decided_at = "revoked", datetime(2026, 2, 1, 3)
    db.session.commit()
    page = _page(web, f"/t/{product.slug}/L1")
    assert "“Tân Cương” (No. 00013)" in page and "has since been revoked" in page


def test_the_label_sheets_qr_code_reads_back_as_the_public_address(web) -> None:
    producer = make_producer()
    product = make_product(producer, gtin=GTIN)
    recorded = batch(product, "L2026-01")
    owner = make_producer_member(producer)
    db.session.commit()
    web.sign_in(owner)
    sheet = _page(web, f"/portal/batches/{recorded.id}/label")
    assert (
        sheet.count('class="batch-label"') == 24
        and sheet.count('class="segno"') == 24
        and f"http://localhost/01/{GTIN}/10/L2026-01" in sheet
    )
    for size, millimetres in (("s", 20), ("m", 30), ("l", 50)):
        png = web.get(f"/portal/batches/{recorded.id}/qr.png?size={size}")
        image = Image.open(io.BytesIO(png.get_data()))
        assert image.width >= millimetres / 25.4 * 300
        [code] = zxingcpp.read_barcodes(image.convert("L"))
        assert code.text == f"http://localhost/01/{GTIN}/10/L2026-01"
        svg = web.get(f"/portal/batches/{recorded.id}/qr.svg?size={size}").get_data(as_text=True)
        assert f'width="{millimetres}' in svg and svg.startswith("<?xml")
    assert _page(web, f"/01/{GTIN}/10/L2026-01")
