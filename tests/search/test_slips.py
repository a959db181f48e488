"""Words one slip away: Telex and VNI keys read as the diacritics they stand for, doubled letters
undone, run-together words split, and the lookups that decide it bounded whatever the catalogue."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from marketplace import search
from marketplace.catalog import services
from marketplace.search.input_methods import decode
from marketplace.search.query import max_typos
from marketplace.search.slips import undoubled
from tests.search.catalogue import build_catalogue


@pytest.mark.parametrize(
    "typed, spelled",
    [
        ("nuowc", "nươc"),  # Telex without the tone key: the letters are still right
        ("nuwowcs", "nước"),
        ("mawms", "mắm"),
        ("sown", "sơn"),
        ("chef", "chè"),
        ("cheef", "chề"),
        ("taan", "tân"),
        ("cuwowng", "cương"),
        ("ddawcj", "đặc"),
        ("hoaf", "hòa"),  # the tone on the first vowel of an open "oa", as the catalogue writes it
        ("quoocs", "quốc"),
        ("giaf", "già"),
        ("nu7o71c", "nước"),  # VNI
        ("ma8m1", "mắm"),
        ("ma9m1", "mám"),  # a VNI key with nothing to mark (9 is đ) is a slip: dropped
        ("sa6m", "sâm"),
        ("d9a8c5", "đặc"),
    ],
)
def test_telex_and_vni_keys_spell_the_syllable(typed, spelled) -> None:
    assert decode(typed) == (spelled,)


def test_plain_english_and_unaccented_words_spell_nothing() -> None:
    text = resources.files("marketplace.search").joinpath("synonyms.csv").read_text(encoding="utf-8")
    english = {w for row in csv.DictReader(text.splitlines()) for w in row["words"].split()}
    plain = {"tea", "coffee", "cafe", "honey", "rice", "silk", "gao", "nuoc", "mam", "st25", "dakmark"}
    assert {w: decode(w) for w in english | plain if decode(w)} == {}


def test_doubled_letters_are_undone_in_every_combination() -> None:
    assert undoubled("mattong") == ["matong"]
    assert undoubled("phuu") == ["phu"]
    assert undoubled("ngocc") == ["ngoc"] and set(undoubled("linhh")) == {"linh"}
    assert undoubled("gao") == []


def test_a_word_the_index_knows_as_typed_is_never_replaced(search_backend) -> None:
    """ "has" reads as "há" in Telex; a product that has the English word keeps it."""
    from marketplace.extensions import db
    from tests.factories import make_product

    ids = build_catalogue()
    tea = make_product(name="Trà sen", name_en="Lotus tea that has a long finish", slug="tra-sen")
    db.session.commit()
    page = services.catalog_page(services.CatalogFilters(q="has"))
    assert [c.id for c in page.items] == [tea.id]

    # Unknown as typed, a word reads as Telex: "nuowc mawms" finds what "nươc mắm" finds.
    def found(q: str) -> list[int]:
        return [c.id for c in services.catalog_page(services.CatalogFilters(q=q)).items]

    assert found("nuowc mawms") == found("nươc mắm")
    assert set(found("nuowc mawms")[:2]) == {ids["nuoc-mam-phu-quoc"], ids["nuoc-mam-phan-thiet"]}


class CountingLexicon:
    """The real backend, counting what reading a query asks of it."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.calls: list[tuple[str, int]] = []

    def known_words(self, words):
        words = set(words)
        self.calls.append(("known_words", len(words)))
        return self.engine.known_words(words)

    def attested_pairs(self, pairs):
        pairs = set(pairs)
        self.calls.append(("attested_pairs", len(pairs)))
        return self.engine.attested_pairs(pairs)

    def similar_words(self, word, maxdist):
        self.calls.append(("similar_words", 1))
        return self.engine.similar_words(word, maxdist)


@pytest.mark.parametrize(
    "query",
    ["tratancuong mattong nuowc mawms", "caphe sown la", "nu7o71c ma9m1 phuu quoc", "dak mark gaoo"],
)
def test_reading_a_slipped_query_asks_the_index_twice_at_most(search_backend, query) -> None:
    build_catalogue()
    lexicon = CountingLexicon(search.backend())
    plan = search._plan(query, lexicon, max_typos)
    assert plan.words
    batched = [(name, size) for name, size in lexicon.calls if name != "similar_words"]
    assert [name for name, _ in batched][:1] == ["known_words"] and len(batched) <= 2
    # The candidates come from the query alone: a few hundred strings at most.
    assert all(size < 500 for _, size in batched)
