"""Traceability rules: recording batches, stock received from them, the batch of each shipped
order line, the public batch page's facts, and recalls.

Functions take plain arguments (ids, users, dates) and flush but never commit; the view commits
once. Loads by id are scoped to the producer (`batch_of_producer`) or the buyer organisation
(`received_batches`): another organisation's batch is None, as if it did not exist.

Upwards this domain calls: `orders.services.ship_producer_order` (a shipment with batches ships
the part first, then records the lines' batches in the same transaction), `portal.services`
(stock received from a batch is a portal stock adjustment), `certification.services`
(`certificate_in_force`, `rights_in_force` on the production date). Nothing below imports it:
the catalogue's product page asks it for recall notices through `register_notice_source`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace import storage
from marketplace.accounts.models import BuyerMembership, User
from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.cache import bump_catalog_version
from marketplace.catalog.models import Certification, Product, Protection, ProtectionRight
from marketplace.catalog.services import ProductNotice, register_notice_source
from marketplace.certification.services import certificate_in_force, rights_in_force
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.gs1 import GS1Error, clean_lot_code, digital_link_path, normalise_gtin
from marketplace.mail import send_mail
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.portal import services as portal
from marketplace.portal.models import StockAdjustment
from marketplace.portal.pictures import decode_picture
from marketplace.portal.services import ListingError
from marketplace.producers.models import Producer
from marketplace.text import UnsafeText, clean_text
from marketplace.timeutil import VIETNAM, today_in_vietnam, utcnow
from marketplace.traceability.models import Batch, BatchStockReceipt, OrderLineBatch

MAX_BATCH_QUANTITY = 10_000_000
MAX_TEXT = 2000
MAX_COMMUNE = 120
MAX_REASON = 1000
SHIPPABLE = ("accepted",)  # a part shipped here from this state
RECORDABLE = ("shipped", "delivered")  # a shipped part's batches may be recorded or corrected


class TraceabilityError(DomainError):
    code = "traceability_error"


class InvalidBatch(TraceabilityError):
    """A batch breaks one or more rules: `errors` maps each form field to a (code, figures) pair."""

    code = "invalid_batch"

    def __init__(self, errors: dict[str, tuple[str, dict]]) -> None:
        super().__init__("; ".join(code for code, _params in errors.values()))
        self.errors = errors


class InvalidQuantity(TraceabilityError):
    code = "invalid_quantity"


class AlreadyRecalled(TraceabilityError):
    code = "already_recalled"


class RecallReasonRequired(TraceabilityError):
    code = "recall_reason_required"


class NotAllowed(TraceabilityError):
    code = "not_allowed"


class PartNotShippable(TraceabilityError):
    code = "part_not_shippable"


class WrongBatch(TraceabilityError):
    """A line was given a batch of another product (or of another producer)."""

    code = "wrong_batch"


def init_app(app: Flask) -> None:
    """Product pages warn while a batch of the product is recalled."""
    register_notice_source(app, recall_notices)


# ---------------------------------------------------------------------------------------------
# Batches


@dataclass(frozen=True)
class BatchInput:
    """What a producer typed for a new batch; `create_batch` checks every field."""

    product_id: int | None
    lot_code: str
    production_date: date | None
    best_before: date | None
    quantity: object
    origin: str = ""
    origin_commune: str = ""
    notes: str = ""


def trace_path(product: Product, lot_code: str) -> str:
    """The public page of a batch on the site's own domain: the GS1 Digital Link path
    `/01/<GTIN-14>/10/<lot>` when the product has a GTIN, else `/t/<product slug>/<lot>`."""
    if product.gtin:
        return digital_link_path(product.gtin, lot_code)
    return f"/t/{product.slug}/{lot_code}"


def _whole_number(value: object) -> int | None:
    text = str(value if value is not None else "").strip().replace(".", "").replace(",", "")
    return int(text) if text.isascii() and text.isdigit() else None


def create_batch(
    producer_id: int,
    data: BatchInput,
    *,
    user_id: int | None,
    picture: bytes | None = None,
    add_to_stock: bool = False,
    today: date | None = None,
) -> Batch:
    """Record a batch of one of the producer's products. Every rule broken is reported at once
    (`InvalidBatch`, by field); then nothing is stored. With `add_to_stock` the batch's quantity
    is also received into the shop's stock, tied to the batch."""
    today = today or today_in_vietnam()
    errors: dict[str, tuple[str, dict]] = {}
    product = portal.owned_product(producer_id, data.product_id) if data.product_id else None
    if product is None or product.status == "archived":
        errors["product_id"] = ("unknown_product", {})
    lot_code = None
    try:
        lot_code = clean_lot_code(data.lot_code)
    except GS1Error as error:
        errors["lot_code"] = (error.code, {"max": 20})
    if (
        lot_code
        and product is not None
        and db.session.scalar(
            select(Batch.id).where(Batch.product_id == product.id, Batch.lot_code == lot_code)
        )
        is not None
    ):
        errors["lot_code"] = ("lot_taken", {})
    if data.production_date is None:
        errors["production_date"] = ("date_required", {})
    elif data.production_date > today:
        errors["production_date"] = ("production_in_future", {})
    if (
        data.best_before is not None
        and data.production_date is not None
        and data.best_before < data.production_date
    ):
        errors["best_before"] = ("best_before_before_production", {})
    quantity = _whole_number(data.quantity)
    if quantity is None or not 1 <= quantity <= MAX_BATCH_QUANTITY:
        errors["quantity"] = ("invalid_quantity", {"max": MAX_BATCH_QUANTITY})
    origin, commune, notes = (
        (data.origin or "").strip(),
        " ".join((data.origin_commune or "").split()),
        (data.notes or "").strip(),
    )
    if len(origin) > MAX_TEXT:
        errors["origin"] = ("too_long", {"max": MAX_TEXT})
    if len(commune) > MAX_COMMUNE:
        errors["origin_commune"] = ("too_long", {"max": MAX_COMMUNE})
    if len(notes) > MAX_TEXT:
        errors["notes"] = ("too_long", {"max": MAX_TEXT})
    image = None
    if picture:
        try:
            image = decode_picture(picture)
        except ListingError as error:
            errors["picture"] = (error.code, {})
    if errors:
        raise InvalidBatch(errors)
    picture_key = None
    if image is not None:
        picture_key = f"batches/{producer_id}/{secrets.token_hex(8)}"
        storage.save_image(picture_key, image)
    batch = Batch(
        producer_id=producer_id,
        product_id=product.id,
        lot_code=lot_code,
        production_date=data.production_date,
        best_before=data.best_before,
        quantity=quantity,
        origin=origin,
        origin_commune=commune,
        notes=notes,
        picture_key=picture_key,
        created_by_id=user_id,
    )
    db.session.add(batch)
    db.session.flush()
    if add_to_stock:
        receive_stock(batch, quantity, user_id=user_id)
    return batch


