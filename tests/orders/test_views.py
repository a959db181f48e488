"""The cart, checkout and order pages, through the real forms (CSRF included)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.orders import services
from marketplace.orders.models import CartItem, Order
from marketplace.producers.models import Producer
from marketplace.reports import ledger
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_producer, make_producer_member, make_product, make_user

ADDRESS = {
    "recipient_name": "Nguyễn Văn An",
    "phone": "0912 345 678",
    "street": "12 Phố Huế",
    "commune": "Phường Hai Bà Trưng",
    "province": "ha-noi",
    "contact_email": "an@example.vn",
}


@pytest.fixture(autouse=True)
def _english(web) -> None:
    """The messages below are checked in English."""
    web.client.set_cookie("lang", "en")


def _visitor(app) -> FormClient:
    visitor = FormClient(app.test_client())
    visitor.client.set_cookie("lang", "en")
    return visitor


def _two_producers():
    tea = make_product(
        make_producer(slug="htx-tea", verification_status="verified"), stock=10, price_vnd=250_000, slug="che"
    )
    sauce = make_product(
        make_producer(slug="htx-sauce", verification_status="verified"),
        stock=5,
        price_vnd=120_000,
        slug="nuoc-mam",
    )
    db.session.commit()
    return tea, sauce


def _stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def _orders() -> int:
    return db.session.scalar(select(func.count(Order.id)))


def _hidden(page: str) -> dict:
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1).startswith(("price_", "idempotency_key", "shown_total_vnd")):
            found[name.group(1)] = value.group(1) if value else ""
    return found


def checkout_form(web: FormClient, **address: str) -> dict:
    """The checkout page's hidden fields once the delivery province is chosen and "Calculate
    shipping" pressed (the page without JavaScript), so its total includes the shipping."""
    first = _hidden(web.get("/checkout").get_data(as_text=True))
    quoted = web.post("/checkout", {**ADDRESS, **address, **first, "action": "quote"})
    return _hidden(quoted.get_data(as_text=True))


def test_cart_add_change_remove_grouped_by_producer(app, web) -> None:
    tea, sauce = _two_producers()
    assert web.post("/cart/add", {"product_id": tea.id, "quantity": "2"}).status_code == 302
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1"})
    page = web.get("/cart").get_data(as_text=True)
    assert page.count('class="order-group"') == 2
    assert "data-cart-count>3<" in page
    web.post("/cart/update", {"product_id": tea.id, "quantity": "4"})
    web.post("/cart/remove", {"product_id": sauce.id})
    page = web.get("/cart").get_data(as_text=True)
    assert "data-cart-count>4<" in page and "htx-sauce" not in page


def test_added_to_the_cart_is_shown_once_on_the_page_it_was_added_from(app, web) -> None:
    tea, sauce = _two_producers()
    product_page = f"/products/{tea.slug}"
    page = web.post(
        "/cart/add", {"product_id": tea.id, "quantity": "1", "next": product_page}, follow_redirects=True
    ).get_data(as_text=True)
    assert page.count("Added to your cart.") == 1
    assert "Added to your cart." not in web.get("/cart").get_data(as_text=True)


def test_two_adds_before_a_page_shows_messages_say_added_once(app, web) -> None:
    tea, sauce = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1", "next": "/cart"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1", "next": "/cart"})
    assert web.get("/cart").get_data(as_text=True).count("Added to your cart.") == 1


@pytest.mark.parametrize("quantity", ["-1", "0", "1001", "99999999999999999999", "abc", "1.5"])
def test_bad_quantities_are_refused_with_a_message(app, web, quantity) -> None:
    tea, _ = _two_producers()
    response = web.post("/cart/add", {"product_id": tea.id, "quantity": quantity}, follow_redirects=True)
    assert "whole number between 1 and 1000" in response.get_data(as_text=True)
    assert "data-cart-count>0<" in response.get_data(as_text=True)


def test_an_unknown_product_is_refused(app, web) -> None:
    _two_producers()
    response = web.post("/cart/add", {"product_id": "999999", "quantity": "1"}, follow_redirects=True)
    assert "does not exist or is no longer for sale" in response.get_data(as_text=True)


