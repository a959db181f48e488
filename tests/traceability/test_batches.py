"""Recording batches: every rule reported at once, hostile lot codes refused with a message, stock
received tied to its batch, another producer's batches out of reach."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.traceability import services
from marketplace.traceability.models import Batch, BatchStockReceipt
from tests.factories import make_producer, make_producer_member, make_product
from tests.traceability.helpers import batch

TODAY = date(2026, 12, 1)


def _input(product, **changes) -> services.BatchInput:
    values = dict(
        product_id=product.id,
        lot_code="L1",
        production_date=date(2026, 11, 2),
        best_before=None,
        quantity="100",
    )
    values.update(changes)
    return services.BatchInput(**values)


def test_a_batch_is_recorded_with_its_facts(app) -> None:
    product = make_product(stock=5)
    recorded = services.create_batch(
        product.producer_id,
        _input(
            product,
            lot_code=" TC-2026.11_A ",
            best_before=date(2027, 11, 2),
            quantity="1.200",
            origin="Chè búp tươi từ đồi chè của hợp tác xã",
            origin_commune="Tân Cương",
        ),
        user_id=None,
        add_to_stock=True,
        today=TODAY,
    )
    db.session.commit()
    assert (recorded.lot_code, recorded.quantity, recorded.origin_commune) == (
        "TC-2026.11_A",
        1200,
        "Tân Cương",
    )
    assert recorded.producer_id == product.producer_id
    db.session.refresh(product)
    assert product.stock == 1205
    assert services.received_units(recorded.id) == 1200


def test_every_rule_broken_is_reported_at_once_and_nothing_is_stored(app) -> None:
    product = make_product()
    with pytest.raises(services.InvalidBatch) as refused:
        services.create_batch(
            product.producer_id,
            _input(
                product,
                lot_code="L/1",
                production_date=date(2026, 12, 2),
                best_before=date(2026, 1, 1),
                quantity="0",
                origin="x" * 2001,
            ),
            user_id=None,
            today=TODAY,
        )
    assert {field: code for field, (code, _p) in refused.value.errors.items()} == {
        "lot_code": "lot_slash",
        "production_date": "production_in_future",
        "best_before": "best_before_before_production",
        "quantity": "invalid_quantity",
        "origin": "too_long",
    }
    assert db.session.scalar(select(func.count(Batch.id))) == 0


@pytest.mark.parametrize(
    "lot, code",
    [
        ("LOT/2026", "lot_slash"),
        ("LÔ2026", "lot_not_ascii"),
        ("批次1", "lot_not_ascii"),
        ("A" * 21, "lot_too_long"),
        ("A" * 5000, "lot_too_long"),
        ("L 1", "lot_characters"),
        ("..", "lot_characters"),
        ("", "lot_required"),
    ],
)
def test_hostile_lot_codes_are_refused(app, lot: str, code: str) -> None:
    product = make_product()
    with pytest.raises(services.InvalidBatch) as refused:
        services.create_batch(product.producer_id, _input(product, lot_code=lot), user_id=None, today=TODAY)
    assert refused.value.errors["lot_code"][0] == code


def test_a_lot_code_is_unique_per_product_only(app) -> None:
    producer = make_producer()
    product, sibling = make_product(producer), make_product(producer)
    batch(product, "L1")
    with pytest.raises(services.InvalidBatch) as refused:
        batch(product, "L1")
    assert refused.value.errors["lot_code"][0] == "lot_taken"
    assert batch(sibling, "L1").lot_code == "L1"


def test_a_producer_cannot_record_a_batch_of_another_producers_product(app) -> None:
    product = make_product()
    other = make_producer()
    with pytest.raises(services.InvalidBatch) as refused:
        services.create_batch(other.id, _input(product), user_id=None, today=TODAY)
    assert refused.value.errors == {"product_id": ("unknown_product", {})}


def test_stock_received_from_a_batch_is_capped_at_what_it_holds(app) -> None:
    product = make_product(stock=0)
    recorded = batch(product, quantity=50)
    services.receive_stock(recorded, "30", user_id=None)
    with pytest.raises(services.InvalidQuantity):
        services.receive_stock(recorded, "21", user_id=None)
    services.receive_stock(recorded, "20", user_id=None)
    db.session.commit()
    db.session.refresh(product)
    assert product.stock == 50
    assert db.session.scalar(select(func.count(BatchStockReceipt.id))) == 2


def test_the_portal_form_shows_each_refusal_next_to_its_field(web) -> None:
    producer = make_producer()
    product = make_product(producer)
    user = make_producer_member(producer)
    db.session.commit()
    page = web.sign_in(user).post(
        "/portal/batches/new",
        {
            "product_id": str(product.id),
            "lot_code": "LÔ/" + "9" * 30,
            "production_date": "2026-01-02",
            "quantity": "10",
        },
    )
    assert page.status_code == 422
    assert "A lot code cannot contain a slash" in page.get_data(as_text=True)
    page = web.post(
        "/portal/batches/new",
        {
            "product_id": str(product.id),
            "lot_code": "Lô-1",
            "production_date": "2026-01-02",
            "quantity": "10",
        },
    )
    assert "Use Latin letters without diacritics" in page.get_data(as_text=True)
    page = web.post(
        "/portal/batches/new",
        {
            "product_id": str(product.id),
            "lot_code": "A" * 21,
            "production_date": "2026-01-02",
            "quantity": "10",
        },
    )
    assert "at most 20 characters" in page.get_data(as_text=True)
    created = web.post(
        "/portal/batches/new",
        {"product_id": str(product.id), "lot_code": "A-1", "production_date": "2026-01-02", "quantity": "10"},
    )
    assert created.status_code == 302
    assert db.session.scalar(select(Batch.lot_code)) == "A-1"


def test_another_producers_batch_answers_404_on_every_page(web) -> None:
    product = make_product()
    recorded = batch(product)
    intruder = make_producer_member(make_producer())
    db.session.commit()
    web.sign_in(intruder)
    for path in ("", "/label", "/qr.svg", "/qr.png"):
        assert web.get(f"/portal/batches/{recorded.id}{path}").status_code == 404
    assert web.post(f"/portal/batches/{recorded.id}/recall", {"reason": "x"}).status_code == 404
    assert "L2026-01" not in web.get("/portal/batches").get_data(as_text=True)
