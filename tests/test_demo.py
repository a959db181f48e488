"""The demo catalogue: what `load_demo` puts in the database and what `generate_products` adds."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from marketplace import demo, storage
from marketplace.catalog import services
from marketplace.catalog.models import (
    CatalogState,
    Certification,
    PriceTier,
    Product,
    ProductImage,
    Protection,
    ProtectionRight,
)
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.reference import PRODUCT_GROUPS, PRODUCT_GROUPS_BY_CODE, PROVINCES_BY_CODE, UNITS
from marketplace.timeutil import add_months

# A date late enough that the 2021–2022 certificates have expired and the 2024–2026 ones have not.
LATE_2026 = date(2026, 12, 1)
ALL_SUBGROUPS = {(g.code, code) for g in PRODUCT_GROUPS for code, _ in g.subgroups}


@pytest.fixture
def demo_loaded(app: Flask) -> str:
    """The hand-written catalogue, without pictures (drawing them is tested once, below)."""
    return demo.load_demo(with_images=False)


def _product(name: str) -> Product:
    return db.session.scalars(select(Product).where(Product.name == name)).one()


def _producer_of(product: Product) -> Producer:
    return db.session.get(Producer, product.producer_id)


def _protections_of(product: Product, status: str = "verified") -> list[Protection]:
    return list(
        db.session.scalars(
            select(Protection)
            .join(ProtectionRight, ProtectionRight.protection_id == Protection.id)
            .where(ProtectionRight.product_id == product.id, ProtectionRight.status == status)
        )
    )


def _certificates_of(product: Product) -> list[Certification]:
    return list(
        db.session.scalars(
            select(Certification)
            .where(Certification.product_id == product.id)
            .order_by(Certification.issued_on)
        )
    )


# ---------------------------------------------------------------------------------------------
# The hand-written catalogue


def test_hand_written_demo_data_follows_the_catalogue_rules() -> None:
    demo.validate_demo_data()


def test_load_demo_loads_62_products_from_26_producers_in_16_provinces_or_more(demo_loaded: str) -> None:
    products = db.session.scalar(select(func.count(Product.id)))
    producers = db.session.scalar(select(func.count(Producer.id)))
    provinces = db.session.scalar(select(func.count(func.distinct(Producer.province_code))))
    assert products >= 62 and producers >= 26 and provinces >= 16
    assert demo_loaded == f"{products} products from {producers} producers in {provinces} provinces"


def test_load_demo_uses_current_provinces_known_groups_and_units_and_integer_prices(demo_loaded: str) -> None:
    assert set(db.session.scalars(select(Producer.province_code))) <= set(PROVINCES_BY_CODE)
    for product in db.session.scalars(select(Product)):
        assert product.subgroup_code in dict(PRODUCT_GROUPS_BY_CODE[product.group_code].subgroups)
        assert product.unit in UNITS
        assert type(product.price_vnd) is int and product.price_vnd > 0
        assert product.min_order_qty % product.case_pack == 0


@pytest.mark.parametrize(
    ("product_name", "province_code", "protection_name", "kind", "number"),
    [
        (
            "Trà Shan Tuyết cổ thụ Hoàng Su Phì",
            "tuyen-quang",
            "Chè Shan Tuyết Hoàng Su Phì",
            "certification_mark",
            None,
        ),
        ("Chè đinh Tân Cương thượng hạng", "thai-nguyen", "Tân Cương", "gi", "00013"),
        ("Cà phê Arabica Sơn La rang mộc", "son-la", "Sơn La", "gi", "00056"),
        ("Nước mắm Phú Quốc 40 độ đạm", "an-giang", "Phú Quốc", "gi", "00001"),
        ("Vải thiều Lục Ngạn tươi", "bac-ninh", "Lục Ngạn", "gi", "00024"),
        ("Cà phê Robusta Buôn Ma Thuột rang xay", "dak-lak", "Buôn Ma Thuột", "gi", None),
        ("Gạo Nàng Nhen thơm Bảy Núi", "an-giang", "Gạo Nàng Nhen Thơm Bảy Núi", "certification_mark", None),
        ("Bình hút lộc men lam vẽ tay", "ha-noi", "Gốm sứ Bát Tràng", "collective_mark", None),
    ],
    ids=[
        "shan-tuyet",
        "tan-cuong",
        "son-la-coffee",
        "phu-quoc",
        "luc-ngan",
        "buon-ma-thuot",
        "nang-nhen",
        "bat-trang",
    ],
)
def test_required_specialities_sit_in_their_current_province_under_the_right_kind_of_protection(
    demo_loaded: str,
    product_name: str,
    province_code: str,
    protection_name: str,
    kind: str,
    number: str | None,
) -> None:
    product = _product(product_name)
    assert _producer_of(product).province_code == province_code
    [protection] = _protections_of(product)
    assert (protection.name, protection.kind) == (protection_name, kind)
    if number:
        assert protection.registration_number == number


@pytest.mark.parametrize(
    ("product_name", "province_code", "stars"),
    [
        ("Gạo ST25 Sóc Trăng", "can-tho", 4),
        ("Gạo Jasmine An Giang", "an-giang", 3),
        ("Cà phê rang xay DAKMARK", "quang-ngai", 5),
    ],
    ids=["st25", "an-giang-rice", "dakmark"],
)
def test_rice_and_dakmark_coffee_are_listed_under_the_provinces_formed_in_2025(
    demo_loaded: str, product_name: str, province_code: str, stars: int
) -> None:
    product = _product(product_name)
    assert _producer_of(product).province_code == province_code
    [certificate] = _certificates_of(product)
    assert certificate.star_class == stars and certificate.status == "verified"


def test_dakmark_coffee_is_five_stars_recognised_at_central_level(demo_loaded: str) -> None:
    [certificate] = _certificates_of(_product("Cà phê rang xay DAKMARK"))
    assert (certificate.issuing_level, certificate.issuing_province) == ("central", "Kon Tum")
    assert 90 <= certificate.score <= 100


def test_certificates_keep_the_province_name_in_force_when_they_were_issued(demo_loaded: str) -> None:
    before, after = (
        _certificates_of(_product("Trà Shan Tuyết cổ thụ Hoàng Su Phì"))[0],
        _certificates_of(_product("Hồng trà Shan Tuyết Hoàng Su Phì"))[0],
    )
    assert before.issued_on < date(2025, 7, 1) and before.issuing_province == "Hà Giang"
    assert after.issued_on >= date(2025, 7, 1) and after.issuing_province == "Tuyên Quang"
    [fish_sauce] = _certificates_of(_product("Nước mắm Phú Quốc 40 độ đạm"))
    assert fish_sauce.issuing_province == "Kiên Giang"


def test_issuing_levels_and_expiry_follow_the_rules_in_force_on_the_issue_date(demo_loaded: str) -> None:
    for cert in db.session.scalars(select(Certification)):
        assert cert.issuing_level == demo.issuing_level(cert.star_class, cert.issued_on)
        if cert.issued_on >= date(2025, 7, 1):
            assert cert.issuing_level != "district"
        assert cert.expires_on == add_months(cert.issued_on, 36)
        low, high = {3: (50, 69), 4: (70, 89), 5: (90, 100)}[cert.star_class]
        assert low <= cert.score <= high


def test_certificates_are_an_honest_mix_of_stars_and_states(demo_loaded: str) -> None:
    certificates = list(db.session.scalars(select(Certification)))
    in_force = [c for c in certificates if services.certificate_in_force(c, LATE_2026)]
    stars = Counter(c.star_class for c in in_force)
    assert stars[3] > stars[4] > stars[5] >= 2
    statuses = Counter(c.status for c in certificates)
    assert statuses["pending"] >= 1 and statuses["revoked"] >= 1 and statuses["superseded"] >= 1
    expired = [c for c in certificates if c.status == "verified" and c.expires_on < LATE_2026]
    assert len(expired) >= 3
    assert len(in_force) >= 0.75 * statuses["verified"]
    uncertified = db.session.scalar(select(func.count(Product.id)).where(~Product.certifications.any()))
    assert uncertified >= 3


def test_a_product_keeps_its_certification_history(demo_loaded: str) -> None:
    older, newer = _certificates_of(_product("Chè nõn tôm Tân Cương"))
    assert (older.status, older.star_class) == ("superseded", 3)
    assert (newer.status, newer.star_class) == ("verified", 4)


def test_revoked_certificate_says_why(demo_loaded: str) -> None:
    [revoked] = _certificates_of(_product("Nước mắm nhĩ Phú Quốc 43 độ đạm"))
    assert revoked.status == "revoked" and revoked.status_reason and revoked.decided_at


def test_only_verified_producers_have_published_products(demo_loaded: str) -> None:
    statuses = Counter(db.session.scalars(select(Producer.verification_status)))
    assert statuses["pending"] == 1 and statuses["rejected"] == 1
    for producer in db.session.scalars(select(Producer)):
        product_statuses = set(
            db.session.scalars(select(Product.status).where(Product.producer_id == producer.id))
        )
        if producer.verification_status == "verified":
            assert producer.verified_at is not None
        else:
            assert product_statuses == {"draft"}
    product_statuses = Counter(db.session.scalars(select(Product.status)))
    assert product_statuses["archived"] == 1 and product_statuses["draft"] >= 3


def test_about_half_the_products_have_wholesale_tiers_that_fall_in_price(demo_loaded: str) -> None:
    products = list(db.session.scalars(select(Product)))
    with_tiers = 0
    for product in products:
        tiers = db.session.execute(
            select(PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .where(PriceTier.product_id == product.id)
            .order_by(PriceTier.min_quantity)
        ).all()
        if tiers:
            with_tiers += 1
            prices = [product.price_vnd] + [price for _, price in tiers]
            assert prices == sorted(prices, reverse=True) and len(set(prices)) == len(prices)
            assert tiers[0][0] >= product.min_order_qty
    assert 0.4 <= with_tiers / len(products) <= 0.6


def test_green_producers_declare_a_plan_and_circular_practices(demo_loaded: str) -> None:
    green = list(db.session.scalars(select(Producer).where(Producer.green_verified.is_(True))))
    assert len(green) >= 3
    assert all(p.environment_plan and p.circular_practices for p in green)
    assert db.session.scalar(select(func.count(Producer.id)).where(Producer.craft_village.is_not(None))) >= 5


def test_storefront_shows_only_verified_protection_rights(demo_loaded: str) -> None:
    protected = services.product_detail(_product("Nước mắm Phú Quốc 40 độ đạm").slug)
    assert [(p.kind, p.name) for p in protected.protections] == [("gi", "Phú Quốc")]
    pending = _product("Cà phê phin giấy Arabica Chiềng Mai")
    assert _protections_of(pending, status="pending")
    assert services.product_detail(pending.slug).protections == ()


def test_load_demo_refuses_to_load_a_second_copy(demo_loaded: str) -> None:
    before = db.session.scalar(select(func.count(Product.id)))
    with pytest.raises(demo.DemoAlreadyLoaded):
        demo.load_demo(with_images=False)
    assert db.session.scalar(select(func.count(Product.id))) == before


def test_load_demo_stores_a_webp_picture_in_every_size_for_every_product(app: Flask, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("pictures do not depend on the database; drawn once, on SQLite")
    demo.load_demo()
    images = list(db.session.scalars(select(ProductImage)))
    covers = Counter(i.product_id for i in images if i.is_cover)
    assert set(covers.values()) == {1}
    assert len(covers) == db.session.scalar(select(func.count(Product.id)))
    for image in images:
        assert image.alt and (image.width, image.height) == (1200, 1200)
        for size, longest in storage.IMAGE_SIZES.items():
            path = Path(storage.path_for(storage.image_key(image.storage_key, size)))
            with Image.open(path) as picture:
                assert picture.format == "WEBP" and max(picture.size) == longest


def test_pictures_of_different_products_differ() -> None:
    first = demo.render_product_image("Chè Tân Cương", "food", "tea", "products/a-1")
    second = demo.render_product_image("Chè Tân Cương", "food", "tea", "products/b-1")
    again = demo.render_product_image("Chè Tân Cương", "food", "tea", "products/a-1")
    assert first.tobytes() != second.tobytes()
    assert first.tobytes() == again.tobytes()


# ---------------------------------------------------------------------------------------------
# Generated products


def test_generated_catalogue_is_the_same_for_the_same_seed() -> None:
    names = [p.row["name"] for p in demo.plan_generated_catalogue(80, seed=7).products]
    assert names == [p.row["name"] for p in demo.plan_generated_catalogue(80, seed=7).products]
    assert names != [p.row["name"] for p in demo.plan_generated_catalogue(80, seed=8).products]


def test_generated_certificates_are_mostly_three_stars_and_follow_the_level_rules() -> None:
    products = demo.plan_generated_catalogue(3000, seed=2025).products
    certificates = [p.certificate for p in products if p.certificate]
    assert 0.7 <= len(certificates) / len(products) <= 0.9
    stars = Counter(c["star_class"] for c in certificates)
    assert stars[3] / len(certificates) > 0.6 and 0 < stars[5] / len(certificates) < 0.1
    for cert in certificates:
        assert cert["issuing_level"] == demo.issuing_level(cert["star_class"], cert["issued_on"])
        assert cert["expires_on"] == add_months(cert["issued_on"], 36)


def test_generate_products_spreads_over_all_34_provinces_and_every_subgroup(app: Flask) -> None:
    assert demo.generate_products(120, seed=7) == 120
    provinces = set(
        db.session.scalars(select(Producer.province_code).join(Product, Product.producer_id == Producer.id))
    )
    assert provinces == set(PROVINCES_BY_CODE)
    subgroups = db.session.execute(select(Product.group_code, Product.subgroup_code))
    assert {tuple(row) for row in subgroups} == ALL_SUBGROUPS


def test_generate_products_stores_the_planned_names_with_integer_prices(app: Flask) -> None:
    demo.generate_products(60, seed=11)
    stored = list(db.session.scalars(select(Product).order_by(Product.id)))
    assert [p.name for p in stored] == [p.row["name"] for p in demo.plan_generated_catalogue(60, 11).products]
    assert all(type(p.price_vnd) is int and p.status == "published" for p in stored)
    tiers = db.session.execute(select(Product.price_vnd, PriceTier.unit_price_vnd).join(PriceTier)).all()
    assert tiers
    for price, tier_price in tiers:
        assert type(tier_price) is int and tier_price < price


def test_generate_products_works_without_the_demo_and_never_collides_with_earlier_runs(app: Flask) -> None:
    demo.generate_products(40, seed=3)
    demo.load_demo(with_images=False)
    demo.generate_products(40, seed=3)
    slugs = list(db.session.scalars(select(Product.slug).where(Product.slug.like("g3-%"))))
    assert len(slugs) == len(set(slugs)) == 80
    assert db.session.scalar(select(func.count(Producer.id)).where(Producer.slug.like("g3-%"))) == 68


def test_generate_products_raises_the_catalogue_version(app: Flask) -> None:
    before = db.session.scalar(select(CatalogState.version))
    demo.generate_products(10, seed=5)
    assert db.session.scalar(select(CatalogState.version)) > before


def test_generated_rights_are_granted_only_where_the_protection_applies(app: Flask) -> None:
    demo.generate_products(1000, seed=2025)
    rows = db.session.execute(
        select(Protection.province_code, Producer.province_code)
        .join(ProtectionRight, ProtectionRight.protection_id == Protection.id)
        .join(Product, Product.id == ProtectionRight.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    ).all()
    assert rows and all(owner == maker for owner, maker in rows)


def test_every_demo_and_generated_producer_has_a_former_province_that_merged_into_its_own(
    demo_loaded: str,
) -> None:
    from marketplace.demo.generated import plan_generated_catalogue
    from marketplace.reference import former_provinces_of

    producers = db.session.scalars(select(Producer)).all()
    rows = [(p.slug, p.province_code, p.former_province_code) for p in producers]
    rows += [
        (r["slug"], r["province_code"], r["former_province_code"])
        for r in plan_generated_catalogue(60, seed=3).producers
    ]
    for slug, province, former in rows:
        assert former in {code for code, _ in former_provinces_of(province)}, slug
    by_slug = {slug: former for slug, _, former in rows}
    assert by_slug["htx-che-shan-tuyet-phin-ho"] == "ha-giang"  # named in the data
    assert by_slug["htx-che-tan-cuong-xanh"] == "thai-nguyen"  # the unit of the same name
    assert by_slug["htx-tinh-dau-tram-phong-dien"] == "thua-thien-hue"
