"""Bulk ordering rules: the organisation's draft order and saved lists, CSV validation, placing a
bulk order (one ProducerOrder per producer, stock taken atomically, credit limit, approval), and
the owner's approval or rejection.

`place_bulk_order` checks the channel's rules, builds a priced `OrderDraft` and hands it to
`orders.services.place`, which writes it (stock, events, idempotency) and commits, as it does for
consumer checkout. Every other function that changes state leaves the commit to its caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, select

from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.catalog.models import PriceTier, Product
from marketplace.catalog.services import (
    CatalogFilters,
    Facets,
    ProductCard,
    catalog_page,
    parse_filters,
    visible_condition,
)
from marketplace.catalog.supply import ALL_YEAR
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders import signals
from marketplace.orders.drafts import DraftLine, DraftPart, OrderDraft
from marketplace.orders.errors import TransitionNotAllowed
from marketplace.orders.models import MAX_CARD_CHARGE_VND, Order
from marketplace.producers.models import Producer
from marketplace.timeutil import today_in_vietnam, utcnow
from marketplace.wholesale import csvfile
from marketplace.wholesale.capacity import MonthCapacity, supply_capacity
from marketplace.wholesale.codes import product_code, resolve_codes
from marketplace.wholesale.credit import open_balance_vnd
from marketplace.wholesale.errors import (
    ApprovalNotPending,
    CreditLimitExceeded,
    EmptyOrder,
    InvalidLine,
    InvalidListName,
    InvalidOrderDetails,
    LinesRefused,
    NoteRequired,
    NotVerified,
    OrderNotValid,
)
from marketplace.wholesale.models import OrderList, OrderListLine
from marketplace.wholesale.pricing import (
    MAX_BULK_QUANTITY,
    BulkLine,
    BulkQuote,
    Problem,
    organisation_locations,
    price_bulk_order,
    quote_bulk_order,
    read_quote_data,
)

CHANNEL = "supermarket"
MAX_DRAFT_LINES = csvfile.MAX_LINES
BULK_PAYMENT_METHODS = ("invoice", "card")  # on terms (the default), or by card before delivery

# ---------------------------------------------------------------------------------------------
# The draft order and saved lists


def draft_of(organisation_id: int, *, create: bool = False, user_id: int | None = None) -> OrderList | None:
    """The organisation's draft bulk order (created when `create`), or None."""
    draft = db.session.scalar(
        select(OrderList)
        .where(OrderList.buyer_organisation_id == organisation_id, OrderList.kind == "draft")
        .order_by(OrderList.id)
        .limit(1)
    )
    if draft is None and create:
        draft = OrderList(buyer_organisation_id=organisation_id, kind="draft", name="", created_by_id=user_id)
        db.session.add(draft)
        db.session.flush()
    return draft


def bulk_lines(order_list: OrderList | None) -> list[BulkLine]:
    if order_list is None:
        return []
    return [BulkLine(ln.product_id, ln.quantity, ln.delivery_location_id) for ln in order_list.lines]


def _check_quantity(quantity: object) -> int:
    if isinstance(quantity, str) and quantity.strip().isdigit():
        quantity = int(quantity)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_BULK_QUANTITY:
        raise InvalidLine(f"Quantities must be whole numbers from 1 to {MAX_BULK_QUANTITY}.")
    return quantity


def _product_for_sale(product_id: int) -> Product:
    product = db.session.scalar(
        select(Product)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.id == product_id, visible_condition())
    )
    if product is None:
        raise InvalidLine("This product is not for sale.")
    return product


def add_to_draft(
    organisation_id: int, user_id: int | None, product_id: int, quantity: object
) -> OrderListLine:
    """Add `quantity` units of a product to the draft (added to any quantity already there)."""
    quantity = _check_quantity(quantity)
    _product_for_sale(product_id)
    draft = draft_of(organisation_id, create=True, user_id=user_id)
    line = next((ln for ln in draft.lines if ln.product_id == product_id), None)
    if line is None:
        if len(draft.lines) >= MAX_DRAFT_LINES:
            raise InvalidLine(f"A bulk order holds at most {MAX_DRAFT_LINES} lines.")
        line = OrderListLine(product_id=product_id, quantity=quantity)
        draft.lines.append(line)
    else:
        line.quantity = _check_quantity(line.quantity + quantity)
    draft.updated_at = utcnow()
    db.session.flush()
    return line


