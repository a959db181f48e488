"""Password rules: hashed with scrypt, a minimum length, and no commonly used passwords."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

# Checked against when an e-mail address is unknown, so that a wrong address and a wrong password
# take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    return check_password_hash(password_hash or _DUMMY_HASH, password) and password_hash is not None


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
