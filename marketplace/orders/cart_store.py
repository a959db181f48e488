"""Where a cart is kept: in the session for a signed-out buyer, in `cart_items` for an account
(so it follows the buyer across sessions and devices). At sign-in the session's cart is merged
into the account's. The caller commits."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from flask import Flask
from sqlalchemy import case, delete, select

from marketplace.accounts import signals as account_signals
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders.cart import SESSION_KEY, Cart
from marketplace.orders.models import CartItem
from marketplace.orders.services import MAX_LINE_QUANTITY
from marketplace.timeutil import utcnow


def account_cart(user_id: int) -> Cart:
    rows = db.session.execute(
        select(CartItem.product_id, CartItem.quantity).where(CartItem.user_id == user_id)
    ).all()
    return carts.from_session({str(pid): qty for pid, qty in rows})


def save_account_cart(user_id: int, cart: Cart) -> None:
    """Make the account's rows equal `cart` (a handful of rows: replaced, not diffed)."""
    existing = {
        item.product_id: item
        for item in db.session.scalars(select(CartItem).where(CartItem.user_id == user_id))
    }
    for product_id, item in existing.items():
        if product_id not in cart.items:
            db.session.delete(item)
    for product_id, quantity in cart.items.items():
        if product_id in existing:
            existing[product_id].quantity = quantity
        else:
            db.session.add(CartItem(user_id=user_id, product_id=product_id, quantity=quantity))
    db.session.flush()


def add_to_account_cart(user_id: int, product_id: int, quantity: int) -> int | None:
    """Adds `quantity` of a product to the account's cart in one atomic statement and returns the
    line's new quantity, or None (nothing changed) when it would go beyond the stock or the
    per-line limit.

    `INSERT ... ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + :n WHERE
    ... <= cap`: two requests adding at once both count (no lost update) and neither trips the
    unique constraint, on SQLite and PostgreSQL alike. A new line is checked by the caller
    against the stock first (`quantity` alone)."""
    table = CartItem.__table__
    stock = select(Product.stock).where(Product.id == product_id).scalar_subquery()
    cap = case((stock < MAX_LINE_QUANTITY, stock), else_=MAX_LINE_QUANTITY)
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    stmt = insert(table).values(user_id=user_id, product_id=product_id, quantity=quantity, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.product_id],
        set_={"quantity": table.c.quantity + stmt.excluded.quantity, "updated_at": now},
        where=table.c.quantity + stmt.excluded.quantity <= cap,
    ).returning(table.c.quantity)
    return db.session.execute(stmt).scalar_one_or_none()


def clear_account_cart(user_id: int) -> None:
    db.session.execute(delete(CartItem).where(CartItem.user_id == user_id))


def load(session: MutableMapping, user_id: int | None) -> Cart:
    if user_id is not None:
        return account_cart(user_id)
    return carts.from_session(session.get(carts.SESSION_KEY))


def save(session: MutableMapping, user_id: int | None, cart: Cart) -> None:
    if user_id is not None:
        save_account_cart(user_id, cart)
    else:
        session[carts.SESSION_KEY] = carts.to_session(cart)


def init_app(app: Flask) -> None:
    """The signed-out cart follows the visitor into the account (accounts never imports orders)."""
    account_signals.signed_in.connect(_merge_signed_out_cart)


def _merge_signed_out_cart(sender: object, *, user, previous_session: Mapping) -> None:
    signed_out_cart = previous_session.get(SESSION_KEY)
    if signed_out_cart:
        merge_at_sign_in(user.id, signed_out_cart)


def merge_at_sign_in(user_id: int, session_data: object) -> Cart:
    """Add the signed-out cart into the account's: quantities summed, capped by the stock (and
    the per-line limit). A product out of stock keeps the larger of the two quantities, so that
    the cart page can say it is out of stock instead of the line silently vanishing."""
    signed_out = carts.from_session(session_data)
    mine = account_cart(user_id)
    if not signed_out.items:
        return mine
    stock = dict(
        db.session.execute(
            select(Product.id, Product.stock).where(Product.id.in_(list(signed_out.items)))
        ).all()
    )
    merged = dict(carts.merge(mine, signed_out).items)
    for product_id in signed_out.items:
        if product_id not in stock:  # deleted meanwhile
            merged.pop(product_id, None)
            continue
        available = stock[product_id]
        wanted = merged[product_id]
        floor = max(mine.items.get(product_id, 0), signed_out.items[product_id])
        merged[product_id] = min(wanted, MAX_LINE_QUANTITY, available) if available > 0 else floor
        merged[product_id] = max(merged[product_id], 1)
    result = Cart(merged)
    save_account_cart(user_id, result)
    return result
