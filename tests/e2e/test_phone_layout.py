"""Phones (360 px wide): no page scrolls sideways, no text is cut off by its box on the order,
invoice and cart pages (the money columns of the producer's order page were), and the header
stays under 120 px for a shopper and a signed-in producer (its menus collapse)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.invoicing.models import Invoice
from marketplace.orders import services as order_services
from tests.e2e.test_invoicing import sign_in
from tests.factories import (
    add_image,
    make_buyer_member,
    make_buyer_organisation,
    make_certificate,
    make_producer,
    make_producer_member,
    make_user,
)
from tests.invoicing.helpers import deliver, supermarket_order
from tests.orders.helpers import place as place_consumer_order
from tests.wholesale.helpers import wholesale_product

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
MAX_HEADER_PX = 120

# Elements whose text overflows a box that hides or scrolls it (visually hidden text excluded).
CUT_TEXT = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.textContent.trim()) continue;
    if (el.closest('.visually-hidden') || el.clientWidth <= 1) continue;
    const hides = ['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX)
      || style.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1) {
      cut.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}: ` +
               el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60));
    }
  }
  return cut;
}"""
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
HEADER = "() => document.querySelector('.site-header').getBoundingClientRect().height"


@pytest.fixture
def shop(app):
    producer = make_producer(
        name="Công ty TNHH Chè Cao Nguyên Mộc Châu",
        slug="che-moc-chau",
        code="CCNM",
        tax_code="4600123456",
        green_verified=True,
    )
    make_producer_member(producer, email="htx@example.vn")
    tea = wholesale_product(
        producer,
        slug="tra-shan-tuyet",
        name="Trà Shan Tuyết cổ thụ Hoàng Su Phì túi 200 g",
        sku="CCNM-014",
        price_vnd=1_320_000,
        stock=900,
        min_order_qty=10,
        case_pack=10,
    )
    add_image(tea)
    make_certificate(tea, 4)
    consumer = make_user("an@example.vn")
    organisation = make_buyer_organisation(legal_name="Công ty CP Siêu thị Xanh Miền Bắc")
    make_buyer_member(organisation, email="mua@example.vn")
    db.session.commit()
    cash = place_consumer_order([(tea, 20)], customer_id=consumer.id)
    cash_part = cash.producer_orders[0]
    order_services.accept_producer_order(cash_part, "producer")
    db.session.commit()
    terms = supermarket_order(organisation, [([(tea, 200)], 220_000)])
    deliver(terms.producer_orders[0])
    return {
        "cash": cash,
        "cash_part": cash_part,
        "terms": terms,
        "tea": tea,
        "invoice": db.session.query(Invoice).one(),
    }


def _check(page: Page, base: str, path: str, *, cut: bool) -> list[str]:
    page.goto(base + path)
    page.wait_for_load_state()
    problems = []
    width, viewport = page.evaluate(SIDEWAYS)
    if width > viewport:
        problems.append(f"{path}: the page scrolls sideways ({width} > {viewport} px)")
    if cut:
        problems.extend(f"{path}: {text}" for text in page.evaluate(CUT_TEXT))
    return problems


def test_on_a_phone_no_page_scrolls_sideways_and_no_text_is_cut(browser, live_server: str, shop) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    for path in ("/", "/products", "/products/tra-shan-tuyet", "/about/green"):
        problems += _check(page, live_server, path, cut=False)
    page.goto(f"{live_server}/products/tra-shan-tuyet")
    page.locator("main form.add-to-cart button[type=submit]").click()
    # The cached product page asks for a CSRF token before the form goes: wait for the cart.
    expect(page.locator("[data-cart-count]")).to_have_text("1")
    for path in ("/cart", "/checkout"):
        problems += _check(page, live_server, path, cut=True)

    sign_in(page, live_server, "an@example.vn")
    problems += _check(page, live_server, f"/orders/{shop['cash'].reference}", cut=True)

    sign_in(page, live_server, "htx@example.vn")
    problems += _check(page, live_server, "/portal/", cut=False)
    for path in (
        f"/portal/orders/{shop['cash_part'].id}",
        f"/portal/orders/{shop['terms'].producer_orders[0].id}",
        f"/portal/invoices/{shop['invoice'].id}",
    ):
        problems += _check(page, live_server, path, cut=True)

    sign_in(page, live_server, "mua@example.vn")
    problems += _check(page, live_server, "/wholesale/products", cut=False)
    problems += _check(page, live_server, f"/buyer/invoices/{shop['invoice'].id}", cut=True)
    problems += _check(page, live_server, f"/buyer/orders/{shop['terms'].reference}", cut=True)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who", ["shopper", "producer"])
def test_on_a_phone_the_header_is_under_120_px_and_its_menu_opens(
    browser, live_server: str, shop, who
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if who == "producer":
        sign_in(page, live_server, "htx@example.vn")
    page.goto(f"{live_server}/products")
    height = page.evaluate(HEADER)
    assert height < MAX_HEADER_PX, f"the header takes {height} px"
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Tất cả sản phẩm").first.click()  # the main navigation, now shown
    page.wait_for_url(f"{live_server}/products")
    if who == "producer":
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Cổng nhà sản xuất").click()
        page.wait_for_url(f"{live_server}/portal/")
    context.close()
