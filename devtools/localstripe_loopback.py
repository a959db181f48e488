"""Serve localstripe (a Stripe stand-in for development, GPL, never imported by the app) on
127.0.0.1 only — its own `localstripe` command listens on every interface.

    python devtools/localstripe_loopback.py 8420
"""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from localstripe.server import app

if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8420
    logging.basicConfig(level=logging.INFO)
    web.run_app(app, host="127.0.0.1", port=port, access_log=logging.getLogger("aiohttp.access"))