def receive_stock(batch: Batch, quantity: object, *, user_id: int | None) -> int:
    """Receive `quantity` units of the batch into the product's stock (a portal stock adjustment,
    reason "received", tied to the batch). Returns the stock after. Refused beyond what the batch
    holds and has not yet been received."""
    units = _whole_number(quantity)
    received = received_units(batch.id)
    if units is None or units < 1 or received + units > batch.quantity:
        raise InvalidQuantity(f"Receive 1 to {batch.quantity - received} units from this batch.")
    product = db.session.get(Product, batch.product_id)
    change = portal.adjust_stock(product, "received", units, note=f"lot {batch.lot_code}", user_id=user_id)
    db.session.add(BatchStockReceipt(batch_id=batch.id, stock_adjustment_id=change.adjustment_id))
    db.session.flush()
    return change.stock_after


def received_units(batch_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(StockAdjustment.delta), 0))
            .join(BatchStockReceipt, BatchStockReceipt.stock_adjustment_id == StockAdjustment.id)
            .where(BatchStockReceipt.batch_id == batch_id)
        )
        or 0
    )


def batch_of_producer(producer_id: int, batch_id: int) -> Batch | None:
    """The producer's batch `batch_id`, or None (another producer's batch is None too)."""
    return db.session.scalar(select(Batch).where(Batch.id == batch_id, Batch.producer_id == producer_id))


