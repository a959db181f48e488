"""Fault (a): the database goes away. Mid-request (PostgreSQL: the request's backend terminated
with pg_terminate_backend; SQLite: the file locked by another connection, so the commit cannot
get its lock) and before the request (nothing listening, a file that cannot be opened): a 503
page in the visitor's language in the site's style, JSON for the API, no half-written order, and
the next request, once the database is back, is served normally."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from tests.conftest import TEST_DATABASE_URL, FormClient, make_app
from tests.factories import make_producer, make_product
from tests.orders.test_views import ADDRESS, checkout_form

# A loopback port in this suite's range where nothing listens: a database server that is down.
NOTHING_LISTENS = 7799


@contextmanager
def database_goes_away_at(statement_start: str) -> Iterator[list]:
    """From the first statement that starts with `statement_start`, the request's database
    connection is lost (PostgreSQL) or its file is locked by another connection (SQLite, until
    the block ends). Yields the list of what was done (empty if the statement never ran)."""
    engine = db.engine
    done: list = []
    dbapi_connections = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        if done or not statement.lstrip().upper().startswith(statement_start):
            return
        dbapi = conn.connection.dbapi_connection
        if engine.dialect.name == "postgresql":
            pid = dbapi.info.backend_pid
            admin = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
            with admin.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
            done.append(f"terminated backend {pid}")
        else:
            dbapi.execute("PRAGMA busy_timeout = 200")  # the commit gives up in 0.2 s, not 5
            dbapi_connections.append(dbapi)
            blocker = sqlite3.connect(engine.url.database, isolation_level=None)
            if statement_start == "SELECT":  # nothing may read: an exclusive lock
                blocker.execute("BEGIN EXCLUSIVE")
            else:  # the request holds its write lock already: a read lock stops its commit
                blocker.execute("BEGIN")
                blocker.execute("SELECT count(*) FROM products").fetchall()
            done.append(blocker)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield done
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        for item in done:
            if isinstance(item, sqlite3.Connection):
                item.rollback()
                item.close()
        for dbapi in dbapi_connections:
            dbapi.execute("PRAGMA busy_timeout = 5000")  # pysqlite's default, for later tests


def _counts() -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Order, ProducerOrder, OrderLine))


def _stock(product_id: int) -> int:
    db.session.rollback()
    return db.session.get(Product, product_id, populate_existing=True).stock


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_database_lost_while_placing_an_order_answers_503_and_writes_nothing(app, web, lang) -> None:
    tea = make_product(make_producer(verification_status="verified"), stock=10, price_vnd=250_000)
    db.session.commit()
    web.client.set_cookie("lang", lang)
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    form = {**ADDRESS, **checkout_form(web), "payment_method": "cod", "action": "place"}

    with database_goes_away_at("INSERT INTO ORDER_LINES") as done:
        response = web.post("/checkout", form)
    assert done, "the fault was never injected"
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    title = {"vi": "Trang web tạm thời không truy cập được", "en": "The site is briefly unavailable"}[lang]
    assert f'<html lang="{lang}">' in page and title in page and "/static/css/site.css" in page
    assert _counts() == (0, 0, 0) and _stock(tea.id) == 10

    # The database is back: the same form places the order, once.
    again = web.post("/checkout", form)
    assert again.status_code == 302
    assert _counts() == (1, 1, 1) and _stock(tea.id) == 8


def test_the_database_lost_under_an_api_request_answers_503_json(app, client) -> None:
    make_product(stock=3)
    db.session.commit()
    with database_goes_away_at("SELECT") as done:
        response = client.get("/api/v1/products")
    assert done and response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"
    assert client.get("/api/v1/products").status_code == 200


def _unreachable_url(backend: str, tmp_path) -> str:
    if backend == "postgresql":
        return (
            sa.engine.make_url(TEST_DATABASE_URL)
            .set(port=NOTHING_LISTENS, database="gone")
            .render_as_string(hide_password=False)
        )
    return f"sqlite:///{tmp_path / 'no-such-directory' / 'gone.sqlite3'}"


def test_a_database_that_is_not_there_answers_503_to_browsers_signed_in_or_not_and_to_the_api(
    backend, tmp_path
) -> None:
    down = make_app(_unreachable_url(backend, tmp_path), tmp_path, SQLALCHEMY_ENGINE_OPTIONS={})
    with down.app_context():
        visitor = down.test_client()
        for path in ("/", "/products", "/cart"):
            response = visitor.get(path)
            assert response.status_code == 503, path
            assert "Trang web tạm thời không truy cập được" in response.get_data(as_text=True)
        signed_in = down.test_client()
        with signed_in.session_transaction() as session:  # loading the account needs the database
            session["_user_id"], session["_fresh"] = "some-session-token", True
        assert signed_in.get("/").status_code == 503
        api = down.test_client().get("/api/v1/products")
        assert api.status_code == 503 and api.get_json()["error"]["code"] == "service_unavailable"
        assert (
            FormClient(down.test_client())
            .post("/account/login", {"email": "a@b.vn", "password": "x"})
            .status_code
            == 503
        )
        db.engine.dispose()
