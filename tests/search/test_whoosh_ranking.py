"""The Whoosh backend's own ranking (`whoosh_ranking`) orders matches exactly as
`searcher.search()` does, on a fresh index, after edits and deletions (several segments, deleted
documents), and on an index built before the product id column existed; the term scores kept
for suggestions are dropped when the index changes."""

from __future__ import annotations

import random

import pytest
from whoosh.fields import Schema
from whoosh.query import And, Prefix

from marketplace import search
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search import _plan
from marketplace.search import whoosh_backend as wb
from marketplace.search.plan import QueryPlan, WordPlan
from marketplace.search.query import max_typos, parse_query
from marketplace.search.whoosh_ranking import ID_COLUMN, Unsupported, rank
from tests.factories import make_producer, make_product
from tests.search.catalogue import build_catalogue
from tests.search.test_relevance import RELEVANCE

NAMES = ["Chè", "Trà xanh", "Nước mắm", "Mắm tôm", "Cà phê", "Mật ong", "Gạo", "Bánh pía", "Rượu", "Gốm"]
WORDS = ["đặc biệt", "thượng hạng", "hữu cơ", "truyền thống", "Tân Cương", "Phú Quốc", "Mèo Vạc", "Sóc Trăng"]
SUGGESTIONS = [
    "ch",
    "che t",
    "nuoc m",
    "Nước mắm t",
    "mat o",
    "gom b",
    "ca phe t",
    "tr",
    "ruou d",
    "banh pia h",
]


@pytest.fixture
def whoosh(app):
    app.config["SEARCH_BACKEND"] = "whoosh"
    search.rebuild()
    return search.backend()


def _many(n: int, seed: int = 3) -> list[Product]:
    rng = random.Random(seed)
    producer = make_producer(name="HTX Chè Hoàng Bình")
    products = [
        make_product(producer, name=f"{rng.choice(NAMES)} {rng.choice(WORDS)} {rng.choice(WORDS)}")
        for _ in range(n)
    ]
    db.session.commit()
    return products


def _whoosh_order(backend, query, limit: int) -> list[int]:
    """Whoosh's full ranking, cut at `limit`. (Its top-N search, `limit` below the number of
    matches, can miss the best match of an `AndMaybe` query: "phu quocc" with limit=2 here.)"""
    with backend._searcher() as searcher:
        return [int(hit["id"]) for hit in searcher.search(query, limit=None)][:limit]


def _assert_same_ranking(backend) -> None:
    """Every query of the relevance table in both ways, and suggestions as typed: the complete
    words' scores, then index order (a prefix scores a constant)."""
    captured = []
    original = wb.WhooshBackend._ranked

    def capture(self, query, limit, keep_terms=False):
        captured.append((query, limit))
        return original(self, query, limit, keep_terms)

    wb.WhooshBackend._ranked = capture
    try:
        for text, _ in RELEVANCE:
            search.clear_cache()
            search.search(text)
            search.search(text, limit=2)
        searches = len(captured)
        for text in SUGGESTIONS:
            search.suggest(text)
    finally:
        wb.WhooshBackend._ranked = original
    assert searches == 2 * len(RELEVANCE) and len(captured) == searches + len(SUGGESTIONS)
    for query, limit in captured[:searches]:
        with backend._searcher() as searcher:
            assert rank(searcher, query, limit) == _whoosh_order(backend, query, limit), query
    suggested = 0
    for query, limit in captured[searches:]:
        words = And([q for q in query.subqueries if not isinstance(q, Prefix)])
        prefix = next(q for q in query.subqueries if isinstance(q, Prefix))
        with backend._searcher() as searcher:
            typed = {hit.docnum for hit in searcher.search(prefix, limit=None, scored=False)}
            if words.subqueries:
                hits = searcher.search(words, limit=None)
                scored = [(-hit.score, hit.docnum) for hit in hits if hit.docnum in typed]
            else:
                scored = [(0, docnum) for docnum in typed]
            expected = [int(searcher.stored_fields(d)["id"]) for _, d in sorted(scored)][:limit]
            assert rank(searcher, query, limit) == expected, query
            suggested += bool(expected)
    assert suggested >= 4


