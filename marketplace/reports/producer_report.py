"""The producer's own sales report (/portal/reports): platform sales from the ledger through the
query layer, declared sales (accepted ones) beside them and never mixed in, for a period in
Vietnam's calendar, with the same period a year earlier.

Shares, both over platform sales + accepted declared sales (all channels):
- platform share: platform sales (every platform channel is a modern one);
- modern-channel share: platform sales + accepted declared sales through modern channels
  (other e-commerce platforms, convenience-store and supermarket chains off the platform).
Top buyers: supermarket organisations by name; every consumer order counts under "consumers",
never under a name or an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.models import Product
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.reference import CHANNELS, CHANNELS_BY_CODE
from marketplace.reports import declarations
from marketplace.reports.queries import Figures, Period, SalesFilter, breakdown, totals
from marketplace.text import spreadsheet_safe
from marketplace.timeutil import today_in_vietnam

TOP = 10


class InvalidPeriod(DomainError):
    code = "invalid_period"


def period_from_args(
    kind: str | None,
    value: str | None,
    start: str | None = None,
    end: str | None = None,
    *,
    today: date | None = None,
) -> Period:
    """A report period from the selector: month "2026-02", quarter "2026-Q1", year "2026", or
    custom start/end dates "2026-02-01"; nothing chosen: the current year. InvalidPeriod says
    what is wrong."""
    today = today or today_in_vietnam()
    value = (value or "").strip()
    try:
        if kind in (None, ""):
            return Period.year(today.year)
        if kind == "month" and (m := re.fullmatch(r"(\d{4})-(\d{2})", value)):
            return Period.month(int(m.group(1)), int(m.group(2)))
        if kind == "quarter" and (m := re.fullmatch(r"(\d{4})-Q([1-4])", value, re.IGNORECASE)):
            return Period.quarter(int(m.group(1)), int(m.group(2)))
        if kind == "year" and re.fullmatch(r"\d{4}", value):
            return Period.year(int(value))
        if kind == "custom" and start and end:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
            if (last - first).days > 3 * 366:
                raise InvalidPeriod(_("Choose a period of at most three years."))
            return Period.custom(first, last)
    except ValueError as error:
        raise InvalidPeriod(_("Choose a valid period.")) from error
    raise InvalidPeriod(_("Choose a valid period."))


@dataclass(frozen=True)
class Cell:
    revenue_vnd: int = 0
    units: int = 0


@dataclass(frozen=True)
class MonthLine:
    month: str
    platform: dict[str, Cell]  # channel -> figures
    declared: dict[str, Cell]
    platform_total: Cell
    declared_total: Cell


@dataclass(frozen=True)
class Ranked:
    label: str
    figures: Figures
    organisation: bool = False  # a named supermarket organisation (else "consumers" or a product)


@dataclass(frozen=True)
class Comparison:
    platform: Figures
    declared_vnd: int


@dataclass
class ProducerReport:
    period: Period
    platform_channels: list[str]
    declared_channels: list[str]
    months: list[MonthLine]
    platform: Figures
    platform_by_channel: dict[str, Figures]
    declared_by_channel: dict[str, Cell]
    declared_vnd: int
    declared_modern_vnd: int
    top_products: list[Ranked]
    top_buyers: list[Ranked]
    last_year: Comparison
    notes: list[str] = field(default_factory=list)

    @property
    def platform_share(self) -> Fraction | None:
        whole = self.platform.revenue_vnd + self.declared_vnd
        return Fraction(self.platform.revenue_vnd, whole) if whole > 0 else None

    @property
    def modern_share(self) -> Fraction | None:
        whole = self.platform.revenue_vnd + self.declared_vnd
        modern = self.platform.revenue_vnd + self.declared_modern_vnd
        return Fraction(modern, whole) if whole > 0 else None


def percent(share: Fraction | None) -> str:
    """A share as shown: one decimal ("62,5 %" in Vietnamese, "62.5 %" in English); "—" when
    there is nothing to divide."""
    if share is None:
        return "—"
    tenths = round(share * 1000)
    mark = "," if str(get_locale() or "vi") == "vi" else "."
    return f"{tenths // 10}{mark}{tenths % 10} %"


def _ordered(codes: set[str]) -> list[str]:
    return [c.code for c in CHANNELS if c.code in codes] + sorted(codes - set(CHANNELS_BY_CODE))


def producer_report(producer_id: int, period: Period) -> ProducerReport:
    """Every figure of the producer's report, in a fixed number of queries."""
    own = SalesFilter(period=period, producer_id=producer_id)
    month_channel, channel_rows, product_rows, buyer_rows, total_rows = breakdown(
        own, [("month", "channel"), ("channel",), ("product",), ("buyer_organisation",), ()]
    )
    cells = {(row.keys[0], row.keys[1]): row.figures for row in month_channel}
    declared_rows = declarations.accepted(period, producer_id=producer_id)
    declared = {(r.month, r.channel): Cell(r.amount_vnd, r.units) for r in declared_rows}
    platform_channels = _ordered({channel for _month, channel in cells})
    declared_channels = _ordered({channel for _month, channel in declared})
    months = []
    for month in period.months():
        platform = {
            c: Cell(cells[(month, c)].revenue_vnd, cells[(month, c)].units)
            for c in platform_channels
            if (month, c) in cells
        }
        off = {c: declared[(month, c)] for c in declared_channels if (month, c) in declared}
        months.append(
            MonthLine(
                month,
                platform,
                off,
                Cell(sum(c.revenue_vnd for c in platform.values()), sum(c.units for c in platform.values())),
                Cell(sum(c.revenue_vnd for c in off.values()), sum(c.units for c in off.values())),
            )
        )
    by_channel = {row.key: row.figures for row in channel_rows}
    declared_by_channel = {
        c: Cell(
            sum(r.amount_vnd for r in declared_rows if r.channel == c),
            sum(r.units for r in declared_rows if r.channel == c),
        )
        for c in declared_channels
    }
    declared_vnd = sum(r.amount_vnd for r in declared_rows)
    declared_modern = sum(r.amount_vnd for r in declared_rows if CHANNELS_BY_CODE[r.channel].modern)

    product_rows = sorted(product_rows, key=lambda row: -row.figures.revenue_vnd)[:TOP]  # ties: by id
    names = dict(
        db.session.execute(
            select(Product.id, Product.name).where(Product.id.in_([r.key for r in product_rows]))
        ).all()
    )
    top_products = [Ranked(names.get(r.key, "?"), r.figures) for r in product_rows]

    buyer_rows = sorted(buyer_rows, key=lambda row: -row.figures.revenue_vnd)
    organisation_ids = [r.key for r in buyer_rows if r.key is not None]
    organisations = dict(
        db.session.execute(
            select(BuyerOrganisation.id, BuyerOrganisation.legal_name).where(
                BuyerOrganisation.id.in_(organisation_ids)
            )
        ).all()
    )
    top_buyers = [
        Ranked(organisations.get(r.key, "?"), r.figures, organisation=True)
        if r.key is not None
        else Ranked(_("Consumers (all together)"), r.figures)
        for r in buyer_rows
    ][:TOP]

    earlier = period.year_earlier()
    last_year = Comparison(
        totals(own.but(period=earlier)),
        sum(r.amount_vnd for r in declarations.accepted(earlier, producer_id=producer_id)),
    )
    return ProducerReport(
        period=period,
        platform_channels=platform_channels,
        declared_channels=declared_channels,
        months=months,
        platform=total_rows[0].figures if total_rows else Figures(),
        platform_by_channel=by_channel,
        declared_by_channel=declared_by_channel,
        declared_vnd=declared_vnd,
        declared_modern_vnd=declared_modern,
        top_products=top_products,
        top_buyers=top_buyers,
        last_year=last_year,
    )


