"""The PostgreSQL search backend, for deployments with several app servers: the index lives in
the database (table `search_documents`, created by migration 0002_search), so every server sees the
same index and a rebuild is one transaction.

Each document keeps the text of its fields; generated tsvector columns fold it with `unaccent`
(through the IMMUTABLE wrapper `ocop_unaccent`) and a GIN index serves the queries. `search_words`
holds the folded vocabulary, with a trigram index, for typo corrections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from marketplace.search.documents import SearchDocument
from marketplace.search.plan import QueryPlan, WordPlan
from marketplace.search.query import closest_words
from marketplace.text import fold

# Tables and functions managed in SQL only (not ORM models): model/migration comparison skips them.
SQL_ONLY_TABLES = frozenset({"search_documents", "search_words"})
_WORD = re.compile(r"\w+", re.UNICODE)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: leave the SQL-managed search tables out of autogenerate comparisons."""
    if type_ == "table" and name in SQL_ONLY_TABLES:
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and getattr(table, "name", None) in SQL_ONLY_TABLES)


def _lexeme(word: str, suffix: str = "") -> str:
    return f"'{word}'{suffix}"


def _word_tsquery(word: WordPlan) -> str:
    options = [_lexeme(word.folded)]
    for alternative in word.alternatives:
        options.append("(" + " <-> ".join(_lexeme(w) for w in alternative) + ")")
    return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"


_UPSERT = text(
    """
    INSERT INTO search_documents (product_id, name, producer, province, product_group, protection,
                                  description)
    SELECT :product_id, :name, :producer, :province, :group, :protection, :description
    WHERE EXISTS (SELECT 1 FROM products WHERE id = :product_id)
    ON CONFLICT (product_id) DO UPDATE SET
        name = EXCLUDED.name, producer = EXCLUDED.producer, province = EXCLUDED.province,
        product_group = EXCLUDED.product_group, protection = EXCLUDED.protection,
        description = EXCLUDED.description
    """
)

_SEARCH = text(
    """
    SELECT d.product_id
    FROM search_documents d, to_tsquery('simple', :query) q, to_tsquery('simple', :strict) s,
         to_tsquery('simple', :exact) e, to_tsquery('simple', :phrase) p
    WHERE d.document @@ q
    ORDER BY ts_rank(d.document, q) + ts_rank(d.document, s)
             + CASE WHEN :exact <> '' AND d.exact_document @@ e THEN 0.5 ELSE 0 END
             + CASE WHEN :phrase <> '' AND d.document @@ p THEN 0.5 ELSE 0 END DESC,
             d.product_id
    LIMIT :limit
    """  # a NULL limit is no limit
)


