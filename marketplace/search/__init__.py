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

import itertools
import re
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
from marketplace.search.query import MAX_QUERY_WORDS, highlight, max_typos, parse_query, with_meanings
from marketplace.search.slips import read_slips
from marketplace.text import fold

BACKENDS = ("whoosh", "postgres")
# Every match is ranked (no cap): the catalogue counts and pages them in memory with its facet
# index, so no list of ids goes to the database.
SUGGESTION_LIMIT = 8
# Results kept per process, bounded by the number of ids they hold together (SEARCH_CACHE_IDS).
DEFAULT_CACHE_IDS = 500_000  # as config.SEARCH_CACHE_IDS
# When nothing matches: the nearest product words proposed, and at most how many searches are
# tried to find them (each proposal must find something).
MAX_PROPOSALS = 4
MAX_PROPOSAL_SEARCHES = 4
_results: OrderedDict[tuple, SearchResult] = OrderedDict()
_results_ids = 0
_results_lock = threading.Lock()
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchConfigError(RuntimeError):
    code = "search_misconfigured"


@dataclass(frozen=True)
class SearchResult:
    ids: tuple[int, ...]  # best first
    words: frozenset[str]  # folded words to highlight (as typed, synonyms, corrections)
    did_you_mean: str | None = None
    # When nothing matched and the whole query has no better spelling: searches for the query's
    # nearest product words (some of its words, or words near them) that do find something.
    nearest: tuple[str, ...] = ()


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
    """Words of `text` with their synonyms; words one slip away (run together, split, a letter
    doubled, Telex or VNI keys) read as meant; corrections for words the index does not know."""
    typed = parse_query(text)
    if not typed:
        return QueryPlan(())
    known, slips = read_slips([(w.folded, w.original) for w in typed], engine)
    # An unknown word that spells known ones ("mawms" -> "mắm", "tratancuong" -> "tra tan cuong")
    # is searched as those words, so that it ranks as if typed right; what the word as typed means
    # (its synonyms) still counts for each of them.
    read: list[tuple[str, str, tuple[tuple[str, ...], ...]]] = []
    for word, slip in zip(typed, slips, strict=True):
        extra = (*word.alternatives, *slip.alternatives)
        read.extend((f, o, extra) for f, o in slip.meant or ((word.folded, word.original),))
    meant = with_meanings([(f, o) for f, o, _ in read[:MAX_QUERY_WORDS]])
    words = []
    for word, (_, _, extra) in zip(meant, read, strict=False):
        alternatives = list(dict.fromkeys((*word.alternatives, *extra)))
        distance = typo_distance(word.folded)
        if distance and word.folded not in known:
            alternatives.extend(
                (c,) for c in engine.similar_words(word.folded, distance) if (c,) not in alternatives
            )
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
    did_you_mean, nearest = _proposals(plan, engine)
    return SearchResult((), plan.highlight_words, did_you_mean=did_you_mean, nearest=nearest)


def _proposals(plan: QueryPlan, engine) -> tuple[str | None, tuple[str, ...]]:
    """What to propose when nothing matches `plan`: "did you mean" the query with each unknown
    word replaced by its nearest known word (two edits, or one under 5 letters) and words with no
    near word left out, if that finds something; else the nearest product words: the query's
    (corrected) words fewer at a time, and other words near its unknown ones, that find
    something. Each proposal is written with the diacritics of a product it finds."""
    folded = [w.folded for w in plan.words]
    known = engine.known_words(folded)
    near: list[list[str]] = []
    for word in folded:
        if word in known:
            near.append([word])
        elif len(word) >= 3:
            near.append(engine.similar_words(word, 2 if len(word) >= 5 else 1))
        else:
            near.append([])
    corrected = tuple(options[0] for options in near if options)
    searches = 0

    def first_found(words: tuple[str, ...]) -> int | None:
        nonlocal searches
        searches += 1
        return engine.first_match(QueryPlan(tuple(WordPlan(w, w) for w in words)))

    if corrected and corrected != tuple(folded):
        found = first_found(corrected)
        if found is not None:
            return _with_diacritics({corrected: found})[0], ()
    candidates = [
        words
        for size in range(len(corrected) - 1, 0, -1)
        for words in itertools.combinations(corrected, size)
    ]
    candidates.extend((other,) for options in near for other in options[1:])
    proposals: dict[tuple[str, ...], int] = {}
    for words in candidates:
        if len(proposals) == MAX_PROPOSALS or searches == MAX_PROPOSAL_SEARCHES:
            break
        if any(set(words) <= set(p) for p in proposals):
            continue  # a longer proposal already finds these words
        found = first_found(words)
        if found is not None:
            proposals[words] = found
    return None, tuple(_with_diacritics(proposals))


def _with_diacritics(proposals: dict[tuple[str, ...], int]) -> list[str]:
    """Each proposal's folded words as the product it finds writes them ("sam" -> "sâm")."""
    names = (
        dict(
            db.session.execute(
                select(Product.id, Product.name).where(Product.id.in_(set(proposals.values())))
            ).all()
        )
        if proposals
        else {}
    )
    written = []
    for words, product_id in proposals.items():
        spelled = {fold(w): w for w in _WORD.findall(names.get(product_id, "").lower())}
        written.append(" ".join(spelled.get(w, w) for w in words))
    return written


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
