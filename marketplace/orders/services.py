"""The order core: pricing a cart, validating the delivery address, placing an order of any
channel in one transaction that takes the stock (`place`, from a priced `drafts.OrderDraft`;
`place_order` is consumer checkout), and moving producer orders through their statuses
(`transition`, which records the OrderEvent and sends `producer_order_moved`). Other domains use
only these public names; invoicing, payments and the ledger react to `orders.signals`.

`place`, `place_order` and `expire_unpaid_orders` own their transactions and commit. Every other function
that changes state leaves the commit to its caller (a view, the webhook, a command), so that a
change and whatever the caller records with it (e.g. a processed Stripe event) commit together.

Locks are always taken in one order — the catalogue-state row, then products by id, — so that
concurrent orders and cancellations never deadlock.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import ARRAY, Integer, any_, case, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.catalog.cache import bump_catalog_version
from marketplace.catalog.models import Product
from marketplace.catalog.services import visible_condition as for_sale
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.orders import signals
from marketplace.orders.drafts import DraftLine, DraftPart, OrderDraft
from marketplace.orders.errors import (
    AwaitingPayment,
    CardAmountTooLarge,
    EmptyCart,
    InvalidAddress,
    InvalidCheckout,
    InvalidQuantity,
    InvalidShipment,
    OutOfStock,
    PriceChange,
    PricesChanged,
    RefundFailed,
    Shortage,
    TooManyLines,
    TotalChanged,
    TransferNotApplicable,
    TransitionNotAllowed,
    UnknownProduct,
)
from marketplace.orders.models import (
    MAX_CARD_CHARGE_VND,
    PAYMENT_METHODS,
    Order,
    OrderEvent,
    OrderLine,
    ProducerOrder,
)
from marketplace.orders.shipping import DEFAULT_ITEM_WEIGHT_G, ShippingTable, shipping_table
from marketplace.producers.models import Producer
from marketplace.reference import CHANNELS_BY_CODE, PROVINCES_BY_CODE, resolve_province
from marketplace.timeutil import utcnow

MAX_LINE_QUANTITY = 1_000  # units of one product in one consumer order
MAX_CART_LINES = 50
SYSTEM = "system"

# ---------------------------------------------------------------------------------------------
# Cart pricing


@dataclass(frozen=True)
class CartLine:
    """What the buyer asks for. `expected_unit_price_vnd` is the price the buyer was shown; the
    price charged is always re-read from the catalogue."""

    product_id: int
    quantity: int
    expected_unit_price_vnd: int | None = None


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,18}\s*", value):
        return int(value)
    return None


def shown_total(raw: object) -> int:
    """The total a checkout form says it showed, from untrusted input; 0 when it sent none (no
    order costs 0, so an order without a shown total is refused and the total shown instead)."""
    value = _as_int(raw)
    return value if value is not None and value > 0 else 0


def cart_line(product_id: object, quantity: object, expected_unit_price_vnd: object = None) -> CartLine:
    """A CartLine from untrusted input (form fields, JSON, the session), or `InvalidQuantity` /
    `UnknownProduct` with a message a buyer understands."""
    pid = _as_int(product_id)
    if pid is None or pid <= 0:
        raise UnknownProduct("This product does not exist.", [product_id])
    qty = _as_int(quantity)
    if qty is None or qty < 1:
        raise InvalidQuantity("Quantities must be whole numbers of at least 1.")
    if qty > MAX_LINE_QUANTITY:
        raise InvalidQuantity(f"At most {MAX_LINE_QUANTITY} units of one product fit in one order.")
    price = None
    if expected_unit_price_vnd not in (None, ""):
        price = _as_int(expected_unit_price_vnd)
        if price is None or price <= 0:
            raise InvalidCheckout("The price sent with the order is not a price.")
    return CartLine(pid, qty, price)


@dataclass(frozen=True)
class PricedLine:
    product_id: int
    name: str
    sku: str
    unit: str
    unit_price_vnd: int
    quantity: int
    weight_g: int
    stock: int

    @property
    def line_total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity


@dataclass(frozen=True)
class ProducerGroup:
    """The lines of one producer, and the fee for shipping them (None until the province is known)."""

    producer_id: int
    producer_name: str
    province_code: str
    lines: tuple[PricedLine, ...]
    shipping_fee_vnd: int | None

    @property
    def subtotal_vnd(self) -> int:
        return sum(line.line_total_vnd for line in self.lines)

    @property
    def weight_g(self) -> int:
        return sum(line.weight_g * line.quantity for line in self.lines)


@dataclass(frozen=True)
class PricedCart:
    groups: tuple[ProducerGroup, ...]
    price_changes: tuple[PriceChange, ...]  # lines whose price differs from what the buyer saw
    shortages: tuple[Shortage, ...]  # lines asking for more than the stock now

    @property
    def items_total_vnd(self) -> int:
        return sum(g.subtotal_vnd for g in self.groups)

    @property
    def shipping_total_vnd(self) -> int:
        return sum(g.shipping_fee_vnd or 0 for g in self.groups)

    @property
    def total_vnd(self) -> int:
        return self.items_total_vnd + self.shipping_total_vnd


def merge_lines(lines: Iterable[CartLine]) -> list[CartLine]:
    """One line per product (quantities added), in product-id order."""
    merged: dict[int, CartLine] = {}
    for line in lines:
        if line.product_id in merged:
            prev = merged[line.product_id]
            quantity = prev.quantity + line.quantity
            if quantity > MAX_LINE_QUANTITY:
                raise InvalidQuantity(f"At most {MAX_LINE_QUANTITY} units of one product fit in one order.")
            line = CartLine(
                line.product_id, quantity, prev.expected_unit_price_vnd or line.expected_unit_price_vnd
            )
        merged[line.product_id] = line
    return [merged[pid] for pid in sorted(merged)]


def price_cart(
    lines: Sequence[CartLine], delivery_province: str | None = None, table: ShippingTable | None = None
) -> PricedCart:
    """Price `lines` at today's catalogue prices, grouped by producer (in two queries at most).
    Raises `UnknownProduct` for products that are not for sale; reports changed prices and
    shortages without raising (the cart page shows them)."""
    lines = merge_lines(lines)
    if not lines:
        raise EmptyCart("The cart is empty.")
    if len(lines) > MAX_CART_LINES:
        raise TooManyLines(f"One order holds at most {MAX_CART_LINES} different products.")
    for line in lines:
        if not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            raise InvalidQuantity(f"Quantities must be between 1 and {MAX_LINE_QUANTITY}.")
    rows = db.session.execute(
        select(Product, Producer)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.id.in_([line.product_id for line in lines]), for_sale())
    ).all()
    found = {product.id: (product, producer) for product, producer in rows}
    missing = [line.product_id for line in lines if line.product_id not in found]
    if missing:
        raise UnknownProduct("Some products in the cart are no longer for sale.", missing)
    table = table or shipping_table(current_app.config)

    by_producer: dict[int, list[PricedLine]] = {}
    changes, shortages = [], []
    for line in lines:
        product, _producer = found[line.product_id]
        priced = PricedLine(
            product_id=product.id,
            name=product.name,
            sku=product.sku,
            unit=product.unit,
            unit_price_vnd=product.price_vnd,
            quantity=line.quantity,
            weight_g=product.net_weight_g or DEFAULT_ITEM_WEIGHT_G,
            stock=product.stock,
        )
        by_producer.setdefault(product.producer_id, []).append(priced)
        expected = line.expected_unit_price_vnd
        if expected is not None and expected != product.price_vnd:
            changes.append(PriceChange(product.id, product.name, expected, product.price_vnd))
        if line.quantity > product.stock:
            shortages.append(Shortage(product.id, product.name, line.quantity, product.stock))

    groups = []
    for producer_id in sorted(by_producer):
        producer = found[by_producer[producer_id][0].product_id][1]
        group_lines = tuple(by_producer[producer_id])
        fee = None
        if delivery_province:
            weight = sum(pl.weight_g * pl.quantity for pl in group_lines)
            fee = table.fee(
                from_province=producer.province_code, to_province=delivery_province, weight_g=weight
            )
        groups.append(ProducerGroup(producer_id, producer.name, producer.province_code, group_lines, fee))
    return PricedCart(tuple(groups), tuple(changes), tuple(shortages))


# ---------------------------------------------------------------------------------------------
# Delivery address

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese phone number in its national form (0xxxxxxxxx), or None.

    Mobile numbers are 10 digits starting 03, 05, 07, 08 or 09; landlines 11 digits starting 02
    (area code since 2017). The +84 / 84 / 0084 international forms are accepted.
    """
    number = _PHONE_SEPARATORS.sub("", raw or "")
    for prefix in ("+84", "0084", "84"):
        if number.startswith(prefix) and len(number) > 9:
            number = "0" + number[len(prefix) :]
            break
    if _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number):
        return number
    return None


