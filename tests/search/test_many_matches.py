"""Facet counts, totals and pages of a search with thousands of matches (beyond the old cap of
5,000 ranked matches) are exact: checked against counts worked out in Python from the rows the
test wrote, on every database and search backend."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from marketplace import search
from marketplace.catalog import cache, services
from marketplace.catalog.models import Certification, PriceTier, Product, Protection, ProtectionRight
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.reference import PRODUCT_GROUPS_BY_CODE, PROVINCES, STAR_CLASSES
from marketplace.timeutil import today_in_vietnam

MATCHING = 7_000  # named "Chè ...": the query "che" finds them all
OTHERS = 400  # named "Gạo ...", with no word folding to "che" anywhere in their text
PROVINCE_CODES = [p.code for p in PROVINCES[:6]]
# (group, subgroup) whose indexed words never fold to "che" (unlike "tea" or "processed")
KINDS = [("food", "fresh"), ("beverages", "non_alcoholic"), ("herbal", "herbs")]


@dataclass
class Expected:
    id: int
    matches: bool
    visible: bool
    stars: int | None
    group: str
    province: str
    protected: bool
    green: bool
    price: int
    producer_id: int
    wholesale: bool


def _write_catalogue(rng: random.Random) -> dict[int, Expected]:
    today = today_in_vietnam()
    producers = []
    for i in range(1, 121):
        producers.append(
            {
                "id": i,
                "slug": f"htx-{i}",
                "entity_type": "cooperative",
                "commune": "Xã",
                "name": f"HTX Số {i:03d}",
                "province_code": rng.choice(PROVINCE_CODES),
                "story": "",
                "environment_plan": "",
                "circular_practices": "",
                "green_verified": rng.random() < 0.3,
                "verification_status": "verified" if rng.random() < 0.9 else "pending",
                "created_at": today,
            }
        )
    db.session.execute(sa.insert(Producer), producers)
    db.session.execute(
        sa.insert(Protection),
        [
            {
                "id": k,
                "kind": "gi",
                "name": f"Vùng {k}",
                "registration_number": f"{k:05d}",
                "holder": "UBND",
                "province_code": PROVINCE_CODES[0],
                "description": "",
            }
            for k in (1, 2)
        ],
    )
    products, certificates, rights, tiers = [], [], [], []
    expected: dict[int, Expected] = {}
    for i in range(1, MATCHING + OTHERS + 1):
        matches = i <= MATCHING
        producer = rng.choice(producers)
        group, subgroup = rng.choice(KINDS) if matches else KINDS[0]
        status = rng.choice(("published",) * 9 + ("draft",))
        min_order = rng.choice((1, 1, 1, 10))
        stock = rng.choice((0, 5, 50))
        products.append(
            {
                "id": i,
                "producer_id": producer["id"],
                "sku": f"SKU-{i}",
                "slug": f"p-{i}",
                "name": f"Chè xanh {i}" if matches else f"Gạo nếp {i}",
                "group_code": group,
                "subgroup_code": subgroup,
                "description": "",
                "unit": "box",
                "price_vnd": rng.choice((99_999, 100_000, 250_000, 299_999, 300_000, 700_000, 1_500_000)),
                "stock": stock,
                "status": status,
                "min_order_qty": min_order,
                "case_pack": 1,
                "created_at": today,
                "updated_at": today,
            }
        )
        in_force = []
        for _ in range(rng.choice((0, 1, 1, 2))):
            stars = rng.choice(STAR_CLASSES)
            issued = today - timedelta(days=rng.randint(0, 1500))
            expires = issued + timedelta(days=1095)
            cert_status = rng.choice(("verified", "verified", "verified", "revoked"))
            certificates.append(
                {
                    "product_id": i,
                    "star_class": stars,
                    "score": {3: 60, 4: 80, 5: 95}[stars],
                    "certificate_number": f"OCOP-{i}-{len(certificates)}",
                    "issuing_level": "province",
                    "issuing_decision": "QĐ",
                    "issued_on": issued,
                    "expires_on": expires,
                    "status": cert_status,
                    "created_at": today,
                }
            )
            if cert_status == "verified" and issued <= today <= expires:
                in_force.append(stars)
        protected = False
        if rng.random() < 0.2:
            right_status = rng.choice(("verified", "pending"))
            rights.append(
                {
                    "protection_id": rng.choice((1, 2)),
                    "product_id": i,
                    "decision_number": "QĐ",
                    "status": right_status,
                    "created_at": today,
                }
            )
            protected = right_status == "verified"
        has_tier = rng.random() < 0.1
        if has_tier:
            tiers.append({"product_id": i, "min_quantity": 20, "unit_price_vnd": 90_000})
        expected[i] = Expected(
            id=i,
            matches=matches,
            visible=status == "published" and producer["verification_status"] == "verified",
            stars=max(in_force) if in_force else None,
            group=group,
            province=producer["province_code"],
            protected=protected,
            green=producer["green_verified"],
            price=products[-1]["price_vnd"],
            producer_id=producer["id"],
            wholesale=stock > 0 and (has_tier or min_order > 1),
        )
    db.session.execute(sa.insert(Product), products)
    db.session.execute(sa.insert(Certification), certificates)
    db.session.execute(sa.insert(ProtectionRight), rights)
    db.session.execute(sa.insert(PriceTier), tiers)
    db.session.commit()
    cache.clear()  # bulk inserts of the test raise the catalogue version, but be explicit
    search.rebuild()
    return expected


def _bucket(price: int) -> str:
    for code, low, high in services.PRICE_BUCKETS:
        if price >= low and (high is None or price <= high):
            return code
    raise AssertionError(price)


def _passes(p: Expected, f: services.CatalogFilters, skip: str | None = None) -> bool:
    """Whether `p` shows under `f` (ignoring the facet `skip`), worked out without the catalogue."""
    checks = {
        "stars": f.stars is None or p.stars == f.stars,
        "group": f.group is None or p.group == f.group,
        "province": f.province is None or p.province == f.province,
        "protected": not f.protected_only or p.protected,
        "green": not f.green_only or p.green,
        "price": (f.min_price is None or p.price >= f.min_price)
        and (f.max_price is None or p.price <= f.max_price),
        "producer": f.producer_id is None or p.producer_id == f.producer_id,
    }
    base = p.visible and (not f.q or p.matches) and (not f.wholesale_only or p.wholesale)
    return base and all(ok for name, ok in checks.items() if name != skip)


def _expected_facets(catalogue: dict[int, Expected], f: services.CatalogFilters) -> dict:
    def count(skip: str, key) -> dict:
        out: dict = {}
        for p in catalogue.values():
            if _passes(p, f, skip):
                out[key(p)] = out.get(key(p), 0) + 1
        return out

    stars = count("stars", lambda p: p.stars)
    groups = count("group", lambda p: p.group)
    provinces = count("province", lambda p: p.province)
    prices = count("price", lambda p: _bucket(p.price))
    return {
        "stars": {s: stars.get(s, 0) for s in STAR_CLASSES},
        "groups": {g: groups.get(g, 0) for g in PRODUCT_GROUPS_BY_CODE},
        "provinces": {p.code: provinces.get(p.code, 0) for p in PROVINCES},
        "protected": sum(_passes(p, f, "protected") and p.protected for p in catalogue.values()),
        "green": sum(_passes(p, f, "green") and p.green for p in catalogue.values()),
        "prices": {code: prices.get(code, 0) for code, _, _ in services.PRICE_BUCKETS},
    }


def _facets(page: services.CatalogPage) -> dict:
    facets = page.facets
    return {
        "stars": {v.value: v.count for v in facets.stars},
        "groups": {v.value: v.count for v in facets.groups},
        "provinces": {v.value: v.count for v in facets.provinces},
        "protected": facets.protected,
        "green": facets.green,
        "prices": {v.value: v.count for v in facets.prices},
    }


FILTERS = [
    {},
    {"stars": 4},
    {"province": PROVINCE_CODES[1], "protected_only": True},
    {"min_price": 100_000, "max_price": 299_999},  # a price bucket
    {"min_price": 250_000, "max_price": 700_000},  # any range
    {"green_only": True, "group": "beverages", "stars": 3},
    {"stars": 5, "province": PROVINCE_CODES[2], "group": "herbal", "green_only": True},
]


@pytest.fixture
def catalogue(search_backend) -> dict[int, Expected]:
    return _write_catalogue(random.Random(19))


def test_a_search_beyond_5000_matches_counts_every_facet_and_pages_exactly(catalogue) -> None:
    matches = search.search("che").ids
    assert {i for i in matches if catalogue[i].matches} == {i for i in catalogue if catalogue[i].matches}
    assert sum(p.matches and p.visible for p in catalogue.values()) > 5_000
    for fields in FILTERS:
        filters = services.CatalogFilters(q="che", **fields)
        page = services.catalog_page(filters)
        expected_total = sum(_passes(p, filters) for p in catalogue.values())
        assert page.total == expected_total, fields
        assert _facets(page) == _expected_facets(catalogue, filters), fields
    # and pages every shown match in rank order
    filters = services.CatalogFilters(q="che", stars=4)
    ranked = [i for i in search.search("che").ids if _passes(catalogue[i], filters)]
    last = -(-len(ranked) // services.PAGE_SIZE)
    for number in (1, 2, last):
        page = services.catalog_page(services.CatalogFilters(q="che", stars=4, page=number))
        start = (number - 1) * services.PAGE_SIZE
        assert [c.id for c in page.items] == ranked[start : start + services.PAGE_SIZE]
    by_price = services.catalog_page(services.CatalogFilters(q="che", stars=4, sort="price_desc", page=3))
    in_price_order = sorted(ranked, key=lambda i: (-catalogue[i].price, i))
    assert [c.id for c in by_price.items] == in_price_order[2 * services.PAGE_SIZE : 3 * services.PAGE_SIZE]


def test_the_catalogue_and_the_wholesale_catalogue_count_exactly_and_follow_changes(catalogue) -> None:
    for fields in ({}, {"stars": 5, "green_only": True}, {"wholesale_only": True}):
        filters = services.CatalogFilters(**fields)
        page = services.catalog_page(filters)
        assert page.total == sum(_passes(p, filters) for p in catalogue.values()), fields
        assert _facets(page) == _expected_facets(catalogue, filters), fields
    wholesale = services.catalog_page(services.CatalogFilters(q="che", wholesale_only=True))
    expected = {}
    for p in catalogue.values():
        if _passes(p, services.CatalogFilters(q="che", wholesale_only=True)):
            expected[p.producer_id] = expected.get(p.producer_id, 0) + 1
    assert {v.value[0]: v.count for v in wholesale.facets.producers} == expected
    names = [v.value[1] for v in wholesale.facets.producers]
    assert names == sorted(names)  # "HTX Số 001", ... sort the same in every collation
    cheapest = services.catalog_page(services.CatalogFilters(sort="price_asc"))
    shown = sorted((p for p in catalogue.values() if p.visible), key=lambda p: (p.price, p.id))
    assert [c.id for c in cheapest.items] == [p.id for p in shown[: services.PAGE_SIZE]]
    # A change shows in the next request's counts.
    filters = services.CatalogFilters(q="che", stars=4)
    before = services.catalog_page(filters).total
    shown_id = next(i for i in search.search("che").ids if _passes(catalogue[i], filters))
    db.session.get(Product, shown_id).status = "draft"
    db.session.commit()
    g.pop("catalog_version", None)  # the catalogue version is read once per request
    assert services.catalog_page(filters).total == before - 1


def test_kept_search_results_stay_within_their_budget_of_ids(app) -> None:
    from tests.search.catalogue import build_catalogue

    build_catalogue()
    search.rebuild()
    search.clear_cache()
    app.config["SEARCH_CACHE_IDS"] = 6
    try:
        for query in ("ca phe", "nuoc mam", "che", "mat ong", "ca phe"):
            assert search.search(query).ids
            assert sum(len(r.ids) + 1 for r in search._results.values()) <= 6
        assert search._results  # the latest ones are kept
    finally:
        app.config["SEARCH_CACHE_IDS"] = search.DEFAULT_CACHE_IDS
        search.clear_cache()