def test_the_ranking_is_whooshs_on_a_fresh_index(whoosh) -> None:
    build_catalogue()
    _many(120)
    search.rebuild()
    _assert_same_ranking(whoosh)


def test_the_ranking_is_whooshs_after_edits_and_deletions(whoosh) -> None:
    build_catalogue()
    products = _many(120)
    for product in products[:30]:
        product.name = f"Trà xanh {product.name}"
        db.session.commit()  # each commit writes a small segment and deletes the old document
    for product in products[30:40]:
        db.session.delete(product)
    db.session.commit()
    with whoosh._searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
    _assert_same_ranking(whoosh)


def test_an_index_without_the_id_column_reads_ids_from_stored_fields(whoosh, monkeypatch) -> None:
    """An index built by the previous release keeps answering until it is rebuilt."""
    ids = build_catalogue()
    old = wb._schema()
    monkeypatch.setattr(wb, "_schema", lambda: Schema(**{n: old[n] for n in old.names() if n != ID_COLUMN}))
    fields = wb._fields
    monkeypatch.setattr(wb, "_fields", lambda doc: {k: v for k, v in fields(doc).items() if k != ID_COLUMN})
    search.rebuild()
    with whoosh._searcher() as searcher:
        assert ID_COLUMN not in searcher.reader().schema
    assert search.search("che tan cuong").ids[0] == ids["che-tan-cuong"]
    _assert_same_ranking(whoosh)


def test_queries_it_does_not_reproduce_are_left_to_whoosh(whoosh) -> None:
    from whoosh.query import Term, Wildcard

    build_catalogue()
    with whoosh._searcher() as searcher:
        with pytest.raises(Unsupported):
            rank(searcher, Wildcard("name", "ch*"), 10)
        with pytest.raises(Unsupported):
            rank(searcher, Term("id", "1"), 10)  # not scorable
    assert whoosh._ranked(Wildcard("name", "ch*"), 10) == _whoosh_order(whoosh, Wildcard("name", "ch*"), 10)


def test_a_limited_search_is_the_head_of_the_full_ranking(whoosh) -> None:
    build_catalogue()
    _many(60)
    for text in ("nuoc mammm", "cafe son la", "phu quocc", "che", "mat ong bac ha", "gom"):
        plan = _plan(text, whoosh, max_typos)
        everything = whoosh.search(plan, 5000)
        assert everything, text
        assert whoosh.search(plan, 1) == everything[:1]
        assert whoosh.search(plan, 3) == everything[:3]
    plan = QueryPlan(tuple(WordPlan(w.folded, w.original) for w in parse_query("xyzzy")))
    assert whoosh.search(plan, 1) == []


def test_suggestions_follow_a_rename(whoosh) -> None:
    product = make_product(name="Bánh cáy Thái Bình")
    db.session.commit()
    assert [s.id for s in search.suggest("banh c")] == [product.id]  # the name's term scores are now kept
    product.name = "Bánh gai Ninh Giang"
    db.session.commit()
    assert search.suggest("banh c") == []
    assert [s.id for s in search.suggest("banh g")] == [product.id]


def test_suggestions_follow_a_rebuild(whoosh) -> None:
    product = make_product(name="Bánh cáy Thái Bình")
    db.session.commit()
    assert [s.id for s in search.suggest("banh c")] == [product.id]
    # A bulk statement is not followed by the index: only the rebuild brings the new name in.
    db.session.execute(
        Product.__table__.update().where(Product.__table__.c.id == product.id).values(name="Bánh gai")
    )
    db.session.commit()
    assert [s.id for s in search.suggest("banh c")] == [product.id]
    search.rebuild()
    assert search.suggest("banh c") == []
    assert [s.id for s in search.suggest("banh g")] == [product.id]
