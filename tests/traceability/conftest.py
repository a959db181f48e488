"""Traceability pages are read in English in these tests (the texts they look for)."""

from __future__ import annotations

import pytest

from tests.conftest import FormClient


@pytest.fixture
def web(client) -> FormClient:
    client.set_cookie("lang", "en")
    return FormClient(client)
