"""Error pages: the site's look for browsers, JSON with a stable code for API clients. Every error
rolls the database session back so that nothing half-written survives."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from marketplace.extensions import db

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

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if _wants_json():
            return jsonify(
                error={"code": "internal_error", "message": "Internal server error", "details": {}}
            ), 500
        return render_template("errors/500.html", error=InternalServerError()), 500
