"""GS1 identifiers the site prints and reads: GTINs (with their mod-10 check digit), lot codes
(application identifier 10) and GS1 Digital Link paths (`/01/<GTIN-14>/10/<lot>`).

Plain functions with no database or request: the portal's listing form checks GTINs with them,
the traceability pages build and parse Digital Link paths with them. A refused value raises
`GS1Error` with a stable `code`; the caller turns the code into a message in the reader's
language.
"""

from __future__ import annotations

import re
from urllib.parse import quote

GTIN_LENGTHS = (8, 12, 13, 14)  # GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14
LOT_MAX_LENGTH = 20  # GS1 AI(10): up to 20 characters
# AI(10) allows the GS1 82-character set (letters, digits and ! " % & ' ( ) * + , - . / : ; < = > ? _).
# The site accepts a subset that is safe in a URL path segment, a file name and a printed label:
# ASCII letters and digits, then also dots, dashes and underscores. Slashes would split the path,
# and a leading dot could make "." or "..".
_LOT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_GS1_82 = re.compile(r"^[A-Za-z0-9!\"%&'()*+,\-./:;<=>?_]*$")


class GS1Error(ValueError):
    """A GTIN or lot code the site refuses; `code` says why (see each function)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of `body` (a GTIN without its last digit): from the right, digits
    are weighted 3, 1, 3, 1, ...; the check digit brings the sum up to a multiple of 10."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(text: object) -> str:
    """The GTIN-14 form (zero-padded on the left) of a GTIN-8/12/13/14 typed with or without spaces.

    Raises GS1Error: `gtin_not_digits` (anything but digits and spaces), `gtin_length` (not 8, 12,
    13 or 14 digits), `gtin_check_digit` (the last digit is not the check digit of the others)."""
    value = "".join(str(text or "").split())
    if not value.isascii() or not value.isdigit():
        raise GS1Error("gtin_not_digits")
    if len(value) not in GTIN_LENGTHS:
        raise GS1Error("gtin_length")
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise GS1Error("gtin_check_digit")
    return value.rjust(14, "0")


def display_gtin(gtin14: str) -> str:
    """A stored GTIN-14 as people know it: a GTIN-13 (EAN-13) when its first digit is padding."""
    return gtin14[1:] if len(gtin14) == 14 and gtin14.startswith("0") else gtin14


def clean_lot_code(text: object) -> str:
    """A lot (batch) code as the site stores and prints it: the text without surrounding spaces.

    Raises GS1Error: `lot_required` (empty), `lot_too_long` (over 20 characters), `lot_slash`
    (a slash), `lot_not_ascii` (Unicode letters, such as Vietnamese diacritics), `lot_characters`
    (spaces or other characters outside the safe subset, or a first character that is not a
    letter or digit)."""
    value = str(text if text is not None else "").strip()
    if not value:
        raise GS1Error("lot_required")
    if "/" in value or "\\" in value:
        raise GS1Error("lot_slash")
    if not value.isascii():
        raise GS1Error("lot_not_ascii")
    if len(value) > LOT_MAX_LENGTH:
        raise GS1Error("lot_too_long")
    if not _LOT_PATTERN.match(value) or not _GS1_82.match(value):
        raise GS1Error("lot_characters")
    return value


def digital_link_path(gtin14: str, lot: str) -> str:
    """The GS1 Digital Link path of a batch: `/01/<GTIN-14>/10/<lot>` (lot percent-encoded, which
    for the safe subset changes nothing)."""
    return f"/01/{gtin14}/10/{quote(lot, safe='')}"