@dataclass(frozen=True)
class DeliveryAddress:
    """A Vietnamese delivery address: recipient, phone, street and house number, commune (xã,
    phường or đặc khu) and one of the 34 provinces."""

    recipient_name: str
    phone: str
    street: str
    commune: str
    province_code: str


def validate_address(
    *, recipient_name: str, phone: str, street: str, commune: str, province: str
) -> DeliveryAddress:
    """A clean DeliveryAddress, or `InvalidAddress` listing every field that is wrong. `province`
    may be a code or a name, current or former (a former province resolves to today's)."""
    errors: dict[str, str] = {}
    recipient_name, street, commune = (
        (recipient_name or "").strip(),
        (street or "").strip(),
        (commune or "").strip(),
    )
    if not recipient_name or len(recipient_name) > 120:
        errors["recipient_name"] = "Enter the recipient's name (at most 120 characters)."
    normalised = normalise_phone(phone)
    if normalised is None:
        errors["phone"] = "Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678."
    if not street or len(street) > 200:
        errors["street"] = "Enter the house number and street (at most 200 characters)."
    if not commune or len(commune) > 120:
        errors["commune"] = "Enter the commune or ward (xã / phường)."
    found = PROVINCES_BY_CODE.get((province or "").strip()) or resolve_province(province)
    if found is None:
        errors["province"] = "Choose one of the 34 provinces and cities."
    if errors:
        raise InvalidAddress("Please correct the delivery address.", errors)
    return DeliveryAddress(recipient_name, normalised, street, commune, found.code)  # type: ignore[arg-type, union-attr]


