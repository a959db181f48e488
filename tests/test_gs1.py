"""GS1 identifiers: GTIN check digits, lot codes (AI 10), Digital Link paths."""

from __future__ import annotations

import pytest

from marketplace.gs1 import (
    GS1Error,
    clean_lot_code,
    digital_link_path,
    display_gtin,
    gtin_check_digit,
    normalise_gtin,
)


@pytest.mark.parametrize(
    "gtin",
    [
        "73513537",  # GTIN-8
        "036000291452",  # GTIN-12 (UPC-A)
        "9506000134352",  # GTIN-13, GS1's own example
        "4006381333931",  # GTIN-13 on a retail product
        "10614141000415",  # GTIN-14 (a case)
    ],
)
def test_valid_gtins_of_every_length_are_kept_in_their_14_digit_form(gtin: str) -> None:
    assert normalise_gtin(gtin) == gtin.rjust(14, "0")
    assert gtin_check_digit(gtin[:-1]) == int(gtin[-1])


def test_spaces_between_digit_groups_are_ignored() -> None:
    assert normalise_gtin(" 950 6000 134352 ") == "09506000134352"


@pytest.mark.parametrize(
    "gtin, code",
    [
        ("9506000134353", "gtin_check_digit"),  # last digit off by one
        ("9506000134325", "gtin_check_digit"),  # two digits swapped
        ("73513538", "gtin_check_digit"),
        ("95060001343", "gtin_length"),
        ("950600013435200", "gtin_length"),
        ("95060001343S2", "gtin_not_digits"),
        ("９５０６０００１３４３５２", "gtin_not_digits"),  # full-width digits
        ("", "gtin_not_digits"),
    ],
)
def test_wrong_gtins_are_refused_with_their_reason(gtin: str, code: str) -> None:
    with pytest.raises(GS1Error) as refused:
        normalise_gtin(gtin)
    assert refused.value.code == code


def test_a_padded_gtin_13_is_shown_as_people_know_it() -> None:
    assert display_gtin("09506000134352") == "9506000134352"
    assert display_gtin("10614141000415") == "10614141000415"


@pytest.mark.parametrize("lot", ["A", "L2026-01", "TC.500_A", "12345678901234567890", "abcXYZ"])
def test_safe_lot_codes_are_kept_as_typed(lot: str) -> None:
    assert clean_lot_code(f"  {lot} ") == lot


@pytest.mark.parametrize(
    "lot, code",
    [
        ("", "lot_required"),
        ("   ", "lot_required"),
        ("L1/2026", "lot_slash"),
        ("../admin", "lot_slash"),
        ("L1\\2026", "lot_slash"),
        ("LÔ-01", "lot_not_ascii"),
        ("Lô1", "lot_not_ascii"),
        ("A" * 21, "lot_too_long"),
        ("X" * 500, "lot_too_long"),
        ("L 01", "lot_characters"),
        ("L%2F01", "lot_characters"),
        ("L?01", "lot_characters"),
        ("L#01", "lot_characters"),
        (".hidden", "lot_characters"),
        ("..", "lot_characters"),
        ("-A", "lot_characters"),
        ("L\n01", "lot_characters"),
    ],
)
def test_hostile_lot_codes_are_refused_with_their_reason(lot: str, code: str) -> None:
    with pytest.raises(GS1Error) as refused:
        clean_lot_code(lot)
    assert refused.value.code == code


def test_the_digital_link_path_names_the_gtin_and_the_lot() -> None:
    assert digital_link_path("09506000134352", "L2026-01") == "/01/09506000134352/10/L2026-01"
