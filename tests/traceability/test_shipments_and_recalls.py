"""The batch of each shipped line, the buyer's received batches, and recalls: e-mails to exactly
the buyers who received the batch, the product page's warning at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.orders import services as orders
from marketplace.traceability import services
from tests.factories import (
    make_buyer_member,
    make_buyer_organisation,
    make_producer,
    make_producer_member,
    make_product,
    make_user,
)
from tests.invoicing.helpers import supermarket_order
from tests.traceability.helpers import batch


def _accepted(organisation, product, quantity=10):
    order = supermarket_order(organisation, [[(product, quantity)]])
    part = order.producer_orders[0]
    orders.accept_producer_order(part, "producer")
    db.session.commit()
    return part


def _ship(part, recorded):
    services.record_shipment(
        part,
        {part.lines[0].id: recorded.id if recorded else None},
        actor="producer",
        user_id=None,
        carrier="Viettel Post",
        tracking_number="VTP1",
    )
    db.session.commit()


def test_shipping_with_batches_ships_the_part_and_records_each_lines_batch(app) -> None:
    product = make_product(stock=100)
    recorded = batch(product, "L1")
    organisation = make_buyer_organisation()
    part = _accepted(organisation, product)
    _ship(part, recorded)
    assert (part.status, part.carrier) == ("shipped", "Viettel Post")
    [received] = services.received_batches(organisation.id)
    assert (received.lot_code, received.quantity, received.path) == ("L1", 10, f"/t/{product.slug}/L1")
    assert [r.order_reference for r in services.batch_recipients(recorded)] == [part.order.reference]
    assert services.received_batches(make_buyer_organisation().id) == []


def test_a_batch_of_another_product_is_refused_and_nothing_is_shipped(app) -> None:
    producer = make_producer()
    product, other = make_product(producer, stock=100), make_product(producer)
    wrong = batch(other, "L9")
    part = _accepted(make_buyer_organisation(), product)
    with pytest.raises(services.WrongBatch):
        _ship(part, wrong)
    db.session.rollback()
    db.session.refresh(part)
    assert part.status == "accepted"


def test_a_batch_is_optional_and_can_be_recorded_after_shipping(app) -> None:
    product = make_product(stock=100)
    part = _accepted(make_buyer_organisation(), product)
    _ship(part, None)
    assert part.status == "shipped" and services.batch_recipients(batch(product, "L1")) == []
    recorded = services.batch_of_producer(
        product.producer_id,
        db.session.scalar(select(services.Batch.id).where(services.Batch.lot_code == "L1")),
    )
    _ship(part, recorded)
    assert len(services.batch_recipients(recorded)) == 1


def test_a_placed_part_cannot_get_batches(app) -> None:
    product = make_product(stock=100)
    part = supermarket_order(make_buyer_organisation(), [[(product, 1)]]).producer_orders[0]
    with pytest.raises(services.PartNotShippable):
        services.record_shipment(part, {}, actor="producer", user_id=None)


def test_a_recall_emails_exactly_the_members_of_the_chains_that_received_the_batch(app) -> None:
    producer = make_producer()
    owner = make_producer_member(producer, email="owner@htx.vn")
    product = make_product(producer, stock=1000)
    recalled, other_batch = batch(product, "BAD"), batch(product, "GOOD")
    x, y, z = (make_buyer_organisation() for _ in range(3))
    x_members = [
        make_buyer_member(x, email="x1@sieuthi.vn"),
        make_buyer_member(x, role="viewer", email="x2@sieuthi.vn"),
    ]
    make_buyer_member(y, email="y1@sieuthi.vn")
    make_buyer_member(z, email="z1@sieuthi.vn")
    _ship(_accepted(x, product), recalled)
    _ship(_accepted(x, product), recalled)  # two orders: one e-mail each still
    _ship(_accepted(y, product), other_batch)  # same product, another batch
    _accepted(z, product)  # not shipped yet
    told = services.recall_batch(
        recalled, reason="Độ ẩm vượt ngưỡng", user=owner, page_url="https://ocop.vn/x"
    )
    db.session.commit()
    assert sorted(told) == sorted(m.email for m in x_members)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "batch_recall")).all()
    assert sorted(m.to_address for m in mails) == ["x1@sieuthi.vn", "x2@sieuthi.vn"]
    assert (
        "BAD" in mails[0].subject
        and "Độ ẩm vượt ngưỡng" in mails[0].body
        and "https://ocop.vn/x" in mails[0].body
    )
    assert recalled.is_recalled and not other_batch.is_recalled


def test_consumers_who_received_the_batch_are_told_too(app) -> None:
    product = make_product(stock=10)
    recorded = batch(product, "L1")
    order = orders.place_order(
        lines=[orders.CartLine(product.id, 1, product.price_vnd)],
        address=orders.validate_address(
            recipient_name="An",
            phone="0912345678",
            street="1 Phố Huế",
            commune="Hai Bà Trưng",
            province="ha-noi",
        ),
        contact_email="an@example.vn",
        payment_method="cod",
        idempotency_key=orders.new_idempotency_key(),
    )
    orders.accept_producer_order(order.producer_orders[0], "producer")
    _ship(order.producer_orders[0], recorded)
    assert services.recall_recipients(recorded) == ["an@example.vn"]


def test_only_owners_and_administrators_may_recall_and_a_reason_is_required(app) -> None:
    producer = make_producer()
    recorded = batch(make_product(producer))
    with pytest.raises(services.NotAllowed):
        services.recall_batch(recorded, reason="x", user=make_producer_member(producer, role="staff"))
    with pytest.raises(services.NotAllowed):
        services.recall_batch(recorded, reason="x", user=make_producer_member(make_producer()))
    with pytest.raises(services.RecallReasonRequired):
        services.recall_batch(recorded, reason="  ", user=make_user(is_admin=True))
    services.recall_batch(recorded, reason="Kiểm nghiệm", user=make_user(is_admin=True))
    with pytest.raises(services.AlreadyRecalled):
        services.recall_batch(recorded, reason="again", user=make_user(is_admin=True))


def test_the_product_page_warns_at_once_and_the_batch_page_says_it_is_recalled(client) -> None:
    client.set_cookie("lang", "en")
    producer = make_producer()
    owner = make_producer_member(producer)
    product = make_product(producer, name="Chè búp")
    recorded = batch(product, "L7")
    db.session.commit()
    before = client.get(f"/products/{product.slug}").get_data(as_text=True)  # cached from here on
    assert "has been recalled" not in before
    services.recall_batch(recorded, reason="Nhiễm nấm mốc", user=owner)
    db.session.commit()
    after = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Batch L7 of this product has been recalled by its producer" in after and "Nhiễm nấm mốc" in after
    assert f'href="/t/{product.slug}/L7"' in after
    page = client.get(f"/t/{product.slug}/L7").get_data(as_text=True)
    assert "This batch has been recalled" in page


def test_a_recall_through_the_portal_tells_the_buyers(web) -> None:
    producer = make_producer()
    owner = make_producer_member(producer)
    product = make_product(producer, stock=100)
    recorded = batch(product, "L1")
    organisation = make_buyer_organisation()
    member = make_buyer_member(organisation, email="mua@sieuthi.vn")
    _ship(_accepted(organisation, product), recorded)
    response = web.sign_in(owner).post(f"/portal/batches/{recorded.id}/recall", {"reason": "Bao bì hở"})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(OutboxMessage.to_address).where(OutboxMessage.kind == "batch_recall"))
        == member.email
    )
    buyer_page = web.sign_in(member).get("/buyer/batches").get_data(as_text=True)
    assert "L1" in buyer_page and "Recalled" in buyer_page


def test_a_reason_with_a_control_character_is_refused_and_the_batch_stays_in_force(web) -> None:
    # PostgreSQL refuses NUL in text: the reason used to reach the database and answer 500.
    producer = make_producer()
    owner = make_producer_member(producer)
    recorded = batch(make_product(producer, stock=100), "L2")
    with pytest.raises(services.RecallReasonRequired, match="U\\+0000"):
        services.recall_batch(recorded, reason="Bao bì\x00 hở", user=owner)
    response = web.sign_in(owner).post(f"/portal/batches/{recorded.id}/recall", {"reason": "Hở\x00"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(recorded), recorded.id).recalled_at is None
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.kind == "batch_recall")) is None
