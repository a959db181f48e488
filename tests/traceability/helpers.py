"""Builders for traceability tests."""

from __future__ import annotations

from datetime import date

from marketplace.traceability.services import BatchInput, create_batch


def batch(
    product,
    lot: str = "L2026-01",
    produced: date = date(2026, 3, 2),
    quantity: int = 100,
    **fields,
):
    return create_batch(
        product.producer_id,
        BatchInput(product.id, lot, produced, fields.pop("best_before", None), quantity, **fields),
        user_id=None,
        today=date(2026, 12, 1),
    )
