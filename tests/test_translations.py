"""One language per page: the translation catalogue is complete, and the main pages and their
histories, rendered in Vietnamese, use no message without a Vietnamese translation and show no
stored English note (events, stock changes)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from marketplace.extensions import db
from marketplace.orders import services as order_services
from marketplace.portal.models import StockAdjustment
from tests.conftest import FormClient
from tests.factories import (
    add_image,
    make_certificate,
    make_producer,
    make_producer_member,
    make_user,
)
from tests.invoicing.helpers import deliver
from tests.orders.helpers import place as place_consumer_order
from tests.wholesale.helpers import buyer, fill_draft, place, wholesale_product

PO_FILE = Path(__file__).parent.parent / "marketplace" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
# Stored English notes that must never reach a Vietnamese page as they are.
ENGLISH_NOTES = (
    "cash collected",
    "opening stock",
    "CSV import",
    "payment on terms",
    "refunded by card",
    "payment by card",
    "delivery date confirmed",
    "rejected by the producer",
)


def _catalogue():
    with PO_FILE.open("rb") as file:
        return read_po(file, locale="vi")


def _translated_ids() -> set[str]:
    translated = set()
    for message in _catalogue():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not message.fuzzy and all(strings):
            translated.add(message.id[0] if isinstance(message.id, tuple) else message.id)
    return translated


def test_every_catalogue_entry_has_a_vietnamese_translation_that_is_not_fuzzy() -> None:
    problems = []
    for message in _catalogue():
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"empty: {message.id!r}")
    assert not problems, "\n".join(problems)


def _wtforms_default_label() -> bool:
    """WTForms translates the label it makes up for a field without one ("Product Id" for a
    hidden field): never shown, so not a message of ours."""
    frame = sys._getframe(2)
    for _ in range(6):
        if frame is None:
            return False
        if frame.f_code.co_name == "__init__" and "wtforms" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


@pytest.fixture
def asked_messages(monkeypatch) -> set[str]:
    """Every msgid looked up while the test runs (Python code and templates alike)."""
    asked: set[str] = set()
    gettext, ngettext = Translations.ugettext, Translations.ungettext

    def recording_gettext(self, message):
        if not _wtforms_default_label():
            asked.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, n):
        asked.add(singular)
        return ngettext(self, singular, plural, n)

    monkeypatch.setattr(Translations, "ugettext", recording_gettext)
    monkeypatch.setattr(Translations, "ungettext", recording_ngettext)
    return asked


@pytest.fixture
def world(app):
    """A producer with a certified product (stock history included), a consumer's cash order
    delivered, and a supermarket's order on terms delivered and invoiced."""
    producer = make_producer(
        name="HTX Chè Tân Cương",
        slug="htx-tan-cuong",
        green_verified=True,
        environment_plan="Ủ bã chè.",
        tax_code="4600123456",
    )
    producer_user = make_producer_member(producer, email="producer@example.vn")
    tea = wholesale_product(
        producer, slug="che-tan-cuong", name="Chè Tân Cương", stock=1_000, min_order_qty=10
    )
    add_image(tea)
    make_certificate(tea, 4)
    db.session.add_all(
        [
            StockAdjustment(
                product_id=tea.id, delta=1_000, reason="received", note="opening stock", stock_after=1_000
            ),
            StockAdjustment(
                product_id=tea.id, delta=0, reason="counted", note="CSV import", stock_after=1_000
            ),
        ]
    )
    consumer = make_user("consumer@example.vn")
    db.session.commit()
    cash_order = place_consumer_order([(tea, 2)], customer_id=consumer.id)
    part = cash_order.producer_orders[0]
    order_services.accept_producer_order(part, "producer")
    order_services.ship_producer_order(part, "producer", carrier="Viettel Post", tracking_number="VTP1")
    order_services.mark_delivered(part, "producer")
    db.session.commit()

    supermarket_user, organisation = buyer("owner", email="buyer@example.vn")
    fill_draft(organisation, [(tea, 50)], supermarket_user)
    terms_order = place(supermarket_user, organisation, [tea])
    deliver(terms_order.producer_orders[0])
    fill_draft(organisation, [(tea, 20)], supermarket_user)
    from marketplace.invoicing.models import Invoice

    invoice = db.session.query(Invoice).one()
    return {
        "producer_user": producer_user,
        "consumer": consumer,
        "tea": tea,
        "cash_order": cash_order,
        "cash_part": part,
        "buyer": supermarket_user,
        "terms_order": terms_order,
        "invoice": invoice,
    }


def _pages(client, world) -> dict[str, str]:
    """Each main page, as its reader sees it, in Vietnamese."""
    client.set_cookie("lang", "vi")
    web = FormClient(client)
    pages: dict[str, str] = {}

    def read(url: str) -> None:
        response = web.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)

    for url in (
        "/",
        "/products",
        "/products?q=che",
        "/products/che-tan-cuong",
        "/producers/htx-tan-cuong",
        "/provinces/thai-nguyen",
        "/about/green",
    ):
        read(url)
    web.sign_in(world["consumer"])
    web.post("/cart/add", {"product_id": world["tea"].id, "quantity": 1})
    for url in ("/cart", "/checkout", "/orders", f"/orders/{world['cash_order'].reference}"):
        read(url)
    web.sign_in(world["producer_user"])
    tea, invoice = world["tea"], world["invoice"]
    for url in (
        "/portal/",
        "/portal/products",
        f"/portal/products/{tea.id}/edit",
        "/portal/stock",
        f"/portal/products/{tea.id}/stock",
        "/portal/orders",
        f"/portal/orders/{world['cash_part'].id}",
        f"/portal/orders/{world['terms_order'].producer_orders[0].id}",
        "/portal/invoices",
        f"/portal/invoices/{invoice.id}",
        "/portal/tax-code",
    ):
        read(url)
    web.sign_in(world["buyer"])
    for url in (
        "/wholesale/products",
        "/wholesale/order",
        "/wholesale/order/review",
        "/buyer/orders",
        f"/buyer/orders/{world['terms_order'].reference}",
        "/buyer/invoices",
        f"/buyer/invoices/{invoice.id}",
    ):
        read(url)
    return pages


def test_main_pages_in_vietnamese_use_no_untranslated_message(client, world, asked_messages) -> None:
    _pages(client, world)
    missing = sorted(asked_messages - _translated_ids())
    assert not missing, "messages without a Vietnamese translation:\n" + "\n".join(map(repr, missing))


def test_histories_in_vietnamese_show_no_stored_english_note(client, world) -> None:
    pages = _pages(client, world)
    leaks = [f"{url}: {note!r}" for url, page in pages.items() for note in ENGLISH_NOTES if note in page]
    assert not leaks, "\n".join(leaks)
    assert "đã thu tiền mặt" in pages[f"/orders/{world['cash_order'].reference}"]
    assert "tồn kho ban đầu" in pages[f"/portal/products/{world['tea'].id}/stock"]
