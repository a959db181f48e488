"""Builders for order tests."""

from __future__ import annotations

from marketplace.orders import services
from marketplace.orders.services import CartLine

ADDRESS = dict(
    recipient_name="Nguyễn Văn An",
    phone="0912 345 678",
    street="12 Phố Huế",
    commune="Phường Hai Bà Trưng",
    province="ha-noi",
)


def address(**changes):
    return services.validate_address(**{**ADDRESS, **changes})


def place(products_and_quantities, *, method: str = "cod", key: str | None = None, **fields):
    lines = [CartLine(p.id, q, p.price_vnd) for p, q in products_and_quantities]
    return services.place_order(
        lines=lines,
        address=fields.pop("address", None) or address(),
        contact_email="an@example.vn",
        payment_method=method,
        idempotency_key=key or services.new_idempotency_key(),
        **fields,
    )
