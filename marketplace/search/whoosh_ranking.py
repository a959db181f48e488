"""Whoosh's BM25F ranking, computed from whole posting lists.

`searcher.search()` walks a tree of matcher objects one document at a time, several Python calls
per document and per query term; a query matching 5,000 of 20,000 products then takes over
100 ms. For the query shapes the backend builds (`Term`, `Prefix`, `And`, `Or`, `AndMaybe`, with
no boost on the compound queries) this module computes the same scores — the same BM25F formula
and parameters, the same global statistics (idf, average field length), the same per-document
field lengths, deleted documents left out — reading posting lists a block at a time and combining
them with dictionaries and sets, and orders them as Whoosh's collector does: best score first,
then the lower document number. Only the order in which a document's term scores are added may
differ from Whoosh's matcher tree, a difference in the last bit of a float. Two deliberate
differences: a `Prefix` scores a constant 1 (see `evaluate`), and a search with a `limit` returns
the true best matches (Whoosh's top-N search can miss the best match of an `AndMaybe` query).

What never changes in a segment (its product ids and field lengths) is read once per process and
kept, keyed by segment id, so a commit (a new small segment) or a rebuild reads only what is new.
`tests/search/test_whoosh_ranking.py` checks the ranking against `searcher.search()`.
"""

from __future__ import annotations

import heapq
import sys
import threading
from array import array
from collections import OrderedDict
from itertools import accumulate, compress

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import FilterMatcher
from whoosh.query import And, AndMaybe, Or, Prefix, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

ID_COLUMN = "pid"  # a numeric column with the product id of each document
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]  # Whoosh's lossy length byte
_SEGMENTS_KEPT = 64
# Decoded posting lists kept per process, counted in postings (12 bytes each: a 32-bit document
# number and its weight). A segment never changes (deletions are read apart), so a decoded
# list stays right until its segment is merged away. Set from SEARCH_POSTINGS_KEPT.
POSTINGS_KEPT = 4_000_000


class Unsupported(Exception):
    """A query this module does not rank; use `searcher.search()`."""


class _Segment:
    """Per-segment data that never changes: product ids and field lengths by document number."""

    def __init__(self) -> None:
        self._ids: list[int] | None = None
        self._lengths: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def product_ids(self, reader) -> list[int]:
        if self._ids is None:
            with self._lock:
                if self._ids is None:
                    self._ids = _product_ids(reader)
        return self._ids

    def lengths(self, reader, field: str) -> list[int]:
        """The length byte of `field` for every document (0: empty)."""
        found = self._lengths.get(field)
        if found is None:
            with self._lock:
                found = self._lengths.get(field)
                if found is None:
                    column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                    found = _column_values(column, reader.doc_count_all(), "B")
                    self._lengths[field] = found
        return found


_segments: OrderedDict[tuple, _Segment] = OrderedDict()
_segments_lock = threading.Lock()
_decoded: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
_decoded_size = 0
_decoded_lock = threading.Lock()


def _kept_postings(reader, field: str, text: str) -> tuple[array, array]:
    """`_postings` of a term in a segment, decoded once and kept (see `POSTINGS_KEPT`)."""
    global _decoded_size
    key = (reader.segment().segment_id(), reader.doc_count_all(), field, text)
    with _decoded_lock:
        found = _decoded.get(key)
        if found is not None:
            _decoded.move_to_end(key)
            return found
    ids, weights = _postings(reader, field, text)
    found = (array("I", ids), array("d", weights))
    with _decoded_lock:
        if key not in _decoded and len(ids) <= POSTINGS_KEPT:
            _decoded[key] = found
            _decoded_size += len(ids) + 1
            while _decoded_size > POSTINGS_KEPT:
                _, (dropped, _) = _decoded.popitem(last=False)
                _decoded_size -= len(dropped) + 1
    return found


def forget_postings() -> None:
    """Drop every kept posting list (the search benchmark measures queries without them too)."""
    global _decoded_size
    with _decoded_lock:
        _decoded.clear()
        _decoded_size = 0


def _segment(reader) -> _Segment:
    """The kept data of the segment `reader` reads (segment ids are random: unique across indexes)."""
    key = (reader.segment().segment_id(), reader.doc_count_all())
    with _segments_lock:
        found = _segments.get(key)
        if found is None:
            found = _segments[key] = _Segment()
            while len(_segments) > _SEGMENTS_KEPT:
                _segments.popitem(last=False)
        else:
            _segments.move_to_end(key)
        return found


