"""A product's season: the months of the year it is available, kept as a 12-bit mask on
`Product.season_months` (bit 0 = January ... bit 11 = December)."""

from __future__ import annotations

from collections.abc import Iterable

ALL_YEAR = 0b1111_1111_1111  # 4095
MONTHS = tuple(range(1, 13))


def mask_of(months: Iterable[int]) -> int:
    """The mask of `months` (1-12); other numbers are ignored."""
    mask = 0
    for month in months:
        if month in MONTHS:
            mask |= 1 << (month - 1)
    return mask


def months_of(mask: int) -> tuple[int, ...]:
    """The months (1-12) a mask holds, in calendar order."""
    return tuple(month for month in MONTHS if mask & (1 << (month - 1)))


def in_season(mask: int, month: int) -> bool:
    return bool(mask & (1 << (month - 1)))