def test_more_than_the_stock_is_refused_and_a_later_shortage_holds_checkout_back(app, web) -> None:
    _, sauce = _two_producers()
    refused = web.post("/cart/add", {"product_id": sauce.id, "quantity": "8"}, follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "only 5 left" in page and "data-cart-count>0<" in page
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "4"})
    refused = web.post("/cart/update", {"product_id": sauce.id, "quantity": "6"}, follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "only 5 left" in page and "data-cart-count>4<" in page
    db.session.get(Product, sauce.id).stock = 2  # sold elsewhere meanwhile
    db.session.commit()
    page = web.get("/cart").get_data(as_text=True)
    assert "2 left, you asked for 4" in page and "/checkout" not in page.split("site-main")[1]


def test_missing_csrf_token_is_refused_and_changes_nothing(app, client) -> None:
    tea, _ = _two_producers()
    client.set_cookie("lang", "en")
    response = client.post("/cart/add", data={"product_id": tea.id, "quantity": "1"})
    assert response.status_code == 400 and "The form has expired" in response.get_data(as_text=True)
    web = FormClient(client)
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    form = checkout_form(web)
    response = client.post("/checkout", data={**ADDRESS, **form, "payment_method": "cod", "action": "place"})
    assert response.status_code == 400 and "Nothing was changed" in response.get_data(as_text=True)
    assert _orders() == 0 and _stock(tea.id) == 10


def _place(web: FormClient, **changes) -> tuple:
    form = checkout_form(web)
    data = {**ADDRESS, **form, "payment_method": "cod", "action": "place", **changes}
    return web.post("/checkout", data), form


def test_cash_on_delivery_checkout_places_one_order_even_when_submitted_twice(app, web) -> None:
    tea, sauce = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1"})
    response, form = _place(web)
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    assert len(order.producer_orders) == 2 and order.payment_status == "cash_on_delivery"
    assert all(po.shipping_fee_vnd > 0 for po in order.producer_orders)
    # the same form again (double click, back button): still one order, and the buyer sees it
    again = web.post("/checkout", {**ADDRESS, **form, "payment_method": "cod", "action": "place"})
    assert again.headers["Location"] == response.headers["Location"]
    assert _orders() == 1 and _stock(tea.id) == 8
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert order.reference in page
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "order_placed")).all()
    assert [m.to_address for m in mail] == ["an@example.vn"]
    # a guest's confirmation e-mail carries the signed link to the order
    assert f"/orders/{order.reference}?key=" in mail[0].body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Vietnamese phone number"),
        ({"province": "atlantis"}, "Not a valid choice"),
        ({"contact_email": "not-an-address"}, "Enter an e-mail address"),
    ],
)
def test_bad_checkout_fields_place_no_order(app, web, changes, message) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    response, _ = _place(web, **changes)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _orders() == 0 and _stock(tea.id) == 10


