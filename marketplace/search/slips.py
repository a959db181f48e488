"""Query words one slip away from the words of the catalogue, and what they were meant to be.

- Syllables run together or split apart: "caphe" -> "ca phe", "tratancuong" -> "tra tan cuong",
  "dak mark" -> "dakmark" (a brand typed as two words).
- A letter doubled by mistake: "onng" -> "ong", "phuu" -> "phu", "mattong" -> "mat ong".
- Vietnamese typed in Telex or VNI without the input method: "mawms" -> "mắm" (`input_methods`).

Everything is decided from the index's own vocabulary, asked through a `Lexicon` in a fixed small
number of lookups whatever the size of the catalogue (one for the words, one for the word pairs
when a run-together word splits in more than one way): the candidate strings are derived from the
query alone. A word the index knows as typed is never replaced; a split, a join or a decoding
then only adds a way for it to match; an unknown word is searched as what it was meant to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Protocol

from marketplace.search.input_methods import decode
from marketplace.text import fold

MIN_PIECE = 2  # the shortest word a run-together word is split into ("ca" of "caphe")...
SINGLE_LETTER_WORDS = frozenset("aeiouy")  # ...but for a syllable that is one vowel ("ô long")
MAX_PIECE = 10
MAX_PIECES = 4
MAX_SPLIT_LENGTH = 24  # longer "words" are not run-together words
MAX_JOINED = 3  # words typed apart that may make one word of the index
MAX_DOUBLED = 3  # doubled letters undone in every combination (2**3 variants)
_DOUBLED = re.compile(r"(.)\1")


class Lexicon(Protocol):
    """What the index can say about words, asked in batches."""

    def known_words(self, words: Iterable[str]) -> set[str]:
        """Those of `words` (folded) that some indexed product has."""

    def attested_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of `pairs` that stand side by side in some product's name, GI, province or
        producer."""


