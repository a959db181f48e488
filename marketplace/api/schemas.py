"""Request and response models of API v1 (pydantic v2): spectree validates requests with them
and generates the OpenAPI 3.1 document from them, so the document cannot drift from the code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from marketplace.catalog.services import MAX_PAGE, MAX_PRICE_VND, MAX_QUERY_LENGTH, SORTS
from marketplace.reference import PRODUCT_GROUPS_BY_CODE, resolve_province

GroupCode = Literal[tuple(PRODUCT_GROUPS_BY_CODE)]  # type: ignore[valid-type]
CURSOR = r"^[0-9]{1,9}$"  # ids are 32-bit integers on PostgreSQL
# No control characters (PostgreSQL refuses NUL in text, and no code or name needs them).
PLAIN = r"^[^\x00-\x1f\x7f]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable code; see the table in the description of this document.")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    error: ErrorDetail


# ---------------------------------------------------------------------------------------------
# Catalogue


class _CatalogueFilters(BaseModel):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, pattern=PLAIN)
    stars: int | None = Field(None, ge=3, le=5)
    group: GroupCode | None = None
    province: str | None = Field(
        None, max_length=80, pattern=PLAIN, description="Current or former name or code"
    )
    gi: bool = Field(False, description="Only products with a verified GI or mark right")
    min_price: int | None = Field(None, ge=0, le=MAX_PRICE_VND)
    max_price: int | None = Field(None, ge=0, le=MAX_PRICE_VND)

    @field_validator("province")
    @classmethod
    def _known_province(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        resolved = resolve_province(value)
        if resolved is None:
            raise ValueError("unknown province")
        return resolved.code

    @model_validator(mode="after")
    def _price_range(self) -> _CatalogueFilters:
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise ValueError("min_price must not exceed max_price")
        return self


class ProductsQuery(_CatalogueFilters):
    sort: Literal[SORTS] = "featured"  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(24, ge=1, le=100)


class ProducerBrief(BaseModel):
    name: str
    province: str


class ProtectionBrief(BaseModel):
    kind: str
    name: str


class ProductItem(BaseModel):
    id: int
    slug: str
    name: str
    producer: ProducerBrief
    group: str
    stars: int | None
    certificate_valid_until: date | None
    protection: ProtectionBrief | None
    price_vnd: int
    unit: str
    in_stock: bool
    url: str


class ProductsPage(BaseModel):
    items: list[ProductItem]
    total: int
    page: int
    per_page: int
    facets: dict[str, Any]
    did_you_mean: str | None = None


class ProtectionFact(BaseModel):
    kind: str = Field(description="gi, certification_mark or collective_mark")
    name: str
    registration_number: str


class ProductDetailOut(ProductItem):
    subgroup: str
    description_html: str
    protections: list[ProtectionFact]


class CatalogueQuery(_CatalogueFilters):
    updated_since: datetime | None = Field(
        None, description="Only products changed since (ISO 8601, UTC if naive)"
    )
    cursor: str | None = Field(None, pattern=CURSOR, description="`next_cursor` of the previous page")
    limit: int = Field(50, ge=1, le=200)


class Tier(BaseModel):
    min_quantity: int = Field(ge=2, le=10_000_000)
    unit_price_vnd: int = Field(ge=1, le=MAX_PRICE_VND)


class CatalogueProducer(BaseModel):
    slug: str
    name: str
    province: str
    min_order_value_vnd: int


class CertificateFact(BaseModel):
    stars: int
    number: str
    issuing_level: str
    issued_on: date
    expires_on: date


class SupplyMonth(BaseModel):
    """What a producer can still supply of a product in one month (Vietnam's calendar)."""

    year: int
    month: int = Field(ge=1, le=12)
    in_season: bool
    capacity: int | None = Field(description="Units a month; null: the producer declared no limit")
    committed: int = Field(description="Units already on open supermarket orders for delivery that month")
    remaining: int | None = Field(description="Units still available (0 out of season); null: no limit")


class CatalogueItem(BaseModel):
    id: int
    code: str = Field(description="producer-slug/SKU: the code to order with")
    sku: str
    name: str
    unit: str
    group: str
    producer: CatalogueProducer
    retail_price_vnd: int
    tiers: list[Tier]
    min_order_qty: int
    case_pack: int
    stock: int
    certificate: CertificateFact | None
    protections: list[ProtectionFact]
    supply: list[SupplyMonth] = Field(description="This month and the next two")
    updated_at: datetime


class RemovedProduct(BaseModel):
    id: int
    code: str = Field(description="producer-slug/SKU")


class CataloguePage(BaseModel):
    items: list[CatalogueItem]
    next_cursor: str | None
    removed: list[RemovedProduct] = Field(
        description="With `updated_since`: the products of this page's id range (after the cursor, up "
        "to the last item, or to the end on the last page) whose own record changed since then and "
        "that are no longer for sale (back to draft or archived), whatever the other filters, so a "
        "purchasing system can drop them; each is listed once over a walk of the cursor. It may "
        "name a product that was never for sale (a draft changed since). A product hidden because "
        "its producer lost its verification is listed only if the product itself changed. Always "
        "empty without `updated_since`."
    )


# ---------------------------------------------------------------------------------------------
# Orders


class OrderLineIn(Strict):
    code: str = Field(
        min_length=1, max_length=200, pattern=PLAIN, description="producer-slug/SKU, a SKU, or #id"
    )
    quantity: int = Field(ge=1, le=1_000_000)


class DeliveryIn(Strict):
    producer: str = Field(min_length=1, max_length=160, pattern=PLAIN, description="The producer's slug")
    delivery_location_id: int | None = Field(None, ge=1)
    requested_delivery_date: date | None = None


class OrderIn(Strict):
    lines: list[OrderLineIn] = Field(min_length=1, max_length=5000)
    delivery_location_id: int | None = Field(None, ge=1, description="Default for every producer part")
    requested_delivery_date: date | None = Field(None, description="Default for every producer part")
    deliveries: list[DeliveryIn] = Field(
        default_factory=list, max_length=500, description="Per producer part, overriding the defaults"
    )
    purchase_order_number: str = Field("", max_length=64, pattern=PLAIN)
    payment_method: Literal["invoice", "card"] = "invoice"


class IdempotencyHeaders(BaseModel):
    idempotency_key: str = Field(
        alias="Idempotency-Key",
        min_length=8,
        max_length=255,
        description="Unique per order; kept at least 24 hours",
    )


class EventOut(BaseModel):
    at: datetime
    from_status: str | None
    to_status: str
    note: str


class OrderLineOut(BaseModel):
    id: int
    product_id: int
    sku: str
    name: str
    unit: str
    unit_price_vnd: int
    quantity: int = Field(description="Accepted quantity (ordered until the producer accepts part)")
    ordered_quantity: int
    line_total_vnd: int
    adjustment_reason: str | None


class PartOut(BaseModel):
    id: int
    producer: dict[str, str]
    status: str
    subtotal_vnd: int
    delivery_location_id: int | None
    requested_delivery_date: date | None
    confirmed_delivery_date: date | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: list[OrderLineOut]
    events: list[EventOut]


class OrderOut(BaseModel):
    reference: str
    created_at: datetime
    purchase_order_number: str | None
    payment_method: str
    payment_status: str
    approval_status: str | None
    items_total_vnd: int
    total_vnd: int
    parts: list[PartOut]


class OrderSummary(BaseModel):
    reference: str
    created_at: datetime
    purchase_order_number: str | None
    payment_status: str
    approval_status: str | None
    total_vnd: int
    part_statuses: list[str]


class OrdersQuery(BaseModel):
    status: (
        Literal["pending_approval", "placed", "accepted", "shipped", "delivered", "cancelled", "refunded"]
        | None
    ) = Field(None, description="Orders with at least one part in this status")
    purchase_order_number: str | None = Field(None, max_length=64, pattern=PLAIN)
    created_since: datetime | None = None
    cursor: str | None = Field(None, pattern=CURSOR)
    limit: int = Field(50, ge=1, le=200)


class OrdersPage(BaseModel):
    items: list[OrderSummary]
    next_cursor: str | None


# ---------------------------------------------------------------------------------------------
# Invoices


class InvoiceLineOut(BaseModel):
    sku: str
    product_name: str
    unit: str
    quantity: int
    unit_price_vnd: int
    amount_vnd: int
    vat_rate_percent: int
    vat_vnd: int


class CreditNoteOut(BaseModel):
    number: str
    kind: str
    quantity: int
    total_vnd: int
    created_at: datetime


class InvoiceOut(BaseModel):
    number: str
    order_reference: str
    purchase_order_number: str | None
    seller_name: str
    seller_tax_code: str | None
    issue_date: date
    due_date: date
    status: str
    subtotal_vnd: int
    vat_vnd: int
    total_vnd: int
    paid_vnd: int
    credited_vnd: int
    amount_due_vnd: int
    payment_reference: str
    lines: list[InvoiceLineOut]
    credit_notes: list[CreditNoteOut]


class InvoicesQuery(BaseModel):
    status: Literal["open", "partially_paid", "paid", "overdue", "unpaid"] | None = None
    cursor: str | None = Field(None, pattern=CURSOR)
    limit: int = Field(50, ge=1, le=200)


class InvoicesPage(BaseModel):
    items: list[InvoiceOut]
    next_cursor: str | None


# ---------------------------------------------------------------------------------------------
# Producers


class ListingChangeIn(Strict):
    sku: str = Field(min_length=1, max_length=64, pattern=PLAIN)
    stock: int | None = Field(None, ge=0, le=10_000_000)
    price_vnd: int | None = Field(None, ge=1, le=MAX_PRICE_VND)
    tiers: list[Tier] | None = Field(None, max_length=6)


class ListingsIn(Strict):
    items: list[ListingChangeIn] = Field(min_length=1, max_length=1000)


class ListingOut(BaseModel):
    sku: str
    stock: int
    price_vnd: int
    tiers: list[Tier]


class ListingsOut(BaseModel):
    updated: list[ListingOut]


class ProducerPartOut(BaseModel):
    id: int
    order_reference: str
    channel: str
    status: str
    buyer_name: str
    purchase_order_number: str | None
    subtotal_vnd: int
    delivery_address: str
    requested_delivery_date: date | None
    confirmed_delivery_date: date | None
    carrier: str | None
    tracking_number: str | None
    created_at: datetime
    lines: list[OrderLineOut]
    events: list[EventOut]


class ProducerOrdersQuery(BaseModel):
    status: Literal["placed", "accepted", "shipped", "delivered", "cancelled", "refunded"] | None = None
    cursor: str | None = Field(None, pattern=CURSOR)
    limit: int = Field(50, ge=1, le=200)


class ProducerOrdersPage(BaseModel):
    items: list[ProducerPartOut]
    next_cursor: str | None


class AcceptLineIn(Strict):
    line_id: int = Field(ge=1)
    quantity: int = Field(ge=0, le=1_000_000)
    reason: str = Field("", max_length=500, pattern=PLAIN)


class AcceptPartIn(Strict):
    lines: list[AcceptLineIn] = Field(min_length=1, max_length=5000)


class ShipIn(Strict):
    carrier: str = Field(min_length=1, max_length=80, pattern=PLAIN)
    tracking_number: str = Field(min_length=1, max_length=80, pattern=PLAIN)
