"""How a search query is read, the same way for every backend: words folded (diacritics and đ
removed), runs of a repeated letter cut to two ("mammm" -> "mamm"; `slips` reads doubled letters),
synonyms expanded ("cafe" -> "cà phê"), former provinces expanded to the province they merged
into ("hà giang" -> "tuyên quang"), and the rules for typo tolerance and highlighting."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from markupsafe import Markup, escape

from marketplace.reference import PROVINCES
from marketplace.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_REPEATS = re.compile(r"(.)\1{2,}")  # three or more: kept as two, which `slips` may undo
MAX_QUERY_WORDS = 12
MAX_QUERY_LENGTH = 200

# Synonyms are data (`synonyms.csv`: a word or phrase, and what it may also mean, one line per
# meaning): people write "cafe" for "cà phê", glue syllables together ("nuocmam"), use the other
# word for tea (trà / chè), or search a Vietnamese catalogue in English ("fish sauce").
SYNONYMS_FILE = "synonyms.csv"
MAX_PHRASE_WORDS = 4  # "Bà Rịa - Vũng Tàu"


def _folded_words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _WORD.findall(text.lower()))


def _read_synonyms() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Folded word or phrase -> folded alternatives (each a sequence of words)."""
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    text = resources.files(__package__).joinpath(SYNONYMS_FILE).read_text(encoding="utf-8")
    pairs = [(row["words"], row["means"]) for row in csv.DictReader(io.StringIO(text))]
    # A former province (pre-July 2025) also means the province it merged into: its products
    # carry that name, and those of its former province rank first (they match the name as typed).
    pairs.extend((former, province.name) for province in PROVINCES for former in province.absorbed)
    for phrase, meaning in pairs:
        words, means = _folded_words(phrase), _folded_words(meaning)
        if words and means and means not in table.setdefault(words, []):
            table[words].append(means)
    return {words: tuple(means) for words, means in table.items()}


PHRASES = _read_synonyms()
SYNONYMS: dict[str, tuple[tuple[str, ...], ...]] = {w[0]: m for w, m in PHRASES.items() if len(w) == 1}


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
        original = _REPEATS.sub(r"\1\1", raw.lower())
        folded = fold(original)
        if not folded.strip("_"):
            continue
        words.append((folded, original))
    return with_meanings(words[:MAX_QUERY_WORDS])


def with_meanings(words: Iterable[tuple[str, str]]) -> tuple[QueryWord, ...]:
    """Query words from (folded, original) pairs, with what the synonym table says they mean."""
    return _with_phrases(
        [QueryWord(folded=f, original=o, alternatives=SYNONYMS.get(f, ())) for f, o in words]
    )


def _with_phrases(words: list[QueryWord]) -> tuple[QueryWord, ...]:
    """Every word of a phrase of the synonym table ("fish sauce") may also be matched by what the
    phrase means ("nước mắm"), so the phrase matches as a whole whichever words the product has."""
    extra: list[list[tuple[str, ...]]] = [[] for _ in words]
    folded = tuple(w.folded for w in words)
    for size in range(MAX_PHRASE_WORDS, 1, -1):
        for start in range(len(words) - size + 1):
            for means in PHRASES.get(folded[start : start + size], ()):
                for i in range(start, start + size):
                    if means not in extra[i]:
                        extra[i].append(means)
    return tuple(
        QueryWord(w.folded, w.original, w.alternatives + tuple(m for m in more if m not in w.alternatives))
        for w, more in zip(words, extra, strict=True)
    )


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


def closest_words(
    word: str, candidates: Iterable[tuple[str, int]], maxdist: int, limit: int = 3
) -> list[str]:
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
