"""The API's errors: every error answers `{"error": {"code", "message", "details"}}` with a
stable code from `ERROR_CODES` (the OpenAPI document lists them)."""

from __future__ import annotations

# code -> (HTTP status, what it means). The reference page and the document show this table.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "token_missing": (401, "No `Authorization: Bearer <token>` header."),
    "token_invalid": (401, "The token is not known."),
    "token_expired": (401, "The token's expiry has passed."),
    "token_revoked": (401, "The token was revoked by an owner."),
    "insufficient_scope": (403, "The token lacks the scope this operation needs (`details.required`)."),
    "wrong_organisation_kind": (403, "A buyer's token on a producer's operation, or the reverse."),
    "buyer_not_verified": (403, "The buyer organisation is not verified yet."),
    "not_found": (404, "No such object for the token's organisation (another organisation's objects too)."),
    "method_not_allowed": (405, "The path does not take this method."),
    "idempotency_key_required": (400, "POST /orders needs an `Idempotency-Key` header (8-255 characters)."),
    "idempotency_key_reused": (422, "This key was used with another request body."),
    "idempotency_request_in_progress": (409, "A request with this key is still being answered; retry later."),
    "validation_error": (422, "The request does not match the document (`details.errors`, one per field)."),
    "lines_refused": (
        422,
        "Some order lines cannot be ordered (`details.lines`, one entry per refused line, "
        "and `details.parts`); the codes are those of the CSV upload.",
    ),
    "invalid_order_details": (
        422,
        "Delivery dates, locations, PO number or payment method (`details.fields`).",
    ),
    "credit_limit_exceeded": (422, "The order would take the open balance above the credit limit."),
    "empty_order": (422, "The order has no lines."),
    "out_of_stock": (409, "The stock ran out while the order was placed (`details.products`)."),
    "transition_not_allowed": (409, "The part (or order) cannot make this move from its status."),
    "invalid_adjustment": (422, "Accepting part: a quantity or reason is not acceptable (`details.fields`)."),
    "invalid_shipment": (422, "Shipping needs a carrier and a tracking number."),
    "awaiting_payment": (409, "The order is not paid yet."),
    "listings_refused": (422, "Some listing rows are wrong (`details.rows`); nothing was changed."),
    "payload_too_large": (413, "The request body is too large."),
    "rate_limited": (429, "Too many requests for this token; wait `Retry-After` seconds."),
    "internal_error": (500, "Something went wrong on our side."),
}


class ApiError(Exception):
    """An error the API answers as JSON. `code` must be one of ERROR_CODES."""

    def __init__(
        self,
        code: str,
        message: str = "",
        details: dict | None = None,
        status: int | None = None,
        headers: dict | None = None,
    ) -> None:
        super().__init__(message or ERROR_CODES[code][1])
        self.code = code
        self.message = message or ERROR_CODES[code][1]
        self.details = details or {}
        self.status = status or ERROR_CODES[code][0]
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}
