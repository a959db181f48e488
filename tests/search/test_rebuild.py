"""Rebuilding the index: atomic for readers, no lost changes, several writers at once."""

from __future__ import annotations

import multiprocessing
import threading

from flask import current_app

from marketplace import search
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search.documents import SearchDocument
from marketplace.search.whoosh_backend import WhooshBackend
from tests.factories import make_producer, make_product


def _many_products(n: int) -> list[int]:
    producer = make_producer()
    ids = [make_product(producer, name=f"Nước mắm hũ {i}").id for i in range(n)]
    db.session.commit()
    return ids


def test_searches_keep_answering_in_full_during_a_rebuild(search_backend) -> None:
    ids = _many_products(300)
    app = current_app._get_current_object()
    answers: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_searching() -> None:
        with app.app_context():
            while not done.is_set():
                try:
                    answers.append(len(search.search("nuoc mam").ids))
                except BaseException as exc:
                    errors.append(exc)
                    return

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        for _ in range(3):
            search.rebuild()
    finally:
        done.set()
        reader.join()
    assert not errors
    assert answers and set(answers) == {len(ids)}


def test_the_reindex_command_shows_progress_and_swaps_the_index_in(search_backend) -> None:
    _many_products(5)
    result = current_app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexing 5 products" in result.output and "Indexed 5 products" in result.output
    assert len(search.search("nuoc mam").ids) == 5
    again = current_app.test_cli_runner().invoke(args=["search", "reindex", "--if-missing"])
    assert "nothing to do" in again.output


def test_a_change_committed_during_a_rebuild_is_in_the_new_index(app, tmp_path) -> None:
    producer = make_producer()
    first = make_product(producer, name="Bánh cáy")
    make_product(producer, name="Bánh gai")
    db.session.commit()
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    app.extensions["search"].clear()
    try:
        search.rebuild()
        backend = search.backend()

        def documents_that_change_midway():
            from marketplace.search.documents import load_documents

            with db.engine.connect() as conn:
                for n, doc in enumerate(load_documents(conn)):
                    if n == 1:
                        # Another request commits a rename while the rebuild is half done.
                        db.session.get(Product, first.id).name = "Bánh đa cua"
                        db.session.commit()
                    yield doc

        backend.rebuild(documents_that_change_midway(), total=2, reload=search._reload)
        assert set(search.search("banh da cua").ids) == {first.id}
        assert set(search.search("banh cay").ids) == set()
    finally:
        app.config["SEARCH_INDEX_DIR"] = str(tmp_path.parent / "search")
        app.extensions["search"].clear()


def _write_documents(directory: str, start: int, count: int) -> None:
    backend = WhooshBackend(directory)
    for product_id in range(start, start + count):
        doc = SearchDocument(product_id, f"Sản phẩm {product_id}", "HTX", "Hà Nội", "food", "", "")
        backend.apply([doc], [])


def test_several_processes_write_to_the_whoosh_index_at_once_without_lock_errors(tmp_path) -> None:
    directory = str(tmp_path / "index")
    WhooshBackend(directory).rebuild([], total=0)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_documents, args=(directory, 1000 * n, 15)) for n in range(1, 4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    assert [p.exitcode for p in writers] == [0, 0, 0]
    backend = WhooshBackend(directory)
    with backend._searcher() as searcher:
        assert searcher.doc_count() == 45
