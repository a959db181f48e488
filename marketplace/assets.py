"""Static files fingerprinted and cached for a year; text responses compressed with gzip.

`url_for('static', filename=...)` gives `/static/<file>?v=<first 12 hex digits of its SHA-256>`:
when a file changes, so does its URL, so the files can be cached for a year ("immutable"). A
request whose `v` is not the current hash (an old page after a deploy) is still answered, with a
short cache. Hashes are computed once per file and process (again when the file's mtime changes,
so `make run` picks edits up).

Responses of a text type (HTML, CSS, JS, JSON, SVG, CSV, XML) of at least `COMPRESS_MIN_BYTES`
are gzipped when the client accepts it; streamed responses (exports) are left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from pathlib import Path

from flask import Flask, Response, request

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
    "application/problem+json",
)

_hashes: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def file_hash(static_folder: str, filename: str) -> str | None:
    path = Path(static_folder, filename)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    with _lock:
        known = _hashes.get(str(path))
    if known and known[0] == mtime:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    with _lock:
        _hashes[str(path)] = (mtime, digest)
    return digest


def _compress(response: Response, min_bytes: int, level: int) -> Response:
    if (
        response.status_code < 200
        or response.status_code in (204, 206, 304)
        # A generator (an export streaming its rows) stays streamed; a file sent from disk
        # (direct passthrough) is read and compressed.
        or (response.is_streamed and not response.direct_passthrough)
        or "Content-Encoding" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
    ):
        return response
    response.direct_passthrough = False  # static files are sent from disk: read them to compress
    data = response.get_data()
    if len(data) < min_bytes:
        return response
    response.set_data(gzip.compress(data, compresslevel=level, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # the same content, other bytes
    return response


def init_app(app: Flask) -> None:
    static_folder = app.static_folder
    min_bytes = int(app.config.get("COMPRESS_MIN_BYTES", 500))
    level = int(app.config.get("COMPRESS_LEVEL", 6))

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = file_hash(static_folder, values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def _cache_and_compress(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            current = request.args.get("v")
            fresh = current is not None and current == file_hash(static_folder, filename)
            response.headers["Cache-Control"] = LONG_CACHE if fresh else SHORT_CACHE
        return _compress(response, min_bytes, level)
