"""Twenty simultaneous "add to cart" of one product by one signed-in account: every one counts,
none answers 500 (on SQLite and PostgreSQL), and the cap at the stock still holds."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import CartItem
from tests.conftest import FormClient, csrf_token, make_app
from tests.factories import make_product, make_user

RACERS = 20


def _race(app, tmp_path, user, product_id: int, quantity: int = 1) -> list[int]:
    racers_app = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": RACERS, "max_overflow": 0}
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
        else {},
    )
    # Read here, in the test's own context: loading it inside racers_app's context would borrow
    # a connection of racers_app's pool for the test's session, left open after the dispose.
    signed_in = SimpleNamespace(session_token=user.session_token)
    browsers = []
    with racers_app.app_context():
        for _ in range(RACERS):
            web = FormClient(racers_app.test_client()).sign_in(signed_in)
            browsers.append((web, csrf_token(web.client)))
    start = threading.Barrier(RACERS)
    statuses: list[int] = []

    def add(n: int) -> None:
        web, token = browsers[n]
        start.wait(timeout=30)
        response = web._request(
            "POST", "/cart/add", data={"product_id": product_id, "quantity": quantity, "csrf_token": token}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with racers_app.app_context():
        db.engine.dispose()
    return statuses


def _in_cart(user_id: int, product_id: int) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(CartItem.quantity).where(CartItem.user_id == user_id, CartItem.product_id == product_id)
    )


def test_twenty_simultaneous_adds_keep_all_twenty_and_never_answer_500(app, tmp_path) -> None:
    user = make_user("lan@example.vn")
    product = make_product(stock=100)
    db.session.commit()
    statuses = _race(app, tmp_path, user, product.id)
    assert statuses == [302] * RACERS
    assert _in_cart(user.id, product.id) == RACERS


def test_simultaneous_adds_stop_at_the_stock(app, tmp_path) -> None:
    user = make_user("lan@example.vn")
    product = make_product(stock=7)
    db.session.commit()
    statuses = _race(app, tmp_path, user, product.id)
    assert statuses == [302] * RACERS
    assert _in_cart(user.id, product.id) == 7
