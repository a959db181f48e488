"""Steps a producer takes in the portal, for browser tests (reusable: the certificate walk-through
starts with the same sign-in, product and picture). The browser reads the site in English."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def use_english(page: Page, base_url: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])


def sign_in(
    page: Page, base_url: str, email: str, password: str = PASSWORD, *, expect_link: str = "Producer portal"
) -> None:
    """Signs in and waits for the header link the account gets (an administrator's: "Administration")."""
    use_english(page, base_url)
    page.goto(base_url + "/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").last.click()
    expect(page.get_by_role("banner").get_by_role("link", name=expect_link)).to_be_visible()


def picture_file(tmp_path: Path, name: str = "product.jpg", colour: str = "#2b6a45") -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 800), colour).save(buffer, "JPEG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def create_product(
    page: Page,
    base_url: str,
    *,
    name: str,
    sku: str,
    price: str = "150.000",
    group: str = "Food",
    subgroup: str = "Tea and tea products",
    stock: str = "30",
) -> int:
    """Fills in the new-product form; returns the new product's id (the draft's pictures page)."""
    page.goto(base_url + "/portal/products/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Product code (SKU)").fill(sku)
    page.get_by_label("OCOP product group").select_option(label=group)
    page.get_by_label("Sub-group").select_option(label=subgroup)
    page.get_by_label("Description", exact=True).fill("Hand-picked **Tân Cương** tea.")
    page.get_by_label("Retail price (₫)").fill(price)
    page.get_by_label("Opening stock (units)").fill(stock)
    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_url(re.compile(r"/portal/products/\d+/pictures$"))
    return int(re.search(r"/products/(\d+)/pictures", page.url).group(1))


def upload_picture(page: Page, path: Path, alt: str = "") -> None:
    """On a product's pictures page: upload one picture."""
    page.get_by_label("Picture (JPEG, PNG or WebP, up to 8 MB)").set_input_files(str(path))
    if alt:
        page.get_by_label("Describe the picture (for people who cannot see it)").fill(alt)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flashes")).to_contain_text("The picture has been added.")


def publish(page: Page) -> None:
    """On a product's pictures or edit page: publish it."""
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flashes")).to_contain_text("The product is published")


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def submit_certificate(
    page: Page,
    *,
    product_name: str,
    scan: Path,
    number: str,
    issued_on: str,
    stars: str = "4",
    score: str = "75",
    level: str = "province",
    decision: str = "Quyết định số 1187/QĐ-UBND",
) -> None:
    """From the portal's navigation: submit an OCOP certificate with its scan for one product."""
    page.get_by_role("navigation", name="Producer portal").get_by_role("link", name="Certificates").click()
    page.get_by_role("link", name=f"Submit a certificate – {product_name}").click()
    page.get_by_label("Star class").select_option(stars)
    page.get_by_label("Score (out of 100)").fill(score)
    page.get_by_label("Certificate number").fill(number)
    page.get_by_label("Issuing level").select_option(level)
    page.get_by_label("Issue date").fill(issued_on)
    page.get_by_label("Recognition decision (number and issuer)").fill(decision)
    page.get_by_label(re.compile(r"^Scan of the certificate")).set_input_files(str(scan))
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator(".flash")).to_contain_text("Your certificate has been submitted")
