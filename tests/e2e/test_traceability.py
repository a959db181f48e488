"""A producer records a batch in the portal, prints its label sheet, and the QR code on the sheet,
read back from a screenshot with a QR reader (zxing-cpp), opens the public traceability page."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.e2e import portal
from tests.factories import make_certificate, make_producer, make_producer_member, make_product

pytestmark = pytest.mark.e2e


def test_a_producer_records_a_batch_prints_its_label_and_the_qr_code_opens_its_page(
    page: Page, live_server: str
) -> None:
    producer = make_producer(
        name="HTX Chè Tân Cương", slug="htx-che-tan-cuong", verification_status="verified"
    )
    owner = make_producer_member(producer, email="owner@htx-che.vn")
    product = make_product(producer, name="Chè Tân Cương thượng hạng", gtin="09506000134352")
    make_certificate(product, 4, certificate_number="OCOP-TN-2025-017")
    db.session.commit()

    portal.sign_in(page, live_server, owner.email)
    page.goto(live_server + "/portal/")
    page.get_by_role("navigation", name="Producer portal").get_by_role("link", name="Batches").click()
    page.get_by_role("link", name="Record a batch").click()
    page.get_by_label("Product", exact=True).select_option(label=f"{product.name} ({product.sku})")
    page.get_by_label("Lot code").fill("TC-2026-11A")
    page.get_by_label("Production date", exact=True).fill("2026-11-20")
    page.get_by_label("Best before (optional)").fill("2027-11-20")
    page.get_by_label("Quantity produced (units)").fill("240")
    page.get_by_label("Where the raw materials come from").fill("Búp chè hái tại đồi chè của hợp tác xã")
    page.get_by_label("Commune of the raw materials").fill("Tân Cương")
    page.get_by_role("button", name="Record the batch").click()
    expect(page.locator(".flashes")).to_contain_text("Batch TC-2026-11A is recorded")

    page.get_by_role("link", name="Print labels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Labels for batch TC-2026-11A")
    first_qr = page.locator(".batch-label__qr svg").first
    first_qr.evaluate("svg => { svg.style.width = '300px'; svg.style.height = '300px'; }")
    shot = Image.open(io.BytesIO(first_qr.screenshot())).convert("L")
    [code] = zxingcpp.read_barcodes(shot)
    assert code.text == f"{live_server}/01/09506000134352/10/TC-2026-11A"

    page.goto(code.text)
    expect(page.get_by_role("heading", level=1)).to_have_text("Chè Tân Cương thượng hạng")
    expect(page.locator("main")).to_contain_text("Batch TC-2026-11A")
    expect(page.locator("main")).to_contain_text("OCOP 4 stars, certificate OCOP-TN-2025-017")
    expect(page.locator("main")).to_contain_text("Tân Cương")
