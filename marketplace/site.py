"""Site-wide routes: health check, language switch, and the CSRF token of pages shared by visitors
without a session."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import Blueprint, jsonify, redirect, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from marketplace.extensions import db

bp = Blueprint("site", __name__)


# Control characters, spaces and backslashes: browsers drop tabs and newlines inside a URL, strip
# leading spaces and read "\\" as "/", so "/\\evil.example" or "/<tab>/evil.example" becomes
# "//evil.example", another site.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (with its query), else `default`: the one check for
    every `next` or return path a request carries, so that none becomes an open redirect.

    The path is checked as sent and once percent-decoded, because a proxy or an old browser may
    decode "/%2F/evil.example" into "//evil.example" before following it."""
    if not target or not _is_local_path(target):
        return default
    path = target.split("?", 1)[0].split("#", 1)[0]
    return target if _is_local_path(unquote(path)) else default


def _is_local_path(value: str) -> bool:
    parts = urlsplit(value)
    return (
        value.startswith("/")
        and not value.startswith("//")
        and not parts.scheme
        and not parts.netloc
        and _UNSAFE_IN_PATH.search(value) is None
        and not any(character.isspace() for character in value)
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:
        db.session.rollback()
        return jsonify(status="unavailable", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    response = redirect(safe_next(request.form.get("next")))
    if lang in ("vi", "en"):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/csrf-token")
def csrf_token():
    """This visitor's CSRF token, for a form on a page that carries none because it is the same for
    every visitor without a session (static/js/cart.js asks when such a form is sent). Only pages
    of this site can read the answer (no CORS), and the token is the one any form would carry."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "private, no-store"
    return response