def update_draft(organisation_id: int, quantities: dict[int, object]) -> None:
    """Set the quantity of draft lines by product id; 0 (or empty) removes the line. Checks every
    quantity before changing any."""
    draft = draft_of(organisation_id)
    if draft is None:
        return
    checked: dict[int, int] = {}
    for product_id, raw in quantities.items():
        if raw in (None, "", 0, "0"):
            checked[product_id] = 0
        else:
            checked[product_id] = _check_quantity(raw)
    for line in list(draft.lines):
        if line.product_id in checked:
            if checked[line.product_id] == 0:
                draft.lines.remove(line)
            else:
                line.quantity = checked[line.product_id]
    draft.updated_at = utcnow()
    db.session.flush()


def replace_draft(organisation_id: int, user_id: int | None, lines: Sequence[BulkLine]) -> OrderList:
    """The draft becomes exactly `lines` (one line per product, quantities added up)."""
    merged: dict[int, BulkLine] = {}
    for line in lines:
        if line.product_id in merged:
            prev = merged[line.product_id]
            line = BulkLine(line.product_id, prev.quantity + line.quantity, prev.delivery_location_id)
        merged[line.product_id] = line
    draft = draft_of(organisation_id, create=True, user_id=user_id)
    draft.lines.clear()
    db.session.flush()
    for line in merged.values():
        draft.lines.append(
            OrderListLine(
                product_id=line.product_id,
                quantity=line.quantity,
                delivery_location_id=line.delivery_location_id,
            )
        )
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def clear_draft(organisation_id: int) -> None:
    draft = draft_of(organisation_id)
    if draft is not None:
        db.session.execute(delete(OrderListLine).where(OrderListLine.order_list_id == draft.id))
        db.session.expire(draft, ["lines"])


def saved_lists(organisation_id: int) -> list[OrderList]:
    return list(
        db.session.scalars(
            select(OrderList)
            .where(OrderList.buyer_organisation_id == organisation_id, OrderList.kind == "saved")
            .order_by(OrderList.name, OrderList.id)
        )
    )


def save_draft_as(organisation_id: int, user_id: int | None, name: str) -> OrderList:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidListName("Give the list a name of at most 120 characters.")
    draft = draft_of(organisation_id)
    if draft is None or not draft.lines:
        raise EmptyOrder("The draft order is empty.")
    saved = OrderList(buyer_organisation_id=organisation_id, kind="saved", name=name, created_by_id=user_id)
    saved.lines = [
        OrderListLine(
            product_id=ln.product_id, quantity=ln.quantity, delivery_location_id=ln.delivery_location_id
        )
        for ln in draft.lines
    ]
    db.session.add(saved)
    db.session.flush()
    return saved


def load_list(order_list: OrderList, user_id: int | None) -> OrderList:
    """A saved list's lines become the draft (replacing it)."""
    return replace_draft(order_list.buyer_organisation_id, user_id, bulk_lines(order_list))


def delete_list(order_list: OrderList) -> None:
    db.session.delete(order_list)
    db.session.flush()


def order_again(order: Order, user_id: int | None) -> OrderList:
    """The lines of a past order (as first ordered, its parts' delivery locations) become the draft."""
    lines = []
    for part in order.producer_orders:
        for line in part.lines:
            lines.append(
                BulkLine(line.product_id, line.ordered_quantity or line.quantity, part.delivery_location_id)
            )
    if order.buyer_organisation_id is None or not lines:
        raise EmptyOrder("This order has no lines to order again.")
    return replace_draft(order.buyer_organisation_id, user_id, lines)


# ---------------------------------------------------------------------------------------------
# Checking codes and CSV files


@dataclass
class ReportLine:
    """One line of an uploaded file, as the buyer wrote it, with what became of it."""

    line_no: int
    code: str
    quantity_text: str
    location_name: str
    product_id: int | None = None
    quoted: object = None  # pricing.QuotedLine when the product was found
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.quoted is not None and self.quoted.ok