def test_a_tampered_price_places_no_order_and_shows_the_real_price(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    response, _ = _place(web, **{f"price_{tea.id}": "1000"})
    page = response.get_data(as_text=True)
    assert "prices have changed" in page and "250,000" in page.replace(".", ",")
    assert _orders() == 0 and _stock(tea.id) == 10


def test_a_price_changed_since_the_checkout_page_is_shown_not_charged(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    form = checkout_form(web)
    db.session.get(Product, tea.id).price_vnd = 300_000
    db.session.commit()
    response = web.post("/checkout", {**ADDRESS, **form, "payment_method": "cod", "action": "place"})
    assert "prices have changed" in response.get_data(as_text=True) and _orders() == 0


def test_an_order_costing_more_than_the_page_showed_is_not_placed_and_the_new_total_is_shown(
    app, web
) -> None:
    # The page without a province shows the products only; placing it with a province would add shipping.
    tea, sauce = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1"})
    first = web.get("/checkout").get_data(as_text=True)
    form = _hidden(first)
    assert form["shown_total_vnd"] == "620000"
    response = web.post("/checkout", {**ADDRESS, **form, "payment_method": "cod", "action": "place"})
    page = response.get_data(as_text=True)
    expected = services.price_cart([services.CartLine(tea.id, 2), services.CartLine(sauce.id, 1)], "ha-noi")
    assert response.status_code == 200 and _orders() == 0 and _stock(tea.id) == 10
    assert "The total is now" in page and "Nothing was ordered" in page
    assert f"{expected.total_vnd:,}" in page.replace(".", ",")
    again = _hidden(page)
    assert again["shown_total_vnd"] == str(expected.total_vnd)
    # The page now shows the new total: placed at exactly that.
    placed = web.post("/checkout", {**ADDRESS, **again, "payment_method": "cod", "action": "place"})
    assert placed.status_code == 302
    assert db.session.scalar(select(Order)).total_vnd == expected.total_vnd


@pytest.mark.parametrize(
    "sent", [{"shown_total_vnd": "1000"}, {"shown_total_vnd": "abc"}, {"shown_total_vnd": ""}]
)
def test_a_tampered_or_missing_total_places_no_order(app, web, sent) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    response, _ = _place(web, **sent)
    assert response.status_code == 200 and "The total is now" in response.get_data(as_text=True)
    assert _orders() == 0 and _stock(tea.id) == 10


def test_without_javascript_calculate_shipping_shows_the_fee_and_the_total(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    first = _hidden(web.get("/checkout").get_data(as_text=True))
    page = web.post("/checkout", {**ADDRESS, **first, "action": "quote"}).get_data(as_text=True)
    expected = services.price_cart([services.CartLine(tea.id, 1)], "ha-noi")
    fee = expected.groups[0].shipping_fee_vnd
    assert f'data-shipping-fee="{tea.producer_id}"' in page and f"{fee:,}" in page.replace(".", ",")
    assert _hidden(page)["shown_total_vnd"] == str(expected.total_vnd) == str(250_000 + fee)
    assert _orders() == 0


def test_the_shipping_figures_for_a_province_come_as_json(app, web) -> None:
    tea, sauce = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1"})
    expected = services.price_cart([services.CartLine(tea.id, 2), services.CartLine(sauce.id, 1)], "hue")
    body = web.get("/checkout/shipping?province=hue").get_json()
    assert body["province"] == "hue" and body["total_vnd"] == expected.total_vnd
    assert {g["producer_id"]: g["shipping_fee_vnd"] for g in body["groups"]} == {
        g.producer_id: g.shipping_fee_vnd for g in expected.groups
    }
    assert body["total"].replace(".", ",") == f"{expected.total_vnd:,} ₫"
    none = web.get("/checkout/shipping?province=atlantis").get_json()
    assert none["province"] is None and none["total_vnd"] == 620_000
    assert all(g["shipping_fee_vnd"] is None for g in none["groups"])
    assert _visitor(app).get("/checkout/shipping?province=hue").status_code == 404  # an empty cart


def test_the_signed_out_cart_is_merged_into_the_account_cart_at_sign_in(app, web) -> None:
    tea, sauce = _two_producers()
    user = make_user("an@example.vn")
    db.session.add(CartItem(user_id=user.id, product_id=sauce.id, quantity=3))
    db.session.commit()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "4"})
    response = web.post("/account/login", {"email": "an@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    rows = dict(db.session.execute(select(CartItem.product_id, CartItem.quantity)).all())
    assert rows == {tea.id: 2, sauce.id: 5}  # 3 + 4 capped by the 5 in stock
    # the cart follows the account to another device
    other = _visitor(app).sign_in(user)
    assert "data-cart-count>7<" in other.get("/cart").get_data(as_text=True)


def test_orders_are_seen_only_by_their_account_or_with_the_guest_link(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    response, _ = _place(web)
    guest_link = response.headers["Location"]
    assert "key=" in guest_link
    order = db.session.scalar(select(Order))
    stranger = _visitor(app)
    assert stranger.get(f"/orders/{order.reference}").status_code == 404
    assert stranger.get(f"/orders/{order.reference}?key=forged").status_code == 404
    assert stranger.get(guest_link).status_code == 200

    owner = make_user("owner@example.vn")
    other = make_user("other@example.vn")
    db.session.commit()
    mine = services.place_order(
        lines=[services.CartLine(tea.id, 1, tea.price_vnd)],
        address=services.validate_address(
            recipient_name="An",
            phone="0912345678",
            street="1 Phố Huế",
            commune="Hai Bà Trưng",
            province="ha-noi",
        ),
        contact_email="owner@example.vn",
        payment_method="cod",
        idempotency_key=services.new_idempotency_key(),
        customer_id=owner.id,
    )
    assert _visitor(app).sign_in(other).get(f"/orders/{mine.reference}").status_code == 404
    owner_web = _visitor(app).sign_in(owner)
    assert mine.reference in owner_web.get("/orders").get_data(as_text=True)
    assert owner_web.get(f"/orders/{mine.reference}").status_code == 200


def test_the_buyer_cancels_before_shipping_and_the_stock_comes_back(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "3"})
    response, _ = _place(web)
    order = db.session.scalar(select(Order))
    assert "Yes, cancel" in web.get(f"/orders/{order.reference}/cancel").get_data(as_text=True)
    web.post(f"/orders/{order.reference}/cancel")
    assert _stock(tea.id) == 10
    db.session.expire_all()
    assert db.session.get(Order, order.id).producer_orders[0].status == "cancelled"


def test_producers_see_and_move_only_their_own_parts(app, web) -> None:
    tea, sauce = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "1"})
    _place(web)
    order = db.session.scalar(select(Order))
    tea_part, sauce_part = sorted(order.producer_orders, key=lambda po: po.producer_id)
    user = make_producer_member(db.session.get(Producer, tea.producer_id))
    db.session.commit()
    member = _visitor(app).sign_in(user)
    listing = member.get("/portal/orders").get_data(as_text=True)
    assert order.reference in listing
    assert member.get(f"/portal/orders/{sauce_part.id}").status_code == 404
    assert member.post(f"/portal/orders/{sauce_part.id}/accept").status_code == 404
    member.post(f"/portal/orders/{tea_part.id}/accept")
    shipment = {"carrier": "Viettel Post", "tracking_number": "VTP123"}
    member.post(f"/portal/orders/{tea_part.id}/ship", shipment)
    refused = member.post(f"/portal/orders/{tea_part.id}/accept", follow_redirects=True)
    assert "not possible in the order" in refused.get_data(as_text=True)
    member.post(f"/portal/orders/{tea_part.id}/deliver")
    db.session.expire_all()
    part = db.session.get(type(tea_part), tea_part.id)
    assert part.status == "delivered" and part.cod_collected_at is not None
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["order_placed", "order_shipped"]
    assert ledger.revenue_by_producer() == {(tea.producer_id, "online"): 250_000}


def test_rejecting_gives_the_stock_back(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "4"})
    _place(web)
    part = db.session.scalar(select(Order)).producer_orders[0]
    user = make_producer_member(db.session.get(Producer, tea.producer_id))
    db.session.commit()
    member = _visitor(app).sign_in(user)
    member.post(f"/portal/orders/{part.id}/reject", {"reason": "Hết hàng mùa này"})
    assert _stock(tea.id) == 10
    assert db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all() == [
        "order_placed",
        "order_cancelled",
    ]


