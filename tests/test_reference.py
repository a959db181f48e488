"""Reference data: provinces since 1 July 2025 and their former names, product groups, channels."""

from __future__ import annotations

import pytest

from marketplace.reference import (
    CHANNELS_BY_CODE,
    DECLARABLE_CHANNELS,
    FORMER_PROVINCES,
    PRODUCT_GROUPS,
    PROVINCES,
    default_former_province_code,
    former_province_name,
    former_provinces_of,
    resolve_province,
)
from marketplace.text import fold, slugify


def test_there_are_34_provinces_formed_from_the_63_earlier_ones() -> None:
    assert len(PROVINCES) == 34
    assert len(FORMER_PROVINCES) == 63
    assert sum(p.kind == "city" for p in PROVINCES) == 6


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hà Giang", "Tuyên Quang"),
        ("ha giang", "Tuyên Quang"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Bắc Giang", "Bắc Ninh"),
        ("Sóc Trăng", "Cần Thơ"),
        ("Kiên Giang", "An Giang"),
        ("Thừa Thiên Huế", "Huế"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("dak-lak", "Đắk Lắk"),
        ("ĐẮK NÔNG", "Lâm Đồng"),
        ("thai-nguyen", "Thái Nguyên"),
    ],
)
def test_former_and_current_names_resolve_to_the_province_in_force(name: str, expected: str) -> None:
    assert resolve_province(name).name == expected


@pytest.mark.parametrize("name", ["", None, "Atlantis", "ha", "99"])
def test_unknown_province_names_resolve_to_nothing(name) -> None:
    assert resolve_province(name) is None


def test_absorbed_lists_only_other_former_units() -> None:
    tuyen_quang = resolve_province("Tuyên Quang")
    assert tuyen_quang.absorbed == ("Hà Giang",)
    assert resolve_province("Hà Nội").absorbed == ()


def test_six_product_groups_each_with_subgroups() -> None:
    assert [g.code for g in PRODUCT_GROUPS] == [
        "food",
        "beverages",
        "herbal",
        "handicrafts",
        "ornamental",
        "tourism",
    ]
    assert all(len(g.subgroups) >= 2 for g in PRODUCT_GROUPS)


def test_traditional_markets_export_and_direct_sales_are_not_modern_channels() -> None:
    not_modern = {c for c, ch in CHANNELS_BY_CODE.items() if not ch.modern}
    assert not_modern == {"traditional_market", "export", "direct"}
    assert {c for c, ch in CHANNELS_BY_CODE.items() if ch.on_platform} == {"supermarket", "online"}
    assert {c.code for c in DECLARABLE_CHANNELS} == {
        "ecommerce",
        "convenience_store",
        "supermarket_offline",
        "traditional_market",
        "export",
        "direct",
    }


def test_the_former_provinces_of_a_province_are_those_that_merged_into_it() -> None:
    assert former_provinces_of("thai-nguyen") == (("thai-nguyen", "Thái Nguyên"), ("bac-kan", "Bắc Kạn"))
    assert default_former_province_code("thai-nguyen") == "thai-nguyen"  # the unit of the same name
    assert default_former_province_code("hue") == "thua-thien-hue"  # continues one unit alone
    assert former_province_name("ha-giang") == "Hà Giang"
    assert len(FORMER_PROVINCES) == 63


def test_folding_strips_vietnamese_diacritics_including_d_bar() -> None:
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("Chè Tân Cương") == "che tan cuong"
    assert fold("NƯỚC MẮM") == "nuoc mam"
    assert slugify("Chè Shan Tuyết Hoàng Su Phì") == "che-shan-tuyet-hoang-su-phi"
