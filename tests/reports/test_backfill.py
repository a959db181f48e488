"""Migration 0011 backfills the ledger from the orders already in a database: the same rows the
live rules wrote, so that `flask ledger check` agrees at once.

The database is the demo catalogue with orders in every state, placed and moved through the live
services (which write the ledger as they go); it is then taken down to 0010_wholesale (no
ledger, no former province column) and up again, so the backfill works from the orders, events,
invoices and credit notes alone and must give back exactly the rows written live.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.invoicing import fulfilment
from marketplace.invoicing import services as invoicing
from marketplace.orders import services as orders
from marketplace.payments import stripe_gateway
from marketplace.producers.models import Producer
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import utcnow
from tests.conftest import make_app, temporary_database
from tests.factories import make_buyer_member
from tests.orders.helpers import place
from tests.reports.helpers import pay_by_card, ship_and_deliver
from tests.wholesale import helpers as wholesale

COLUMNS = [c.name for c in SalesEntry.__table__.columns if c.name != "id"]


def _ledger_rows(conn) -> list[tuple]:
    table = sa.table("sales_entries", *(sa.column(name) for name in COLUMNS))
    rows = conn.execute(sa.select(*table.c)).all()
    return sorted(tuple(row) for row in rows)


def _orders_in_every_state() -> None:
    """Demo-like orders on the demo catalogue: each state a sale can be in."""
    step = iter(range(1, 1000))

    def at() -> object:  # distinct, increasing moments, as real events have
        return utcnow() - timedelta(days=20) + timedelta(minutes=next(step))

    rows = db.session.execute(
        select(Product, Producer)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.status == "published", Producer.verification_status == "verified", Product.stock >= 20)
        .order_by(Product.id)
    ).all()
    by_producer: dict[int, Product] = {}
    for product, producer in rows:
        by_producer.setdefault(producer.id, product)
    a, b, c = list(by_producer.values())[:3]
    for product in (a, b, c):
        product.stock += 100
    db.session.commit()

    card = place([(a, 1), (b, 2)], method="card")  # paid by card
    pay_by_card(card, at())
    rejected = place([(a, 1), (c, 1)], method="card")  # paid, then one part rejected (partial refund)
    pay_by_card(rejected, at())
    orders.reject_producer_order(rejected.producer_orders[1], "producer", "out of season", now=at())
    db.session.commit()
    refunded = place([(b, 3)], method="card")  # paid, then cancelled: a full refund
    pay_by_card(refunded, at())
    orders.cancel_order(refunded, "customer", now=at())
    db.session.commit()
    late = place([(c, 1)], method="card")  # cancelled before the payment, which then arrives
    orders.cancel_order(late, "system", "not paid within the payment window", now=at())
    db.session.commit()
    pay_by_card(late, at())
    place([(a, 1)], method="card")  # still waiting for its payment
    collected = place([(a, 2), (b, 1)], method="cod")  # cash collected for one part
    ship_and_deliver(collected.producer_orders[0], at())
    orders.accept_producer_order(collected.producer_orders[1], "producer", at())
    db.session.commit()
    cancelled = place([(c, 2)], method="cod")  # cancelled before delivery
    orders.cancel_order(cancelled, "customer", now=at())
    db.session.commit()

    organisation = db.session.scalars(
        select(BuyerOrganisation).where(BuyerOrganisation.verification_status == "verified")
    ).first()
    organisation.credit_limit_vnd = 10_000_000_000
    user = make_buyer_member(organisation, role="purchaser")
    tea = wholesale.wholesale_product(db.session.get(Producer, a.producer_id), stock=1_000)
    jar = wholesale.wholesale_product(db.session.get(Producer, a.producer_id), stock=1_000, tiers=())
    wine = wholesale.wholesale_product(db.session.get(Producer, b.producer_id), stock=1_000)
    wholesale.fill_draft(organisation, [(tea, 100), (jar, 5), (wine, 50)], user)
    terms = wholesale.place(user, organisation, [tea, wine])  # on terms: invoiced, then credited
    first, second = terms.producer_orders
    tea_line, jar_line = first.lines
    fulfilment.accept_part(
        first, "producer", {tea_line.id: (80, "Còn 80"), jar_line.id: (0, "Hết")}, now=at()
    )
    db.session.commit()
    ship_and_deliver(first, at())
    invoicing.confirm_receipt(
        first,
        actor="buyer",
        user_id=user.id,
        now=at(),
        problems={tea_line.id: invoicing.ReceiptProblem(tea_line.id, "damaged", 3, "Vỡ")},
    )
    db.session.commit()
    orders.accept_producer_order(second, "producer", at())  # accepted, not delivered yet
    db.session.commit()
    wholesale.fill_draft(organisation, [(wine, 50)], user)
    bulk_card = wholesale.services.place_bulk_order(
        organisation_id=organisation.id,
        user=user,
        choices=wholesale.choices_for(organisation, [wine]),
        purchase_order_number="PO-C",
        idempotency_key=orders.new_idempotency_key(),
        payment_method="card",
    )
    pay_by_card(bulk_card, at())  # a supermarket card order, paid


@pytest.fixture
def no_stripe(monkeypatch) -> None:
    monkeypatch.setattr(stripe_gateway, "refund", lambda **kwargs: "re_test")
    monkeypatch.setattr(stripe_gateway, "cancel_payment_intent", lambda payment_intent_id: None)


def test_the_backfill_writes_the_rows_the_live_rules_wrote_and_ledger_check_agrees(
    backend,
    tmp_path,
    no_stripe,
) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = make_app(url, tmp_path)
        runner = app.test_cli_runner()
        with app.app_context():
            upgrade()
            seeded = runner.invoke(args=["seed-demo"])
            assert seeded.exit_code == 0, seeded.output
            # The backfill runs on databases from before 0011, where no producer had chosen its
            # former province (the demo's choices are lost with the column when 0011 goes down).
            db.session.execute(sa.update(Producer).values(former_province_code=None))
            db.session.commit()
            _orders_in_every_state()
            db.session.remove()
            with db.engine.connect() as conn:
                live = _ledger_rows(conn)
            kinds = {(row[COLUMNS.index("kind")], row[COLUMNS.index("source_kind")]) for row in live}
            assert kinds == {
                ("sale", "card_payment"),
                ("refund", "part_cancellation"),
                ("sale", "cash_collection"),
                ("sale", "invoice"),
                ("credit_note", "credit_note"),
            }

            downgrade(revision="0010_wholesale")
            with db.engine.connect() as conn:
                inspector = sa.inspect(conn)
                assert "sales_entries" not in inspector.get_table_names()
                assert "former_province_code" not in {c["name"] for c in inspector.get_columns("producers")}
            upgrade()
            with db.engine.connect() as conn:
                backfilled = _ledger_rows(conn)
            assert backfilled == live

            check = runner.invoke(args=["ledger", "check"])
            assert check.exit_code == 0, check.output
            assert f"({len(live)} rows)" in check.output

            with db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE sales_entries SET units = units + 1 WHERE id = 1"))
            tampered = runner.invoke(args=["ledger", "check"])
            assert tampered.exit_code == 1 and "expected" in tampered.output
            db.session.remove()
            db.engine.dispose()