def test_an_order_that_fails_leaves_no_email(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "2"})
    form = checkout_form(web)
    db.session.get(Product, tea.id).stock = 1
    db.session.commit()
    response = web.post("/checkout", {**ADDRESS, **form, "payment_method": "cod", "action": "place"})
    assert "Not enough stock" in response.get_data(as_text=True)
    assert _orders() == 0 and db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_parts_waiting_for_the_buyers_approval_are_hidden_from_producers(app, web) -> None:
    tea, _ = _two_producers()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    _place(web)
    order = db.session.scalar(select(Order))
    part = order.producer_orders[0]
    part.status = "pending_approval"  # as a supermarket order above its approval threshold
    user = make_producer_member(db.session.get(Producer, tea.producer_id))
    db.session.commit()
    member = _visitor(app).sign_in(user)
    assert order.reference not in member.get("/portal/orders").get_data(as_text=True)
    assert member.get(f"/portal/orders/{part.id}").status_code == 404
    assert member.post(f"/portal/orders/{part.id}/accept").status_code == 404


def test_the_payment_page_alone_lets_stripe_js_in(app, web) -> None:
    tea, _ = _two_producers()
    app.config["STRIPE_SECRET_KEY"] = ""  # the page still renders, saying cards are unavailable
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    response, _ = _place(web, payment_method="card")
    pay = web.get(response.headers["Location"])
    assert "Card payments are not available" in pay.get_data(as_text=True)
    csp = pay.headers["Content-Security-Policy"]
    assert "script-src 'self' https://api.stripe.com https://js.stripe.com" in csp
    assert "frame-src https://api.stripe.com https://js.stripe.com https://hooks.stripe.com" in csp
    assert "https://js.stripe.com" not in web.get("/cart").headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "//evil.example", "/\t/evil.example", "https://evil.example/"]
)
def test_adding_to_the_cart_never_returns_to_another_site(web, target) -> None:
    tea, _ = _two_producers()
    response = web.post("/cart/add", {"product_id": tea.id, "quantity": "1", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/cart"


def test_adding_to_the_cart_returns_to_the_page_it_came_from(web) -> None:
    tea, _ = _two_producers()
    response = web.post("/cart/add", {"product_id": tea.id, "quantity": "1", "next": "/products?stars=4"})
    assert response.headers["Location"] == "/products?stars=4"
