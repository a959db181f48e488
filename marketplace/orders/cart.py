"""The shopping cart: product ids and quantities, nothing else (prices are always re-read).

A signed-out buyer's cart lives in the Flask session (`to_session` / `from_session`); at sign-in
it is merged into the account's cart with `merge`. The functions are pure: the views decide where
a cart is kept, so the account cart can be plugged in with the accounts module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from marketplace.orders.errors import InvalidQuantity, OrderError, TooManyLines
from marketplace.orders.services import MAX_CART_LINES, MAX_LINE_QUANTITY, CartLine, cart_line

SESSION_KEY = "cart"


@dataclass(frozen=True)
class Cart:
    items: Mapping[int, int] = field(default_factory=dict)  # product id → quantity

    def lines(self, seen_prices: Mapping[int, int] | None = None) -> list[CartLine]:
        """CartLines for pricing or placing; `seen_prices` are the prices the buyer was shown."""
        seen_prices = seen_prices or {}
        return [CartLine(pid, qty, seen_prices.get(pid)) for pid, qty in sorted(self.items.items())]

    @property
    def count(self) -> int:
        return sum(self.items.values())


def _with(cart: Cart, product_id: int, quantity: int) -> Cart:
    items = dict(cart.items)
    if quantity <= 0:
        items.pop(product_id, None)
    else:
        items[product_id] = quantity
    if len(items) > MAX_CART_LINES:
        raise TooManyLines(f"One order holds at most {MAX_CART_LINES} different products.")
    return Cart(items)


def add(cart: Cart, product_id: object, quantity: object = 1) -> Cart:
    """`quantity` more of a product (untrusted input: raises InvalidQuantity / UnknownProduct)."""
    line = cart_line(product_id, quantity)
    total = cart.items.get(line.product_id, 0) + line.quantity
    if total > MAX_LINE_QUANTITY:
        raise InvalidQuantity(f"At most {MAX_LINE_QUANTITY} units of one product fit in one order.")
    return _with(cart, line.product_id, total)


def change(cart: Cart, product_id: object, quantity: object) -> Cart:
    """Set a product's quantity; 0 removes it."""
    if str(quantity).strip() == "0":
        return remove(cart, product_id)
    line = cart_line(product_id, quantity)
    return _with(cart, line.product_id, line.quantity)


def remove(cart: Cart, product_id: object) -> Cart:
    try:
        return _with(cart, int(str(product_id)), 0)
    except ValueError:
        return cart


def merge(account_cart: Cart, session_cart: Cart) -> Cart:
    """At sign-in: the signed-out cart added into the account's, each quantity capped at the limit."""
    items = dict(account_cart.items)
    for product_id, quantity in session_cart.items.items():
        items[product_id] = min(items.get(product_id, 0) + quantity, MAX_LINE_QUANTITY)
    if len(items) > MAX_CART_LINES:
        items = dict(sorted(items.items())[:MAX_CART_LINES])
    return Cart(items)


def to_session(cart: Cart) -> dict[str, int]:
    return {str(pid): qty for pid, qty in cart.items.items()}


def from_session(data: object) -> Cart:
    """The cart kept in the session; anything malformed in it is dropped, never trusted."""
    items: dict[int, int] = {}
    if isinstance(data, dict):
        for key, value in list(data.items())[:MAX_CART_LINES]:
            try:
                line = cart_line(key, value)
            except OrderError:  # a bad entry is dropped
                continue
            items[line.product_id] = line.quantity
    return Cart(items)
