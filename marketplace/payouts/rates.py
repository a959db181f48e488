"""The payout rates as data: the platform's commission per channel and the tax withheld per kind
of producer, each valid for a range of Vietnam dates. The shipped rates are the CSV files in
`data/` (the migration seeds them; an administrator changes a rate by closing its row with a
valid_to and adding the next one), never constants in code.

Rounding: every amount kept from a ledger row is computed on that row alone, in integer VND:
amount × rate_bp / 10 000, rounded half up on the magnitude (half away from zero), so a refund
of a whole line at the same rate takes back exactly what its sale was charged."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.payouts.models import CommissionRate, WithholdingRate
from marketplace.reference import EntityType

DATA_DIR = Path(__file__).resolve().parent / "data"
BASIS_POINTS = 10_000


class MissingCommissionRate(DomainError):
    code = "missing_commission_rate"


def share(amount_vnd: int, rate_bp: int) -> int:
    """`rate_bp` basis points of `amount_vnd`, in whole đồng, half away from zero."""
    quotient, remainder = divmod(abs(amount_vnd) * rate_bp, BASIS_POINTS)
    if 2 * remainder >= BASIS_POINTS:
        quotient += 1
    return quotient if amount_vnd >= 0 else -quotient


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def seed_commission_rates() -> list[dict]:
    """The shipped commission rates (data/commission_rates.csv) as table rows."""
    with (DATA_DIR / "commission_rates.csv").open(encoding="utf-8", newline="") as handle:
        return [
            {
                "channel": r["channel"],
                "rate_bp": int(r["rate_bp"]),
                "valid_from": _day(r["valid_from"]),
                "valid_to": _day(r["valid_to"]),
                "note": r["note"],
            }
            for r in csv.DictReader(handle)
        ]


def seed_withholding_rates() -> list[dict]:
    """The shipped withholding rates (data/withholding_rates.csv) as table rows."""
    with (DATA_DIR / "withholding_rates.csv").open(encoding="utf-8", newline="") as handle:
        return [
            {
                "entity_type": r["entity_type"],
                "tax_kind": r["tax_kind"],
                "rate_bp": int(r["rate_bp"]),
                "valid_from": _day(r["valid_from"]),
                "valid_to": _day(r["valid_to"]),
                "legal_source": r["legal_source"],
            }
            for r in csv.DictReader(handle)
        ]


def install_seed_rates() -> None:
    """Add the shipped rates to an empty database (tests; the migration inserts the same rows)."""
    db.session.add_all(CommissionRate(**row) for row in seed_commission_rates())
    db.session.add_all(WithholdingRate(**row) for row in seed_withholding_rates())
    db.session.flush()


def _valid_on(model, day: date):
    return (model.valid_from <= day) & (model.valid_to.is_(None) | (model.valid_to >= day))


@dataclass(frozen=True)
class Rates:
    """The rates that apply to one ledger row."""

    commission_bp: int
    vat_bp: int
    pit_bp: int


class RateBook:
    """Every rate, read once per run, answering for a (channel, entity type, day)."""

    def __init__(self) -> None:
        self.commission = list(db.session.scalars(select(CommissionRate)))
        self.withholding = list(db.session.scalars(select(WithholdingRate)))

    @staticmethod
    def _applies(rate, day: date) -> bool:
        return rate.valid_from <= day and (rate.valid_to is None or rate.valid_to >= day)

    def for_row(self, channel: str, entity_type: str, day: date) -> Rates:
        commission = [r.rate_bp for r in self.commission if r.channel == channel and self._applies(r, day)]
        if not commission:
            raise MissingCommissionRate(f"no commission rate for channel {channel} on {day.isoformat()}")
        taxes = {"vat": 0, "pit": 0}
        if entity_type == EntityType.HOUSEHOLD.value:
            for rate in self.withholding:
                if rate.entity_type == entity_type and self._applies(rate, day):
                    taxes[rate.tax_kind] += rate.rate_bp
        return Rates(commission_bp=max(commission), vat_bp=taxes["vat"], pit_bp=taxes["pit"])


def rates_in_force(day: date) -> tuple[list[CommissionRate], list[WithholdingRate]]:
    """The rates valid on `day`, for the pages that show them."""
    return (
        list(
            db.session.scalars(
                select(CommissionRate).where(_valid_on(CommissionRate, day)).order_by(CommissionRate.channel)
            )
        ),
        list(
            db.session.scalars(
                select(WithholdingRate)
                .where(_valid_on(WithholdingRate, day))
                .order_by(WithholdingRate.tax_kind)
            )
        ),
    )
