"""The VietQR payload against known-good examples, its CRC against the standard check value and
an independent implementation (binascii.crc_hqx), and the SVG drawn from it."""

from __future__ import annotations

import binascii

import pytest

from marketplace.payments import vietqr

# Published in the README of github.com/subiz/vietqr (a Go implementation used in production):
# 120,000 ₫ to account 0011001932418 at BIN 970415, purpose "ung ho lu lut".
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_crc16_ccitt_false_check_value():
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc16_of_empty_input_is_the_initial_value():
    assert vietqr.crc16_ccitt_false(b"") == 0xFFFF


@pytest.mark.parametrize("text", [b"6304", PUBLISHED[:-4].encode(), "Thanh toán".encode()])
def test_crc16_agrees_with_an_independent_implementation(text):
    assert vietqr.crc16_ccitt_false(text) == binascii.crc_hqx(text, 0xFFFF)


def test_crc_of_the_published_payload():
    assert vietqr.with_crc(PUBLISHED[:-8]) == PUBLISHED


def test_published_payload_parses_with_its_fields():
    fields = vietqr.parse(PUBLISHED)
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["53"] == "704" and fields["54"] == "120000" and fields["58"] == "VN"
    assert fields["38"] == "0010A00000072701270006970415011300110019324180208QRIBFTTA"
    assert fields["62"] == "0813ung ho lu lut"


def test_payload_built_field_by_field():
    built = vietqr.payload(
        bank_bin="970436", account_number="1234567890", amount_vnd=250_000, reference="OCOPDH7K3M9Q"
    )
    body = (
        "000201"
        "010212"
        "3854"
        "0010A000000727"
        "0124"
        "0006970436"
        "01101234567890"
        "0208QRIBFTTA"
        "5303704"
        "5406250000"
        "5802VN"
        "6216"
        "0812OCOPDH7K3M9Q"
        "6304"
    )
    assert built[:-4] == body
    assert built[-4:] == f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}"
    assert vietqr.parse(built)["54"] == "250000"


def test_parse_refuses_a_wrong_crc():
    with pytest.raises(vietqr.InvalidVietQR):
        vietqr.parse(PUBLISHED[:-4] + "C15D")


@pytest.mark.parametrize(
    "changes",
    [
        {"bank_bin": "97043"},
        {"bank_bin": "97043X"},
        {"account_number": ""},
        {"account_number": "12 34"},
        {"amount_vnd": 0},
        {"amount_vnd": -5},
        {"amount_vnd": True},
        {"reference": "OCOP-DH"},
        {"reference": ""},
    ],
)
def test_payload_refuses_bad_values(changes):
    values = {"bank_bin": "970436", "account_number": "1234567890", "amount_vnd": 1, "reference": "X1"}
    with pytest.raises(vietqr.InvalidVietQR):
        vietqr.payload(**{**values, **changes})


def test_transfer_details_draw_an_svg_with_the_configured_account(app, monkeypatch):
    for key, value in dict(
        VIETQR_BANK_BIN="970436",
        VIETQR_ACCOUNT_NUMBER="0071000123456",
        VIETQR_ACCOUNT_NAME="OCOP MARKETPLACE",
        VIETQR_BANK_NAME="Vietcombank",
    ).items():
        monkeypatch.setitem(app.config, key, value)
    details = vietqr.transfer_details(amount_vnd=99_000, reference="OCOPDH234567")
    assert details.account_number == "0071000123456" and details.bank_name == "Vietcombank"
    assert vietqr.parse(details.payload)["62"] == "0812OCOPDH234567"
    assert details.svg.startswith("<svg") and "<path" in details.svg


def test_no_transfer_details_without_a_configured_account(app, monkeypatch):
    monkeypatch.setitem(app.config, "VIETQR_BANK_BIN", "")
    monkeypatch.setitem(app.config, "VIETQR_ACCOUNT_NUMBER", "")
    assert not vietqr.configured()
    assert vietqr.transfer_details(amount_vnd=99_000, reference="OCOPDH234567") is None
