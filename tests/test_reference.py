"""Reference data: provinces since 1 July 2025 and their former names, product groups, channels."""
from __future__ import annotations

import pytest

from marketplace.reference import (
    CHANNELS_BY_CODE,
    FORMER_PROVINCES,
    PRODUCT_GROUPS,
    PROVINCES,
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
def test_unknown_province_names_resolve_to_nothing(name) -> None:  # noqa: ANN001
    assert resolve_province(name) is None


def test_absorbed_lists_only_other_former_units() -> None:
    tuyen_quang = resolve_province("Tuyên Quang")
    assert tuyen_quang.absorbed == ("Hà Giang",)
    assert resolve_province("Hà Nội").absorbed == ()


def test_six_product_groups_each_with_subgroups() -> None:
    assert [g.code for g in PRODUCT_GROUPS] == [
        "food", "beverages", "herbal", "handicrafts", "ornamental", "tourism"
    ]
    assert all(len(g.subgroups) >= 2 for g in PRODUCT_GROUPS)


def test_only_traditional_markets_are_not_a_modern_channel() -> None:
    assert {c for c, ch in CHANNELS_BY_CODE.items() if not ch.modern} == {"traditional_market"}
    assert {c for c, ch in CHANNELS_BY_CODE.items() if ch.on_platform} == {"supermarket", "online"}


def test_folding_strips_vietnamese_diacritics_including_d_bar() -> None:
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("Chè Tân Cương") == "che tan cuong"
    assert fold("NƯỚC MẮM") == "nuoc mam"
    assert slugify("Chè Shan Tuyết Hoàng Su Phì") == "che-shan-tuyet-hoang-su-phi"
