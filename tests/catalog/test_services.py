"""Catalogue rules: visibility, badges, facets and their counts, province aliases, cache freshness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from marketplace.catalog import services
from marketplace.catalog.services import CatalogFilters, catalog_page, parse_filters, product_detail
from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import (
    grant_right,
    make_certificate,
    make_producer,
    make_product,
    make_protection,
)


def _slugs(page) -> set[str]:
    return {card.slug for card in page.items}


def _facet(values, key):
    return next(v.count for v in values if v.value == key)


# --- visibility ------------------------------------------------------------------------------


def test_only_published_products_of_verified_producers_are_visible(app) -> None:
    shown = make_product(slug="shown")
    make_product(slug="draft", status="draft")
    make_product(slug="archived", status="archived")
    make_product(make_producer(verification_status="pending"), slug="pending-producer")
    make_product(make_producer(verification_status="rejected"), slug="rejected-producer")
    db.session.commit()

    page = catalog_page(CatalogFilters())
    assert _slugs(page) == {shown.slug}
    assert page.total == 1
    assert product_detail("draft") is None
    assert product_detail("pending-producer") is None


# --- star badge ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "issued_months_ago", "shows"),
    [
        ("verified", 6, True),
        ("pending", 6, False),
        ("rejected", 6, False),
        ("revoked", 6, False),
        ("superseded", 6, False),
        ("verified", 37, False),  # expired
    ],
)
def test_star_badge_shows_only_for_a_verified_certificate_in_force(
    app, status, issued_months_ago, shows
) -> None:
    product = make_product(slug="tea")
    make_certificate(product, 4, status=status, issued_on=add_months(today_in_vietnam(), -issued_months_ago))
    db.session.commit()

    detail = product_detail("tea")
    assert detail is not None, "an uncertified product stays visible"
    assert (detail.certificate is not None) is shows
    assert (detail.card.stars == 4) is shows
    stars_filtered = catalog_page(CatalogFilters(stars=4))
    assert (stars_filtered.total == 1) is shows


def test_certificate_is_in_force_through_its_expiry_date_and_not_the_day_after(app, monkeypatch) -> None:
    product = make_product(slug="tea")
    cert = make_certificate(product, 3, issued_on=add_months(today_in_vietnam(), -36))
    db.session.commit()
    expiry = cert.expires_on

    for day, shows in ((expiry, True), (expiry + timedelta(days=1), False)):
        monkeypatch.setattr(services, "today_in_vietnam", lambda day=day: day)
        monkeypatch.setattr("marketplace.catalog.cache.today_in_vietnam", lambda day=day: day)
        assert services.certificate_in_force(cert, day) is shows
        assert (product_detail("tea").certificate is not None) is shows


def test_star_badge_carries_the_certificate_details(app) -> None:
    product = make_product(slug="coffee")
    issued = add_months(today_in_vietnam(), -2)
    make_certificate(product, 5, issued_on=issued, certificate_number="OCOP-5-001", issuing_level="central")
    db.session.commit()

    badge = product_detail("coffee").certificate
    assert (badge.stars, badge.score, badge.certificate_number, badge.issuing_level) == (
        5,
        95,
        "OCOP-5-001",
        "central",
    )
    assert badge.valid_until == add_months(issued, 36)


def test_a_newer_certificate_gives_the_current_class(app) -> None:
    product = make_product(slug="tea")
    make_certificate(product, 3, status="superseded", issued_on=add_months(today_in_vietnam(), -30))
    make_certificate(product, 4, issued_on=add_months(today_in_vietnam(), -1))
    db.session.commit()
    assert product_detail("tea").card.stars == 4


# --- GI and marks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "shows"), [("verified", True), ("pending", False), ("rejected", False), ("revoked", False)]
)
def test_protection_badge_shows_only_for_a_verified_right_of_use(app, status, shows) -> None:
    product = make_product(slug="fish-sauce")
    grant_right(product, make_protection("gi", "Phú Quốc", "00001"), status=status)
    db.session.commit()

    detail = product_detail("fish-sauce")
    assert bool(detail.protections) is shows
    assert (detail.card.protection is not None) is shows
    assert catalog_page(CatalogFilters(protected_only=True)).total == (1 if shows else 0)


def test_a_certification_mark_keeps_its_kind(app) -> None:
    product = make_product(slug="shan-tuyet")
    grant_right(product, make_protection("certification_mark", "Chè Shan Tuyết Hoàng Su Phì"))
    db.session.commit()
    assert product_detail("shan-tuyet").card.protection.kind == "certification_mark"


# --- facets ----------------------------------------------------------------------------------


@pytest.fixture
def small_catalogue(app):
    thai_nguyen = make_producer(province_code="thai-nguyen")
    tuyen_quang = make_producer(province_code="tuyen-quang")
    an_giang = make_producer(province_code="an-giang")
    tea = make_product(thai_nguyen, slug="tan-cuong", price_vnd=250_000)
    make_certificate(tea, 4)
    grant_right(tea, make_protection("gi", "Tân Cương", "00013"))
    shan = make_product(tuyen_quang, slug="shan-tuyet", price_vnd=450_000)
    make_certificate(shan, 3)
    sauce = make_product(
        an_giang, slug="phu-quoc", group_code="food", subgroup_code="condiments", price_vnd=90_000
    )
    make_certificate(sauce, 3)
    wine = make_product(
        an_giang, slug="ruou", group_code="beverages", subgroup_code="alcoholic", price_vnd=800_000
    )
    make_certificate(wine, 5, issued_on=add_months(today_in_vietnam(), -40))  # expired
    db.session.commit()


def test_facet_counts_cover_every_facet(small_catalogue) -> None:
    facets = catalog_page(CatalogFilters()).facets
    assert {v.value: v.count for v in facets.stars} == {5: 0, 4: 1, 3: 2}
    assert _facet(facets.groups, "food") == 3
    assert _facet(facets.groups, "beverages") == 1
    assert _facet(facets.groups, "herbal") == 0
    assert _facet(facets.provinces, "an-giang") == 2
    assert _facet(facets.provinces, "tuyen-quang") == 1
    assert len(facets.provinces) == 34
    assert facets.protected == 1
    assert {v.value: v.count for v in facets.prices} == {
        "under-100k": 1,
        "100k-300k": 1,
        "300k-700k": 1,
        "over-700k": 1,
    }


def test_each_facet_is_counted_under_the_other_filters_but_not_its_own(small_catalogue) -> None:
    page = catalog_page(CatalogFilters(province="an-giang"))
    assert page.total == 2
    # Province counts ignore the province filter, so other provinces stay choosable.
    assert _facet(page.facets.provinces, "thai-nguyen") == 1
    # Other facets are narrowed to An Giang.
    assert _facet(page.facets.groups, "food") == 1
    assert {v.value: v.count for v in page.facets.stars} == {5: 0, 4: 0, 3: 1}


def test_filters_combine(small_catalogue) -> None:
    assert _slugs(catalog_page(CatalogFilters(group="food", stars=3))) == {"shan-tuyet", "phu-quoc"}
    assert _slugs(catalog_page(CatalogFilters(min_price=100_000, max_price=500_000))) == {
        "tan-cuong",
        "shan-tuyet",
    }
    assert _slugs(catalog_page(CatalogFilters(protected_only=True, province="thai-nguyen"))) == {"tan-cuong"}


def test_a_former_province_name_filters_by_the_province_in_force(small_catalogue) -> None:
    filters = parse_filters(MultiDict({"province": "Hà Giang"}))
    assert filters.province == "tuyen-quang"
    assert _slugs(catalog_page(filters)) == {"shan-tuyet"}
    assert parse_filters(MultiDict({"province": "kien-giang"})).province == "an-giang"


def test_sorting_by_price(small_catalogue) -> None:
    prices = [c.price_vnd for c in catalog_page(CatalogFilters(sort="price_asc")).items]
    assert prices == sorted(prices)
    prices = [c.price_vnd for c in catalog_page(CatalogFilters(sort="price_desc")).items]
    assert prices == sorted(prices, reverse=True)


def test_featured_order_puts_higher_classes_first(small_catalogue) -> None:
    stars = [c.stars or 0 for c in catalog_page(CatalogFilters()).items]
    assert stars == sorted(stars, reverse=True)


def test_pagination_splits_results(app) -> None:
    producer = make_producer()
    for n in range(30):
        make_product(producer, slug=f"p-{n}")
    db.session.commit()
    first, second = catalog_page(CatalogFilters(page=1)), catalog_page(CatalogFilters(page=2))
    assert (len(first.items), len(second.items), first.total, first.pages) == (24, 6, 30, 2)
    assert not _slugs(first) & _slugs(second)


# --- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"page": "-1"}, CatalogFilters()),
        ({"page": "abc"}, CatalogFilters()),
        ({"page": "99999999999"}, CatalogFilters()),
        ({"stars": "9"}, CatalogFilters()),
        ({"stars": "2"}, CatalogFilters()),
        ({"stars": "x"}, CatalogFilters()),
        ({"group": "weapons"}, CatalogFilters()),
        ({"province": "Atlantis"}, CatalogFilters()),
        ({"sort": "DROP TABLE"}, CatalogFilters()),
        ({"min_price": "-5"}, CatalogFilters()),
        (
            {"min_price": "500000", "max_price": "100000"},
            CatalogFilters(min_price=100_000, max_price=500_000),
        ),
        ({"price": "100k-300k"}, CatalogFilters(min_price=100_000, max_price=299_999)),
        ({"stars": "4", "gi": "1", "page": "3"}, CatalogFilters(stars=4, protected_only=True, page=3)),
    ],
)
def test_parse_filters_ignores_what_makes_no_sense(args, expected) -> None:
    assert parse_filters(MultiDict(args)) == expected


# --- freshness -------------------------------------------------------------------------------


def test_a_change_shows_at_once_despite_the_cache(app) -> None:
    product = make_product(slug="tea", price_vnd=100_000)
    db.session.commit()
    assert catalog_page(CatalogFilters()).items[0].price_vnd == 100_000
    assert product_detail("tea").card.price_vnd == 100_000

    product.price_vnd = 120_000
    db.session.commit()
    db.session.remove()  # a new request
    from flask import g

    g.pop("catalog_version", None)
    assert catalog_page(CatalogFilters()).items[0].price_vnd == 120_000
    assert product_detail("tea").card.price_vnd == 120_000


def test_a_rolled_back_change_leaves_the_version_alone(app) -> None:
    from sqlalchemy import select

    from marketplace.catalog.models import CatalogState

    make_product(slug="tea")
    db.session.commit()
    before = db.session.scalar(select(CatalogState.version))
    make_product(slug="other")
    db.session.rollback()
    assert db.session.scalar(select(CatalogState.version)) == before


def test_green_filter_shows_only_producers_with_verified_commitments(app) -> None:
    make_product(make_producer(green_verified=True, circular_practices="Bã chè ủ phân"), slug="green")
    make_product(
        make_producer(green_verified=False, circular_practices="Khai báo, chưa xác minh"), slug="declared"
    )
    db.session.commit()

    page = catalog_page(CatalogFilters(green_only=True))
    assert _slugs(page) == {"green"}
    assert catalog_page(CatalogFilters()).facets.green == 1
    assert {c.slug: c.green for c in catalog_page(CatalogFilters()).items} == {
        "green": True,
        "declared": False,
    }
    assert parse_filters(MultiDict({"green": "1"})).green_only
