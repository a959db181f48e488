"""The one source of the API's document and checks: a spectree `SpecTree` (pydantic v2 models,
OpenAPI 3.1), and `operation`, the decorator every API view wears. It authenticates the bearer
token (401), checks the organisation kind and scope (403), applies the per-token rate limit
(429) and then lets spectree validate the request against the models (422) — in that order."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app, g, request
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from marketplace import throttle
from marketplace.api import tokens
from marketplace.api.errors import ERROR_CODES, ApiError
from marketplace.api.schemas import ErrorBody

DESCRIPTION = """JSON API v1 of OCOP Marketplace, for supermarket purchasing systems and producers'
stock systems. Authenticate with `Authorization: Bearer <token>` (tokens are created by an owner at
`/buyer/api-tokens` or `/portal/api-tokens`). Errors are `{"error": {"code", "message", "details"}}`;
the codes are stable:

| code | status | meaning |
| --- | --- | --- |
""" + "\n".join(f"| `{code}` | {status} | {text} |" for code, (status, text) in ERROR_CODES.items())


def _raise_validation_error(req, resp, error, instance, model_adapter) -> None:
    """spectree's hook after request validation: our error shape instead of its own."""
    if error is None:
        return
    if getattr(error, "title", "") == "IdempotencyHeaders":
        raise ApiError("idempotency_key_required")
    details = [
        {
            "location": ".".join(str(part) for part in e.get("loc", ())),
            "message": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in error.errors(include_url=False, include_context=False)
    ]
    raise ApiError("validation_error", "The request does not match the document.", {"errors": details})


spec = SpecTree(
    "flask",
    title="OCOP Marketplace API",
    version="1.0",
    description=DESCRIPTION,
    mode="strict",
    page_templates={},  # no CDN pages: the reference page is served by the app (api.reference)
    validation_error_status=422,
    validation_error_model=ErrorBody,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer"))],
    before=_raise_validation_error,
    annotations=False,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)

_ERRORS = {
    "HTTP_401": ErrorBody,
    "HTTP_403": ErrorBody,
    "HTTP_404": ErrorBody,
    "HTTP_422": ErrorBody,
    "HTTP_429": ErrorBody,
}


def responses(**by_status) -> Response:
    return Response(**{**_ERRORS, **by_status})


def count_request() -> None:
    """One request against the per-token limit (`API_RATE_LIMIT`; per address for the public
    operations), counted in the shared throttle store (Redis or the database), so that every
    worker and server sees the same count."""
    token = g.get("api_token")
    subject = f"token:{token.id}" if token is not None else f"address:{request.remote_addr or 'unknown'}"
    try:
        throttle.take(("API_RATE_LIMIT", subject))
    except throttle.Throttled as exceeded:
        raise ApiError(
            "rate_limited",
            f"At most {current_app.config['API_RATE_LIMIT']} for this token.",
            {"limit": current_app.config["API_RATE_LIMIT"]},
            headers={"Retry-After": str(exceeded.retry_after)},
        ) from None


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate(kind: str, scope: str):
    try:
        token = tokens.authenticate(_bearer())
    except tokens.TokenError as error:
        raise ApiError(error.code, headers={"WWW-Authenticate": 'Bearer realm="api"'}) from None
    if token.organisation_kind != kind:
        raise ApiError("wrong_organisation_kind", f"This operation is for {kind} tokens.")
    if scope not in token.scope_list:
        raise ApiError("insufficient_scope", f"This operation needs the scope {scope}.", {"required": scope})
    return token


def operation(
    *,
    kind: str | None,
    scope: str | None,
    tags: tuple[str, ...],
    resp: Response,
    query=None,
    json=None,
    headers=None,
) -> Callable:
    """Authentication, scope, rate limit and validation for one API view. `kind` None: public."""

    def decorate(view: Callable) -> Callable:
        validated = spec.validate(
            query=query,
            json=json,
            headers=headers,
            resp=resp,
            tags=tags,
            security={"bearer": []} if kind else {},
        )(view)

        @wraps(view)
        def wrapper(*args, **kwargs):
            if kind is not None:
                g.api_token = authenticate(kind, scope)
            count_request()
            return validated(*args, **kwargs)

        wrapper.__wrapped__ = validated  # spectree finds its metadata along __wrapped__
        return wrapper

    return decorate
