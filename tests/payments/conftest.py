"""Stripe test harness: a real localstripe process, and a live server of the test application
for it to deliver signed webhooks to. Nothing in the Stripe library is patched."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

WEBHOOK_SECRET = "whsec_ocop_test_secret"
SECRET_KEY = "sk_test_ocop_marketplace"
WEBHOOK_PATH = "/payments/stripe/webhook"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# localstripe as shipped pickles its whole store to the fixed path /tmp/localstripe.pickle after
# every change: each write grows with the store, and every localstripe on the machine (one per
# xdist worker, other test runs) would write the same file. Run with --from-scratch it never reads
# that file back, so the harness starts it with the write switched off.
LOCALSTRIPE = """
import sys
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None
sys.argv[0] = "localstripe"
sys.exit(server.start())
"""


def _localstripe_command(port: int) -> list[str]:
    if importlib.util.find_spec("localstripe") is None:
        pytest.fail("localstripe is not installed: pip install -r requirements-dev.txt", pytrace=False)
    return [sys.executable, "-c", LOCALSTRIPE, "--port", str(port), "--from-scratch"]


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory) -> Iterator[str]:
    """The base URL of a localstripe started for this test session (killed at its end)."""
    port = _free_port()
    log = open(tmp_path_factory.mktemp("localstripe") / "localstripe.log", "wb")
    process = subprocess.Popen(
        _localstripe_command(port),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(
                f"{base}/v1/customers", headers={"Authorization": f"Bearer {SECRET_KEY}"}
            )
            urllib.request.urlopen(request, timeout=1).close()
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"localstripe did not start (exit code {process.poll()})", pytrace=False)
            time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class WebhookRecorder:
    """WSGI middleware keeping a copy of every webhook delivery, so that a test can replay one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.deliveries: list[tuple[bytes, dict[str, str]]] = []

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == WEBHOOK_PATH:
            import io

            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            headers = {
                "Stripe-Signature": environ.get("HTTP_STRIPE_SIGNATURE", ""),
                "Content-Type": environ.get("CONTENT_TYPE", ""),
            }
            self.deliveries.append((body, headers))
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def live_server(_migrated_app: Flask) -> Iterator[tuple[str, WebhookRecorder]]:
    """The test application served on a free loopback port, in a thread."""
    recorder = WebhookRecorder(_migrated_app)
    server = make_server("127.0.0.1", 0, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", recorder
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def stripe_app(app: Flask, localstripe: str, live_server) -> Iterator[Flask]:
    """`app` pointed at localstripe, whose webhooks reach this app's live server."""
    url, recorder = live_server
    recorder.deliveries.clear()
    settings = {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": "pk_test_ocop",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": localstripe,
    }
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    body = json.dumps(
        {
            "url": url + WEBHOOK_PATH,
            "secret": WEBHOOK_SECRET,
            "events": ["payment_intent.succeeded", "payment_intent.payment_failed"],
        }
    ).encode()
    request = urllib.request.Request(
        f"{localstripe}/_config/webhooks/ocop-tests",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=5).close()
    app.webhook_deliveries = recorder.deliveries  # type: ignore[attr-defined]
    try:
        yield app
    finally:
        app.config.update(saved)
