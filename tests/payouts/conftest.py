"""Payout tests: the shipped rates installed (the test database is emptied between tests), and
the card refund stand-in of the ledger tests."""

from __future__ import annotations

import pytest

from marketplace.payouts.rates import install_seed_rates
from tests.reports.conftest import refunds  # noqa: F401 - card refunds without Stripe


@pytest.fixture
def rates(app) -> None:
    install_seed_rates()