def _column_values(column, doccount: int, typecode: str) -> list[int]:
    """All values of a fixed-size numeric column, read in one piece."""
    if column is None:
        return [0] * doccount
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = array(typecode, raw)
        if sys.byteorder == "little" and values.itemsize > 1:
            values.byteswap()  # columns are big-endian ("!")
        out = values.tolist()
        out.extend([column._default] * (doccount - len(out)))
        return out
    except AttributeError:  # another column layout: the slow, public way
        return [column[i] for i in range(doccount)]


def _product_ids(reader) -> list[int]:
    doccount = reader.doc_count_all()
    if ID_COLUMN in reader.schema and reader.has_column(ID_COLUMN):
        return _column_values(reader.column_reader(ID_COLUMN, translate=False), doccount, "I")
    # An index built before the column existed: stored fields (slower, once per segment).
    return [0 if reader.is_deleted(i) else int(reader.stored_fields(i)["id"]) for i in range(doccount)]


def _postings(reader, field: str, text: str) -> tuple[list[int], list[float]]:
    """Document numbers and term weights of a term in one segment (deleted documents included),
    decoded a block at a time as `W3LeafMatcher` does."""
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # the deleted documents are left out by the caller
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]
            ids.extend(block_ids if matcher._byteids else accumulate(block_ids))
            if block_weights is None or isinstance(block_weights, float):
                # all the same (1.0 when None); Whoosh reads them as 32-bit floats
                same = array("f", [1.0 if block_weights is None else block_weights])[0]
                weights.extend([same] * matcher._blocklength)
            else:
                weights.extend(block_weights)
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


class TermScores:
    """Scores of single terms (`{docnum: score}`) for one searcher, kept between queries: they
    depend on the index's statistics, so they are dropped as soon as the index changes (a commit
    or a rebuild gives a new searcher). The suggestions keep theirs: names are short, their
    vocabulary small, and typing repeats the same few terms."""

    def __init__(self, searcher, size: int = 4096) -> None:
        self.searcher = searcher
        self._size = size
        self._scores: OrderedDict[tuple[str, str], dict[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> dict[int, float] | None:
        with self._lock:
            found = self._scores.get(key)
            if found is not None:
                self._scores.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], scores: dict[int, float]) -> None:
        with self._lock:
            self._scores[key] = scores
            while len(self._scores) > self._size:
                self._scores.popitem(last=False)


