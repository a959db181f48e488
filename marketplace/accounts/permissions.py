"""Who may do what, in one place.

Views declare who they are for with the decorators below, and load organisation-owned rows only
through `get_scoped_or_404`, which filters by the signed-in user's organisation: another
organisation's id answers 404 exactly like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.extensions import db, login_manager

__all__ = [
    "admin_required",
    "buyer_member_required",
    "can_see_wholesale",
    "current_buyer_membership",
    "current_producer_membership",
    "get_scoped_or_404",
    "login_required",
    "producer_can_publish",
    "producer_member_required",
]

F = TypeVar("F", bound=Callable)
M = TypeVar("M")


def init_app(app: Flask) -> None:
    from marketplace.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(session_token: str) -> User | None:
        return db.session.scalar(select(User).where(User.session_token == session_token))

    @app.context_processor
    def _permissions_in_templates() -> dict:
        from marketplace.accounts.forms import ROLE_LABELS

        return {
            "role_labels": ROLE_LABELS,
            "can_see_wholesale": can_see_wholesale(current_user),
            "producer_membership": current_producer_membership(),
            "buyer_membership": current_buyer_membership(),
        }


def current_producer_membership():
    """The signed-in user's ProducerMembership, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.producer_membership


def current_buyer_membership():
    """The signed-in user's BuyerMembership, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.buyer_membership


def _membership_for(kind: str):
    return current_producer_membership() if kind == "producer" else current_buyer_membership()


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _member_required(kind: str, roles: tuple[str, ...] | None) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            membership = _membership_for(kind)
            if membership is None or (roles is not None and membership.role not in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def producer_member_required(*roles: str) -> Callable[[F], F]:
    """Only members of a producer (with one of `roles`, if given)."""
    return _member_required("producer", roles or None)


def buyer_member_required(*roles: str) -> Callable[[F], F]:
    """Only members of a buyer organisation (with one of `roles`, if given)."""
    return _member_required("buyer", roles or None)


def get_scoped_or_404(model: type[M], object_id: int) -> M:
    """`model`'s row `object_id` if it belongs to the current user's organisation, else 404.

    The model names its owner in `organisation_scope = (kind, column name)`."""
    kind, column = model.organisation_scope  # type: ignore[attr-defined]
    membership = _membership_for(kind)
    if membership is None:
        abort(404)
    row = db.session.scalar(
        select(model).where(
            model.id == object_id,  # type: ignore[attr-defined]
            getattr(model, column) == membership.organisation_id,
        )
    )
    if row is None:
        abort(404)
    return row


def can_see_wholesale(user) -> bool:
    """Wholesale prices are for members of verified buyer organisations (and administrators)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    membership = user.buyer_membership
    return membership is not None and membership.organisation.is_verified


def producer_can_publish(producer) -> bool:
    """Only verified producers may publish products."""
    return producer is not None and producer.verification_status == "verified"
