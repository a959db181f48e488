"""Search tests run against every available backend: Whoosh always (on SQLite and PostgreSQL),
and the PostgreSQL backend when the test database is PostgreSQL."""

from __future__ import annotations

import pytest

from marketplace import search


def pytest_collection_modifyitems(config, items) -> None:
    """Leave out the impossible pairing of the PostgreSQL search backend with SQLite."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("search_backend") == "postgres" and params.get("backend") == "sqlite":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request, app, backend) -> str:
    """The application switched to one search backend, with an empty index."""
    app.config["SEARCH_BACKEND"] = request.param
    search.rebuild()
    yield request.param
    app.config["SEARCH_BACKEND"] = "whoosh"
