"""Whole pages for visitors without a session (catalog/page_cache.py): validators and 304s, no
session written, exact under change, kept apart by language, never for a visitor with a session
or signed in, bounded; and every POST still needs its CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from werkzeug.http import http_date

from marketplace.catalog import page_cache
from marketplace.catalog.models import Product
from marketplace.catalog.page_cache import Entry, PageStore
from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam
from tests.conftest import csrf_token
from tests.factories import make_certificate, make_producer, make_product, make_user

STOREFRONT = (
    "/",
    "/products",
    "/products?stars=4&page=1",
    "/products/che-tan-cuong",
    "/producers/htx-tan-cuong",
    "/provinces/thai-nguyen",
    "/about/green",
)


@pytest.fixture
def tea(app):
    producer = make_producer(slug="htx-tan-cuong", name="HTX Chè Tân Cương", province_code="thai-nguyen")
    product = make_product(producer, slug="che-tan-cuong", name="Chè Tân Cương", price_vnd=250_000)
    make_certificate(product, 4)
    db.session.commit()
    return product.id  # the requests below end the test's session: objects would be detached


def _get(client, path: str, **headers):
    response = client.get(path, headers=headers)
    db.session.remove()  # the request shared the test's app context: end its transaction
    return response


@pytest.mark.parametrize("path", STOREFRONT)
def test_a_public_page_is_served_whole_from_the_cache_with_validators(client, tea, path) -> None:
    first = _get(client, path)
    assert first.status_code == 200
    assert first.headers["X-Page-Cache"] == "miss"
    again = _get(client, path)
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    cache_control = again.headers["Cache-Control"]
    assert "public" in cache_control and "s-maxage=30" in cache_control and "must-revalidate" in cache_control
    assert "Cookie" in again.headers["Vary"]
    assert again.headers["Content-Language"] == "vi"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_matching_validators_answer_304_without_a_body(client, tea) -> None:
    page = _get(client, "/products/che-tan-cuong")
    etag, last_modified = page.headers["ETag"], page.headers["Last-Modified"]
    not_modified = _get(client, "/products/che-tan-cuong", **{"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert _get(client, "/products/che-tan-cuong", **{"If-Modified-Since": last_modified}).status_code == 304
    assert _get(client, "/products/che-tan-cuong", **{"If-None-Match": '"other"'}).status_code == 200
    earlier = http_date(page.last_modified - timedelta(seconds=1))
    assert _get(client, "/products/che-tan-cuong", **{"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110).
    both = _get(
        client, "/products/che-tan-cuong", **{"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    )
    assert both.status_code == 200


def test_the_first_request_already_answers_304_to_matching_validators(client, tea) -> None:
    etag = _get(client, "/products").headers["ETag"]
    from marketplace.catalog import cache

    cache.clear()  # as in a worker that has not rendered the page yet
    response = _get(client, "/products", **{"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["X-Page-Cache"] == "miss"


def test_head_is_answered_from_the_cache_without_a_body(client, tea) -> None:
    page = _get(client, "/products/che-tan-cuong")
    head = client.head("/products/che-tan-cuong")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["X-Page-Cache"] == "hit" and head.headers["ETag"] == page.headers["ETag"]


@pytest.mark.parametrize("path", [*STOREFRONT, "/products?q=che"])
def test_anonymous_browsing_writes_no_session_cookie_and_pages_carry_no_token(client, tea, path) -> None:
    for _ in range(2):  # rendered, then from the cache
        response = _get(client, path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        html = response.get_data(as_text=True)
        assert 'name="csrf_token"' not in html and 'name="csrf-token"' not in html, path
        assert 'name="csrf-token-url" content="/csrf-token"' in html


def test_search_results_are_not_kept_whole(client, tea) -> None:
    """They follow the search index, which the page cache's key does not hold."""
    _get(client, "/products?q=che")
    assert "X-Page-Cache" not in _get(client, "/products?q=che").headers