class PostgresBackend:
    name = "postgres"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def exists(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.scalar(text("SELECT EXISTS (SELECT 1 FROM search_documents)")))

    # -- writing ---------------------------------------------------------------------------

    @staticmethod
    def _write(conn: Connection, documents: list[SearchDocument], removed: list[int]) -> None:
        if removed:
            conn.execute(text("DELETE FROM search_documents WHERE product_id = ANY(:ids)"), {"ids": removed})
        if documents:
            conn.execute(_UPSERT, [{"product_id": d.product_id, **d.fields()} for d in documents])
            words = sorted({w for d in documents for w in _WORD.findall(fold(" ".join(d.fields().values())))})
            conn.execute(
                text(
                    "INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) ON "
                    "CONFLICT DO NOTHING"
                ),
                {"words": words},
            )

    def apply(self, documents: Iterable[SearchDocument], removed: Iterable[int]) -> None:
        documents, removed = list(documents), list(removed)
        if documents or removed:
            with self.engine.begin() as conn:
                self._write(conn, documents, removed)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        total: int,
        progress: Callable[[int], None] | None = None,
        reload: Callable[[list[int]], list[SearchDocument]] | None = None,
    ) -> None:
        """Replace every document in one transaction: readers see the old index until it commits."""
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM search_documents"))
            conn.execute(text("DELETE FROM search_words"))
            batch: list[SearchDocument] = []
            for doc in documents:
                batch.append(doc)
                if len(batch) == 500:
                    self._write(conn, batch, [])
                    if progress:
                        progress(len(batch))
                    batch = []
            self._write(conn, batch, [])
            if progress and batch:
                progress(len(batch))

    # -- reading ---------------------------------------------------------------------------

    def generation(self) -> None:
        """No cheap change marker in the database: results are not cached."""
        return None

    def known_words(self, words: Iterable[str]) -> set[str]:
        words = sorted(set(words))
        if not words:
            return set()
        with self.engine.connect() as conn:
            return set(
                conn.scalars(
                    text("SELECT word FROM search_words WHERE word = ANY(CAST(:words AS text[]))"),
                    {"words": words},
                )
            )

    def attested_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Pairs side by side in the name, GI, province or producer (weights A-C), as the Whoosh
        backend's word pairs; one statement, each pair a phrase query on the GIN index."""
        queries = {f"{_lexeme(a, ':ABC')} <-> {_lexeme(b, ':ABC')}": (a, b) for a, b in pairs}
        if not queries:
            return set()
        with self.engine.connect() as conn:
            found = conn.scalars(
                text(
                    "SELECT q FROM unnest(CAST(:queries AS text[])) AS q WHERE EXISTS "
                    "(SELECT 1 FROM search_documents WHERE document @@ to_tsquery('simple', q))"
                ),
                {"queries": sorted(queries)},
            )
            return {queries[q] for q in found}

    def similar_words(self, word: str, maxdist: int) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    # The nearest words by trigrams (a GiST index scan), then exact edit distances.
                    "SELECT word, similarity(word, :w) FROM search_words ORDER BY word <-> :w LIMIT 40"
                ),
                {"w": word},
            ).all()
        return closest_words(word, [(w, int(sim * 1000)) for w, sim in rows], maxdist)

    def search(self, plan: QueryPlan, limit: int | None) -> list[int]:
        if not plan.words:
            return []
        accented = [w.original for w in plan.words if w.accented]
        params = {
            "query": " & ".join(_word_tsquery(w) for w in plan.words),
            "strict": " & ".join(_lexeme(w) for w in plan.folded_words),
            "exact": " | ".join(_lexeme(w) for w in accented),
            "phrase": " <-> ".join(_lexeme(w) for w in plan.folded_words) if len(plan.words) > 1 else "",
            "limit": limit,
        }
        with self.engine.connect() as conn:
            return list(conn.scalars(_SEARCH, params))

    def first_match(self, plan: QueryPlan) -> int | None:
        """Some product matching every word of `plan`, unranked."""
        if not plan.words:
            return None
        with self.engine.connect() as conn:
            return conn.scalar(
                text(
                    "SELECT product_id FROM search_documents "
                    "WHERE document @@ to_tsquery('simple', :q) LIMIT 1"
                ),
                {"q": " & ".join(_word_tsquery(w) for w in plan.words)},
            )

    def suggest(self, plan: QueryPlan, prefix: str, limit: int) -> list[int]:
        """Products whose name has the complete words of `plan` and a word starting with `prefix`,
        matched on the name's own vector (`name_document`, migration 0021). Ranked by the complete
        words; a prefix alone scores the same everywhere (as in the Whoosh backend), so those are
        in product order, which the primary key gives without reading every match."""
        words = [_lexeme(w) for w in plan.folded_words]
        parts = words + ([_lexeme(fold(prefix), ":*")] if prefix else [])
        if not parts:
            return []
        if words:
            sql = (
                "SELECT product_id FROM search_documents, to_tsquery('simple', :q) q, "
                "to_tsquery('simple', :words) w WHERE name_document @@ q "
                "ORDER BY ts_rank(name_document, w) DESC, product_id LIMIT :limit"
            )
        else:
            sql = (
                "SELECT product_id FROM search_documents WHERE name_document @@ to_tsquery('simple', :q) "
                "ORDER BY product_id LIMIT :limit"
            )
        with self.engine.connect() as conn:
            return list(
                conn.scalars(text(sql), {"q": " & ".join(parts), "words": " & ".join(words), "limit": limit})
            )
