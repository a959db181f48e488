"""Time helpers: the database stores UTC; people see Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Now, in UTC, as a naive datetime (how the database columns store it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today_in_vietnam() -> date:
    """The calendar date in Vietnam: certificates are in force through their expiry date there."""
    return datetime.now(VIETNAM).date()


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