def batch_product(batch: Batch) -> Product:
    return db.session.get(Product, batch.product_id)


def batch_by_id(batch_id: int) -> Batch | None:
    """Any batch (for administrators)."""
    return db.session.get(Batch, batch_id)


@dataclass(frozen=True)
class BatchRow:
    batch: Batch
    product: Product
    shipped_units: int

    @property
    def path(self) -> str:
        return trace_path(self.product, self.batch.lot_code)


def producer_batches(producer_id: int | None, *, lot_query: str = "", limit: int = 500) -> list[BatchRow]:
    """Batches, newest production first, with their products and units shipped: the producer's
    own (`producer_id`), or everyone's for administrators (None). Two queries."""
    stmt = select(Batch, Product).join(Product, Product.id == Batch.product_id)
    if producer_id is not None:
        stmt = stmt.where(Batch.producer_id == producer_id)
    lot_query = (lot_query or "").strip()[:20]
    if lot_query:
        stmt = stmt.where(func.lower(Batch.lot_code).like(f"%{lot_query.lower()}%"))
    rows = db.session.execute(stmt.order_by(Batch.production_date.desc(), Batch.id.desc()).limit(limit)).all()
    shipped = _shipped_units([batch.id for batch, _p in rows])
    return [BatchRow(batch, product, shipped.get(batch.id, 0)) for batch, product in rows]


def _shipped_units(batch_ids: list[int]) -> dict[int, int]:
    if not batch_ids:
        return {}
    return {
        batch_id: int(units)
        for batch_id, units in db.session.execute(
            select(OrderLineBatch.batch_id, func.sum(OrderLine.quantity))
            .join(OrderLine, OrderLine.id == OrderLineBatch.order_line_id)
            .where(OrderLineBatch.batch_id.in_(batch_ids))
            .group_by(OrderLineBatch.batch_id)
        )
    }


def producer_products(producer_id: int) -> list[Product]:
    """The products a batch may be recorded for: the producer's, archived ones left out."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.producer_id == producer_id, Product.status != "archived")
            .order_by(Product.name, Product.id)
        )
    )


@dataclass(frozen=True)
class Recipient:
    """An order that received (part of) a batch, for the producer's recall list."""

    order_reference: str
    buyer: str
    channel: str
    quantity: int
    status: str
    shipped_at: datetime | None


def batch_recipients(batch: Batch) -> list[Recipient]:
    """Every order whose lines were shipped from `batch` (one query)."""
    rows = db.session.execute(
        select(Order, ProducerOrder, OrderLine, BuyerOrganisation.legal_name)
        .join(ProducerOrder, ProducerOrder.order_id == Order.id)
        .join(OrderLine, OrderLine.producer_order_id == ProducerOrder.id)
        .join(OrderLineBatch, OrderLineBatch.order_line_id == OrderLine.id)
        .outerjoin(BuyerOrganisation, BuyerOrganisation.id == Order.buyer_organisation_id)
        .where(OrderLineBatch.batch_id == batch.id)
        .order_by(ProducerOrder.shipped_at.desc(), OrderLine.id)
    ).all()
    return [
        Recipient(
            order.reference,
            organisation_name or order.recipient_name,
            order.channel,
            line.quantity,
            part.status,
            part.shipped_at,
        )
        for order, part, line, organisation_name in rows
    ]


# ---------------------------------------------------------------------------------------------
# The batch of each shipped line


@dataclass(frozen=True)
class LineBatchChoice:
    line: OrderLine
    batches: tuple[Batch, ...]  # the producer's batches of the line's product, newest first
    chosen_id: int | None


