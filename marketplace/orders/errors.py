"""Domain errors of the order module. Each has a stable `code` (views turn it into a message, the
API into JSON) and a `message` in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.domain import DomainError


class OrderError(DomainError):
    code = "order_error"


class EmptyCart(OrderError):
    code = "empty_cart"


class TooManyLines(OrderError):
    code = "too_many_lines"


class InvalidQuantity(OrderError):
    code = "invalid_quantity"


class UnknownProduct(OrderError):
    code = "unknown_product"

    def __init__(self, message: str, product_ids: list) -> None:
        super().__init__(message)
        self.product_ids = product_ids


@dataclass(frozen=True)
class PriceChange:
    product_id: int
    name: str
    expected_vnd: int
    current_vnd: int


class PricesChanged(OrderError):
    """The buyer saw other prices than the catalogue's now: show the new ones, charge nothing."""

    code = "price_changed"

    def __init__(self, message: str, changes: list[PriceChange]) -> None:
        super().__init__(message)
        self.changes = changes


class TotalChanged(OrderError):
    """The total the checkout page last showed is not what the order would cost now (the province
    changed the shipping, or the page was old): show the new total, charge nothing."""

    code = "total_changed"

    def __init__(self, message: str, shown_vnd: int | None, current_vnd: int) -> None:
        super().__init__(message)
        self.shown_vnd = shown_vnd
        self.current_vnd = current_vnd


@dataclass(frozen=True)
class Shortage:
    product_id: int
    name: str
    requested: int
    available: int


class OutOfStock(OrderError):
    """One or more lines cannot be served; every short line is listed at once."""

    code = "out_of_stock"

    def __init__(self, message: str, shortages: list[Shortage]) -> None:
        super().__init__(message)
        self.shortages = shortages


class InvalidAddress(OrderError):
    code = "invalid_address"

    def __init__(self, message: str, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.errors = errors  # field name → what is wrong with it


class InvalidCheckout(OrderError):
    """A payment method, e-mail or idempotency key that cannot be used."""

    code = "invalid_checkout"


class CardAmountTooLarge(OrderError):
    code = "card_amount_too_large"


class TransitionNotAllowed(OrderError):
    code = "transition_not_allowed"


class AwaitingPayment(OrderError):
    code = "awaiting_payment"


class InvalidShipment(OrderError):
    code = "invalid_shipment"


class RefundFailed(OrderError):
    code = "refund_failed"


class TransferNotApplicable(OrderError):
    code = "transfer_not_applicable"
