"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(*, script_src: str = "", connect_src: str = "", frame_src: str = "") -> str:
    """The site's policy widened for one page, e.g. the card payment page, which loads stripe.js
    and lets it talk to Stripe (and, with real Stripe, show its card fields in frames)."""
    policy = CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {script_src}".rstrip())
    if connect_src:
        policy += f"; connect-src 'self' {connect_src}"
    if frame_src:
        policy += f"; frame-src {frame_src}"
    return policy


# Files that are the same for everyone: a signed-in visitor may cache them like anyone else.
SHARED_ENDPOINTS = frozenset({"static", "catalog.media"})


def init_app(app: Flask) -> None:
    hsts_seconds = int(app.config.get("HSTS_SECONDS") or 0)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if hsts_seconds:  # production only: a browser then refuses plain HTTP for this site
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains"
            )
        if (
            request.endpoint not in SHARED_ENDPOINTS
            and "Cache-Control" not in response.headers
            and _signed_in()
        ):
            # A signed-in page shows the account (name, cart, orders): no cache may keep it, nor
            # the back button after sign-out. Anonymous pages keep their caching.
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _signed_in() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))