@dataclass(frozen=True)
class Slip:
    """How one query word may have been meant."""

    # An unknown word read as the word(s) it was meant to be, as (folded, with diacritics):
    # one word ("mawms" -> "mắm", "gaoo" -> "gao"), or several for a run-together word.
    meant: tuple[tuple[str, str], ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()  # joins: the word and its neighbours as one


def undoubled(word: str) -> list[str]:
    """`word` with some or all of its doubled letters typed once ("mattong" -> "matong"),
    the fully undoubled first; not `word` itself."""
    runs = [m.start() for m in _DOUBLED.finditer(word)][:MAX_DOUBLED]
    variants = []
    for keep in product((False, True), repeat=len(runs)):
        dropped = {start for start, kept in zip(runs, keep, strict=True) if not kept}
        variant = "".join(ch for i, ch in enumerate(word) if i not in dropped)
        if variant != word and variant not in variants:
            variants.append(variant)
    return variants


def _pieces(word: str) -> set[str]:
    pieces = {
        word[i:j]
        for i in range(len(word))
        for j in range(i + MIN_PIECE, min(len(word), i + MAX_PIECE) + 1)
        if j - i < len(word)
    }
    return pieces | (set(word) & SINGLE_LETTER_WORDS)


def _splits(word: str, known: set[str]) -> list[tuple[str, ...]]:
    """Every way to cut `word` into 2..MAX_PIECES known words."""
    found: list[tuple[str, ...]] = []

    def walk(start: int, pieces: tuple[str, ...]) -> None:
        if start == len(word):
            if len(pieces) > 1:
                found.append(pieces)
            return
        if len(pieces) == MAX_PIECES:
            return
        first = start + (1 if word[start] in SINGLE_LETTER_WORDS else MIN_PIECE)
        for end in range(first, min(len(word), start + MAX_PIECE) + 1):
            if word[start:end] in known:
                walk(end, (*pieces, word[start:end]))

    walk(0, ())
    return found


def _splittable(word: str) -> bool:
    return 2 * MIN_PIECE <= len(word) <= MAX_SPLIT_LENGTH and word.isalpha()


def read_slips(words: Sequence[tuple[str, str]], lexicon: Lexicon) -> tuple[set[str], tuple[Slip, ...]]:
    """For query words as (folded, lower case with diacritics): the folded words the index knows,
    and each word's `Slip`."""
    folded = [f for f, _ in words]
    decoded = {f: [(fold(s), s) for s in decode(original)] for f, original in words}
    variants = {f: undoubled(f) for f in folded}
    candidates = set(folded)
    for f in folded:
        candidates.update(v for v, _ in decoded[f])
        candidates.update(variants[f])
        if _splittable(f):
            for variant in (f, *variants[f]):
                candidates.update(_pieces(variant))
    joins = _joins(folded)
    candidates.update(joined for _, _, joined in joins)
    known = lexicon.known_words(candidates)

    meant: list[tuple[tuple[str, str], ...]] = []
    splits: list[list[tuple[str, ...]]] = []
    for f, typed_apart in zip(folded, _joined_words(folded, joins, known), strict=True):
        replacement: tuple[tuple[str, str], ...] = ()
        found: list[tuple[str, ...]] = []
        if f not in known:
            singles = [*decoded[f], *((v, v) for v in variants[f])]
            replacement = next((((v, s),) for v, s in singles if v in known), ())
            if not replacement and not typed_apart and _splittable(f):
                for variant in (f, *variants[f]):
                    found.extend(s for s in _splits(variant, known) if s not in found)
        meant.append(replacement)
        splits.append(found)
    for i, best in enumerate(_best_splits(splits, lexicon, [o for _, o in words])):
        if best:
            meant[i] = best

    alternatives: list[list[tuple[str, ...]]] = [[] for _ in words]
    for start, end, joined in joins:
        if joined in known:
            for i in range(start, end):
                if (joined,) not in alternatives[i]:
                    alternatives[i].append((joined,))
    slips = tuple(Slip(m, tuple(alts)) for m, alts in zip(meant, alternatives, strict=True))
    return known, slips


def _joined_words(folded: Sequence[str], joins: list[tuple[int, int, str]], known: set[str]) -> list[bool]:
    """For each word, whether it is part of a known word typed apart ("dak mark")."""
    part = [False] * len(folded)
    for start, end, joined in joins:
        if joined in known:
            part[start:end] = [True] * (end - start)
    return part


def _joins(folded: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) for each run of 2..MAX_JOINED query words written as one."""
    return [
        (start, start + size, "".join(folded[start : start + size]))
        for size in range(2, MAX_JOINED + 1)
        for start in range(len(folded) - size + 1)
        if all(w.isalpha() for w in folded[start : start + size])
    ]


def _best_splits(
    splits: list[list[tuple[str, ...]]], lexicon: Lexicon, originals: Sequence[str]
) -> list[tuple[tuple[str, str], ...]]:
    """Where a word splits, the way whose neighbouring words stand side by side in some product
    ("mat ong", not "ma tong"), then the fewest pieces, then the longest first piece; with the
    diacritics as typed where the word kept its length ("càphê" -> "cà", "phê")."""
    pairs = {
        pair for found in splits if len(found) > 1 for s in found for pair in zip(s, s[1:], strict=False)
    }
    attested = lexicon.attested_pairs(pairs) if pairs else set()
    best: list[tuple[tuple[str, str], ...]] = []
    for found, original in zip(splits, originals, strict=True):
        if not found:
            best.append(())
            continue
        split = min(
            found,
            key=lambda s: (
                -sum(pair in attested for pair in zip(s, s[1:], strict=False)),
                len(s),
                -len(s[0]),
            ),
        )
        pieces, start = [], 0
        for piece in split:
            typed = original[start : start + len(piece)]
            pieces.append(
                (piece, typed if len(original) == sum(map(len, split)) and fold(typed) == piece else piece)
            )
            start += len(piece)
        best.append(tuple(pieces))
    return best
