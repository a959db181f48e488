"""A query plan: what every backend is asked to find, once typos and synonyms are resolved."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WordPlan:
    """One query word and the ways it may match: itself, then synonyms and typo corrections
    (each a sequence of folded words that must all match), which rank below the word itself."""

    folded: str
    original: str
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def accented(self) -> bool:
        return self.original != self.folded

    @property
    def all_words(self) -> set[str]:
        return {self.folded, *(w for alt in self.alternatives for w in alt)}


@dataclass(frozen=True)
class QueryPlan:
    words: tuple[WordPlan, ...]

    @property
    def folded_words(self) -> tuple[str, ...]:
        return tuple(w.folded for w in self.words)

    @property
    def highlight_words(self) -> frozenset[str]:
        return frozenset(w for plan in self.words for w in plan.all_words)