def test_a_catalogue_change_shows_at_once_with_new_validators(client, tea) -> None:
    before = {path: _get(client, path) for path in STOREFRONT[:5]}  # the home page shows prices too
    assert all(r.headers["X-Page-Cache"] == "miss" for r in before.values())
    db.session.get(Product, tea).price_vnd = 275_000
    db.session.commit()
    for path, old in before.items():
        response = _get(client, path, **{"If-None-Match": old.headers["ETag"]})
        assert response.headers["X-Page-Cache"] == "miss", path  # rendered again at the new version
        assert response.last_modified >= old.last_modified, path
        assert response.status_code == 200, path
        assert response.headers["ETag"] != old.headers["ETag"], path
        html = response.get_data(as_text=True)
        assert "275.000 ₫" in html and "250.000 ₫" not in html, path


def test_the_catalogue_version_records_when_it_last_rose(app, tea) -> None:
    from marketplace.catalog.models import CatalogState
    from marketplace.timeutil import utcnow

    db.session.get(Product, tea).stock = 3
    db.session.commit()
    changed_at = db.session.get(CatalogState, 1).changed_at
    assert changed_at is not None and abs(utcnow() - changed_at) < timedelta(minutes=1)


def test_a_page_of_yesterday_is_not_served_today(client, tea, monkeypatch) -> None:
    """Certificates fall out of force at midnight in Vietnam: the day is part of the page's key."""
    assert _get(client, "/products").headers["X-Page-Cache"] == "miss"
    assert _get(client, "/products").headers["X-Page-Cache"] == "hit"
    tomorrow = today_in_vietnam() + timedelta(days=1)
    monkeypatch.setattr(page_cache, "today_in_vietnam", lambda: tomorrow)
    assert _get(client, "/products").headers["X-Page-Cache"] == "miss"
    assert _get(client, "/products").headers["X-Page-Cache"] == "hit"


def test_pages_are_kept_apart_by_language(client, tea) -> None:
    vietnamese = _get(client, "/products")
    client.set_cookie("lang", "en")
    english = _get(client, "/products")
    assert english.headers["X-Page-Cache"] == "miss"
    assert (
        english.headers["Content-Language"] == "en" and english.headers["ETag"] != vietnamese.headers["ETag"]
    )
    assert "Food" in english.get_data(as_text=True) and "Thực phẩm" not in english.get_data(as_text=True)
    assert _get(client, "/products").headers["X-Page-Cache"] == "hit"
    client.delete_cookie("lang")
    back = _get(client, "/products")
    assert back.headers["X-Page-Cache"] == "hit" and "Thực phẩm" in back.get_data(as_text=True)
    assert _get(client, "/products", **{"If-None-Match": english.headers["ETag"]}).status_code == 200


def test_a_signed_in_visitor_never_gets_the_public_page(web, tea) -> None:
    for path in STOREFRONT:
        web.get(path)  # the public pages are in the cache
    user = make_user("lan@example.vn", display_name="Nguyễn Thị Lan")
    db.session.commit()
    web.sign_in(user)
    for path in STOREFRONT:
        response = web.get(path)
        assert "X-Page-Cache" not in response.headers, path
        assert "ETag" not in response.headers, path
        assert "no-store" in response.headers["Cache-Control"], path
        html = response.get_data(as_text=True)
        assert "Nguyễn Thị Lan" in html, path
        assert 'name="csrf-token" content="' in html, path


def test_a_visitor_with_a_cart_sees_their_count_not_the_public_page(web, tea) -> None:
    web.get("/products/che-tan-cuong")
    assert web.post("/cart/add", data={"product_id": tea, "quantity": 2}).status_code == 302
    for path in STOREFRONT:
        page = web.get(path)
        assert "X-Page-Cache" not in page.headers, path
        assert "public" not in page.headers.get("Cache-Control", ""), path
        count = re.search(r"data-cart-count>(\d+)<", page.get_data(as_text=True))
        assert count and count.group(1) == "2", path