# ---------------------------------------------------------------------------------------------
# Placing an order

_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_\-:.]{8,64}")


def new_reference() -> str:
    return "OCOP-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


# Payment references of transfer orders. The same shape as invoices' (`invoicing.services`:
# "OCOPHD" + 6 of this alphabet, no 0/1/I/L/O look-alikes); the prefix keeps the two apart, so a
# bank statement line names one order or one invoice.
PAYMENT_REFERENCE_PREFIX = "OCOPDH"
PAYMENT_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_payment_reference() -> str:
    """A payment reference no order has yet."""
    while True:
        reference = PAYMENT_REFERENCE_PREFIX + "".join(
            secrets.choice(PAYMENT_REFERENCE_ALPHABET) for _ in range(6)
        )
        if db.session.scalar(select(Order.id).where(Order.payment_reference == reference)) is None:
            return reference


def transfer_payments_enabled() -> bool:
    """VietQR is offered only when the platform's receiving account is configured (the same
    test as `payments.vietqr.configured`, which orders cannot import)."""
    config = current_app.config
    return bool(re.fullmatch(r"\d{6}", config.get("VIETQR_BANK_BIN") or "")) and bool(
        re.fullmatch(r"[0-9A-Za-z]{1,19}", config.get("VIETQR_ACCOUNT_NUMBER") or "")
    )


def new_idempotency_key() -> str:
    """A key for one checkout form; the form sends it back with every submission."""
    return secrets.token_urlsafe(24)


def order_by_idempotency_key(key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.idempotency_key == key))


def valid_idempotency_key(key: str | None) -> bool:
    """Whether `key` can be an order's idempotency key (a form's hidden field, an API header)."""
    return bool(_IDEMPOTENCY_KEY.fullmatch(key or ""))


def place_order(
    *,
    lines: Sequence[CartLine],
    address: DeliveryAddress,
    contact_email: str,
    payment_method: str,
    idempotency_key: str,
    customer_id: int | None = None,
    channel: str = "online",
    actor: str | None = None,
    now: datetime | None = None,
    shown_total_vnd: int | None = None,
) -> Order:
    """Place a consumer order in one transaction — the order, one ProducerOrder per producer, the
    lines with copied prices, the stock taken — and commit it; or change nothing and raise.

    `shown_total_vnd` is the total the buyer was shown (the checkout page sends it back): an order
    that would cost anything else is refused with `TotalChanged`, so nobody is charged a total
    they did not see (e.g. shipping added after the province was chosen). None: no such check.

    A second call with the same `idempotency_key` (double click, back button, a retry after a
    timeout) returns the order the first one placed.
    """
    existing = order_by_idempotency_key(idempotency_key or "")
    if existing is not None:
        return existing
    if not valid_idempotency_key(idempotency_key):
        raise InvalidCheckout("The checkout form has expired; please reload the page.")
    if payment_method not in ("card", "cod", "vietqr") or (
        payment_method == "vietqr" and not transfer_payments_enabled()
    ):
        raise InvalidCheckout("Choose card or cash on delivery.")
    _check_channel(channel)
    contact_email = (contact_email or "").strip()
    if not _EMAIL.fullmatch(contact_email) or len(contact_email) > 254:
        raise InvalidCheckout("Enter an e-mail address for the order confirmation.")

    cart = price_cart(lines, address.province_code)
    if cart.price_changes:
        raise PricesChanged(
            "Some prices have changed since you saw them. Please check the new prices.",
            list(cart.price_changes),
        )
    if shown_total_vnd is not None and shown_total_vnd != cart.total_vnd:
        raise TotalChanged(
            f"The total is {cart.total_vnd} VND, not the {shown_total_vnd} VND shown.",
            shown_total_vnd,
            cart.total_vnd,
        )
    if payment_method == "card" and cart.total_vnd > MAX_CARD_CHARGE_VND:
        raise CardAmountTooLarge(
            "Orders above 99,999,999 ₫ cannot be paid by card; choose cash on delivery or split the order."
        )
    draft = OrderDraft(
        channel=channel,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
        payment_status="cash_on_delivery" if payment_method == "cod" else "awaiting_payment",
        parts=tuple(
            DraftPart(
                producer_id=group.producer_id,
                lines=tuple(
                    DraftLine(pl.product_id, pl.name, pl.sku, pl.unit, pl.unit_price_vnd, pl.quantity)
                    for pl in group.lines
                ),
                shipping_fee_vnd=group.shipping_fee_vnd or 0,
                weight_g=group.weight_g,
            )
            for group in cart.groups
        ),
        contact_email=contact_email,
        recipient_name=address.recipient_name,
        phone=address.phone,
        street=address.street,
        commune=address.commune,
        province_code=address.province_code,
        customer_id=customer_id,
    )
    return place(draft, actor or (f"customer {customer_id}" if customer_id else "guest"), now)


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS_BY_CODE or not CHANNELS_BY_CODE[channel].on_platform:
        raise InvalidCheckout(f"Orders cannot be placed on the channel {channel!r}.")


