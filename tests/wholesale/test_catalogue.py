"""The wholesale catalogue as a catalogue: pictures, filters (group, province, star class,
producer), search, and short product codes (the producer's short code and the SKU)."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.wholesale.codes import product_code, resolve_codes
from tests.factories import add_image, make_certificate, make_producer
from tests.wholesale.helpers import buyer, wholesale_product


@pytest.fixture
def shelf(app):
    tea_maker = make_producer(
        name="Công ty TNHH Chè Cao Nguyên Mộc Châu",
        slug="cong-ty-tnhh-che-cao-nguyen-moc-chau",
        code="CCNM",
        province_code="son-la",
    )
    fish_maker = make_producer(
        name="HTX Nước mắm Cát Hải", slug="htx-nuoc-mam-cat-hai", code="NMCH", province_code="hai-phong"
    )
    tea = wholesale_product(tea_maker, sku="CCNM-014", name="Chè Shan tuyết Mộc Châu", subgroup_code="tea")
    add_image(tea, "products/che-moc-chau")
    make_certificate(tea, 4)
    oolong = wholesale_product(tea_maker, sku="OL-2", name="Trà ô long Mộc Châu", subgroup_code="tea")
    fish = wholesale_product(
        fish_maker, sku="NM-30", name="Nước mắm cá cơm Cát Hải", subgroup_code="condiments"
    )
    make_certificate(fish, 3)
    crafts_maker = make_producer(name="HTX Gốm Chu Đậu", code="GCD", province_code="hai-phong")
    vase = wholesale_product(
        crafts_maker, sku="B-1", name="Bình gốm Chu Đậu", group_code="handicrafts", subgroup_code="crafts"
    )
    user, _ = buyer("viewer")
    db.session.commit()
    return {"tea": tea, "oolong": oolong, "fish": fish, "vase": vase, "user": user, "tea_maker": tea_maker}


def _names(web, query: str = "") -> list[str]:
    page = web.get(f"/wholesale/products{query}").get_data(as_text=True)
    return [name for name in ("Chè Shan tuyết", "Trà ô long", "Nước mắm cá cơm", "Bình gốm") if name in page]


def test_the_catalogue_shows_pictures_badges_and_short_codes(web, shelf) -> None:
    page = web.sign_in(shelf["user"]).get("/wholesale/products").get_data(as_text=True)
    assert "/media/products/che-moc-chau" in page
    assert "<code>CCNM/014</code>" in page and "<code>CCNM/OL-2</code>" in page
    assert "<code>NMCH/NM-30</code>" in page
    assert "cong-ty-tnhh-che-cao-nguyen-moc-chau/" not in page
    assert page.count('class="badge badge--stars badge--stars-') == 2  # the tea's 4★ and the fish sauce's 3★


def test_the_catalogue_filters_by_group_province_star_class_and_producer(web, shelf) -> None:
    web.sign_in(shelf["user"])
    assert _names(web, "?group=handicrafts") == ["Bình gốm"]
    assert _names(web, "?province=hai-phong") == ["Nước mắm cá cơm", "Bình gốm"]
    assert _names(web, "?stars=4") == ["Chè Shan tuyết"]
    assert _names(web, f"?producer={shelf['tea_maker'].id}") == ["Chè Shan tuyết", "Trà ô long"]
    page = web.get("/wholesale/products").get_data(as_text=True)
    assert f"producer={shelf['tea_maker'].id}" in page and "Công ty TNHH Chè Cao Nguyên Mộc Châu" in page


def test_the_catalogue_searches_like_the_storefront_and_finds_codes(web, shelf) -> None:
    from marketplace import search

    search.rebuild()
    web.sign_in(shelf["user"])
    assert _names(web, "?q=nuoc+mam") == ["Nước mắm cá cơm"]
    assert _names(web, "?q=fish+sauce") == ["Nước mắm cá cơm"]
    assert _names(web, "?q=CCNM/014") == ["Chè Shan tuyết"]
    assert set(_names(web, "?q=tra&province=son-la")) == {"Chè Shan tuyết", "Trà ô long"}


def test_short_codes_strip_the_producer_code_the_sku_repeats() -> None:
    assert product_code("CCNM", "cong-ty-tnhh-che-cao-nguyen-moc-chau", "CCNM-014") == "CCNM/014"
    assert product_code("CCNM", "x", "OL-2") == "CCNM/OL-2"
    assert product_code(None, "htx-tc", "TC-200") == "htx-tc/TC-200"


def test_new_short_and_old_long_codes_name_the_same_product(app, shelf) -> None:
    tea = shelf["tea"].id
    codes = [
        "CCNM/014",
        "ccnm/014",
        "CCNM/CCNM-014",
        "cong-ty-tnhh-che-cao-nguyen-moc-chau/CCNM-014",
        "CCNM-014",
        f"#{tea}",
    ]
    resolved = resolve_codes(codes)
    assert {code: resolved[code].product_id for code in codes} == dict.fromkeys(codes, tea)
    assert resolve_codes(["NMCH/014"])["NMCH/014"].problem == "unknown_code"


def test_a_csv_upload_accepts_the_short_codes(web, shelf) -> None:
    from marketplace.wholesale import services

    user, organisation = buyer("purchaser")
    db.session.commit()
    report = services.validate_csv(b"CCNM/014;60\nNMCH/NM-30;50\n", organisation.id)
    assert [line.product_id for line in report.lines] == [shelf["tea"].id, shelf["fish"].id]
