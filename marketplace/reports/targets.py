"""Programme targets as data: a programme period (e.g. OCOP 2021–2025 under Decision 919/QĐ-TTg)
with its national targets, and the yearly targets each province sets itself.

A new decision is a new period in the table, never a change of code. The national targets of
2021–2025 are seeded from `data/programme-targets.csv` by migration 0017 (and by
`seed_national_targets`, which `flask reports seed-targets` and the tests call: it is idempotent).

Each target names a metric (`METRICS`) and how a figure meets it: `at_least` (figure ≥ low) or
`between` (low ≤ figure ≤ high). Shares are whole percentages; a share meets "≥ 50" when
numerator × 100 ≥ 50 × denominator, so 2 of 4 meets it exactly, with no rounding.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.reference import PROVINCES_BY_CODE
from marketplace.timeutil import utcnow

TARGETS_CSV = Path(__file__).parent / "data" / "programme-targets.csv"

COMPARISONS = ("at_least", "between")


@dataclass(frozen=True)
class Metric:
    code: str
    label: object
    is_share: bool  # a percentage of producers or villages, else a count


METRICS: tuple[Metric, ...] = (
    Metric("products_3plus", _l("Certified OCOP products in force (3★ or more)"), False),
    Metric("products_5star", _l("Five-star products in force"), False),
    Metric("new_products_3plus", _l("New 3★+ products certified in the year"), False),
    Metric(
        "modern_channel_share", _l("OCOP producers selling through a modern channel on the platform"), True
    ),
    Metric(
        "modern_channel_share_declared",
        _l("OCOP producers selling through a modern channel, with accepted declarations"),
        True,
    ),
    Metric("cooperative_share", _l("OCOP producers that are cooperatives"), True),
    Metric("enterprise_share", _l("OCOP producers that are enterprises"), True),
    Metric("circular_share", _l("OCOP producers with a verified circular value chain"), True),
    Metric("craft_village_share", _l("Traditional craft villages with at least one OCOP product"), True),
)
METRICS_BY_CODE: dict[str, Metric] = {m.code: m for m in METRICS}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ProgrammePeriod(db.Model):
    """A programme period and the decision that set it (Chương trình OCOP giai đoạn ...)."""

    __tablename__ = "programme_periods"
    __table_args__ = (CheckConstraint("end_year >= start_year", name="years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    decision: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int] = mapped_column(SmallInteger)
    end_year: Mapped[int] = mapped_column(SmallInteger)

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class ProgrammeTarget(db.Model):
    """A national target of a period: metric ≥ low, or low ≤ metric ≤ high."""

    __tablename__ = "programme_targets"
    __table_args__ = (
        UniqueConstraint("period_id", "metric", name="uq_programme_targets_period_metric"),
        CheckConstraint(_in("comparison", COMPARISONS), name="comparison"),
        CheckConstraint(
            "(comparison = 'at_least' AND high IS NULL) OR "
            "(comparison = 'between' AND high IS NOT NULL AND high >= low)",
            name="bounds",
        ),
        CheckConstraint("low >= 0", name="low"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("programme_periods.id"))
    metric: Mapped[str] = mapped_column(String(40))
    comparison: Mapped[str] = mapped_column(String(16))
    low: Mapped[int]
    high: Mapped[int | None]


class ProvinceTarget(db.Model):
    """A province's own target for one year (e.g. Hà Nội: 10 five-star products in 2025), set by
    an administrator; always "at least"."""

    __tablename__ = "province_targets"
    __table_args__ = (
        UniqueConstraint("province_code", "year", "metric", name="uq_province_targets_province_year_metric"),
        CheckConstraint("value >= 0", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(SmallInteger)
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[int]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------------------------------------


class TargetError(DomainError):
    code = "invalid_target"


@dataclass(frozen=True)
class Target:
    """A target as the dashboard compares a figure with it."""

    comparison: str
    low: int
    high: int | None = None

    def met_by(self, numerator: int, denominator: int = 1, *, is_share: bool = False) -> bool:
        """Whether a figure meets the target, in integers: a share compares numerator × 100 with
        the bound × denominator (no rounding), a count compares itself."""
        if is_share:
            if denominator == 0:
                return False
            above = numerator * 100 >= self.low * denominator
            below = self.high is None or numerator * 100 <= self.high * denominator
        else:
            above = numerator >= self.low
            below = self.high is None or numerator <= self.high
        return above and below

    def describe(self, is_share: bool) -> str:
        unit = " %" if is_share else ""
        if self.comparison == "between":
            return f"{self.low:,}–{self.high:,}{unit}"
        return f"≥ {self.low:,}{unit}"


def read_targets_csv(path: Path = TARGETS_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def seed_national_targets(path: Path = TARGETS_CSV) -> int:
    """Create the periods and national targets of the data file that are missing (an existing
    period's targets are left as administrators may have corrected them). Returns how many
    targets were added; the caller commits."""
    added = 0
    periods = {p.name: p for p in db.session.scalars(select(ProgrammePeriod))}
    for row in read_targets_csv(path):
        period = periods.get(row["period"])
        if period is None:
            period = ProgrammePeriod(
                name=row["period"],
                decision=row["decision"],
                start_year=int(row["start_year"]),
                end_year=int(row["end_year"]),
            )
            db.session.add(period)
            db.session.flush()
            periods[period.name] = period
        exists = db.session.scalar(
            select(ProgrammeTarget.id).where(
                ProgrammeTarget.period_id == period.id, ProgrammeTarget.metric == row["metric"]
            )
        )
        if exists is None:
            db.session.add(
                ProgrammeTarget(
                    period_id=period.id,
                    metric=row["metric"],
                    comparison=row["comparison"],
                    low=int(row["low"]),
                    high=int(row["high"]) if row["high"] else None,
                )
            )
            added += 1
    db.session.flush()
    return added


def periods() -> list[ProgrammePeriod]:
    return list(db.session.scalars(select(ProgrammePeriod).order_by(ProgrammePeriod.start_year)))


def period_for_year(year: int) -> ProgrammePeriod | None:
    """The period covering `year`, else the latest one that started before it."""
    candidates = [p for p in periods() if p.start_year <= year]
    covering = [p for p in candidates if p.covers(year)]
    return (covering or candidates or [None])[-1]


def national_targets(period: ProgrammePeriod | None) -> dict[str, Target]:
    if period is None:
        return {}
    return {
        t.metric: Target(t.comparison, t.low, t.high)
        for t in db.session.scalars(select(ProgrammeTarget).where(ProgrammeTarget.period_id == period.id))
    }


def province_targets(province_code: str, year: int) -> dict[str, Target]:
    return {
        t.metric: Target("at_least", t.value)
        for t in db.session.scalars(
            select(ProvinceTarget).where(
                ProvinceTarget.province_code == province_code, ProvinceTarget.year == year
            )
        )
    }


def province_target_rows(year: int | None = None) -> list[ProvinceTarget]:
    query = select(ProvinceTarget).order_by(
        ProvinceTarget.year.desc(), ProvinceTarget.province_code, ProvinceTarget.metric
    )
    if year is not None:
        query = query.where(ProvinceTarget.year == year)
    return list(db.session.scalars(query))


def set_province_target(
    province_code: str, year: int, metric: str, value: int, *, set_by_id: int | None
) -> ProvinceTarget:
    """Set (or replace) a province's target for a year. The caller commits."""
    if province_code not in PROVINCES_BY_CODE:
        raise TargetError("Unknown province.")
    if metric not in METRICS_BY_CODE:
        raise TargetError("Unknown metric.")
    if not 2000 <= year <= 2100:
        raise TargetError("The year must be between 2000 and 2100.")
    if value < 0 or (METRICS_BY_CODE[metric].is_share and value > 100):
        raise TargetError("A share is a percentage from 0 to 100; a count is not negative.")
    target = db.session.scalar(
        select(ProvinceTarget).where(
            ProvinceTarget.province_code == province_code,
            ProvinceTarget.year == year,
            ProvinceTarget.metric == metric,
        )
    )
    if target is None:
        target = ProvinceTarget(province_code=province_code, year=year, metric=metric, value=value)
        db.session.add(target)
    target.value = value
    target.set_by_id = set_by_id
    target.set_at = utcnow()
    db.session.flush()
    return target
