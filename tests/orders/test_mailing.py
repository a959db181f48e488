"""Order e-mails go out only for changes that commit: by SMTP after the commit, or as an outbox
row inside the change's own transaction."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.orders import services
from tests.factories import make_product
from tests.orders.helpers import place


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib.send_message; keeps each message's data."""

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                message = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                received = self.server.messages  # type: ignore[attr-defined]
                received.append(message["Subject"] + "\n" + message.get_content())
                self.wfile.write(b"250 ok\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp(app) -> Iterator[list[str]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1], MAIL_USE_TLS=False, MAIL_USERNAME=""
    )
    try:
        yield server.messages  # type: ignore[attr-defined]
    finally:
        app.config.update(saved)
        server.shutdown()
        server.server_close()


def test_smtp_mail_leaves_only_after_the_commit(app, smtp) -> None:
    order = place([(make_product(stock=5), 1)], method="cod")
    assert len(smtp) == 1 and order.reference in smtp[0]  # the placement committed, then it went out
    part = order.producer_orders[0]
    services.accept_producer_order(part, "producer")
    services.ship_producer_order(part, "producer", carrier="Viettel Post", tracking_number="VTP1")
    assert len(smtp) == 1  # signalled, not committed yet
    db.session.commit()
    assert len(smtp) == 2 and "VTP1" in smtp[1]


def test_smtp_mail_of_a_rolled_back_change_is_never_sent(app, smtp) -> None:
    order = place([(make_product(stock=5), 1)], method="cod")
    services.cancel_order(order, "customer")
    db.session.rollback()
    db.session.commit()
    assert len(smtp) == 1  # only the placement's


def test_outbox_mail_is_written_in_the_changes_transaction(app) -> None:
    order = place([(make_product(stock=5), 1)], method="cod")
    services.cancel_order(order, "customer")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage.kind)).all() == ["order_placed"]
    services.cancel_order(order, "customer")
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_order_mail_is_in_vietnamese(app) -> None:
    place([(make_product(stock=5), 1)], method="cod")
    message = db.session.scalar(select(OutboxMessage))
    assert "Cảm ơn bạn đã đặt đơn hàng" in message.body


def test_the_header_cart_count_is_each_visitors_own(app, web) -> None:
    from tests.conftest import FormClient

    tea = make_product(stock=5, slug="che-dem")
    db.session.commit()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "3"})
    assert "data-cart-count>3<" in web.get("/products/che-dem").get_data(as_text=True)
    other = FormClient(app.test_client())
    assert "data-cart-count>0<" in other.get("/products/che-dem").get_data(as_text=True)
    assert "data-cart-count>0<" in other.get("/products").get_data(as_text=True)
