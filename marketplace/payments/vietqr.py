"""VietQR: the NAPAS EMVCo payload of a bank transfer to the platform's receiving account, and its
QR code as inline SVG (segno).

A dynamic code (point of initiation "12") carries the amount and the payment reference, so the
buyer's banking app fills in everything and the bank statement line carries the reference the
matching (`payments.statements`) looks for. The payload is a list of TLV fields (two-digit id,
two-digit length, value), the last one the CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no
reflection, no final xor) of everything before it including "6304", in four uppercase hex
digits:

    00 "01"                payload format indicator
    01 "12"                dynamic (one payment, amount fixed)
    38                     merchant account information (NAPAS 247):
       00 "A000000727"       NAPAS's GUID
       01                    beneficiary organisation: 00 bank BIN (6 digits), 01 account number
       02 "QRIBFTTA"         service: inter-bank fund transfer to an account
    53 "704"               currency: VND
    54                     amount, integer VND
    58 "VN"                country
    62                     additional data: 08 purpose of the transaction (the payment reference)
    63                     CRC

The receiving account comes from settings (`VIETQR_BANK_BIN`, `VIETQR_ACCOUNT_NUMBER`,
`VIETQR_ACCOUNT_NAME`, `VIETQR_BANK_NAME`); without a BIN and account number VietQR is not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno
from flask import current_app
from markupsafe import Markup

NAPAS_GUID = "A000000727"
ACCOUNT_TRANSFER = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_REFERENCE = re.compile(r"[0-9A-Za-z]{1,25}")


class InvalidVietQR(ValueError):
    """A payload cannot be built from these values (a programming or configuration error)."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: the check value of b"123456789" is 0x29B1."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidVietQR(f"field {field_id} is longer than 99 characters")
    return f"{field_id}{len(value):02d}{value}"


def with_crc(payload_without_crc: str) -> str:
    """Append the CRC field ("6304" and the CRC of everything up to and including it)."""
    head = payload_without_crc + "6304"
    return head + f"{crc16_ccitt_false(head.encode('utf-8')):04X}"


def payload(*, bank_bin: str, account_number: str, amount_vnd: int, reference: str) -> str:
    """The dynamic VietQR payload of a transfer of `amount_vnd` to the account, described by
    `reference` (letters and digits only: banks drop or mangle anything else)."""
    if not _BIN.fullmatch(bank_bin or ""):
        raise InvalidVietQR("the bank BIN is six digits")
    if not _ACCOUNT.fullmatch(account_number or ""):
        raise InvalidVietQR("the account number is 1-19 letters or digits")
    if not isinstance(amount_vnd, int) or isinstance(amount_vnd, bool) or amount_vnd <= 0:
        raise InvalidVietQR("the amount is a positive number of đồng")
    if not _REFERENCE.fullmatch(reference or ""):
        raise InvalidVietQR("the reference is 1-25 letters or digits")
    beneficiary = tlv("00", bank_bin) + tlv("01", account_number)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", ACCOUNT_TRANSFER)
    body = (
        tlv("00", "01")
        + tlv("01", "12")
        + tlv("38", merchant)
        + tlv("53", CURRENCY_VND)
        + tlv("54", str(amount_vnd))
        + tlv("58", COUNTRY_VN)
        + tlv("62", tlv("08", reference))
    )
    return with_crc(body)


def parse(text: str) -> dict[str, str]:
    """The top-level fields of a payload (id -> value), after checking its CRC. For tests and
    for reading a code back; raises `InvalidVietQR` on a malformed payload or a wrong CRC."""
    if len(text) < 8 or text[-8:-4] != "6304":
        raise InvalidVietQR("no CRC field at the end")
    if f"{crc16_ccitt_false(text[:-4].encode('utf-8')):04X}" != text[-4:].upper():
        raise InvalidVietQR("wrong CRC")
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        field_id, length = text[position : position + 2], text[position + 2 : position + 4]
        if not length.isdigit() or position + 4 + int(length) > len(text):
            raise InvalidVietQR(f"bad length at position {position}")
        fields[field_id] = text[position + 4 : position + 4 + int(length)]
        position += 4 + int(length)
    return fields


@dataclass(frozen=True)
class TransferDetails:
    """What a payment page shows: the code, and the same details written out for typing."""

    bank_name: str
    bank_bin: str
    account_number: str
    account_name: str
    amount_vnd: int
    reference: str
    payload: str

    @property
    def svg(self) -> Markup:
        """The QR code as inline SVG (error correction M, which survives a phone camera)."""
        code = segno.make(self.payload, error="m")
        return Markup(code.svg_inline(scale=4, title="VietQR"))


def configured() -> bool:
    """Whether the platform's receiving account is set (VietQR is offered only then)."""
    config = current_app.config
    return bool(_BIN.fullmatch(config.get("VIETQR_BANK_BIN") or "")) and bool(
        _ACCOUNT.fullmatch(config.get("VIETQR_ACCOUNT_NUMBER") or "")
    )


def transfer_details(*, amount_vnd: int, reference: str) -> TransferDetails | None:
    """The transfer to the platform's account for this amount and reference, or None when the
    account is not configured or nothing is due."""
    if not configured() or amount_vnd <= 0:
        return None
    config = current_app.config
    return TransferDetails(
        bank_name=config.get("VIETQR_BANK_NAME") or "",
        bank_bin=config["VIETQR_BANK_BIN"],
        account_number=config["VIETQR_ACCOUNT_NUMBER"],
        account_name=config.get("VIETQR_ACCOUNT_NAME") or "",
        amount_vnd=amount_vnd,
        reference=reference,
        payload=payload(
            bank_bin=config["VIETQR_BANK_BIN"],
            account_number=config["VIETQR_ACCOUNT_NUMBER"],
            amount_vnd=amount_vnd,
            reference=reference,
        ),
    )
