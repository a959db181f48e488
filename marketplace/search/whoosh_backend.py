"""The default search backend: a Whoosh index in files under SEARCH_INDEX_DIR.

Layout: SEARCH_INDEX_DIR/current is a symbolic link to the index directory in use
(`index-<random>`). A rebuild writes a new directory and swaps the link with one rename, so readers
keep answering from the old index until the new one is complete. Whoosh allows one writer per
index at a time (an fcntl lock): writers wait up to `WRITE_TIMEOUT` seconds for it. Changes
committed while a rebuild runs are written to the old index and noted in a journal, which the
rebuild replays on the new index after the swap.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, AndMaybe, Or, Prefix, Term
from whoosh.support.charset import accent_map

from marketplace.search.documents import SearchDocument
from marketplace.search.plan import QueryPlan, WordPlan
from marketplace.search.query import closest_words
from marketplace.search.whoosh_ranking import ID_COLUMN, TermScores, Unsupported, rank
from marketplace.text import fold

WRITE_TIMEOUT = 30.0
# Written beside `current` when the index was found missing and an empty one stood in for it:
# `exists()` (and so `flask search reindex --if-missing`) then says there is no index.
STAND_IN = "stand-in"

logger = logging.getLogger(__name__)
# Every query word must occur in `text` (all fields; the name and GI twice, so that they weigh
# more). Bonuses then rank: the word in the name, two words side by side as in a name or place,
# and the diacritics as typed. Matching on one field and scoring the bonuses only on the matches
# keeps pure-Python Whoosh fast on broad queries.
NAME_BOOST = 3.0
ALTERNATIVE_BOOST = 0.4  # a synonym or typo correction ranks below the word as typed
# Two query words side by side, as in the name, province, GI or producer ("hoa binh" the province,
# not "Bưởi ... Bình Minh" from "HTX Mỹ Hòa"). Indexed as word pairs: a term lookup is far cheaper
# than Whoosh's phrase (span) matching.
PAIR_BOOST = 8.0
_WORDS = re.compile(r"\w+", re.UNICODE)
EXACT_BOOST = 3.0


def _schema() -> Schema:
    folding = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    exact = RegexTokenizer() | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        # The product id again, as a column: `whoosh_ranking` reads a segment's ids in one piece.
        **{ID_COLUMN: COLUMN(NumericColumn("I"))},
        name=TEXT(analyzer=folding, phrase=False),
        name_stored=STORED(),
        text=TEXT(analyzer=folding, phrase=False),
        pairs=KEYWORD(lowercase=False, scorable=True),
        # The name and GI with their diacritics, to rank a match typed with the right diacritics
        # ("mắm") above one that only matches without them ("mầm").
        exact=TEXT(analyzer=exact, phrase=False),
    )


def _pairs(*texts: str) -> str:
    pairs = set()
    for text in texts:
        for part in text.split("|"):
            words = _WORDS.findall(fold(part))
            pairs.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    return " ".join(sorted(pairs))


def _fields(doc: SearchDocument) -> dict[str, str]:
    return {
        "id": str(doc.product_id),
        ID_COLUMN: doc.product_id,
        "name_stored": doc.name,
        "name": doc.name,
        "text": " ".join(
            (
                doc.name,
                doc.name,
                doc.protection,
                doc.protection,
                doc.province,
                doc.producer,
                doc.group,
                doc.description,
            )
        ),
        "pairs": _pairs(doc.name, doc.province, doc.protection, doc.producer),
        "exact": f"{doc.name} {doc.protection}",
    }


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: str) -> None:
        self.root = Path(directory)
        self._lock = threading.Lock()
        self._opened: tuple[str, whoosh_index.Index] | None = None
        self._local = threading.local()

    # -- locations -------------------------------------------------------------------------

    @property
    def _current(self) -> Path:
        return self.root / "current"

    def exists(self) -> bool:
        """Whether a built index is there (not the empty one standing in for a missing index)."""
        return self._current.exists() and not (self.root / STAND_IN).exists()

    def _index(self) -> whoosh_index.Index:
        """The index the `current` link names, reopened when a rebuild has swapped it. A missing
        index (never built, or its directory deleted) is replaced by an empty one so that pages
        keep answering, and marked as a stand-in until `flask search reindex` builds it."""
        if not self._current.exists():
            logger.warning(
                "search index missing under %s: searching an empty index until `flask search reindex`",
                self.root,
            )
            self.rebuild([], total=0)
            (self.root / STAND_IN).write_text("an empty index stands in for a missing one\n")
        target = os.readlink(self._current)
        with self._lock:
            if self._opened is None or self._opened[0] != target:
                self._opened = (target, whoosh_index.open_dir(str(self.root / target)))
            return self._opened[1]

    @contextmanager
    def _searcher(self):
        ix = self._index()
        cached = getattr(self._local, "searcher", None)
        if cached is None or cached[0] is not ix or not cached[1].up_to_date():
            # (Searcher.refresh() fails in whoosh-reloaded 2.7.5 when the old reader was empty.)
            if cached is not None:
                cached[1].close()
            searcher = ix.searcher()
            cached = (ix, searcher, TermScores(searcher))
        self._local.searcher = cached
        yield cached[1]

    def _kept_name_scores(self, searcher) -> TermScores | None:
        """Name term scores kept for this thread's searcher (see `TermScores`)."""
        cached = getattr(self._local, "searcher", None)
        return cached[2] if cached is not None and cached[1] is searcher else None

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _journal(self):
        """Hold the journal lock; yields the journal file path while a rebuild is running."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "journal.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                marker = self.root / "rebuilding"
                yield (
                    (self.root / marker.read_text().strip()).with_suffix(".journal")
                    if marker.exists()
                    else None
                )
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _note_in_journal(self, ids: Iterable[int]) -> None:
        with self._journal() as journal:
            if journal is not None:
                with open(journal, "a") as fh:
                    fh.write("".join(f"{i}\n" for i in ids))

    def apply(self, documents: Iterable[SearchDocument], removed: Iterable[int]) -> None:
        """Add or replace `documents` and delete the products `removed`, in one commit."""
        documents, removed = list(documents), list(removed)
        if not documents and not removed:
            return
        self._note_in_journal([d.product_id for d in documents] + removed)
        self._write(self._index(), documents, removed)

    @staticmethod
    def _write(ix: whoosh_index.Index, documents: list[SearchDocument], removed: list[int]) -> None:
        writer = ix.writer(timeout=WRITE_TIMEOUT)
        try:
            for product_id in removed:
                writer.delete_by_term("id", str(product_id))
            for doc in documents:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        total: int,
        progress: Callable[[int], None] | None = None,
        reload: Callable[[list[int]], list[SearchDocument]] | None = None,
    ) -> None:
        """Index `documents` into a new directory, then swap it in atomically. `reload(ids)`
        gives fresh documents for products changed while the rebuild ran."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"index-{uuid.uuid4().hex[:12]}"
        new_dir = self.root / name
        new_dir.mkdir()
        with self._journal():
            (self.root / "rebuilding").write_text(name)
        try:
            ix = whoosh_index.create_in(str(new_dir), _schema())
            writer = ix.writer(limitmb=128)
            for doc in documents:
                writer.add_document(**_fields(doc))
                if progress:
                    progress(1)
            writer.commit()
            link = self.root / f"{name}.link"
            os.symlink(name, link)
            with self._journal() as journal:
                previous = os.readlink(self._current) if self._current.is_symlink() else None
                os.replace(link, self._current)
                (self.root / "rebuilding").unlink()
                (self.root / STAND_IN).unlink(missing_ok=True)
                changed = sorted({int(x) for x in journal.read_text().split()}) if journal.exists() else []
                if journal.exists():
                    journal.unlink()
            if changed and reload is not None:
                fresh = reload(changed)
                present = {d.product_id for d in fresh}
                self._write(ix, fresh, [i for i in changed if i not in present])
        except BaseException:
            with self._journal():
                (self.root / "rebuilding").unlink(missing_ok=True)
            shutil.rmtree(new_dir, ignore_errors=True)
            raise
        if previous:
            # Readers that still hold the old index keep their open files (POSIX), so removing it
            # does not disturb a search in flight.
            shutil.rmtree(self.root / previous, ignore_errors=True)

    # -- reading ---------------------------------------------------------------------------

    def generation(self) -> tuple[str, int]:
        """Changes whenever the index does (a commit or a swap): results may be cached under it."""
        ix = self._index()
        return (self._opened[0] if self._opened else "", ix.latest_generation())

    def known_words(self, words: Iterable[str]) -> set[str]:
        with self._searcher() as searcher:
            reader = searcher.reader()
            return {w for w in words if ("text", w) in reader}

    def attested_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        with self._searcher() as searcher:
            reader = searcher.reader()
            return {(a, b) for a, b in pairs if ("pairs", f"{a}_{b}") in reader}

    def similar_words(self, word: str, maxdist: int) -> list[str]:
        with self._searcher() as searcher:
            reader = searcher.reader()
            candidates = [
                (term, reader.doc_frequency("text", term))
                for term in reader.terms_within("text", word, maxdist + 1, prefix=1)
            ]
        return closest_words(word, candidates, maxdist)

    @staticmethod
    def _word_query(word: WordPlan):
        clauses = [Term("text", word.folded)]
        for alternative in word.alternatives:
            parts = [Term("text", w, boost=ALTERNATIVE_BOOST) for w in alternative]
            clauses.append(parts[0] if len(parts) == 1 else And(parts))
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def search(self, plan: QueryPlan, limit: int | None) -> list[int]:
        """Ids of the products that match every word of `plan`, best first."""
        if not plan.words:
            return []
        required = And([self._word_query(w) for w in plan.words])
        bonus = [Term("name", w, boost=NAME_BOOST) for w in plan.highlight_words]
        bonus.extend(Term("exact", w.original, boost=EXACT_BOOST) for w in plan.words if w.accented)
        words = plan.folded_words
        pairs = zip(words, words[1:], strict=False)
        bonus.extend(Term("pairs", f"{a}_{b}", boost=PAIR_BOOST) for a, b in pairs)
        return self._ranked(AndMaybe(required, Or(bonus)), limit)

    def _ranked(self, query, limit: int | None, keep_terms: bool = False) -> list[int]:
        """Product ids matching `query`, best first: Whoosh's own ranking, computed faster by
        `whoosh_ranking` (with `keep_terms`, term scores are kept until the index changes)."""
        with self._searcher() as searcher:
            try:
                return rank(searcher, query, limit, self._kept_name_scores(searcher) if keep_terms else None)
            except Unsupported:
                return [int(hit["id"]) for hit in searcher.search(query, limit=limit)]

    def first_match(self, plan: QueryPlan) -> int | None:
        """Some product matching every word of `plan`, unranked (the first in the index)."""
        if not plan.words:
            return None
        with self._searcher() as searcher:
            matcher = And([self._word_query(w) for w in plan.words]).normalize().matcher(searcher)
            return int(searcher.stored_fields(matcher.id())["id"]) if matcher.is_active() else None

    def suggest(self, plan: QueryPlan, prefix: str, limit: int) -> list[int]:
        """Products whose name contains the complete words of `plan` and a word starting with
        `prefix` (the word being typed)."""
        clauses = [Term("name", w) for w in plan.folded_words]
        if prefix:
            clauses.append(Prefix("name", fold(prefix)))
        if not clauses:
            return []
        return self._ranked(And(clauses), limit, keep_terms=True)
