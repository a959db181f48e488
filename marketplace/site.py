"""Site-wide routes: health check and language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, request
from sqlalchemy import text

from marketplace.extensions import db

bp = Blueprint("site", __name__)


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
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