def place(
    draft: OrderDraft,
    actor: str,
    now: datetime | None = None,
    *,
    in_transaction: Callable[[Order], None] | None = None,
) -> Order:
    """Write the order of a priced draft in the current transaction and commit it; or roll back,
    change nothing and raise. The one routine that writes orders, for every channel.

    The order, one ProducerOrder per part (`placed`, or `pending_approval` while the buyer's
    approval is pending), the lines at the draft's prices, the stock taken (`take_stock`: every
    short product named in `OutOfStock`), the first events (each part, the payment status, the
    draft's notes) and `order_placed` (unless approval is pending: it is sent on approval). Card
    orders get the payment window, VietQR orders a payment reference and the longer transfer
    window. `in_transaction(order)` runs just before the commit, for the
    channel's own bookkeeping (e.g. emptying a draft list).

    Idempotent: an order with the draft's key already placed is returned as it is, also when a
    concurrent submission with the same key commits first (the unique key stops the second).
    """
    existing = order_by_idempotency_key(draft.idempotency_key or "")
    if existing is not None:
        return existing
    try:
        if not valid_idempotency_key(draft.idempotency_key):
            raise InvalidCheckout("The order form has expired; please reload the page.")
        if draft.payment_method not in PAYMENT_METHODS:
            raise InvalidCheckout(f"Unknown payment method {draft.payment_method!r}.")
        _check_channel(draft.channel)
        if not draft.parts or not all(part.lines for part in draft.parts):
            raise EmptyCart("The order has no lines.")
        now = now or utcnow()
        waits = draft.payment_status == "awaiting_payment"
        transfer = draft.payment_method == "vietqr"
        window = (
            timedelta(hours=current_app.config["TRANSFER_PAYMENT_WINDOW_HOURS"])
            if transfer
            else timedelta(minutes=current_app.config["ORDER_PAYMENT_WINDOW_MINUTES"])
        )
        order = Order(
            reference=new_reference(),
            channel=draft.channel,
            customer_id=draft.customer_id,
            buyer_organisation_id=draft.buyer_organisation_id,
            purchase_order_number=draft.purchase_order_number,
            payment_terms_days=draft.payment_terms_days,
            approval_status=draft.approval_status,
            contact_email=draft.contact_email,
            recipient_name=draft.recipient_name,
            phone=draft.phone,
            street=draft.street,
            commune=draft.commune,
            province_code=draft.province_code,
            payment_method=draft.payment_method,
            payment_status=draft.payment_status,
            items_total_vnd=draft.items_total_vnd,
            shipping_total_vnd=draft.shipping_total_vnd,
            total_vnd=draft.total_vnd,
            refunded_vnd=0,
            idempotency_key=draft.idempotency_key,
            created_at=now,
            expires_at=now + window if waits else None,
            payment_reference=new_payment_reference() if transfer else None,
        )
        db.session.add(order)
        db.session.flush()  # a concurrent submission with the same key stops here
        take_stock([(ln.product_id, ln.name, ln.quantity) for part in draft.parts for ln in part.lines])
        pending = draft.approval_status == "pending"
        status = "pending_approval" if pending else "placed"
        producer_orders = [
            ProducerOrder(
                order_id=order.id,
                producer_id=part.producer_id,
                status=status,
                subtotal_vnd=part.subtotal_vnd,
                shipping_fee_vnd=part.shipping_fee_vnd,
                weight_g=part.weight_g,
                delivery_location_id=part.delivery_location_id,
                requested_delivery_date=part.requested_delivery_date,
                created_at=now,
                updated_at=now,
            )
            for part in draft.parts
        ]
        db.session.add_all(producer_orders)
        db.session.flush()  # the parts' ids, for their lines
        _write_lines(producer_orders, draft.parts)
        # The first records of a new order are plain events (from_status None), not moves
        # through the status machine: `producer_order_moved` is not sent for them.
        for producer_order in producer_orders:
            record_event(order, producer_order, actor, None, status, now=now)
        record_event(order, None, actor, None, order.payment_status, draft.payment_note, now=now)
        for to_status, note in draft.notes:
            record_event(order, None, actor, None, to_status, note, now=now)
        if not pending:
            signals.order_placed.send(current_app._get_current_object(), order=order)
        if in_transaction is not None:
            in_transaction(order)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = order_by_idempotency_key(draft.idempotency_key)
        if existing is None:
            raise
        return existing
    except BaseException:
        db.session.rollback()
        raise
    return order