def test_a_session_holding_only_a_csrf_token_still_gets_the_public_page(client, tea) -> None:
    _get(client, "/products")
    csrf_token(client)
    assert _get(client, "/products").headers["X-Page-Cache"] == "hit"


def test_a_forged_or_foreign_session_cookie_gets_the_public_page_and_no_cookie(client, tea) -> None:
    _get(client, "/products")
    client.set_cookie("ocop_session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    response = _get(client, "/products")
    assert response.headers["X-Page-Cache"] == "hit" and "Set-Cookie" not in response.headers


def test_the_token_endpoint_gives_the_token_forms_need(client, tea) -> None:
    response = client.get("/csrf-token")
    assert response.headers["Cache-Control"] == "private, no-store"
    token = response.get_json()["csrf_token"]
    added = client.post("/cart/add", data={"product_id": tea, "quantity": 1, "csrf_token": token})
    assert added.status_code == 302


def test_posts_from_public_pages_without_a_token_are_refused_and_offered_again(client, tea) -> None:
    _get(client, "/products/che-tan-cuong")
    refused = client.post("/cart/add", data={"product_id": tea, "quantity": 3, "next": "/products"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'action="/cart/add"' in html
    assert f'name="product_id" value="{tea}"' in html and 'name="quantity" value="3"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    with client.session_transaction() as session:
        assert "cart" not in session  # nothing was changed by the refused POST
    sent = client.post(
        "/cart/add", data={"product_id": tea, "quantity": 3, "next": "/products", "csrf_token": token}
    )
    assert sent.status_code == 302 and sent.headers["Location"] == "/products"
    with client.session_transaction() as session:
        assert session["cart"]

    refused = client.post("/language", data={"lang": "en", "next": "/products"})
    assert refused.status_code == 400 and 'name="lang" value="en"' in refused.get_data(as_text=True)
    assert "lang=en" not in refused.headers.get("Set-Cookie", "")


def _sample(converter) -> object:
    """A value the route's converter accepts."""
    from werkzeug.routing.converters import AnyConverter, IntegerConverter

    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return 1 if isinstance(converter, IntegerConverter) else "x"


def _posts(app) -> list[str]:
    """A path of every POST route but those exempt from CSRF (bearer tokens, Stripe's signature)."""
    exempt = ("api.", "payments.stripe_webhook")
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith(exempt):
            continue
        paths.append(rule.build({name: _sample(rule._converters[name]) for name in rule.arguments})[1])
    return paths


def test_every_post_needs_its_csrf_token_even_from_a_cached_page(app, client, tea) -> None:
    _get(client, "/")
    csrf_token(client)  # a session holding a token, but the POSTs below do not send it
    paths = _posts(app)
    assert "/cart/add" in paths and "/language" in paths and len(paths) > 40
    refused = {path: client.post(path, data={"x": "1"}).status_code for path in paths}
    assert {path: code for path, code in refused.items() if code != 400} == {}


def test_the_page_store_keeps_at_most_its_size_least_recently_used_out() -> None:
    def entry(n: int) -> Entry:
        return Entry(1, today_in_vietnam(), f"e{n}", None, (), (), b"x" * 1000)  # type: ignore[arg-type]

    store = PageStore(max_bytes=4 * entry(0).size)
    for n in range(4):
        store.put(("/p", str(n), "vi"), entry(n))
    store.get(("/p", "0", "vi"))  # used: kept
    store.put(("/p", "4", "vi"), entry(4))
    assert len(store) == 4 and store.bytes <= store.max_bytes
    assert store.get(("/p", "1", "vi")) is None and store.get(("/p", "0", "vi")) is not None
    store.put(("/p", "big", "vi"), Entry(1, today_in_vietnam(), "big", None, (), (), b"x" * 10_000))  # type: ignore[arg-type]
    assert store.get(("/p", "big", "vi")) is None  # larger than the whole cache: not kept


def test_the_page_cache_size_is_a_setting(app) -> None:
    assert app.extensions["page_cache"].max_bytes == app.config["PAGE_CACHE_MAX_BYTES"] > 0
