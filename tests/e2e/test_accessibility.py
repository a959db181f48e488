"""Every page type passes axe-core (axe-playwright-python, which carries its own axe.min.js) with no
serious or critical violation, and on a 360 px phone no page scrolls sideways (the document is no
wider than the viewport); a screenshot of each phone page is kept in the test's tmp_path.

One test per kind of visitor walks that visitor's pages, so the shop is built once per kind and
every violation on every page is reported at once. Accessibility does not depend on the database,
so these run on SQLite only."""

from __future__ import annotations

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.producers.models import Producer
from tests.e2e.test_invoicing import sign_in
from tests.e2e.test_phone_layout import PHONE, shop  # noqa: F401 - the shop fixture
from tests.factories import make_user
from tests.traceability.helpers import batch

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# The outermost elements that reach past the right edge, to name the culprit in the report.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
    && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)"""
AXE = Axe()


def visitor_pages(scene) -> list[str]:
    tea = scene["tea"]
    return [
        "/",
        "/products",
        "/products?q=tr%C3%A0",  # search results
        "/products?q=kh%C3%B4ng+c%C3%B3+g%C3%AC+c%E1%BA%A3",  # search with no result
        f"/products/{tea.slug}",
        f"/producers/{scene['producer'].slug}",
        f"/provinces/{scene['province']}",
        "/about/green",
        "/programme",
        f"/t/{tea.slug}/{scene['lot']}",
        "/api/v1/docs",
        "/account/login",
        "/account/signup",
        "/account/password/forgot",
        "/buyer/register",
        "/cart",
        "/no-such-page",
    ]


def consumer_pages(scene) -> list[str]:
    return ["/orders", f"/orders/{scene['cash'].reference}", "/account/profile", "/account/password"]


def producer_pages(scene) -> list[str]:
    tea = scene["tea"]
    part = scene["cash_part"]
    return [
        "/portal/",
        "/portal/products",
        "/portal/products/new",
        f"/portal/products/{tea.id}/edit",
        f"/portal/products/{tea.id}/certificates/new",
        "/portal/stock",
        "/portal/import-export",
        "/portal/orders",
        f"/portal/orders/{part.id}",
        f"/portal/orders/{scene['terms'].producer_orders[0].id}",
        "/portal/invoices",
        f"/portal/invoices/{scene['invoice'].id}",
        "/portal/certificates",
        "/portal/batches",
        "/portal/batches/new",
        f"/portal/batches/{scene['batch'].id}",
        "/portal/reports/",
        "/portal/declarations/",
        "/portal/payouts",
        "/portal/payouts/account",
        "/portal/api-tokens",
        "/portal/webhooks",
        "/account/organisation",
    ]


def buyer_pages(scene) -> list[str]:
    return [
        "/wholesale/products",
        "/wholesale/order",
        "/wholesale/lists",
        "/buyer/orders",
        f"/buyer/orders/{scene['terms'].reference}",
        "/buyer/invoices",
        f"/buyer/invoices/{scene['invoice'].id}",
        "/buyer/locations",
        "/buyer/settings",
        "/buyer/batches",
        "/buyer/api-tokens",
    ]


def admin_pages(scene) -> list[str]:
    return [
        "/admin/",
        "/admin/verification/producers",
        "/admin/verification/buyers",
        "/admin/certificates",
        f"/admin/products/{scene['tea'].id}/certificates",
        "/admin/programme",
        "/admin/programme/producers",
        "/admin/programme/targets",
        "/admin/invoices",
        f"/admin/invoices/{scene['invoice'].id}",
        "/admin/buyers",
        "/admin/payments/queue",
        "/admin/payments/statements",
        "/admin/payouts",
        "/admin/payouts/withholding",
        "/admin/declarations/",
        "/admin/batches",
        "/admin/outbox",
    ]


VISITORS = {
    "visitor": (None, visitor_pages),
    "consumer": ("an@example.vn", consumer_pages),
    "producer": ("htx@example.vn", producer_pages),
    "buyer": ("mua@example.vn", buyer_pages),
    "admin": ("admin@example.vn", admin_pages),
}


@pytest.fixture
def scene(shop):  # noqa: F811 - the imported fixture, extended
    tea = shop["tea"]
    lot = batch(tea, lot="CCNM-2026-11", produced=date(2026, 11, 2))
    make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    producer = db.session.get(Producer, tea.producer_id)
    return {
        **shop,
        "batch": lot,
        "lot": lot.lot_code,
        "producer": producer,
        "province": producer.province_code,
    }


def axe_problems(page: Page, path: str) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [
        f"{path}: {v['impact']} {v['id']} ({v['help']}) at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


def page_problems(page: Page, label: str, screenshot) -> list[str]:
    """axe at desktop width on the page as loaded, then the same page at 360 px."""
    problems = axe_problems(page, label)
    page.set_viewport_size(PHONE)
    width, viewport = page.evaluate(SIDEWAYS)
    if width > viewport:
        culprits = ", ".join(page.evaluate(TOO_WIDE))
        problems.append(f"{label}: at 360 px the page scrolls sideways ({width} > {viewport} px: {culprits})")
    page.screenshot(path=screenshot, full_page=True)
    page.set_viewport_size(DESKTOP)
    return problems


@pytest.mark.parametrize("who", VISITORS)
def test_every_page_passes_axe_and_fits_a_360_pixel_phone(
    browser, live_server: str, scene, who: str, tmp_path
) -> None:
    email, pages = VISITORS[who]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    if email:
        sign_in(page, live_server, email)
    elif who == "visitor":  # a cart with a line, for the cart and checkout pages
        page.goto(f"{live_server}/products/{scene['tea'].slug}")
        page.locator("main form.add-to-cart button[type=submit]").click()
        # The cached product page asks for a CSRF token before the form goes: wait for the cart.
        expect(page.locator("[data-cart-count]")).to_have_text("1")
    paths = pages(scene) + (["/checkout"] if who == "visitor" else [])
    problems: list[str] = []
    for number, path in enumerate(paths):
        page.goto(live_server + path)
        page.wait_for_load_state()
        problems += page_problems(page, path, tmp_path / f"{who}-{number:02d}.png")
    if who == "visitor":  # the error page of a form sent without its CSRF token
        page.goto(live_server + "/account/login")
        page.locator("main form input[name=csrf_token]").evaluate("input => input.remove()")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1
        problems += page_problems(page, "the CSRF error page", tmp_path / "visitor-csrf.png")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_check_reports_a_picture_without_a_text_alternative(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.evaluate(
        """() => { const img = document.createElement('img');
                   img.src = '/static/img/favicon.svg'; document.querySelector('main').append(img); }"""
    )
    assert [p for p in axe_problems(page, "/") if " image-alt " in p]