def _write_lines(producer_orders: Sequence[ProducerOrder], parts: Sequence[DraftPart]) -> None:
    """Write every part's lines in one executemany (not a unit-of-work flush with RETURNING: a
    500-line bulk order would send one statement with thousands of parameters), then read them
    back in one query as each part's `lines`, for what the order's signals show in the same
    transaction."""
    rows = [
        {
            "producer_order_id": producer_order.id,
            "product_id": line.product_id,
            "product_name": line.name,
            "sku": line.sku,
            "unit": line.unit,
            "unit_price_vnd": line.unit_price_vnd,
            "quantity": line.quantity,
            "line_total_vnd": line.line_total_vnd,
            "retail_unit_price_vnd": line.retail_unit_price_vnd,
            "tier_min_quantity": line.tier_min_quantity,
        }
        for producer_order, part in zip(producer_orders, parts, strict=True)
        for line in part.lines
    ]
    db.session.execute(insert(OrderLine), rows)
    by_part: dict[int, list[OrderLine]] = {producer_order.id: [] for producer_order in producer_orders}
    for line in db.session.scalars(
        select(OrderLine).where(OrderLine.producer_order_id.in_(list(by_part))).order_by(OrderLine.id)
    ):
        by_part[line.producer_order_id].append(line)
    for producer_order in producer_orders:
        set_committed_value(producer_order, "lines", by_part[producer_order.id])


def take_stock(wanted: list[tuple[int, str, int]]) -> None:
    """Take the stock of an order inside its transaction, only where enough is left: lock the
    rows in product-id order (the lock order every order follows), then one conditional UPDATE
    per 500 products — a few statements even for bulk orders of hundreds of lines (on
    PostgreSQL the ids and quantities go as two arrays, joined to the rows). Raises
    `OutOfStock` listing every short product at the stock left; the transaction is rolled back
    first, so a partly applied UPDATE never survives."""
    quantities: dict[int, int] = {}
    names: dict[int, str] = {}
    for product_id, name, quantity in wanted:
        quantities[product_id] = quantities.get(product_id, 0) + quantity
        names[product_id] = name
    ids = sorted(quantities)
    bump_catalog_version(db.session)  # lock order: catalogue state first, then products by id
    taken = 0
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        if postgresql:
            # Two array parameters, joined by id: a CASE of 500 branches is evaluated branch by
            # branch for each of 500 rows, and 1,500 placeholders are parsed on every order.
            wanted_ids = literal(chunk, ARRAY(Integer))
            asked = func.unnest(wanted_ids, literal([quantities[pid] for pid in chunk], ARRAY(Integer)))
            asked = asked.table_valued("product_id", "quantity").render_derived(name="asked")
            db.session.execute(
                select(Product.id)
                .where(Product.id == any_(wanted_ids))
                .order_by(Product.id)
                .with_for_update()
            )
            statement = (
                update(Product)
                .where(Product.id == asked.c.product_id, Product.stock >= asked.c.quantity)
                .values(stock=Product.stock - asked.c.quantity)
            )
        else:
            db.session.execute(
                select(Product.id).where(Product.id.in_(chunk)).order_by(Product.id).with_for_update()
            )
            amount = case({pid: quantities[pid] for pid in chunk}, value=Product.id)
            statement = (
                update(Product)
                .where(Product.id.in_(chunk), Product.stock >= amount)
                .values(stock=Product.stock - amount)
            )
        result = db.session.execute(statement, execution_options={"synchronize_session": False})
        taken += result.rowcount
    if taken != len(ids):
        db.session.rollback()  # undo what was taken, then say what is short at the stock left
        stock = dict(db.session.execute(select(Product.id, Product.stock).where(Product.id.in_(ids))).all())
        shortages = [
            Shortage(pid, names[pid], quantities[pid], stock.get(pid, 0))
            for pid in ids
            if stock.get(pid, 0) < quantities[pid]
        ]
        listed = ", ".join(f"{s.name} (only {s.available} left)" for s in shortages)
        raise OutOfStock(f"Not enough stock: {listed}.", shortages)


def give_back_stock(producer_orders: Iterable[ProducerOrder]) -> None:
    """Give the stock of every line of these (cancelled) parts back to the catalogue."""
    quantities: dict[int, int] = {}
    for producer_order in producer_orders:
        for line in producer_order.lines:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    give_back_units(quantities)


def give_back_units(quantities: Mapping[int, int]) -> None:
    """Give `quantities` (units by product id) back to the catalogue, in the order's transaction,
    locking in the order every order follows (catalogue state, then products by id)."""
    if not quantities:
        return
    bump_catalog_version(db.session)
    for product_id in sorted(quantities):
        db.session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + quantities[product_id]),
            execution_options={"synchronize_session": False},
        )


