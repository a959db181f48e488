"""Domain errors of bulk ordering, each with a stable `code`."""

from __future__ import annotations

from marketplace.domain import DomainError


class WholesaleError(DomainError):
    code = "wholesale_error"


class NotVerified(WholesaleError):
    code = "buyer_not_verified"


class EmptyOrder(WholesaleError):
    code = "empty_order"


class InvalidLine(WholesaleError):
    code = "invalid_line"


class InvalidOrderDetails(WholesaleError):
    """The PO number, delivery dates or locations of a bulk order; `errors` maps a field to a code."""

    code = "invalid_order_details"

    def __init__(self, message: str, errors: dict[str, tuple[str, dict]]) -> None:
        super().__init__(message)
        self.errors = errors


class OrderNotValid(WholesaleError):
    """Some lines or parts break a rule (see the quote's problems); nothing was placed."""

    code = "order_not_valid"

    def __init__(self, message: str, quote) -> None:
        super().__init__(message)
        self.quote = quote


class LinesRefused(WholesaleError):
    """Some lines sent by code and quantity break a rule; `report` (a CsvReport) names each."""

    code = "lines_refused"

    def __init__(self, message: str, report) -> None:
        super().__init__(message)
        self.report = report


class CreditLimitExceeded(WholesaleError):
    code = "credit_limit_exceeded"

    def __init__(self, limit_vnd: int, open_vnd: int, order_vnd: int) -> None:
        super().__init__(
            f"This order would exceed the credit limit: limit {limit_vnd} ₫, open {open_vnd} ₫, "
            f"this order {order_vnd} ₫."
        )
        self.limit_vnd, self.open_vnd, self.order_vnd = limit_vnd, open_vnd, order_vnd


class ApprovalNotPending(WholesaleError):
    code = "approval_not_pending"


class NoteRequired(WholesaleError):
    code = "note_required"


class InvalidListName(WholesaleError):
    code = "invalid_list_name"
