"""Each certification test starts with no stored documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_documents(request) -> None:
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    shutil.rmtree(Path(app.config["DOCUMENT_DIR"]), ignore_errors=True)
