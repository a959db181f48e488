"""Reports: the sales ledger (`ledger.py`, table `sales_entries`) and the figures read from it.

Sits above orders, payments, invoicing and wholesale: it imports them and subscribes to their
signals; none of them imports it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.reports import ledger, summaries

    ledger.init_app(app)
    summaries.init_app()
