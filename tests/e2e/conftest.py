"""Browser tests: Playwright drives Debian's chromium against the app served on loopback.

The server runs in a thread of the test process (one per database backend), on the same database
as the `app` fixture, so tests arrange data with the factories and then browse it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def _server(_migrated_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _migrated_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask, _server: str) -> str:
    """The base URL of the running app; the database is clean at the start of each test."""
    return _server