@dataclass
class CsvReport:
    lines: list[ReportLine]
    quote: BulkQuote | None
    file_error: str | None = None
    file_error_params: dict = field(default_factory=dict)
    part_problems: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> list[ReportLine]:
        return [line for line in self.lines if line.ok]

    @property
    def refused(self) -> list[ReportLine]:
        return [line for line in self.lines if not line.ok]

    @property
    def ok(self) -> bool:
        return self.file_error is None and bool(self.lines) and not self.refused and not self.part_problems

    def bulk_lines(self) -> list[BulkLine]:
        return [
            BulkLine(ln.product_id, ln.quoted.quantity, _line_location(ln), ln.line_no)
            for ln in self.lines
            if ln.product_id is not None and ln.quoted is not None
        ]


def _line_location(line: ReportLine) -> int | None:
    return line.quoted.delivery_location_id if line.location_name else None


UPLOAD_MODES = ("replace", "add")  # what an upload does to a draft that already has lines


def validate_csv(data: bytes, organisation_id: int, base: Sequence[BulkLine] = ()) -> CsvReport:
    """Read and check every line of an uploaded order file; change nothing.

    `base`: the draft's lines when the file is added to it. A file line for a product already
    there is checked at the two quantities added up, and the draft's other lines are quoted with
    the file, so that every rule (MOQ, case pack, tiers, stock, a producer's minimum) is checked on
    the order as it would become."""
    parsed = csvfile.parse_order_csv(data)
    if parsed.error:
        return CsvReport([], None, parsed.error, parsed.error_params)
    return check_rows(parsed.rows, organisation_id, base)


def check_rows(
    rows: Sequence[csvfile.CsvRow], organisation_id: int, base: Sequence[BulkLine] = ()
) -> CsvReport:
    """Check every line of a bulk order as the CSV upload does (codes, quantities, locations by
    name, duplicates, then the pricing rules), whatever channel sent it; change nothing. `base`:
    lines already in the draft, as in `validate_csv`."""
    report_lines, asked = _read_rows(rows, organisation_locations(organisation_id), base)
    return _report(report_lines, quote_bulk_order(asked, organisation_id) if asked else None)


def _read_rows(
    rows: Sequence[csvfile.CsvRow], locations: Sequence[DeliveryLocation], base: Sequence[BulkLine] = ()
) -> tuple[list[ReportLine], list[BulkLine]]:
    """The first half of `check_rows`: each row's code, quantity, location name and duplicate
    checked, and the lines to price (with `base`'s other lines when any row is to be priced)."""
    in_base = {line.product_id: line for line in base}
    resolved = resolve_codes(row.code for row in rows)
    by_name = {csvfile.normalise_name(loc.name): loc.id for loc in locations}
    report_lines: list[ReportLine] = []
    first_line_of: dict[int, int] = {}
    asked: list[BulkLine] = []
    for row in rows:
        line = ReportLine(row.line_no, row.code, row.quantity_text, row.location_name)
        report_lines.append(line)
        found = resolved.get(row.code.strip()) if row.code.strip() else None
        if found is None or found.product_id is None:
            line.problems.append(Problem(found.problem if found else "missing_code", {"code": row.code}))
        quantity = row.quantity
        if quantity is None or not 1 <= quantity <= MAX_BULK_QUANTITY:
            line.problems.append(Problem("invalid_quantity", {"max": MAX_BULK_QUANTITY}))
        location_id = None
        if row.location_name:
            location_id = by_name.get(csvfile.normalise_name(row.location_name))
            if location_id is None:
                line.problems.append(Problem("unknown_location_name", {"name": row.location_name}))
        if found is not None and found.product_id is not None:
            if found.product_id in first_line_of:
                line.problems.append(Problem("duplicate_line", {"line": first_line_of[found.product_id]}))
            else:
                first_line_of[found.product_id] = row.line_no
                line.product_id = found.product_id
                already = in_base.get(found.product_id)
                if already is not None and quantity is not None:
                    quantity += already.quantity
                    location_id = location_id or already.delivery_location_id
                    if quantity > MAX_BULK_QUANTITY:
                        line.problems.append(Problem("invalid_quantity", {"max": MAX_BULK_QUANTITY}))
                if quantity is not None and 1 <= quantity <= MAX_BULK_QUANTITY:
                    asked.append(BulkLine(found.product_id, quantity, location_id, row.line_no))
    if asked:
        asked += [line for pid, line in in_base.items() if pid not in first_line_of]
    return report_lines, asked