def shipment_choices(part: ProducerOrder) -> list[LineBatchChoice]:
    """For each line of the producer's part: the batches it may come from, and the one recorded."""
    product_ids = {line.product_id for line in part.lines}
    batches: dict[int, list[Batch]] = {}
    if product_ids:
        for batch in db.session.scalars(
            select(Batch)
            .where(Batch.producer_id == part.producer_id, Batch.product_id.in_(product_ids))
            .order_by(Batch.production_date.desc(), Batch.id.desc())
        ):
            batches.setdefault(batch.product_id, []).append(batch)
    recorded = _recorded_batches([line.id for line in part.lines])
    return [
        LineBatchChoice(line, tuple(batches.get(line.product_id, ())), recorded.get(line.id))
        for line in part.lines
    ]


def _recorded_batches(line_ids: list[int]) -> dict[int, int]:
    if not line_ids:
        return {}
    return dict(
        db.session.execute(
            select(OrderLineBatch.order_line_id, OrderLineBatch.batch_id).where(
                OrderLineBatch.order_line_id.in_(line_ids)
            )
        ).all()
    )


def record_shipment(
    part: ProducerOrder,
    batch_ids: dict[int, int | None],
    *,
    actor: str,
    user_id: int | None,
    carrier: str = "",
    tracking_number: str = "",
    now: datetime | None = None,
) -> None:
    """Ship an accepted part (carrier and tracking number, through `orders.services`) and record the
    batch each line came from; or, for a part already shipped or delivered, record or correct the
    batches only. `batch_ids` maps order line ids to batch ids (None or missing: no batch
    recorded for that line). Every choice is checked before anything changes."""
    if part.status not in SHIPPABLE + RECORDABLE:
        raise PartNotShippable("Batches are recorded when the order is shipped.")
    lines = {line.id: line for line in part.lines}
    wanted = {line_id: batch_id for line_id, batch_id in batch_ids.items() if line_id in lines and batch_id}
    found = (
        {
            batch.id: batch
            for batch in db.session.scalars(
                select(Batch).where(Batch.id.in_(set(wanted.values())), Batch.producer_id == part.producer_id)
            )
        }
        if wanted
        else {}
    )
    for line_id, batch_id in wanted.items():
        batch = found.get(batch_id)
        if batch is None or batch.product_id != lines[line_id].product_id:
            raise WrongBatch("A line was given a batch of another product.")
    if part.status in SHIPPABLE:
        orders.ship_producer_order(part, actor, carrier=carrier, tracking_number=tracking_number, now=now)
    existing = {
        row.order_line_id: row
        for row in db.session.scalars(
            select(OrderLineBatch).where(OrderLineBatch.order_line_id.in_(list(lines)))
        )
    }
    now = now or utcnow()
    for line_id in lines:
        batch_id = wanted.get(line_id)
        row = existing.get(line_id)
        if batch_id is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                OrderLineBatch(
                    order_line_id=line_id, batch_id=batch_id, recorded_by_id=user_id, recorded_at=now
                )
            )
        elif row.batch_id != batch_id:
            row.batch_id, row.recorded_by_id, row.recorded_at = batch_id, user_id, now
    db.session.flush()


@dataclass(frozen=True)
class ReceivedBatch:
    """A line a buyer organisation received, with the batch the producer recorded for it."""

    order_reference: str
    product_name: str
    producer_name: str
    quantity: int
    unit: str
    lot_code: str
    production_date: date
    best_before: date | None
    recalled_at: datetime | None
    path: str  # the batch's public page


