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
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import And, AndMaybe, Or, Phrase, Prefix, Term
from whoosh.support.charset import accent_map

from marketplace.search.documents import SearchDocument
from marketplace.search.plan import QueryPlan, WordPlan
from marketplace.search.query import closest_words
from marketplace.text import fold

WRITE_TIMEOUT = 30.0
# Field -> boost of a match in it. The name counts most, then the GI or mark name.
FIELD_BOOSTS = {
    "name": 6.0,
    "protection": 3.0,
    "province": 2.0,
    "producer": 1.5,
    "group": 1.0,
    "description": 0.5,
}
ALTERNATIVE_BOOST = 0.4  # a synonym or typo correction ranks below the word as typed
PHRASE_BOOST = 8.0  # the words together, in this order, in one of PHRASE_FIELDS
PHRASE_FIELDS = ("name", "province", "protection", "producer")
EXACT_BOOST = 3.0


def _schema() -> Schema:
    folding = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    exact = RegexTokenizer() | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=folding, phrase=True),
        name_stored=STORED(),
        producer=TEXT(analyzer=folding, phrase=True),
        province=TEXT(analyzer=folding, phrase=True),
        group=TEXT(analyzer=folding, phrase=False),
        protection=TEXT(analyzer=folding, phrase=True),
        description=TEXT(analyzer=folding, phrase=False),
        # The name and GI with their diacritics, to rank a match typed with the right diacritics
        # ("mắm") above one that only matches without them ("mầm").
        exact=TEXT(analyzer=exact, phrase=False),
    )


def _fields(doc: SearchDocument) -> dict[str, str]:
    fields = doc.fields()
    exact = f"{doc.name} {doc.protection}"
    return {"id": str(doc.product_id), "name_stored": doc.name, "exact": exact, **fields}


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
        return self._current.exists()

    def _index(self) -> whoosh_index.Index:
        """The index the `current` link names, reopened when a rebuild has swapped it."""
        if not self.exists():
            self.rebuild([], total=0)
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
            cached = (ix, ix.searcher())
        self._local.searcher = cached
        yield cached[1]

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _journal(self):
        """Hold the journal lock; yields the journal file path while a rebuild is running."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "journal.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                marker = self.root / "rebuilding"
                yield (self.root / marker.read_text().strip()).with_suffix(".journal") if marker.exists() else None
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

    def is_known(self, word: str) -> bool:
        with self._searcher() as searcher:
            reader = searcher.reader()
            return any((field, word) in reader for field in FIELD_BOOSTS)

    def similar_words(self, word: str, maxdist: int) -> list[str]:
        frequencies: dict[str, int] = {}
        with self._searcher() as searcher:
            reader = searcher.reader()
            for field in FIELD_BOOSTS:
                for term in reader.terms_within(field, word, maxdist + 1, prefix=1):
                    frequencies[term] = frequencies.get(term, 0) + reader.doc_frequency(field, term)
        return closest_words(word, frequencies.items(), maxdist)

    def _word_query(self, word: WordPlan):
        clauses = [self._term_across_fields(word.folded, 1.0)]
        for alternative in word.alternatives:
            parts = [self._term_across_fields(w, ALTERNATIVE_BOOST) for w in alternative]
            clauses.append(parts[0] if len(parts) == 1 else And(parts))
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    @staticmethod
    def _term_across_fields(word: str, boost: float):
        return Or([Term(field, word, boost=b * boost) for field, b in FIELD_BOOSTS.items()])

    def search(self, plan: QueryPlan, limit: int) -> list[int]:
        """Ids of the products that match every word of `plan`, best first."""
        if not plan.words:
            return []
        required = And([self._word_query(w) for w in plan.words])
        bonus = [Term("exact", w.original, boost=EXACT_BOOST) for w in plan.words if w.accented]
        if len(plan.words) > 1:
            bonus.extend(Phrase(f, list(plan.folded_words), boost=PHRASE_BOOST) for f in PHRASE_FIELDS)
        query = AndMaybe(required, Or(bonus)) if bonus else required
        with self._searcher() as searcher:
            results = searcher.search(query, limit=limit)
            return [int(hit["id"]) for hit in results]

    def suggest(self, plan: QueryPlan, prefix: str, limit: int) -> list[int]:
        """Products whose name contains the complete words of `plan` and a word starting with
        `prefix` (the word being typed)."""
        clauses = [Term("name", w) for w in plan.folded_words]
        if prefix:
            clauses.append(Prefix("name", fold(prefix)))
        if not clauses:
            return []
        with self._searcher() as searcher:
            return [int(hit["id"]) for hit in searcher.search(And(clauses), limit=limit)]
