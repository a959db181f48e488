"""The rules a listing's fields obey, as plain functions shared by the portal's form and the CSV
import: each takes the text a person typed and returns a clean value or raises `FieldError` with
the message to show next to the field (or in the import report, with its row and column).

Numbers: whole numbers only. Vietnamese writes thousands with dots ("150.000"), English with
commas ("150,000"); both are accepted when every group after the first has exactly three digits,
so "150.000" is 150000 but "12.5", "1,5", "1e9" and "-5" are refused rather than guessed at.
A trailing "đ", "₫" or "VND" is allowed on prices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace.catalog.supply import ALL_YEAR, mask_of
from marketplace.gs1 import GS1Error, normalise_gtin
from marketplace.reference import PRODUCT_GROUPS_BY_CODE, UNITS
from marketplace.text import UnsafeText, clean_text

MAX_PRICE_VND = 1_000_000_000
MAX_QUANTITY = 10_000_000
MAX_NET_WEIGHT_G = 1_000_000  # one tonne
MAX_TIERS = 6
NAME_LENGTH = (3, 200)
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
DESCRIPTION_MAX = 20_000

_WHOLE = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$")
_CURRENCY = re.compile(r"\s*(?:₫|đ|VND|VNĐ|vnd|vnđ)$")


class FieldError(ValueError):
    """A value a field cannot take; `message` says why, in the reader's language."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def parse_whole_number(text: object, *, currency: bool = False) -> int:
    """A whole number written with or without thousands separators (see the module docstring)."""
    value = str(text if text is not None else "").strip()
    if currency:
        value = _CURRENCY.sub("", value)
    if value == "":
        raise FieldError(_l("Enter a number."))
    if value.startswith("-"):
        raise FieldError(_l("Must not be negative."))
    if _WHOLE.match(value):
        return int(value)
    if _GROUPED.match(value):
        return int(re.sub(r"\D", "", value))
    raise FieldError(_l("Must be a whole number, without decimals (for example 150000 or 150.000)."))


def clean_price(text: object) -> int:
    try:
        price = parse_whole_number(text, currency=True)
    except FieldError as error:
        raise FieldError(_l("Must be a whole number of đồng (for example 150000 or 150.000).")) from error
    if price <= 0:
        raise FieldError(_l("The price must be more than 0 ₫."))
    if price > MAX_PRICE_VND:
        raise FieldError(_l("The price may be at most 1.000.000.000 ₫."))
    return price


def clean_count(text: object, *, minimum: int, maximum: int = MAX_QUANTITY) -> int:
    number = parse_whole_number(text)
    if number < minimum:
        raise FieldError(_l("Must be at least %(n)s.", n=minimum))
    if number > maximum:
        raise FieldError(_l("Must be at most %(n)s.", n=f"{maximum:,}".replace(",", ".")))
    return number


def clean_optional_net_weight(text: object) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    return clean_count(text, minimum=1, maximum=MAX_NET_WEIGHT_G)


def _safe(text: object, *, multiline: bool = False) -> str:
    try:
        return clean_text(text or "", multiline=multiline)
    except UnsafeText as error:
        raise FieldError(error.message) from error


def clean_name(text: object) -> str:
    """The name as typed (in NFC), spaces tidied; control characters refused (`text.clean_text`).
    Any HTML in it is kept as text and escaped on output."""
    name = " ".join(_safe(text).split())
    low, high = NAME_LENGTH
    if len(name) < low:
        raise FieldError(_l("The name needs at least %(n)d characters.", n=low))
    if len(name) > high:
        raise FieldError(_l("The name may have at most %(n)d characters.", n=high))
    return name


def clean_sku(text: object) -> str:
    sku = str(text or "").strip()
    if not sku:
        raise FieldError(_l("Enter the product code (SKU)."))
    if not SKU_PATTERN.match(sku):
        raise FieldError(_l("Use up to 64 letters, digits, dots, dashes or underscores, without spaces."))
    return sku


def clean_group(group: object, subgroup: object) -> tuple[str, str]:
    """The group and sub-group codes; raises with ("group" | "subgroup", message) in `args`."""
    group_code = str(group or "").strip()
    subgroup_code = str(subgroup or "").strip()
    if group_code not in PRODUCT_GROUPS_BY_CODE:
        raise GroupError("group", _l("Choose one of the OCOP product groups."))
    if subgroup_code not in dict(PRODUCT_GROUPS_BY_CODE[group_code].subgroups):
        raise GroupError("subgroup", _l("Choose a sub-group of the chosen group."))
    return group_code, subgroup_code


class GroupError(FieldError):
    def __init__(self, field: str, message: object) -> None:
        super().__init__(message)
        self.field = field


def clean_unit(text: object) -> str:
    unit = str(text or "").strip()
    if unit not in UNITS:
        raise FieldError(_l("Choose one of the units: %(units)s.", units=", ".join(UNITS)))
    return unit