# ---------------------------------------------------------------------------------------------
# Exports


def export_rows(report: ProducerReport) -> list[list[object]]:
    """The report as spreadsheet rows: one per month, source (platform or declared) and channel,
    then the totals, the shares, top products and buyers, and the same period last year. Text
    cells are neutralised against formula injection; figures stay numbers."""

    def text(value: object) -> str:
        return spreadsheet_safe(str(value))

    rows: list[list[object]] = [
        [text(_("Period")), text(f"{report.period.start} – {report.period.end}")],
        [],
        [text(_("Month")), text(_("Source")), text(_("Channel")), text(_("Revenue (VND)")), text(_("Units"))],
    ]
    for line in report.months:
        for channel, cell in line.platform.items():
            rows.append(
                [
                    line.month,
                    text(_("Platform")),
                    text(CHANNELS_BY_CODE[channel].label),
                    cell.revenue_vnd,
                    cell.units,
                ]
            )
        for channel, cell in line.declared.items():
            rows.append(
                [
                    line.month,
                    text(_("Declared")),
                    text(CHANNELS_BY_CODE[channel].label),
                    cell.revenue_vnd,
                    cell.units,
                ]
            )
    rows += [
        [],
        [text(_("Platform sales")), "", "", report.platform.revenue_vnd, report.platform.units],
        [text(_("Declared sales (accepted)")), "", "", report.declared_vnd, ""],
        [text(_("Share through the platform")), text(percent(report.platform_share))],
        [text(_("Share through modern channels")), text(percent(report.modern_share))],
        [],
        [text(_("Top products")), "", "", text(_("Revenue (VND)")), text(_("Units"))],
    ]
    rows += [[text(r.label), "", "", r.figures.revenue_vnd, r.figures.units] for r in report.top_products]
    rows += [[], [text(_("Top buyers")), "", "", text(_("Revenue (VND)")), text(_("Orders"))]]
    rows += [[text(r.label), "", "", r.figures.revenue_vnd, r.figures.orders] for r in report.top_buyers]
    rows += [
        [],
        [
            text(_("Same period last year")),
            "",
            "",
            report.last_year.platform.revenue_vnd,
            report.last_year.platform.units,
        ],
        [text(_("Declared sales last year (accepted)")), "", "", report.last_year.declared_vnd, ""],
    ]
    return rows
