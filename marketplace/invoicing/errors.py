"""Domain errors of invoicing, fulfilment and receipt. `errors` maps a field name to what is wrong
with it, for forms that show a message per field."""

from __future__ import annotations

from marketplace.domain import DomainError


class InvoicingError(DomainError):
    code = "invoicing_error"

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NotAnInvoiceOrder(InvoicingError):
    code = "not_an_invoice_order"


class SellerTaxCodeMissing(InvoicingError):
    """The producer has no tax code yet: its invoice could not carry one, so none is issued."""

    code = "seller_tax_code_missing"


class InvalidAdjustment(InvoicingError):
    """Accepting part of an order: a quantity raised, a reason missing, nothing left."""

    code = "invalid_adjustment"


class InvalidDeliveryDate(InvoicingError):
    code = "invalid_delivery_date"


class InvalidReceipt(InvoicingError):
    code = "invalid_receipt"


class InvalidPayment(InvoicingError):
    code = "invalid_payment"


class Overpayment(InvalidPayment):
    """More than the invoice's amount due: refused, with the figures (nothing is kept as credit)."""

    code = "overpayment"


class InvalidTerms(InvoicingError):
    code = "invalid_terms"
