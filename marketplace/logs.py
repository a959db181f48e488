"""Request ids and structured logs.

Every request gets an id: the proxy's `X-Request-ID` when it is well formed (nginx sets
`$request_id`, 32 hex digits), else a new one. It is sent back in the `X-Request-ID` response
header (gunicorn's access log prints it from there, see gunicorn.conf.py), attached to every log
record written during the request, and shown on error pages, so that one id finds a visitor's
error in the access log, the application's log and the screenshot they send.

With `LOG_FORMAT=json` (the default in production) the application logs one JSON object a line:
time, level, logger, message, request_id, method, path, and the traceback of an exception.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, has_request_context, request

HEADER = "X-Request-ID"
ENVIRON_KEY = "ocop.request_id"
# Letters, digits and - _ . : only, 8 to 64 of them: anything else (spaces, newlines that would
# forge log lines, markup) is replaced by a new id.
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def request_id() -> str:
    """The current request's id ("" outside a request)."""
    if not has_request_context():
        return ""
    # Kept in the WSGI environ, which is the request's own (an application context, and its `g`,
    # may outlive one request).
    environ = request.environ
    if ENVIRON_KEY not in environ:
        incoming = request.headers.get(HEADER, "")
        environ[ENVIRON_KEY] = incoming if WELL_FORMED.match(incoming) else uuid.uuid4().hex
    return environ[ENVIRON_KEY]


class RequestIdFilter(logging.Filter):
    """Adds request_id, method and path to every record written during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        record.method = request.method if has_request_context() else ""
        record.path = request.path if has_request_context() else ""
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "method": getattr(record, "method", ""),
            "path": getattr(record, "path", ""),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        request_id()

    @app.after_request
    def _send_request_id(response):
        response.headers[HEADER] = request_id()
        return response

    app.jinja_env.globals["request_id"] = request_id
    app.logger.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        app.logger.propagate = False