class _Context:
    def __init__(self, searcher, kept: TermScores | None = None) -> None:
        self.kept = kept if kept is not None and kept.searcher is searcher else None
        weighting = searcher.weighting
        if type(weighting) is not BM25F or weighting._field_B:
            raise Unsupported("only BM25F with one B is reproduced")
        self.searcher = searcher
        self.K1 = weighting.K1
        self.B = weighting.B
        self.leaves = [
            (_segment(r), r, offset)
            for r, offset in searcher.reader().leaf_readers()
            if r.segment() is not None
        ]

    def term(
        self, field: str, text: str, boost: float = 1.0, within: set[int] | None = None
    ) -> dict[int, float]:
        """{docnum: score} of one term (among `within` if given); never to be modified (it may
        be kept)."""
        if self.kept is None or boost != 1.0:
            return self._term(field, text, boost, within)
        scores = self.kept.get((field, text))
        if scores is None:
            scores = self._term(field, text)
            self.kept.put((field, text), scores)
        return scores if within is None else {d: scores[d] for d in within.intersection(scores)}

    def _term(
        self, field: str, text: str, boost: float = 1.0, within: set[int] | None = None
    ) -> dict[int, float]:
        searcher = self.searcher
        if not searcher.schema[field].scorable:
            raise Unsupported(f"{field} is not scorable")
        scores: dict[int, float] = {}
        idf = avgfl = None
        K1, B = self.K1, self.B
        for segment, reader, offset in self.leaves:
            if (field, text) not in reader:
                continue
            if idf is None:
                idf = searcher.idf(field, text)
                avgfl = searcher.avg_field_length(field) or 1
            ids, weights = _kept_postings(reader, field, text)
            if within is not None:
                keep = list(map(within.__contains__, map(offset.__add__, ids) if offset else ids))
                ids, weights = list(compress(ids, keep)), list(compress(weights, keep))
            lengths = segment.lengths(reader, field)
            keys = list(zip(weights, map(lengths.__getitem__, ids), strict=False))
            memo: dict[tuple[float, int], float] = {}
            for tf, length in set(keys):  # few distinct (frequency, length) pairs
                fl = _LENGTHS[length]
                # whoosh.scoring.bm25, then the Term's boost (WrappingMatcher)
                score = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
                memo[tf, length] = score * boost if boost != 1.0 else score
            docnums = map(offset.__add__, ids) if offset else ids
            scores.update(zip(docnums, map(memo.__getitem__, keys), strict=False))
            if reader.has_deletions():
                for docnum in reader.deleted_docs_set.intersection(ids):
                    del scores[offset + docnum]
        return scores

    def evaluate(self, query, within: set[int] | None = None) -> dict[int, float]:
        """{docnum: score} of the documents matching `query`, only those among `within` if given
        (what the other words of an `And` left, the matches of an `AndMaybe`'s required part).
        Never modifies a dictionary it did not make."""
        if isinstance(query, Term):
            return self.term(query.fieldname, query.text, query.boost, within)
        if isinstance(query, Prefix):
            # Constant score, as Whoosh documents for `Prefix` (`constantscore=True`) and does on
            # small indexes; on indexes of more than 5,000 documents it adds up the expanded terms'
            # scores instead. Suggestions then rank by the complete words, then index order.
            if query.boost != 1.0:
                raise Unsupported("boosted prefix")
            expanded = query._btexts(self.searcher.reader())
            texts = [t.decode("utf-8") if isinstance(t, bytes) else t for t in expanded]
            parts = [self.term(query.fieldname, t, within=within) for t in texts if t]
            return dict.fromkeys(set().union(*parts), 1.0)
        if isinstance(query, AndMaybe):
            required = self.evaluate(query.a, within)
            if not required:
                return {}
            optional = self.evaluate(query.b, set(required))
            return {d: score + optional[d] if d in optional else score for d, score in required.items()}
        if type(query) in (And, Or):
            if query.boost != 1.0 or (type(query) is Or and (query.minmatch or query.scale)):
                raise Unsupported("boosted or scaled compound query")
            subqueries = query.subqueries
            if type(query) is Or:
                return self._union([self.evaluate(q, within) for q in subqueries])
            if len(subqueries) == 1:
                return self.evaluate(subqueries[0], within)
            # The rarest first; each further part only scored on what the previous ones matched
            # (a prefix, which expands to many terms, last). Added up in the query's order.
            reader = self.searcher.reader()
            sizes = [float("inf") if isinstance(q, Prefix) else q.estimate_size(reader) for q in subqueries]
            order = sorted(range(len(subqueries)), key=sizes.__getitem__)
            parts: list[dict[int, float]] = [{}] * len(subqueries)
            candidates = within
            for i in order:
                part = self.evaluate(subqueries[i], candidates)
                if not part:
                    return {}
                parts[i] = part
                candidates = set(part) if candidates is None else candidates.intersection(part)
            return {docnum: sum(p[docnum] for p in parts) for docnum in candidates}
        raise Unsupported(type(query).__name__)

    @staticmethod
    def _union(parts: list[dict[int, float]]) -> dict[int, float]:
        parts = [p for p in parts if p]
        if len(parts) <= 1:
            return parts[0] if parts else {}
        out = dict(parts[0])
        for part in parts[1:]:
            for docnum, score in part.items():
                out[docnum] = out[docnum] + score if docnum in out else score
        return out

    def product_ids(self) -> list[int]:
        """Product id by global document number."""
        out: list[int] = []
        for segment, reader, offset in self.leaves:
            if offset != len(out):
                raise Unsupported("segments are not contiguous")
            out.extend(segment.product_ids(reader))
        return out


def rank(searcher, query, limit: int | None, kept: TermScores | None = None) -> list[int]:
    """Product ids matching `query`, best first, as `searcher.search(query, limit=None)` orders
    them, the first `limit`. `kept`: term scores kept between queries on this searcher. Raises
    `Unsupported` for a query it cannot score as Whoosh does."""
    context = _Context(searcher, kept)
    scores = context.evaluate(query)
    if limit is not None and limit < len(scores):
        best = [d for d, _ in heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))]
    else:
        best = sorted(scores)  # by document number, then (a stable sort) by score, best first
        best.sort(key=scores.__getitem__, reverse=True)
    if not best:
        return []
    return list(map(context.product_ids().__getitem__, best))