def received_batches(organisation_id: int) -> list[ReceivedBatch]:
    """Every line of the organisation's orders whose batch was recorded, newest first (one query)."""
    rows = db.session.execute(
        select(Order.reference, OrderLine, Batch, Product, Producer.name)
        .join(ProducerOrder, ProducerOrder.order_id == Order.id)
        .join(OrderLine, OrderLine.producer_order_id == ProducerOrder.id)
        .join(OrderLineBatch, OrderLineBatch.order_line_id == OrderLine.id)
        .join(Batch, Batch.id == OrderLineBatch.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Batch.producer_id)
        .where(Order.buyer_organisation_id == organisation_id)
        .order_by(Order.created_at.desc(), OrderLine.id)
    ).all()
    return [
        ReceivedBatch(
            reference,
            line.product_name,
            producer_name,
            line.quantity,
            line.unit,
            batch.lot_code,
            batch.production_date,
            batch.best_before,
            batch.recalled_at,
            trace_path(product, batch.lot_code),
        )
        for reference, line, batch, product, producer_name in rows
    ]


# ---------------------------------------------------------------------------------------------
# The public page


@dataclass(frozen=True)
class CertificateThen:
    """The OCOP certificate in force on the production date, and what has changed since."""

    certificate: Certification
    since: str | None  # None, "expired", "revoked" or "superseded"
    since_date: date | None


@dataclass(frozen=True)
class RightThen:
    protection: Protection
    right: ProtectionRight
    revoked_since: date | None


@dataclass(frozen=True)
class TracePage:
    batch: Batch
    product: Product
    producer: Producer
    path: str
    certificate: CertificateThen | None
    rights: tuple[RightThen, ...] = field(default=())


def _vietnam_day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()


def _public_batch(product: Product | None, lot: str) -> tuple[Batch, Product, Producer] | None:
    if product is None:
        return None
    producer = db.session.get(Producer, product.producer_id)
    if producer is None or not producer.is_verified:
        return None
    batch = db.session.scalar(select(Batch).where(Batch.product_id == product.id, Batch.lot_code == lot))
    return (batch, product, producer) if batch is not None else None


def find_public_batch(
    *, gtin: str | None = None, slug: str | None = None, lot: str
) -> tuple[Batch, Product, Producer] | None:
    """The batch a public traceability URL names (by GTIN or product slug, and lot), or None.
    Only batches of verified producers are public; a lot code that could not have been recorded
    (slashes, Unicode, too long) finds nothing."""
    try:
        lot = clean_lot_code(lot)
    except GS1Error:
        return None
    if gtin is not None:
        try:
            gtin = normalise_gtin(gtin)
        except GS1Error:
            return None
        product = db.session.scalar(select(Product).where(Product.gtin == gtin))
    else:
        product = db.session.scalar(select(Product).where(Product.slug == slug))
    return _public_batch(product, lot)


def trace_page(batch: Batch, product: Product, producer: Producer, today: date | None = None) -> TracePage:
    """What the public page of a batch shows: the certificate and GI/mark rights that were in force
    on its production date (not today), each with what has changed since."""
    today = today or today_in_vietnam()
    then = certificate_in_force(product, on=batch.production_date)
    certificate = None
    if then is not None:
        if then.status == "revoked":
            certificate = CertificateThen(then, "revoked", _vietnam_day(then.decided_at))
        elif then.expires_on < today:
            certificate = CertificateThen(then, "expired", then.expires_on)
        elif then.status == "superseded":
            certificate = CertificateThen(then, "superseded", None)
        else:
            certificate = CertificateThen(then, None, None)
    rights = tuple(
        RightThen(protection, right, _vietnam_day(right.decided_at) if right.status == "revoked" else None)
        for right, protection in rights_in_force(product, on=batch.production_date)
    )
    return TracePage(batch, product, producer, trace_path(product, batch.lot_code), certificate, rights)


# ---------------------------------------------------------------------------------------------
# Recalls


def can_recall(user: User, batch: Batch) -> bool:
    """Administrators, and owners of the batch's producer."""
    if user.is_admin:
        return True
    membership = user.producer_membership
    return (
        membership is not None and membership.producer_id == batch.producer_id and membership.role == "owner"
    )


