"""Creating, editing, publishing, unpublishing and archiving listings; every field's rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.catalog.models import PriceTier, Product
from marketplace.extensions import db
from marketplace.portal.models import StockAdjustment
from marketplace.portal.validation import FieldError, clean_price, parse_whole_number
from tests.factories import add_image, make_producer, make_producer_member, make_product
from tests.portal.conftest import catalogue_snapshot, listing_form


def test_a_producer_creates_a_draft_with_tiers_and_opening_stock(portal, producer) -> None:
    response = portal.post("/portal/products/new", listing_form())
    assert response.status_code == 302
    product = db.session.scalar(select(Product))
    assert (product.sku, product.status, product.price_vnd, product.stock) == (
        "CHE-100",
        "draft",
        150_000,
        20,
    )
    assert product.producer_id == producer.id
    assert product.slug == "che-tan-cuong-dac-biet"
    tiers = db.session.execute(
        select(PriceTier.min_quantity, PriceTier.unit_price_vnd).order_by(PriceTier.min_quantity)
    ).all()
    assert [tuple(t) for t in tiers] == [(50, 130_000), (100, 120_000)]
    adjustment = db.session.scalar(select(StockAdjustment))
    assert (adjustment.delta, adjustment.reason, adjustment.stock_after) == (20, "counted", 20)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "ab", "at least 3"),
        ("name", "x" * 201, "at most 200"),
        ("sku", "has space", "without spaces"),
        ("group", "weapons", "OCOP product groups"),
        ("subgroup", "alcoholic", "sub-group of the chosen group"),
        ("unit", "barrel", "Choose one of the units"),
        ("price", "abc", "whole number of đồng"),
        ("price", "-5", "whole number of đồng"),
        ("price", "12.5", "whole number of đồng"),
        ("price", "1e9", "whole number of đồng"),
        ("price", "0", "more than 0"),
        ("price", "1000000001", "at most 1.000.000.000"),
        ("stock", "-1", "must not be negative"),
        ("stock", "ten", "whole number"),
        ("stock", "2.5", "whole number"),
        ("min_order_qty", "0", "at least 1"),
        ("case_pack", "0", "at least 1"),
        ("net_weight", "abc", "whole number"),
    ],
)
def test_a_bad_field_gives_the_form_back_with_its_message_and_saves_nothing(
    portal, field, value, message
) -> None:
    before = catalogue_snapshot()
    response = portal.post("/portal/products/new", listing_form(**{field: value}))
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert catalogue_snapshot() == before


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ({"tiers-0-min_quantity": "1"}, "at least 2"),
        ({"tiers-1-unit_price": "140000"}, "price must fall"),
        ({"tiers-1-min_quantity": "50"}, "appears twice"),
        ({"tiers-0-unit_price": "150000"}, "lower than the retail price"),
        ({"tiers-0-unit_price": ""}, "both a quantity and a price"),
        ({"tiers-0-unit_price": "abc"}, "whole number of đồng"),
    ],
)
def test_bad_wholesale_tiers_are_refused_and_nothing_is_saved(portal, tiers, message) -> None:
    before = catalogue_snapshot()
    response = portal.post("/portal/products/new", listing_form(**tiers))
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert catalogue_snapshot() == before


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("150,000", 150_000),
        ("1.500.000 ₫", 1_500_000),
        ("150000đ", 150_000),
    ],
)
def test_prices_accept_vietnamese_and_english_thousands_separators(text, value) -> None:
    assert clean_price(text) == value


@pytest.mark.parametrize("text", ["1.50", "1,5", "150.000,5", "1.000,000", "1e9", "0x10", "+5", " "])
def test_numbers_with_decimals_or_mixed_separators_are_refused(text) -> None:
    with pytest.raises(FieldError):
        parse_whole_number(text)


def test_a_sku_is_unique_per_producer_but_another_producer_may_use_it(portal, producer) -> None:
    make_product(producer, sku="CHE-100")
    other = make_producer()
    make_product(other, sku="CHE-200")
    db.session.commit()
    before = catalogue_snapshot()
    response = portal.post("/portal/products/new", listing_form())
    assert "already have a product with this code" in response.get_data(as_text=True)
    assert catalogue_snapshot() == before
    assert portal.post("/portal/products/new", listing_form(sku="CHE-200")).status_code == 302


def test_html_in_the_name_is_stored_as_text_and_escaped_everywhere(portal, producer) -> None:
    name = '<img src=x onerror="alert(1)"> Chè'
    portal.post("/portal/products/new", listing_form(name=name))
    product = db.session.scalar(select(Product))
    assert product.name == name
    add_image(product, key="products/x")
    product.status = "published"
    db.session.commit()
    for url in ("/portal/products", f"/portal/products/{product.id}/edit", f"/products/{product.slug}"):
        page = portal.get(url).get_data(as_text=True)
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=" in page


def test_the_description_is_sanitised_on_the_public_page(portal, producer) -> None:
    description = (
        'Chè ngon <script>alert("x")</script>\n\n<img src=x onerror="alert(2)">\n\n'
        '[click](javascript:alert(3)) <a href="javascript:alert(4)">link</a> **đậm**'
    )
    portal.post("/portal/products/new", listing_form(description=description))
    product = db.session.scalar(select(Product))
    assert product.description == description.strip()
    add_image(product, key="products/x")
    product.status = "published"
    db.session.commit()
    page = portal.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "<strong>đậm</strong>" in page
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "javascript:" not in page


def test_editing_replaces_the_tiers_in_one_save(portal, producer) -> None:
    portal.post("/portal/products/new", listing_form())
    product = db.session.scalar(select(Product))
    response = portal.post(
        f"/portal/products/{product.id}/edit",
        listing_form(
            stock=None,
            price="140000",
            **{
                "tiers-0-min_quantity": "100",
                "tiers-0-unit_price": "120000",
                "tiers-1-min_quantity": "",
                "tiers-1-unit_price": "",
            },
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_vnd == 140_000
    assert [
        tuple(t) for t in db.session.execute(select(PriceTier.min_quantity, PriceTier.unit_price_vnd)).all()
    ] == [(100, 120_000)]


def test_a_bad_edit_changes_nothing(portal, producer) -> None:
    portal.post("/portal/products/new", listing_form())
    product = db.session.scalar(select(Product))
    before = catalogue_snapshot()
    response = portal.post(
        f"/portal/products/{product.id}/edit",
        listing_form(stock=None, name="Tên mới", **{"tiers-1-unit_price": "135000"}),
    )
    assert response.status_code == 200
    assert catalogue_snapshot() == before


def test_publishing_needs_a_picture(portal, producer) -> None:
    product = make_product(producer, status="draft")
    db.session.commit()
    response = portal.post(f"/portal/products/{product.id}/publish", follow_redirects=True)
    assert "at least one picture" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "draft"
    add_image(product)
    db.session.commit()
    portal.post(f"/portal/products/{product.id}/publish")
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "published"


def test_an_unverified_producer_cannot_publish(client, app) -> None:
    from tests.conftest import FormClient

    pending = make_producer(verification_status="pending")
    user = make_producer_member(pending)
    product = make_product(pending, status="draft")
    add_image(product)
    db.session.commit()
    client.set_cookie("lang", "en")
    web = FormClient(client).sign_in(user)
    assert web.get("/portal/").status_code == 200
    response = web.post(f"/portal/products/{product.id}/publish", follow_redirects=True)
    assert "not verified yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "draft"


def test_unpublish_and_archive_hide_the_product_from_the_shop(portal, producer) -> None:
    product = make_product(producer, slug="che-shop")
    add_image(product)
    db.session.commit()
    assert portal.get("/products/che-shop").status_code == 200
    portal.post(f"/portal/products/{product.id}/unpublish")
    assert portal.get("/products/che-shop").status_code == 404
    portal.post(f"/portal/products/{product.id}/publish")
    assert portal.get("/products/che-shop").status_code == 200
    portal.post(f"/portal/products/{product.id}/archive")
    assert portal.get("/products/che-shop").status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "archived"


def test_a_new_listing_is_found_by_search_once_saved(portal, producer) -> None:
    from marketplace import search

    search.rebuild()
    portal.post("/portal/products/new", listing_form(name="Mật ong bạc hà Đồng Văn"))
    product = db.session.scalar(select(Product))
    assert search.search("mat ong bac ha").ids == (product.id,)
    portal.post(f"/portal/products/{product.id}/edit", listing_form(stock=None, name="Chè Shan tuyết"))
    assert search.search("mat ong bac ha").ids == ()
    assert search.search("shan tuyet").ids == (product.id,)


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "/portal/\t/x", "/products", None])
def test_a_status_change_returns_only_to_a_portal_page(portal, producer, target) -> None:
    product = make_product(producer, status="published")
    db.session.commit()
    response = portal.post(f"/portal/products/{product.id}/unpublish", {"next": target} if target else {})
    assert response.headers["Location"] == f"/portal/products/{product.id}/edit"


def test_a_status_change_returns_to_the_portal_page_it_came_from(portal, producer) -> None:
    product = make_product(producer, status="published")
    db.session.commit()
    back = f"/portal/products/{product.id}/pictures"
    assert portal.post(f"/portal/products/{product.id}/unpublish", {"next": back}).headers["Location"] == back


def test_the_portal_form_records_the_english_name_and_description(app, portal) -> None:
    response = portal.post(
        "/portal/products/new",
        listing_form(name_en="Tan Cuong green tea", description_en="Hand-picked buds."),
    )
    assert response.status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert (product.name_en, product.description_en) == ("Tan Cuong green tea", "Hand-picked buds.")
    edit = portal.get(f"/portal/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="Tan Cuong green tea"' in edit