def clean_optional_name(text: object) -> str | None:
    """An optional name (the English one): empty is none, otherwise the rules of a name."""
    return clean_name(text) if str(text or "").strip() else None


def clean_description(text: object) -> str:
    description = _safe(text, multiline=True).replace("\r\n", "\n").strip()
    if len(description) > DESCRIPTION_MAX:
        raise FieldError(_l("The description may have at most %(n)d characters.", n=DESCRIPTION_MAX))
    return description


def clean_tiers(rows: list[tuple[object, object]], retail_price: int | None) -> list[tuple[int, int]]:
    """Wholesale tiers from (from-quantity, price) pairs typed in any order; blank pairs are skipped.

    Rules: from 2 units on, no quantity twice, each price below the retail price, and the price
    falls as the quantity grows. Returns the tiers sorted by quantity."""
    tiers: list[tuple[int, int]] = []
    for quantity_text, price_text in rows:
        quantity_blank = str(quantity_text or "").strip() == ""
        price_blank = str(price_text or "").strip() == ""
        if quantity_blank and price_blank:
            continue
        if quantity_blank or price_blank:
            raise FieldError(_l("Each tier needs both a quantity and a price."))
        try:
            quantity = clean_count(quantity_text, minimum=2)
        except FieldError as error:
            raise FieldError(_l("Tier quantity: %(error)s", error=error.message)) from error
        try:
            price = clean_price(price_text)
        except FieldError as error:
            raise FieldError(_l("Tier price: %(error)s", error=error.message)) from error
        tiers.append((quantity, price))
    if len(tiers) > MAX_TIERS:
        raise FieldError(_l("At most %(n)d tiers.", n=MAX_TIERS))
    tiers.sort()
    quantities = [q for q, _ in tiers]
    if len(set(quantities)) != len(quantities):
        raise FieldError(_l("Each tier needs its own quantity: a quantity appears twice."))
    if retail_price is not None and any(price >= retail_price for _, price in tiers):
        raise FieldError(_l("Each wholesale price must be lower than the retail price."))
    for (_, lower_price), (_, higher_price) in zip(tiers, tiers[1:], strict=False):
        if higher_price >= lower_price:
            raise FieldError(_l("The price must fall as the quantity grows."))
    return tiers


def parse_tiers_text(text: object) -> list[tuple[str, str]]:
    """Tiers written as in the CSV file: "50:82000|100:78000"."""
    value = str(text or "").strip()
    if not value:
        return []
    pairs = []
    for part in value.split("|"):
        if ":" not in part:
            raise FieldError(
                _l('Write tiers as quantity:price separated by "|", for example 50:82000|100:78000.')
            )
        quantity, price = part.split(":", 1)
        pairs.append((quantity.strip(), price.strip()))
    return pairs


def format_tiers(tiers: list[tuple[int, int]]) -> str:
    return "|".join(f"{quantity}:{price}" for quantity, price in tiers)


_GTIN_MESSAGES = {
    "gtin_not_digits": _l("A GTIN is made of digits only (the number under the barcode)."),
    "gtin_length": _l("A GTIN has 8, 12, 13 or 14 digits."),
    "gtin_check_digit": _l(
        "The last digit of this GTIN is not its check digit: check the number under the barcode."
    ),
}


def clean_gtin(text: object) -> str | None:
    """An optional GTIN-8/12/13/14, stored in its GTIN-14 form; its check digit must be right."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return normalise_gtin(text)
    except GS1Error as error:
        raise FieldError(_GTIN_MESSAGES[error.code]) from error


def clean_optional_capacity(text: object) -> int | None:
    """Units a month the producer can supply to supermarkets; empty: not declared (no limit)."""
    if text is None or str(text).strip() == "":
        return None
    return clean_count(text, minimum=0)


def clean_season(months: object) -> int:
    """The months ticked (1-12) as `Product.season_months`; none ticked means all year (a product
    that is never available would simply not be listed)."""
    try:
        mask = mask_of(int(m) for m in (months or ()))
    except (TypeError, ValueError) as error:
        raise FieldError(_l("Tick the months in which the product is available.")) from error
    return mask or ALL_YEAR


@dataclass(frozen=True)
class SupplyFacts:
    """A listing's GTIN and supply capacity, edited in the portal's form (the CSV file leaves them
    as they are)."""

    gtin: str | None
    monthly_capacity: int | None
    season_months: int


@dataclass(frozen=True)
class ListingData:
    """A listing's validated fields, as the services store them."""

    sku: str
    name: str
    group_code: str
    subgroup_code: str
    description: str
    unit: str
    net_weight_g: int | None
    price_vnd: int
    min_order_qty: int
    case_pack: int
    low_stock_threshold: int
    tiers: tuple[tuple[int, int], ...]
    supply: SupplyFacts | None = None  # None: leave the product's GTIN and capacity as they are
    name_en: str | None = None  # optional English name and description, for the English interface
    description_en: str = ""
