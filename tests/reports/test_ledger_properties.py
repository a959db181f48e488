"""A property of the whole order system: whatever happens to orders, in whatever order, the
ledger says what their state says, it only grows, and stock never goes below zero.

Hypothesis drives random sequences of placements (consumer card and cash orders, supermarket
orders on terms or by card, some waiting for approval), payments, acceptances (whole or in
part), shipments, deliveries, rejections, cancellations, expiry, approvals and receipts with
credit notes. After every step it checks, through `ledger check`'s independent recomputation,
that every part's ledger figure is what its state says, that earlier rows are unchanged, that
no product's stock is negative, and that stock plus what open parts hold is what there was.

The state machine runs inside an ordinary test (`run_state_machine_as_test`), not under
`@given`, so Hypothesis's function-scoped-fixture health check does not apply: the `app` fixture
is set up once for the test, the catalogue built once, and each example starts by emptying the
order tables and putting the stock back itself. Card refunds
go to a stand-in (the `refunds` fixture), not to Stripe. Deterministic (`derandomize`, no example
database) so that CI is stable.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select, update

from marketplace.accounts.models import User
from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.models import Product
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.invoicing import fulfilment
from marketplace.invoicing import services as invoicing
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.reports.check import check_ledger
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import utcnow
from marketplace.wholesale import services as wholesale_services
from tests.factories import make_producer
from tests.orders.helpers import place
from tests.wholesale import helpers as wholesale

STOCK = 6
MAX_EXAMPLES = 15
PRICES = (90_000, 45_000, 120_000, 30_000, 75_000, 60_000)
lines = st.lists(st.tuples(st.integers(0, len(PRICES) - 1), st.integers(1, 3)), min_size=1, max_size=3)


# What each example keeps: the catalogue and the buyer, built once per test (their rows are ORM
# writes the search index follows; the examples change stock only with UPDATE statements).
CATALOGUE_TABLES = {
    "catalog_state",
    "producers",
    "products",
    "price_tiers",
    "users",
    "buyer_organisations",
    "buyer_memberships",
    "delivery_locations",
}


def _build_catalogue() -> dict:
    producers = [make_producer() for _ in range(3)]
    products = [
        wholesale.wholesale_product(producers[i % 3], price_vnd=price, stock=STOCK)
        for i, price in enumerate(PRICES)
    ]
    user, organisation = wholesale.buyer("owner", approval_threshold_vnd=400_000)
    db.session.commit()
    return {"products": [p.id for p in products], "user": user.id, "organisation": organisation.id}


def _reset_orders() -> None:
    """Every order, invoice, ledger row, e-mail and draft gone; every product back to STOCK."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in CATALOGUE_TABLES:
                conn.execute(table.delete())
        conn.execute(update(Product).values(stock=STOCK))


