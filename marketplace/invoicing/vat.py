"""Value-added tax (thuế GTGT) rates of OCOP goods, by product group and sub-group, and how VAT is
rounded in integer đồng.

Rates (Law on VAT 48/2024/QH15 in force since 1 July 2025; the 2-point reduction of the standard
rate by Resolution 204/2025/QH15 and Decree 174/2025/NĐ-CP, from 1 July 2025 to 31 December 2026):

- 5%: fresh and unprocessed or only preliminarily processed farm, forest and aquatic products
  (fresh produce, raw produce), medicinal herbs (dược liệu), live plants, flowers and animals.
- 8% until 31 December 2026, 10% from 1 January 2027: processed food, condiments and sauces,
  packaged tea, roasted coffee and cocoa, non-alcoholic drinks, herbal food and cosmetics,
  handicrafts, household goods, textiles, tourism services, and the delivery charge.
- 10% always: alcoholic drinks (subject to special consumption tax, so excluded from the reduction).

A sub-group missing here takes the standard rate. This table is the platform's default for a
product's VAT class; the rate is copied onto each invoice line when the invoice is issued, so a
later change of the table never alters an issued invoice.

Rounding: VAT is computed per line, `amount × rate / 100` rounded half up to the đồng; the totals
per rate and of the invoice are sums of the line figures, so every printed figure adds up. A credit
note's VAT is computed the same way on its own amount.
"""

from __future__ import annotations

from datetime import date

REDUCED_RATE_UNTIL = date(2026, 12, 31)

REDUCED_OR_STANDARD = "standard_reduced"  # 8% until REDUCED_RATE_UNTIL, then 10%
STANDARD = "standard"  # 10%, never reduced
LOW = "low"  # 5%

VAT_CLASSES: dict[tuple[str, str], str] = {
    ("food", "fresh"): LOW,
    ("food", "raw"): LOW,
    ("food", "processed"): REDUCED_OR_STANDARD,
    ("food", "condiments"): REDUCED_OR_STANDARD,
    ("food", "tea"): REDUCED_OR_STANDARD,
    ("food", "coffee_cocoa"): REDUCED_OR_STANDARD,
    ("beverages", "alcoholic"): STANDARD,
    ("beverages", "non_alcoholic"): REDUCED_OR_STANDARD,
    ("herbal", "herbs"): LOW,
    ("herbal", "herbal_food"): REDUCED_OR_STANDARD,
    ("herbal", "cosmetics"): REDUCED_OR_STANDARD,
    ("handicrafts", "crafts"): REDUCED_OR_STANDARD,
    ("handicrafts", "household"): REDUCED_OR_STANDARD,
    ("handicrafts", "textiles"): REDUCED_OR_STANDARD,
    ("ornamental", "flowers"): LOW,
    ("ornamental", "plants"): LOW,
    ("ornamental", "animals"): LOW,
    ("tourism", "community"): REDUCED_OR_STANDARD,
    ("tourism", "eco"): REDUCED_OR_STANDARD,
}
DELIVERY_CLASS = REDUCED_OR_STANDARD


def rate_of_class(vat_class: str, on: date) -> int:
    if vat_class == LOW:
        return 5
    if vat_class == REDUCED_OR_STANDARD and on <= REDUCED_RATE_UNTIL:
        return 8
    return 10


def vat_rate_percent(group_code: str, subgroup_code: str, on: date) -> int:
    """The VAT rate (percent) of a product of this group and sub-group, on the day `on`."""
    return rate_of_class(VAT_CLASSES.get((group_code, subgroup_code), STANDARD), on)


def vat_on(amount_vnd: int, rate_percent: int) -> int:
    """VAT on a non-negative amount, rounded half up to the đồng, in integers only."""
    if amount_vnd < 0:
        raise ValueError("VAT is computed on amounts of at least 0")
    return (amount_vnd * rate_percent + 50) // 100