def recall_recipients(batch: Batch) -> list[str]:
    """Who is told of a recall: the members of every buyer organisation whose order lines were
    shipped from the batch, and the contact address of every consumer order that was; nobody
    else (an order of the same product from another batch is not told)."""
    orders_rows = db.session.execute(
        select(Order.id, Order.buyer_organisation_id, Order.contact_email)
        .join(ProducerOrder, ProducerOrder.order_id == Order.id)
        .join(OrderLine, OrderLine.producer_order_id == ProducerOrder.id)
        .join(OrderLineBatch, OrderLineBatch.order_line_id == OrderLine.id)
        .where(OrderLineBatch.batch_id == batch.id)
        .order_by(Order.id)
    ).all()
    organisations = sorted({org_id for _id, org_id, _email in orders_rows if org_id is not None})
    addresses = [email for _id, org_id, email in orders_rows if org_id is None and email]
    if organisations:
        addresses += list(
            db.session.scalars(
                select(User.email)
                .join(BuyerMembership, BuyerMembership.user_id == User.id)
                .where(BuyerMembership.buyer_organisation_id.in_(organisations))
                .order_by(BuyerMembership.buyer_organisation_id, User.id)
            )
        )
    return list(dict.fromkeys(addresses))


def recall_batch(
    batch: Batch, *, reason: str, user: User, page_url: str = "", now: datetime | None = None
) -> list[str]:
    """Mark the batch recalled, with the reason; e-mail everyone who received it (see
    `recall_recipients`) in the same transaction; raise the catalogue version so that the product
    page's warning shows at once. Returns the addresses written to."""
    if not can_recall(user, batch):
        raise NotAllowed("Only the producer's owners and administrators may recall a batch.")
    try:
        reason = clean_text(reason, multiline=True).strip()
    except UnsafeText as error:  # PostgreSQL refuses NUL in text; no reason needs control characters
        raise RecallReasonRequired(str(error.message)) from error
    if not reason or len(reason) > MAX_REASON:
        raise RecallReasonRequired("Say why the batch is recalled (at most 1,000 characters).")
    if batch.is_recalled:
        raise AlreadyRecalled("This batch has already been recalled.")
    batch.recalled_at, batch.recall_reason, batch.recalled_by_id = now or utcnow(), reason, user.id
    product = db.session.get(Product, batch.product_id)
    producer = db.session.get(Producer, batch.producer_id)
    recipients = recall_recipients(batch)
    # In Vietnamese: accounts store no language (as the order e-mails).
    with force_locale("vi"):
        subject = _("Recall: batch %(lot)s of %(product)s", lot=batch.lot_code, product=product.name)
        parts = [
            _(
                "%(producer)s has recalled batch %(lot)s of %(product)s (produced on %(date)s), "
                "which you received.",
                producer=producer.name,
                lot=batch.lot_code,
                product=product.name,
                date=format_date(batch.production_date),
            ),
            _("Reason: %(reason)s", reason=reason),
            _("Please take the units of this batch off sale and contact the producer."),
        ]
        if page_url:
            parts.append(_("The batch's page: %(link)s", link=page_url))
        body = "\n\n".join(str(p) for p in parts)
    for address in recipients:
        send_mail(address, str(subject), body, kind="batch_recall")
    bump_catalog_version(db.session)
    db.session.flush()
    return recipients


def recall_notices(product_id: int) -> tuple[ProductNotice, ...]:
    """The product page's warnings: one per recalled batch of the product (the catalogue's notice
    source; cached with the page, whose version `recall_batch` raises)."""
    rows = db.session.execute(
        select(Batch, Product)
        .join(Product, Product.id == Batch.product_id)
        .where(Batch.product_id == product_id, Batch.recalled_at.is_not(None))
        .order_by(Batch.recalled_at.desc(), Batch.id.desc())
    ).all()
    return tuple(
        ProductNotice(
            "recall",
            batch.lot_code,
            batch.recall_reason or "",
            _vietnam_day(batch.recalled_at),
            trace_path(product, batch.lot_code),
        )
        for batch, product in rows
    )
