"""Product search that understands Vietnamese typed without diacritics, with typos, or by place.

One interface, two backends chosen by SEARCH_BACKEND: `whoosh` (default; files under
SEARCH_INDEX_DIR) and `postgres` (tsvector + unaccent in the database, for several app servers).
A backend only ranks product ids; what may be shown, facets and counts come from the catalogue's
SQL (`catalog.services`), so search results and the catalogue always agree.

    search(q)            -> SearchResult: matching ids in rank order, words to highlight, "did you mean"
    suggest(q)           -> names of visible products for the search box
    index_products(ids)  -> bring these products up to date in the index (deleted ones are removed)
    rebuild()            -> rebuild the whole index, swapped in atomically
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select

from marketplace.catalog import services as catalog_services
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.search.documents import count_products, load_documents
from marketplace.search.plan import QueryPlan, WordPlan
from marketplace.search.query import highlight, max_typos, parse_query

BACKENDS = ("whoosh", "postgres")
# Every match is ranked (no cap): the catalogue counts and pages them in memory with its facet
# index, so no list of ids goes to the database.
SUGGESTION_LIMIT = 8
# Results kept per process, bounded by the number of ids they hold together (SEARCH_CACHE_IDS).
DEFAULT_CACHE_IDS = 500_000  # as config.SEARCH_CACHE_IDS
_results: OrderedDict[tuple, SearchResult] = OrderedDict()
_results_ids = 0
_results_lock = threading.Lock()


class SearchConfigError(RuntimeError):
    code = "search_misconfigured"


@dataclass(frozen=True)
class SearchResult:
    ids: tuple[int, ...]  # best first
    words: frozenset[str]  # folded words to highlight (as typed, synonyms, corrections)
    did_you_mean: str | None = None


@dataclass(frozen=True)
class Suggestion:
    id: int
    slug: str
    name: str


def init_app(app: Flask) -> None:
    from marketplace.search import cli, sync, whoosh_ranking

    if app.config.get("SEARCH_BACKEND", "whoosh") not in BACKENDS:
        raise SearchConfigError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}")
    app.extensions["search"] = {}
    whoosh_ranking.POSTINGS_KEPT = app.config.get("SEARCH_POSTINGS_KEPT", whoosh_ranking.POSTINGS_KEPT)
    sync.install()
    cli.init_app(app)
    # The catalogue ranks its search results with this engine (it never imports search).
    catalog_services.register_search_engine(
        app, catalog_services.SearchEngine(search=search, highlight=highlight)
    )


def backend():
    """The configured backend, created once per application."""
    name = current_app.config.get("SEARCH_BACKEND", "whoosh")
    backends = current_app.extensions["search"]
    if name not in backends:
        if name == "postgres":
            from marketplace.search.postgres_backend import PostgresBackend

            if db.engine.dialect.name != "postgresql":
                raise SearchConfigError("SEARCH_BACKEND=postgres needs a PostgreSQL database")
            backends[name] = PostgresBackend(db.engine)
        else:
            from marketplace.search.whoosh_backend import WhooshBackend

            backends[name] = WhooshBackend(current_app.config["SEARCH_INDEX_DIR"])
    return backends[name]


# -- reading -----------------------------------------------------------------------------------


def _plan(text: str | None, engine, typo_distance: Callable[[str], int]) -> QueryPlan:
    """Words of `text` with their synonyms, and corrections for words the index does not know."""
    words = []
    for word in parse_query(text):
        alternatives = list(word.alternatives)
        distance = typo_distance(word.folded)
        if distance and not engine.is_known(word.folded):
            alternatives.extend((c,) for c in engine.similar_words(word.folded, distance))
        words.append(WordPlan(word.folded, word.original, tuple(alternatives)))
    return QueryPlan(tuple(words))


def search(text: str | None, limit: int | None = None) -> SearchResult:
    """Products matching `text`, best first. When nothing matches, `did_you_mean` proposes a
    spelling that does find something.

    Paging through results and clicking facets repeat a query, so results are kept per index
    generation (a commit or a rebuild starts a new one) where the backend has such a marker."""
    engine = backend()
    generation = engine.generation()
    if generation is None:
        return _search(text, limit, engine)
    global _results_ids
    key = (engine.name, generation, text, limit)
    with _results_lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    result = _search(text, limit, engine)
    budget = current_app.config.get("SEARCH_CACHE_IDS", DEFAULT_CACHE_IDS)
    with _results_lock:
        if key not in _results and len(result.ids) <= budget:
            _results[key] = result
            _results_ids += len(result.ids) + 1
            while _results_ids > budget:
                _, dropped = _results.popitem(last=False)
                _results_ids -= len(dropped.ids) + 1
    return result


def clear_cache() -> None:
    global _results_ids
    with _results_lock:
        _results.clear()
        _results_ids = 0


def _search(text: str | None, limit: int | None, engine) -> SearchResult:
    plan = _plan(text, engine, max_typos)
    ids = engine.search(plan, limit) if plan.words else []
    if ids or not plan.words:
        return SearchResult(tuple(ids), plan.highlight_words)
    return SearchResult((), plan.highlight_words, did_you_mean=_did_you_mean(plan, engine))


def _did_you_mean(plan: QueryPlan, engine) -> str | None:
    """Each unknown word replaced by its nearest known word (two edits, or one under 5 letters),
    if that finds something."""
    corrected = []
    changed = False
    for word in plan.words:
        best = None
        if len(word.folded) >= 3 and not engine.is_known(word.folded):
            nearest = engine.similar_words(word.folded, 2 if len(word.folded) >= 5 else 1)
            best = nearest[0] if nearest else None
        corrected.append(best or word.folded)
        changed = changed or best is not None
    if not changed:
        return None
    proposal = " ".join(corrected)
    new_plan = QueryPlan(tuple(WordPlan(w, w) for w in corrected))
    return proposal if engine.search(new_plan, 1) else None


def suggest(text: str | None, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Visible products whose name starts words with what is being typed ("nuoc m" -> "Nước mắm ...")."""
    words = parse_query(text)
    if not words:
        return []
    complete = words if (text or "").endswith(" ") else words[:-1]
    prefix = "" if complete is words else words[-1].folded
    if not complete and len(prefix) < 2:
        return []  # one letter would match half the catalogue
    plan = QueryPlan(tuple(WordPlan(w.folded, w.original) for w in complete))
    ids = backend().suggest(plan, prefix, limit * 3)
    if not ids:
        return []
    # Visibility as a column rather than a condition: with `status = 'published'` in the WHERE
    # clause SQLite (without ANALYZE statistics) walks the status index instead of looking up
    # these few ids by primary key.
    rows = db.session.execute(
        select(Product.id, Product.slug, Product.name, catalog_services.visible_condition().label("visible"))
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.id.in_(ids))
    ).all()
    by_id = {row.id: Suggestion(row.id, row.slug, row.name) for row in rows if row.visible}
    return [by_id[i] for i in ids if i in by_id][:limit]


# -- writing -----------------------------------------------------------------------------------


def index_products(product_ids: Iterable[int]) -> None:
    """Bring these products up to date in the index, reading their committed rows; products that
    no longer exist are removed."""
    ids = set(product_ids)
    if not ids:
        return
    with db.engine.connect() as conn:
        documents = list(load_documents(conn, ids))
    present = {d.product_id for d in documents}
    backend().apply(documents, sorted(ids - present))


def _reload(ids: list[int]):
    with db.engine.connect() as conn:
        return list(load_documents(conn, ids))


def rebuild(
    progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None
) -> int:
    """Index every product anew; searches keep answering from the old index meanwhile. Returns
    the number of products indexed."""
    with db.engine.connect() as conn:
        total = count_products(conn)
        if on_total:
            on_total(total)
        backend().rebuild(load_documents(conn), total=total, progress=progress, reload=_reload)
    return total


def index_exists() -> bool:
    return backend().exists()
