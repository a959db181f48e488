"""Fault (e): the Whoosh index directory is deleted under a running site. The catalogue, search
results, suggestions and the API keep answering (search falls back to the catalogue's own
listing), a product saved meanwhile does not fail, and `flask search reindex` restores it."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app

from marketplace import search
from marketplace.extensions import db
from tests.factories import make_producer, make_product


def _delete_index() -> None:
    shutil.rmtree(Path(current_app.config["SEARCH_INDEX_DIR"]))


def test_with_the_index_deleted_the_catalogue_serves_and_reindex_restores_search(app, client) -> None:
    app.config["SEARCH_BACKEND"] = "whoosh"
    producer = make_producer(verification_status="verified")
    make_product(producer, name="Nước mắm Phú Quốc")
    make_product(producer, name="Chè Shan Tuyết")
    db.session.commit()
    search.rebuild()
    assert len(search.search("nuoc mam").ids) == 1

    _delete_index()
    search.clear_cache()
    for path in ("/", "/products", "/products?q=nuoc+mam", "/search/suggest?q=nuo", "/api/v1/products?q=che"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    assert "Nước mắm Phú Quốc" in client.get("/products").get_data(as_text=True)
    # A change to the catalogue while the index is gone: saved, nothing raised after the commit.
    make_product(producer, name="Mật ong bạc hà")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    search.clear_cache()
    assert len(search.search("nuoc mam").ids) == 1 and len(search.search("mat ong").ids) == 1
    assert "Nước mắm Phú Quốc" in client.get("/products?q=nuoc+mam").get_data(as_text=True)


def test_a_deleted_index_counts_as_missing_so_reindex_if_missing_rebuilds_it(app, client) -> None:
    app.config["SEARCH_BACKEND"] = "whoosh"
    producer = make_producer(verification_status="verified")
    make_product(producer, name="Nước mắm Phú Quốc")
    db.session.commit()
    search.rebuild()
    _delete_index()
    search.clear_cache()
    assert client.get("/products?q=nuoc+mam").status_code == 200  # an empty index stands in
    make_product(producer, name="Mật ong bạc hà")  # indexed into the stand-in after the commit
    db.session.commit()
    assert not search.index_exists()

    result = app.test_cli_runner().invoke(args=["search", "reindex", "--if-missing"])
    assert result.exit_code == 0 and "Indexed 2 products" in result.output, result.output
    assert search.index_exists()
    search.clear_cache()
    assert len(search.search("nuoc mam").ids) == 1 and len(search.search("mat ong").ids) == 1
