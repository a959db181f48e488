"""Password rules: hashed with scrypt, a minimum length, and no commonly used passwords."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    """scrypt with Werkzeug's parameters; tests may choose cheaper ones (PASSWORD_HASH_METHOD)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    # An unknown address is checked against a dummy hash, so that a wrong address and a wrong
    # password take the same time.
    dummy = _dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    return check_password_hash(password_hash or dummy, password) and password_hash is not None


@cache
def common_passwords() -> frozenset[str]:
    """Widely used passwords (from public breach lists), lower-cased; refused at any length."""
    lines = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """A stable code naming what is wrong with `password`, or None when it is acceptable."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        return "password_too_short"
    folded = password.lower()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return "password_too_common"
    if email and folded in {email.lower(), email.split("@")[0].lower()}:
        return "password_is_email"
    return None