# ---------------------------------------------------------------------------------------------
# Status machine

TRANSITIONS: dict[str, frozenset[str]] = {
    # a supermarket part above its buyer's approval threshold: an owner approves or rejects it
    # (marketplace.wholesale.services), before which the producer cannot act on it
    "pending_approval": frozenset({"placed", "cancelled"}),
    "placed": frozenset({"accepted", "cancelled"}),
    "accepted": frozenset({"shipped", "cancelled"}),
    "shipped": frozenset({"delivered"}),
    "delivered": frozenset(),
    "cancelled": frozenset({"refunded"}),  # a paid card part, once its money is back
    "refunded": frozenset(),
}


def record_event(
    order: Order,
    producer_order: ProducerOrder | None,
    actor: str,
    from_status: str | None,
    to_status: str,
    note: str = "",
    now: datetime | None = None,
) -> OrderEvent:
    """Add an OrderEvent (who, when, from, to, why) without changing any status: the first records
    of a new order, and facts that are not moves (a delivery date confirmed, a receipt, an
    approval decision, a failed card attempt). Moves go through `transition`."""
    event = OrderEvent(
        order_id=order.id,
        producer_order_id=producer_order.id if producer_order else None,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        at=now or utcnow(),
    )
    db.session.add(event)
    return event


def transition(
    producer_order: ProducerOrder, to_status: str, actor: str, note: str = "", now: datetime | None = None
) -> None:
    """Move one producer's part through the status machine (`TRANSITIONS`), or raise
    `TransitionNotAllowed`: records the OrderEvent and sends `producer_order_moved`, inside the
    caller's transaction. Every channel's every move goes through here."""
    from_status = producer_order.status
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionNotAllowed(f"A {from_status} order cannot become {to_status}.")
    now = now or utcnow()
    producer_order.status = to_status
    producer_order.updated_at = now
    record_event(producer_order.order, producer_order, actor, from_status, to_status, note, now)
    signals.producer_order_moved.send(
        current_app._get_current_object(),
        order=producer_order.order,
        producer_order=producer_order,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=now,
    )


def set_payment_status(
    order: Order, to_status: str, actor: str, note: str = "", now: datetime | None = None
) -> None:
    """Change the order's payment status (nothing when it already is `to_status`): records the
    OrderEvent and sends `payment_status_changed`, inside the caller's transaction."""
    if order.payment_status != to_status:
        now = now or utcnow()
        from_status = order.payment_status
        record_event(order, None, actor, from_status, to_status, note, now)
        order.payment_status = to_status
        signals.payment_status_changed.send(
            current_app._get_current_object(),
            order=order,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            at=now,
        )


