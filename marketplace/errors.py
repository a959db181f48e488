"""Error pages: the site's look for browsers, JSON with a stable code for API clients. Every error
rolls the database session back so that nothing half-written survives.

A database that cannot be reached (stopped, restarted, its connections terminated, an SQLite file
locked for too long) answers 503 with `Retry-After`, not 500: the request's transaction was never
committed, and the next request gets a fresh connection (the pool drops connections SQLAlchemy
saw disconnected, and `pool_pre_ping` tests the others), so the site recovers by itself when the
database is back. That page is drawn without the database: no signed-in account, no cart."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from marketplace.extensions import db

# SQLAlchemy's errors for a database that is not there: connection refused or lost, server
# shutting down, a pool with no connection to give, SQLite's "database is locked".
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
RETRY_AFTER_SECONDS = 30


def _rollback() -> None:
    """Roll the session back; on a lost connection that may fail too, and must not hide the error."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; closing returns it to the pool, which discards it
        db.session.close()


# The forms of the public pages (see catalog/page_cache.py), by endpoint: the fields sent again.
RESENDABLE_FORMS = {
    "site.set_language": ("lang", "next"),
    "orders.add_to_cart": ("product_id", "quantity", "next"),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        db.session.rollback()
        if _wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return jsonify(error={"code": code, "message": exc.description, "details": {}}), exc.code
        if exc.response is not None:
            # The view built its own page for this error (sign-in throttling explains what to do).
            return exc.response
        template = "errors/404.html" if exc.code == 404 else "errors/error.html"
        return render_template(template, error=exc), exc.code

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        """A form sent without its token, or with an expired one: say what to do. The forms of
        the pages shared by visitors without a session carry no token (JavaScript asks for one);
        without JavaScript they arrive here, and the page offers to send them again, with a token
        this time, so that nothing changes until the visitor confirms on this site's own page."""
        db.session.rollback()
        if _wants_json():
            return jsonify(error={"code": "csrf_error", "message": exc.description, "details": {}}), 400
        names = RESENDABLE_FORMS.get(request.endpoint or "", ())
        resend = [(name, request.form[name]) for name in names if name in request.form]
        return render_template("errors/csrf.html", error=exc, resend=resend), 400

    def _database_unavailable(exc: Exception):
        _rollback()
        app.logger.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _wants_json():
            body = {
                "code": "service_unavailable",
                "message": "The database is unavailable; nothing was changed. Try again shortly.",
                "details": {"retry_after": RETRY_AFTER_SECONDS},
            }
            return jsonify(error=body), 503, headers
        # Drawn from the Jinja environment directly: the context processors (the signed-in
        # account, the cart) would ask the database again.
        page = app.jinja_env.get_template("errors/unavailable.html").render(
            lang=str(get_locale() or "vi"), stylesheet=url_for("static", filename="css/site.css")
        )
        return page, 503, headers

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, _database_unavailable)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        _rollback()
        app.logger.exception("unhandled error")
        if _wants_json():
            return jsonify(
                error={"code": "internal_error", "message": "Internal server error", "details": {}}
            ), 500
        return render_template("errors/500.html", error=InternalServerError()), 500
