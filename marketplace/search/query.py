"""How a search query is read, the same way for every backend: words folded (diacritics and đ
removed), runs of a repeated letter collapsed ("mammm" -> "mam"), synonyms expanded ("cafe" ->
"cà phê"), and the rules for typo tolerance and highlighting."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from marketplace.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_REPEATS = re.compile(r"(.)\1{2,}")
MAX_QUERY_WORDS = 12
MAX_QUERY_LENGTH = 200

# Folded word -> folded alternatives (each a sequence of words). People write "cafe" for "cà phê",
# glue syllables together ("nuocmam") or use the other word for tea (trà / chè).
SYNONYMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "cafe": (("ca", "phe"),),
    "caphe": (("ca", "phe"),),
    "coffee": (("ca", "phe"),),
    "nuocmam": (("nuoc", "mam"),),
    "tea": (("che",), ("tra",)),
    "tra": (("che",),),
    "che": (("tra",),),
    "honey": (("mat", "ong"),),
    "matong": (("mat", "ong"),),
    "wine": (("ruou",),),
    "fishsauce": (("nuoc", "mam"),),
}


@dataclass(frozen=True)
class QueryWord:
    folded: str
    original: str  # lower case, diacritics kept
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def accented(self) -> bool:
        return self.original != self.folded


def parse_query(text: str | None) -> tuple[QueryWord, ...]:
    """The words of `text`, at most `MAX_QUERY_WORDS` of them."""
    words = []
    for raw in _WORD.findall((text or "")[:MAX_QUERY_LENGTH]):
        original = _REPEATS.sub(r"\1", raw.lower())
        folded = fold(original)
        if not folded.strip("_"):
            continue
        words.append(QueryWord(folded=folded, original=original, alternatives=SYNONYMS.get(folded, ())))
    return tuple(words[:MAX_QUERY_WORDS])


def max_typos(word: str) -> int:
    """Edits tolerated in a query word: none under 5 letters, one up to 7, two from 8."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one), capped at `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest_words(word: str, candidates: Iterable[tuple[str, int]], maxdist: int, limit: int = 3) -> list[str]:
    """Among (candidate, document frequency) pairs, the nearest to `word` within `maxdist` edits:
    fewest edits first, then the most frequent."""
    scored = []
    for candidate, frequency in candidates:
        if candidate == word:
            continue
        distance = edit_distance(word, candidate, maxdist)
        if distance <= maxdist:
            scored.append((distance, -frequency, candidate))
    return [c for _, _, c in sorted(scored)[:limit]]


def highlight(text: str, words: Iterable[str]) -> Markup:
    """`text` escaped, with the words whose folded form is in `words` wrapped in <mark>."""
    wanted = set(words)
    if not wanted:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        if fold(match.group()) in wanted:
            out.append(str(escape(text[last : match.start()])))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