def lock_order(order: Order) -> Order:
    """Re-read `order` with its row locked (PostgreSQL) so that concurrent payment, expiry and
    cancellation see each other's result."""
    return db.session.scalars(
        select(Order).where(Order.id == order.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _money_taken(order: Order) -> bool:
    return order.is_card and order.payment_status in ("paid", "partially_refunded")


@dataclass(frozen=True)
class CardGateway:
    """What the order rules need from the card payment provider. `marketplace.payments` registers
    its Stripe implementation at app start (`register_card_gateway`): payments sits above orders,
    which never imports it. Both raise a `DomainError` (with its `message`) when the provider
    refuses or cannot be reached."""

    refund: Callable[..., object]  # (payment_intent_id=, amount_vnd=, key=): key makes a retry safe
    cancel_payment_intent: Callable[[str], object]


def register_card_gateway(app: Flask, gateway: CardGateway) -> None:
    app.extensions["orders.card_gateway"] = gateway


def card_gateway() -> CardGateway:
    gateway = current_app.extensions.get("orders.card_gateway")
    if gateway is None:
        raise RuntimeError("No card gateway: marketplace.payments.init_app(app) registers Stripe's.")
    return gateway


def _refund_cancelled_parts(order: Order, actor: str, now: datetime | None = None) -> None:
    """Give back through the card gateway the money of every cancelled part of a paid card order.
    A refused refund raises `RefundFailed` before anything of this part changes; the caller's
    transaction is then rolled back, so nothing of the whole change is kept."""
    for producer_order in order.producer_orders:
        if producer_order.status != "cancelled" or not _money_taken(order):
            continue
        try:
            card_gateway().refund(
                payment_intent_id=order.stripe_payment_intent_id or "",
                amount_vnd=producer_order.total_vnd,
                key=f"{order.reference}-{producer_order.id}",
            )
        except DomainError as exc:
            raise RefundFailed(
                f"The refund could not be made ({exc.message}); nothing was changed. Please try again."
            ) from exc
        order.refunded_vnd += producer_order.total_vnd
        transition(producer_order, "refunded", actor, f"{producer_order.total_vnd} ₫ refunded by card", now)
        set_payment_status(
            order,
            "refunded" if order.refunded_vnd >= order.total_vnd else "partially_refunded",
            actor,
            now=now,
        )


def accept_producer_order(producer_order: ProducerOrder, actor: str, now: datetime | None = None) -> None:
    order = lock_order(producer_order.order)
    if order.payment_status == "awaiting_payment":
        raise AwaitingPayment("This order is not paid yet; accept it once the payment has arrived.")
    transition(producer_order, "accepted", actor, now=now)


def ship_producer_order(
    producer_order: ProducerOrder,
    actor: str,
    *,
    carrier: str,
    tracking_number: str,
    now: datetime | None = None,
) -> None:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number or len(carrier) > 80 or len(tracking_number) > 80:
        raise InvalidShipment("Enter the carrier and the tracking number.")
    now = now or utcnow()
    transition(producer_order, "shipped", actor, f"{carrier} {tracking_number}", now)
    producer_order.carrier, producer_order.tracking_number, producer_order.shipped_at = (
        carrier,
        tracking_number,
        now,
    )
    signals.producer_order_shipped.send(
        current_app._get_current_object(), order=producer_order.order, producer_order=producer_order
    )


def mark_delivered(producer_order: ProducerOrder, actor: str, now: datetime | None = None) -> None:
    """Delivered; for cash on delivery this is also when the producer has collected the money."""
    now = now or utcnow()
    cod = producer_order.order.payment_method == "cod"
    transition(producer_order, "delivered", actor, "cash collected" if cod else "", now)
    producer_order.delivered_at = now
    if cod:
        producer_order.cod_collected_at = now
    # Paid on terms: invoicing issues the delivered part's invoice on this signal, in this same
    # transaction.
    signals.producer_order_delivered.send(
        current_app._get_current_object(), order=producer_order.order, producer_order=producer_order, at=now
    )


def reject_producer_order(
    producer_order: ProducerOrder, actor: str, reason: str = "", now: datetime | None = None
) -> None:
    """The producer declines its part: the stock goes back, and a paid part is refunded."""
    order = lock_order(producer_order.order)
    if producer_order.status != "placed":
        raise TransitionNotAllowed("Only a newly placed order can be rejected.")
    transition(producer_order, "cancelled", actor, reason or "rejected by the producer", now)
    give_back_stock([producer_order])
    _after_cancellation(order, actor, now)
    signals.order_cancelled.send(
        current_app._get_current_object(), order=order, producer_order=producer_order
    )


def cancel_order(
    order: Order, actor: str, reason: str = "", now: datetime | None = None
) -> list[ProducerOrder]:
    """The buyer cancels every part not shipped yet: stock back, paid parts refunded. Refused
    when every part has already left the producer. Returns the parts cancelled."""
    order = lock_order(order)
    open_parts = [po for po in order.producer_orders if po.status in ("placed", "accepted")]
    if not open_parts:
        raise TransitionNotAllowed("This order can no longer be cancelled: it has been shipped or cancelled.")
    for producer_order in open_parts:
        transition(producer_order, "cancelled", actor, reason or "cancelled by the buyer", now)
    give_back_stock(open_parts)
    _after_cancellation(order, actor, now)
    signals.order_cancelled.send(current_app._get_current_object(), order=order, producer_order=None)
    return open_parts


def _after_cancellation(order: Order, actor: str, now: datetime | None) -> None:
    everything_cancelled = all(po.status in ("cancelled", "refunded") for po in order.producer_orders)
    if everything_cancelled and order.cancelled_at is None:
        order.cancelled_at = now or utcnow()
    if order.payment_status == "awaiting_payment" and everything_cancelled:
        order.expires_at = None
        set_payment_status(order, "voided", actor, now=now)
        _cancel_payment_intent(order)
    else:
        _refund_cancelled_parts(order, actor, now)


def _cancel_payment_intent(order: Order) -> None:
    """Best effort: stop the browser paying a cancelled order. Should a payment still get
    through, its webhook refunds it (see `record_card_payment`)."""
    if not order.stripe_payment_intent_id:
        return
    try:
        card_gateway().cancel_payment_intent(order.stripe_payment_intent_id)
    except DomainError as exc:
        current_app.logger.info("PaymentIntent of %s not cancelled: %s", order.reference, exc.message)


def expire_unpaid_orders(now: datetime | None = None) -> list[str]:
    """Cancel the card and VietQR orders whose payment window has passed, giving their stock
    back; one transaction per order. Returns their references."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(Order.id)
        .where(Order.payment_status == "awaiting_payment", Order.expires_at <= now)
        .order_by(Order.id)
    ).all()
    expired = []
    for order_id in ids:
        order = lock_order(db.session.get(Order, order_id))
        if order.payment_status != "awaiting_payment":  # paid meanwhile
            db.session.rollback()
            continue
        cancel_order(order, SYSTEM, "not paid within the payment window", now)
        db.session.commit()
        expired.append(order.reference)
    return expired


# ---------------------------------------------------------------------------------------------
# Card payments, as Stripe reports them (called by the webhook; the caller commits)


def order_by_reference(reference: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.reference == reference))


def record_card_payment(
    order: Order,
    *,
    payment_intent_id: str,
    amount_vnd: int,
    currency: str,
    actor: str = "stripe",
    now: datetime | None = None,
) -> str:
    """Stripe says the card payment succeeded. Returns what was done, for the event log.

    Tolerates any order of events: a payment for an order already paid changes nothing; a
    payment for an order cancelled meanwhile (or for parts cancelled meanwhile) is refunded.
    """
    order = lock_order(order)
    if order.stripe_payment_intent_id and payment_intent_id != order.stripe_payment_intent_id:
        return f"ignored: payment intent {payment_intent_id} is not the one of {order.reference}"
    if currency.lower() != "vnd" or amount_vnd != order.total_vnd:
        return f"ignored: {amount_vnd} {currency} does not match {order.total_vnd} vnd"
    order.stripe_payment_intent_id = payment_intent_id
    now = now or utcnow()
    if order.payment_status == "awaiting_payment":
        order.paid_at, order.expires_at, order.payment_error = now, None, None
        set_payment_status(order, "paid", actor, now=now)
        _refund_cancelled_parts(order, actor, now)
        signals.order_paid.send(current_app._get_current_object(), order=order)
        return "paid"
    if order.payment_status == "voided":
        # Paid after it was cancelled: record the money, then give all of it back.
        order.paid_at = now
        set_payment_status(order, "paid", actor, "payment arrived after cancellation", now)
        _refund_cancelled_parts(order, actor, now)
        return "refunded: the order had been cancelled"
    return f"nothing to do: payment status is {order.payment_status}"


def order_by_payment_reference(reference: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.payment_reference == reference))


def record_transfer_payment(
    order: Order,
    *,
    amount_vnd: int,
    bank_transaction: str,
    actor: str,
    now: datetime | None = None,
    by_hand: bool = False,
) -> None:
    """A bank transfer of exactly the order's total arrived for a VietQR order waiting for it:
    the order is paid (the ledger counts it on `payment_status_changed`). Anything else —
    another amount, an order already paid or cancelled — raises `TransferNotApplicable`; the
    statement matching sends such a line to the queue instead. `by_hand`: an administrator
    accepts a transfer of another amount as the order's payment (the difference is settled
    outside the site). The caller commits."""
    order = lock_order(order)
    if not order.is_transfer:
        raise TransferNotApplicable("This order is not paid by bank transfer.")
    if order.payment_status != "awaiting_payment":
        raise TransferNotApplicable(f"This order is not waiting for a transfer ({order.payment_status}).")
    if amount_vnd != order.total_vnd and not by_hand:
        raise TransferNotApplicable(f"{amount_vnd} ₫ is not the order's total of {order.total_vnd} ₫.")
    now = now or utcnow()
    order.paid_at, order.expires_at, order.payment_error = now, None, None
    note = f"bank transfer {bank_transaction}: {amount_vnd} ₫"
    set_payment_status(order, "paid", actor, note[:500], now)
    signals.order_paid.send(current_app._get_current_object(), order=order)


def record_card_failure(
    order: Order,
    *,
    message: str,
    payment_intent_id: str | None = None,
    actor: str = "stripe",
    now: datetime | None = None,
) -> str:
    """Stripe says a card attempt failed: kept on the order (the buyer may try another card);
    ignored once the order is paid or cancelled, and for a PaymentIntent that is no longer the
    order's (a late event of an earlier attempt must not show an error against the new one)."""
    order = lock_order(order)
    if order.payment_status != "awaiting_payment":
        return f"ignored: payment status is {order.payment_status}"
    if payment_intent_id and order.stripe_payment_intent_id not in (None, payment_intent_id):
        return f"ignored: payment intent {payment_intent_id} is not the one of {order.reference}"
    order.payment_error = message or "The card payment failed."
    record_event(
        order,
        None,
        actor,
        "awaiting_payment",
        "awaiting_payment",
        f"payment failed: {order.payment_error}",
        now,
    )
    return "payment failure recorded"


# ---------------------------------------------------------------------------------------------
# Reading orders (every load scoped to who may see it)


def orders_of_customer(customer_id: int) -> list[Order]:
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
    )


def order_of_customer(reference: str, customer_id: int) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.reference == reference, Order.customer_id == customer_id)
    )


def producer_orders_of(producer_id: int, status: str | None = None) -> list[ProducerOrder]:
    query = select(ProducerOrder).where(ProducerOrder.producer_id == producer_id)
    if status:
        query = query.where(ProducerOrder.status == status)
    return list(db.session.scalars(query.order_by(ProducerOrder.id.desc())))


def producer_order_of(producer_id: int, producer_order_id: int) -> ProducerOrder | None:
    return db.session.scalar(
        select(ProducerOrder).where(
            ProducerOrder.id == producer_order_id, ProducerOrder.producer_id == producer_id
        )
    )


def events_of(order: Order) -> list[OrderEvent]:
    return list(
        db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id))
    )