def _ledger_machine(app: Flask, catalogue: dict, seen: set) -> type[RuleBasedStateMachine]:
    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            _reset_orders()
            self.product_ids = catalogue["products"]
            self.user = db.session.get(User, catalogue["user"])
            self.organisation = db.session.get(BuyerOrganisation, catalogue["organisation"])
            self.order_ids: list[int] = []
            self.rows_before: list[tuple[int, int, int]] = []

        # -- helpers ---------------------------------------------------------------------------

        def attempt(self, action) -> None:
            """Do one thing and commit, or (a rule refused it) roll back."""
            try:
                action()
                db.session.commit()
            except DomainError:
                db.session.rollback()

        def order(self, i: int) -> Order:
            return db.session.get(Order, self.order_ids[i % len(self.order_ids)])

        def part(self, i: int, *statuses: str) -> ProducerOrder | None:
            """The i-th part (among those in one of `statuses`, if given), or None."""
            query = select(ProducerOrder).where(ProducerOrder.order_id.in_(self.order_ids))
            if statuses:
                query = query.where(ProducerOrder.status.in_(statuses))
            parts = db.session.scalars(query.order_by(ProducerOrder.id)).all()
            return parts[i % len(parts)] if parts else None

        def chosen(self, picks: list[tuple[int, int]]) -> list[tuple[Product, int]]:
            quantities: dict[int, int] = {}
            for index, quantity in picks:
                quantities[index] = quantities.get(index, 0) + quantity
            return [(db.session.get(Product, self.product_ids[i]), q) for i, q in sorted(quantities.items())]

        def pay_by_card_order(self, order: Order) -> None:
            """Stripe's payment_intent.succeeded, applied as the webhook applies it."""
            self.attempt(
                lambda: orders.record_card_payment(
                    order,
                    payment_intent_id=f"pi_{order.reference}",
                    amount_vnd=order.total_vnd,
                    currency="vnd",
                )
            )

        def receive(self, part: ProducerOrder, quantity: int, kind: str) -> None:
            """The buyer confirms receipt, reporting `quantity` units of the first invoiced line."""
            invoice = invoicing.invoice_of_producer_order(part.id)
            problems = {}
            if invoice is not None and quantity and invoice.lines[0].order_line_id is not None:
                line_id = invoice.lines[0].order_line_id
                problems[line_id] = invoicing.ReceiptProblem(line_id, kind, quantity, "hỏng")
            self.attempt(
                lambda: invoicing.confirm_receipt(
                    part, actor="buyer", user_id=self.user.id, problems=problems
                )
            )

        # -- placing ---------------------------------------------------------------------------

        @initialize()
        def one_life_of_each_kind(self) -> None:
            """Every example starts with each kind of row written once (a cash sale, a card sale
            refunded, an invoice with a credit note); the random steps then go on from there."""
            self.place_consumer_order([(0, 1)], "cod")
            self.place_consumer_order([(1, 1)], "card")
            self.place_supermarket_order([(2, 2)], "invoice")
            cash, card, terms = (db.session.get(Order, order_id) for order_id in self.order_ids)
            self.pay_by_card_order(card)
            orders.cancel_order(card, "customer")
            db.session.commit()
            for part in (cash.producer_orders[0], terms.producer_orders[0]):
                orders.accept_producer_order(part, "producer")
                orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="1")
                orders.mark_delivered(part, "producer")
                db.session.commit()
            self.receive(terms.producer_orders[0], 1, "damaged")

        # One rule per payment method: Hypothesis favours the first of a sampled list.
        @rule(picks=lines)
        def place_card_order(self, picks: list[tuple[int, int]]) -> None:
            self.place_consumer_order(picks, "card")

        @rule(picks=lines)
        def place_cash_order(self, picks: list[tuple[int, int]]) -> None:
            self.place_consumer_order(picks, "cod")

        @rule(picks=lines)
        def place_terms_order(self, picks: list[tuple[int, int]]) -> None:
            self.place_supermarket_order(picks, "invoice")

        @rule(picks=lines)
        def place_supermarket_card_order(self, picks: list[tuple[int, int]]) -> None:
            self.place_supermarket_order(picks, "card")

        def place_consumer_order(self, picks: list[tuple[int, int]], method: str) -> None:
            try:
                self.order_ids.append(place(self.chosen(picks), method=method).id)
            except DomainError:
                db.session.rollback()

        def place_supermarket_order(self, picks: list[tuple[int, int]], method: str) -> None:
            chosen = self.chosen(picks)
            wholesale_services.clear_draft(self.organisation.id)
            wholesale.fill_draft(self.organisation, chosen, self.user)
            try:
                order = wholesale_services.place_bulk_order(
                    organisation_id=self.organisation.id,
                    user=self.user,
                    choices=wholesale.choices_for(self.organisation, [p for p, _ in chosen]),
                    purchase_order_number="PO",
                    idempotency_key=orders.new_idempotency_key(),
                    payment_method=method,
                )
                self.order_ids.append(order.id)
            except DomainError:
                db.session.rollback()

        # -- the order's life ------------------------------------------------------------------

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def pay_by_card(self, i: int) -> None:
            order = self.order(i)
            if order.payment_method == "card":
                self.pay_by_card_order(order)

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def approve(self, i: int) -> None:
            self.attempt(lambda: wholesale_services.approve_order(self.order(i), self.user))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def reject_approval(self, i: int) -> None:
            self.attempt(lambda: wholesale_services.reject_order(self.order(i), self.user, "too much"))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def accept(self, i: int) -> None:
            part = self.part(i, "placed")
            if part is not None:
                self.attempt(lambda: orders.accept_producer_order(part, "producer"))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99), keep=st.integers(0, 2))
        def accept_in_part(self, i: int, keep: int) -> None:
            part = self.part(i, "placed")
            if part is None:
                return
            line = part.lines[0]
            self.attempt(lambda: fulfilment.accept_part(part, "producer", {line.id: (keep, "less")}))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def ship(self, i: int) -> None:
            part = self.part(i, "accepted")
            if part is not None:
                self.attempt(
                    lambda: orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="1")
                )

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def deliver(self, i: int) -> None:
            part = self.part(i, "shipped")
            if part is not None:
                self.attempt(lambda: orders.mark_delivered(part, "producer"))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99), credit=st.integers(1, 2))
        def advance(self, i: int, credit: int) -> None:
            """Take one part one step along its usual path (paid, approved, accepted, shipped,
            delivered, received with `credit` units credited): long lives happen often."""
            part = self.part(i, "pending_approval", "placed", "accepted", "shipped", "delivered")
            if part is None:
                return
            order = part.order
            if order.payment_method == "card" and order.payment_status == "awaiting_payment":
                self.pay_by_card_order(order)
            elif part.status == "pending_approval":
                self.attempt(lambda: wholesale_services.approve_order(order, self.user))
            elif part.status == "placed":
                self.attempt(lambda: orders.accept_producer_order(part, "producer"))
            elif part.status == "accepted":
                self.attempt(
                    lambda: orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="1")
                )
            elif part.status == "shipped":
                self.attempt(lambda: orders.mark_delivered(part, "producer"))
            elif part.received_at is None and order.payment_method == "invoice":
                self.receive(part, credit, "damaged")

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def reject_part(self, i: int) -> None:
            self.attempt(lambda: orders.reject_producer_order(self.part(i), "producer", "no"))

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def cancel(self, i: int) -> None:
            self.attempt(lambda: orders.cancel_order(self.order(i), "customer"))

        @rule()
        def expire_unpaid(self) -> None:
            orders.expire_unpaid_orders(utcnow() + (app.config["ORDER_PAYMENT_WINDOW_MINUTES"] + 1) * _MINUTE)

        @precondition(lambda self: self.order_ids)
        @rule(i=st.integers(0, 99))
        def receive_in_full(self, i: int) -> None:
            part = self.part(i, "delivered")
            if part is not None:
                self.receive(part, 0, "shortfall")

        @precondition(lambda self: self.order_ids)
        @rule(
            i=st.integers(0, 99), quantity=st.integers(1, 3), kind=st.sampled_from(["shortfall", "damaged"])
        )
        def receive_with_credit_note(self, i: int, quantity: int, kind: str) -> None:
            part = self.part(i, "delivered")
            if part is not None:
                self.receive(part, quantity, kind)

        # -- what must always hold -------------------------------------------------------------

        @invariant()
        def ledger_says_what_the_orders_say(self) -> None:
            result = check_ledger()
            assert result.ok, [d.describe() for d in result.differences] + result.inconsistent_rows

        @invariant()
        def ledger_only_grows(self) -> None:
            rows = db.session.execute(
                select(SalesEntry.id, SalesEntry.amount_vnd, SalesEntry.units).order_by(SalesEntry.id)
            ).all()
            rows = [tuple(r) for r in rows]
            seen.update(db.session.execute(select(SalesEntry.kind, SalesEntry.source_kind).distinct()).all())
            assert rows[: len(self.rows_before)] == self.rows_before
            self.rows_before = rows

        @invariant()
        def stock_is_never_negative_and_adds_up(self) -> None:
            db.session.expire_all()
            stock = dict(
                db.session.execute(
                    select(Product.id, Product.stock).where(Product.id.in_(self.product_ids))
                ).all()
            )
            assert min(stock.values()) >= 0
            held = dict(
                db.session.execute(
                    select(OrderLine.product_id, func.sum(OrderLine.quantity))
                    .join(ProducerOrder, ProducerOrder.id == OrderLine.producer_order_id)
                    .where(ProducerOrder.status.notin_(("cancelled", "refunded")))
                    .group_by(OrderLine.product_id)
                ).all()
            )
            for product_id in self.product_ids:
                assert stock[product_id] + int(held.get(product_id, 0)) == STOCK

    return LedgerMachine


_MINUTE = timedelta(minutes=1)


def test_the_ledger_follows_any_sequence_of_order_events(app, refunds) -> None:
    seen: set[tuple[str, str]] = set()  # (kind, source kind) of the rows the examples wrote
    run_state_machine_as_test(
        _ledger_machine(app, _build_catalogue(), seen),
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=40,
            derandomize=True,
            database=None,
            deadline=None,
            # Each step commits to a real database: slow by Hypothesis's standards, by design.
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # Every example wrote each kind of row (its opening), and the random steps nothing else.
    assert seen == {
        ("sale", "card_payment"),
        ("sale", "cash_collection"),
        ("sale", "invoice"),
        ("refund", "part_cancellation"),
        ("credit_note", "credit_note"),
    }