def _report(report_lines: list[ReportLine], quote: BulkQuote | None) -> CsvReport:
    """The second half of `check_rows`: each priced line's problems added to its row."""
    part_problems: list[Problem] = []
    if quote is not None:
        by_source = {q.source: q for q in quote.lines}
        for line in report_lines:
            if line.line_no in by_source:
                line.quoted = by_source[line.line_no]
                line.problems.extend(line.quoted.problems)
        for part in quote.parts:
            part_problems.extend(part.problems)
    return CsvReport(report_lines, quote, part_problems=part_problems)


def accept_csv(data: bytes, organisation_id: int, user_id: int | None, mode: str = "replace") -> CsvReport:
    """Validate a file; when every line is right, its lines become the draft ("replace") or are
    added to it ("add": quantities of the same product added up, every rule checked on the
    result). Nothing changes otherwise (the caller commits)."""
    if mode not in UPLOAD_MODES:
        raise InvalidLine(f"Choose one of {UPLOAD_MODES} for the uploaded lines.")
    base = bulk_lines(draft_of(organisation_id)) if mode == "add" else []
    report = validate_csv(data, organisation_id, base)
    if report.ok:
        from_file = report.bulk_lines()
        in_file = {line.product_id for line in from_file}
        kept = [line for line in base if line.product_id not in in_file]
        replace_draft(organisation_id, user_id, from_file + kept)
    return report


def draft_line_count(organisation_id: int) -> int:
    """How many lines the organisation's draft has (an upload onto a non-empty draft must say
    whether it replaces it or adds to it)."""
    draft = draft_of(organisation_id)
    return len(draft.lines) if draft is not None else 0


# ---------------------------------------------------------------------------------------------
# Placing a bulk order


@dataclass(frozen=True)
class PartChoice:
    """What the buyer chose for one producer's part on the review page."""

    delivery_location_id: int | None
    requested_delivery_date: date | None


def check_credit(organisation: BuyerOrganisation, order_total_vnd: int) -> None:
    """Refuse an order that would take the open balance above the credit limit (equal is fine)."""
    open_vnd = open_balance_vnd(organisation.id)
    if open_vnd + order_total_vnd > organisation.credit_limit_vnd:
        raise CreditLimitExceeded(organisation.credit_limit_vnd, open_vnd, order_total_vnd)


def needs_approval(organisation: BuyerOrganisation, total_vnd: int) -> bool:
    """Orders strictly above the owner's threshold wait for an owner's approval."""
    return organisation.approval_threshold_vnd is not None and total_vnd > organisation.approval_threshold_vnd


def place_bulk_order(
    *,
    organisation_id: int,
    user,
    choices: dict[int, PartChoice],
    purchase_order_number: str,
    idempotency_key: str,
    payment_method: str = "invoice",
    now: datetime | None = None,
    lines: Sequence[BulkLine] | None = None,
    actor: str | None = None,
) -> Order:
    """Place the organisation's draft (or `lines`, when given: the draft is then left alone) as
    one order split by producer, in one transaction that takes the stock, and commit; or change
    nothing and raise.

    Refused when a line or part breaks a rule (`OrderNotValid`, with the quote), a part lacks a
    delivery date from today (Vietnam) on or a location (`InvalidOrderDetails`), or the order
    would exceed the credit limit (`CreditLimitExceeded`). Above the organisation's approval
    threshold the order is placed waiting for approval: the stock is reserved, producers do not
    see it yet. A second call with the same idempotency key returns the first order.

    `payment_method` "card" (instead of "invoice", on terms): the order waits for a card payment
    through the checkout's Stripe module within ORDER_PAYMENT_WINDOW_MINUTES, like a consumer
    card order, and does not count against the credit limit. Card is refused
    (`InvalidOrderDetails` on "payment_method") above MAX_CARD_CHARGE_VND and for orders that
    need an owner's approval: the payment window would run out while the order waits.
    """
    existing = orders.order_by_idempotency_key(idempotency_key or "")
    if existing is not None:
        return existing
    _check_form_key(idempotency_key)
    try:
        organisation = _lock_organisation(organisation_id)
        draft = draft_of(organisation_id) if lines is None else None
        if lines is None:
            lines = bulk_lines(draft)
        if not lines:
            raise EmptyOrder("The draft order is empty.")
        part_locations = {pid: c.delivery_location_id for pid, c in choices.items() if c.delivery_location_id}
        part_dates = {
            pid: c.requested_delivery_date for pid, c in choices.items() if c.requested_delivery_date
        }
        quote = quote_bulk_order(lines, organisation_id, part_locations, part_dates)
    except BaseException:
        db.session.rollback()
        raise
    return _place_quote(
        organisation,
        user,
        quote,
        choices,
        purchase_order_number=purchase_order_number,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
        now=now,
        actor=actor,
        draft=draft,
    )


