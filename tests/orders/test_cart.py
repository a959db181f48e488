"""The cart: add, change, remove, kept in the session, merged at sign-in."""

from __future__ import annotations

import pytest

from marketplace.orders import cart as carts
from marketplace.orders import errors, services
from tests.factories import make_product


def test_add_change_and_remove() -> None:
    cart = carts.add(carts.Cart(), "3", "2")
    cart = carts.add(cart, 3, 1)
    cart = carts.add(cart, 5)
    assert cart.items == {3: 3, 5: 1} and cart.count == 4
    cart = carts.change(cart, 3, "7")
    assert cart.items == {3: 7, 5: 1}
    assert carts.change(cart, 5, "0").items == {3: 7}
    assert carts.remove(cart, "3").items == {5: 1}
    assert carts.remove(cart, "nonsense").items == cart.items


@pytest.mark.parametrize("quantity", [-1, "-5", "1e9", 1_001, "x"])
def test_bad_quantities_are_refused(quantity) -> None:
    with pytest.raises(errors.InvalidQuantity):
        carts.add(carts.Cart(), 1, quantity)


def test_adding_beyond_the_line_limit_is_refused() -> None:
    cart = carts.add(carts.Cart(), 1, services.MAX_LINE_QUANTITY)
    with pytest.raises(errors.InvalidQuantity):
        carts.add(cart, 1, 1)


def test_the_session_copy_drops_tampered_entries() -> None:
    cart = carts.from_session({"3": 2, "x": 1, "4": -2, "5": "9", "6": 10**9, "7": None})
    assert cart.items == {3: 2, 5: 9}
    assert carts.from_session(carts.to_session(cart)) == cart
    assert carts.from_session("garbage").items == {}


def test_sign_in_merges_the_session_cart_into_the_account_cart() -> None:
    account = carts.Cart({1: 2, 2: services.MAX_LINE_QUANTITY})
    merged = carts.merge(account, carts.Cart({1: 1, 2: 5, 3: 4}))
    assert merged.items == {1: 3, 2: services.MAX_LINE_QUANTITY, 3: 4}


def test_cart_lines_are_priced_from_the_catalogue(app) -> None:
    tea = make_product(price_vnd=250_000, stock=5)
    cart = carts.add(carts.Cart(), tea.id, 2)
    priced = services.price_cart(cart.lines({tea.id: 200_000}), "ha-noi")
    assert priced.items_total_vnd == 500_000 and priced.price_changes[0].current_vnd == 250_000