def _check_form_key(idempotency_key: str) -> None:
    if not orders.valid_idempotency_key(idempotency_key):
        raise InvalidOrderDetails(
            "The order form has expired; please reload the page.", {"form": ("form_expired", {})}
        )


def _lock_organisation(organisation_id: int) -> BuyerOrganisation:
    """The organisation, locked until the commit: one order at a time per organisation, so that
    the credit check sees the previous one. Only a verified organisation may order."""
    organisation = db.session.scalars(
        select(BuyerOrganisation)
        .where(BuyerOrganisation.id == organisation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if not organisation.is_verified:
        raise NotVerified("Only verified buyer organisations may place wholesale orders.")
    return organisation


def _place_quote(
    organisation: BuyerOrganisation,
    user,
    quote: BulkQuote,
    choices: dict[int, PartChoice],
    *,
    purchase_order_number: str,
    idempotency_key: str,
    payment_method: str,
    now: datetime | None,
    actor: str | None,
    draft: OrderList | None = None,
) -> Order:
    """The second half of placing, under the organisation's lock: the quote (priced with the
    parts' chosen dates and locations) checked against the order's details, the payment method,
    the approval threshold and the credit limit, then written by `orders.place` (which commits),
    emptying `draft` in the same transaction; or roll back and raise."""
    now = now or utcnow()
    try:
        if not quote.ok:
            raise OrderNotValid("Some lines cannot be ordered as they are.", quote)
        po_number = (purchase_order_number or "").strip()
        errors: dict[str, tuple[str, dict]] = {}
        if len(po_number) > 64:
            errors["purchase_order_number"] = ("po_too_long", {"max": 64})
        today = today_in_vietnam()
        for part in quote.parts:
            chosen = choices.get(part.producer_id)
            wanted = chosen.requested_delivery_date if chosen else None
            if wanted is None:
                errors[f"date_{part.producer_id}"] = ("date_required", {})
            elif wanted < today:
                errors[f"date_{part.producer_id}"] = ("date_in_past", {})
            if part.delivery_location is None:
                foreign = chosen is not None and chosen.delivery_location_id is not None
                code = "unknown_location" if foreign else "location_required"
                errors[f"location_{part.producer_id}"] = (code, {})
        pending = needs_approval(organisation, quote.total_vnd)
        card = payment_method == "card"
        if payment_method not in BULK_PAYMENT_METHODS:
            errors["payment_method"] = ("payment_method_unknown", {})
        elif card and quote.total_vnd > MAX_CARD_CHARGE_VND:
            errors["payment_method"] = ("card_above_limit", {"max": MAX_CARD_CHARGE_VND})
        elif card and pending:
            errors["payment_method"] = ("card_needs_approval", {})
        if errors:
            raise InvalidOrderDetails("Please correct the order details.", errors)
        if not card:
            check_credit(organisation, quote.total_vnd)

        first_location = quote.parts[0].delivery_location
        notes: tuple[tuple[str, str], ...] = ()
        if pending:
            threshold = organisation.approval_threshold_vnd
            notes = (("approval_pending", f"above the approval threshold of {threshold} ₫"),)
        priced = OrderDraft(
            channel=CHANNEL,
            idempotency_key=idempotency_key,
            payment_method=payment_method,
            payment_status="awaiting_payment" if card else "on_terms",
            parts=tuple(
                DraftPart(
                    producer_id=part.producer_id,
                    lines=tuple(
                        DraftLine(
                            ln.product_id,
                            ln.name,
                            ln.sku,
                            ln.unit,
                            ln.unit_price_vnd,
                            ln.quantity,
                            retail_unit_price_vnd=ln.retail_unit_price_vnd,
                            tier_min_quantity=ln.tier_min_quantity,
                        )
                        for ln in part.lines
                    ),
                    delivery_location_id=part.delivery_location.id,
                    requested_delivery_date=choices[part.producer_id].requested_delivery_date,
                )
                for part in quote.parts
            ),
            contact_email=organisation.contact_email,
            recipient_name=organisation.legal_name[:120],
            phone=orders.normalise_phone(organisation.contact_phone or "") or "",
            street=first_location.address[:200],
            commune=first_location.name[:120],
            province_code=first_location.province_code,
            customer_id=user.id,
            buyer_organisation_id=organisation.id,
            purchase_order_number=po_number or None,
            payment_terms_days=organisation.payment_terms_days,
            approval_status="pending" if pending else None,
            payment_note="payment by card"
            if card
            else f"payment on terms: {organisation.payment_terms_days} days",
            notes=notes,
        )
    except BaseException:
        db.session.rollback()
        raise

    def empty_the_draft(order: Order) -> None:
        db.session.execute(delete(OrderListLine).where(OrderListLine.order_list_id == draft.id))

    return orders.place(
        priced,
        actor or f"buyer {user.id}",
        now,
        in_transaction=empty_the_draft if draft is not None else None,
    )


@dataclass(frozen=True)
class LineRequest:
    """One line of an order sent by a purchasing system: a product code and a quantity."""

    code: str
    quantity: int


def place_order_lines(
    *,
    organisation_id: int,
    user,
    lines: Sequence[LineRequest],
    deliveries: dict[str, PartChoice],
    default: PartChoice,
    purchase_order_number: str,
    idempotency_key: str,
    payment_method: str = "invoice",
    actor: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Place an order from lines given by code and quantity (the JSON API), with the same rules,
    pricing and codes as the CSV upload and the review page; commit, or change nothing and raise.

    Every refused line (and producer part) is reported at once (`LinesRefused`, with the report).
    `deliveries` maps a producer's slug to its part's delivery location and date; parts not named
    take `default`. A location that is not the organisation's, or a producer with no part in the
    order, is refused (`InvalidOrderDetails`).

    The order is priced once, under the organisation's lock, with each part's chosen date (so
    supply capacity is checked for the month of delivery, as on the review page), and that one
    quote is both what the refused lines are reported from and what is placed.
    """
    existing = orders.order_by_idempotency_key(idempotency_key or "")
    if existing is not None:
        return existing
    rows = [
        csvfile.CsvRow(number, line.code, str(line.quantity)) for number, line in enumerate(lines, start=1)
    ]
    if not rows:
        raise EmptyOrder("The order has no lines.")
    if len(rows) > MAX_DRAFT_LINES:
        raise InvalidOrderDetails("Too many lines.", {"lines": ("too_many_lines", {"max": MAX_DRAFT_LINES})})
    _check_form_key(idempotency_key)
    try:
        organisation = _lock_organisation(organisation_id)
        locations = organisation_locations(organisation_id)
        report_lines, asked = _read_rows(rows, locations)
        data = read_quote_data((line.product_id for line in asked), organisation_id, locations)
        parts = data.producer_ids_by_slug()  # every product read is on a line: its producer has a part
        choices: dict[int, PartChoice] = {}
        for slug, producer_id in parts.items():
            chosen = deliveries.get(slug, default)
            choices[producer_id] = PartChoice(
                chosen.delivery_location_id or default.delivery_location_id,
                chosen.requested_delivery_date or default.requested_delivery_date,
            )
        quote = (
            price_bulk_order(
                asked,
                data,
                {pid: c.delivery_location_id for pid, c in choices.items() if c.delivery_location_id},
                {pid: c.requested_delivery_date for pid, c in choices.items() if c.requested_delivery_date},
            )
            if asked
            else None
        )
        report = _report(report_lines, quote)
        if not report.ok:
            raise LinesRefused("Some lines cannot be ordered as they are.", report)
        errors: dict[str, tuple[str, dict]] = {}
        for slug in deliveries:
            if slug not in parts:
                errors[f"deliveries.{slug}"] = ("unknown_producer", {"producer": slug})
        for slug, choice in [("", default), *deliveries.items()]:
            if choice.delivery_location_id is not None and choice.delivery_location_id not in data.locations:
                errors[f"deliveries.{slug}.delivery_location_id" if slug else "delivery_location_id"] = (
                    "unknown_location",
                    {},
                )
        if errors:
            raise InvalidOrderDetails("Please correct the order details.", errors)
    except BaseException:
        db.session.rollback()
        raise
    return _place_quote(
        organisation,
        user,
        quote,
        choices,
        purchase_order_number=purchase_order_number,
        idempotency_key=idempotency_key,
        payment_method=payment_method,
        now=now,
        actor=actor,
    )


# ---------------------------------------------------------------------------------------------
# Approval (the caller commits)


def approve_order(order: Order, user, now: datetime | None = None) -> None:
    """An owner approves: the parts go to their producers."""
    order = orders.lock_order(order)
    if order.approval_status != "pending":
        raise ApprovalNotPending("This order is not waiting for approval.")
    now = now or utcnow()
    actor = f"buyer {user.id}"
    order.approval_status, order.approval_decided_by_id, order.approval_decided_at = "approved", user.id, now
    orders.record_event(order, None, actor, "approval_pending", "approved", now=now)
    for part in order.producer_orders:
        if part.status == "pending_approval":
            orders.transition(part, "placed", actor, "approved", now)
    signals.order_placed.send(current_app._get_current_object(), order=order)


def reject_order(order: Order, user, note: str, now: datetime | None = None) -> None:
    """An owner rejects, saying why: the order is cancelled and its stock given back."""
    note = (note or "").strip()
    if not note or len(note) > 1000:
        raise NoteRequired("Say why the order is rejected (at most 1,000 characters).")
    order = orders.lock_order(order)
    if order.approval_status != "pending":
        raise ApprovalNotPending("This order is not waiting for approval.")
    now = now or utcnow()
    actor = f"buyer {user.id}"
    order.approval_status, order.approval_decided_by_id, order.approval_decided_at = "rejected", user.id, now
    order.approval_note, order.cancelled_at = note, now
    orders.record_event(order, None, actor, "approval_pending", "rejected", note, now=now)
    parts = [part for part in order.producer_orders if part.status == "pending_approval"]
    for part in parts:
        orders.transition(part, "cancelled", actor, note, now)
    orders.give_back_stock(parts)


def cancel_before_acceptance(order: Order, actor: str, now: datetime | None = None) -> None:
    """The buyer cancels an order no producer has accepted yet (every part placed, or waiting for
    the owner's approval): the stock goes back. Refused (`TransitionNotAllowed`) otherwise. The
    caller commits."""
    order = orders.lock_order(order)
    parts = list(order.producer_orders)
    if not parts or any(part.status not in ("placed", "pending_approval") for part in parts):
        raise TransitionNotAllowed("Only an order that no producer has accepted yet can be cancelled.")
    if order.approval_status == "pending":
        now = now or utcnow()
        order.approval_status, order.approval_decided_at = "rejected", now
        order.approval_note, order.cancelled_at = "cancelled by the buyer", now
        orders.record_event(
            order, None, actor, "approval_pending", "rejected", "cancelled by the buyer", now=now
        )
        for part in parts:
            orders.transition(part, "cancelled", actor, "cancelled by the buyer", now)
        orders.give_back_stock(parts)
        return
    orders.cancel_order(order, actor, "cancelled by the buyer", now)


def set_approval_threshold(organisation: BuyerOrganisation, amount_vnd: int | None) -> None:
    """None: no approval needed. Otherwise orders above `amount_vnd` wait for an owner."""
    if amount_vnd is not None and (not isinstance(amount_vnd, int) or amount_vnd < 0):
        raise InvalidLine("The approval threshold is a whole number of đồng, 0 or more.")
    organisation.approval_threshold_vnd = amount_vnd


# ---------------------------------------------------------------------------------------------
# Reading orders (scoped to the organisation)


def orders_of_organisation(organisation_id: int) -> list[Order]:
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.buyer_organisation_id == organisation_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
    )


def order_of_organisation(reference: str, organisation_id: int) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.reference == reference, Order.buyer_organisation_id == organisation_id)
    )


# ---------------------------------------------------------------------------------------------
# The wholesale catalogue

CATALOGUE_PAGE_SIZE = 30


@dataclass(frozen=True)
class CatalogueItem:
    """A wholesale catalogue entry: the storefront's card (picture, badges) and the bulk facts."""

    card: ProductCard
    product: Product
    producer_code: str | None
    producer_slug: str
    producer_name: str
    producer_min_order_value_vnd: int
    tiers: tuple[tuple[int, int], ...]
    # This month and the next two: capacity, season and units already committed (wholesale.capacity).
    supply: tuple[MonthCapacity, ...] = ()

    @property
    def limited_supply(self) -> bool:
        """Whether the producer declared a capacity or a season (otherwise the figures say nothing)."""
        return self.product.monthly_capacity is not None or self.product.season_months != ALL_YEAR

    @property
    def code(self) -> str:
        return product_code(self.producer_code, self.producer_slug, self.product.sku)


@dataclass(frozen=True)
class CataloguePage:
    items: list[CatalogueItem]
    page: int
    pages: int
    total: int
    query: str
    filters: CatalogFilters
    facets: Facets | None


def wholesale_catalogue(args: Mapping[str, str] | None = None) -> CataloguePage:
    """Wholesale-ready products (published by a verified producer, in stock, with price tiers, a
    minimum order quantity or a case pack), filtered and searched like the storefront catalogue
    (group, province, star class, producer; the search backend ranks a query) — a query that is a
    product code (CCNM/014, a SKU, #id) shows that product. Pictures and badges come from the
    catalogue's cards; tiers, producers' minimums and committed supply take three more queries per
    page."""
    filters = parse_filters(args or {}, wholesale=True)
    if filters.q:
        found = resolve_codes([filters.q]).get(filters.q)
        if found and found.product_id is not None:
            filters = replace(filters, ids=(found.product_id,), sort="relevance")
    catalogue = catalog_page(filters, page_size=CATALOGUE_PAGE_SIZE)
    ids = [card.id for card in catalogue.items]
    rows = (
        {
            product.id: (product, producer)
            for product, producer in db.session.execute(
                select(Product, Producer)
                .join(Producer, Producer.id == Product.producer_id)
                .where(Product.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    tiers: dict[int, list[tuple[int, int]]] = {}
    if ids:
        for product_id, min_quantity, price in db.session.execute(
            select(PriceTier.product_id, PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .where(PriceTier.product_id.in_(ids))
            .order_by(PriceTier.min_quantity)
        ):
            tiers.setdefault(product_id, []).append((min_quantity, price))
    supply = supply_capacity([rows[card.id][0] for card in catalogue.items])
    items = []
    for card in catalogue.items:
        product, producer = rows[card.id]
        items.append(
            CatalogueItem(
                card,
                product,
                producer.code,
                producer.slug,
                producer.name,
                producer.min_order_value_vnd,
                tuple(tiers.get(card.id, ())),
                supply.get(card.id, ()),
            )
        )
    pages = max(1, -(-catalogue.total // CATALOGUE_PAGE_SIZE))
    return CataloguePage(
        items,
        min(catalogue.filters.page, pages),
        pages,
        catalogue.total,
        filters.q,
        catalogue.filters,
        catalogue.facets,
    )


def check_code(code: str, quantity: object, organisation_id: int) -> dict:
    """The quick-order pad's check of one row, as JSON-ready data: the product, its price for the
    quantity and every problem (as codes and texts, which the caller adds)."""
    code = (code or "").strip()
    if not code:
        return {"ok": False, "problems": [Problem("missing_code", {})]}
    resolved = resolve_codes([code])[code]
    if resolved.product_id is None:
        return {"ok": False, "problems": [Problem(resolved.problem, {"code": code})]}
    try:
        quantity = _check_quantity(quantity)
    except InvalidLine:
        quantity = None
    quote = quote_bulk_order([BulkLine(resolved.product_id, quantity or 1)], organisation_id)
    line = quote.lines[0]
    problems = list(line.problems) if quantity else [Problem("invalid_quantity", {"max": MAX_BULK_QUANTITY})]
    return {"ok": not problems, "line": line, "quantity": quantity, "problems": problems}
