"""Benchmark of queries one slip away (issue 19 item 3): what reading them costs, per backend.

    .venv/bin/python bench/slips.py [--products 20000] [--queries 300] [--backends whoosh,postgres]

Loads the demo generator's catalogue (`marketplace.demo.generate_products`, the words of
`demo/data/vocabulary.json`) into a fresh database — SQLite for Whoosh, a temporary PostgreSQL
database (BENCH_DATABASE_URL, default the local server) for the PostgreSQL backend — and derives
queries from its product names, a quarter each: two words run together, a letter doubled, the
name typed in Telex, the name typed in VNI. Prints, with every cache cleared before each query:
  - analysis: p50/p95 of reading the query (`search._plan`: slips, synonyms, corrections), the
    part this work adds, next to the same figure for the names typed plainly;
  - page: p50/p95 of the whole results page data (ranking plus the catalogue's SQL);
  - found: how many slipped queries still find the product they were made from;
  - nothing found: p50/p95 of the results page of queries that match nothing (with the "did you
    mean" and nearest-word proposals).
Targets: analysis p95 < 5 ms; page p95 < 60 ms (issue 19 item 2, shared with the ranking work);
every slipped query finds its product.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import sqlalchemy as sa
from common import temporary_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace import create_app, search  # noqa: E402
from marketplace.catalog import cache, services  # noqa: E402
from marketplace.catalog.models import Product  # noqa: E402
from marketplace.demo import generate_products  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.search.query import max_typos  # noqa: E402
from marketplace.text import fold  # noqa: E402

TARGETS = {"analysis": 5.0, "page": 60.0}
# What each input method types for a mark and a tone (the inverse of search/input_methods.json).
_TELEX_MARKS = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_VNI_MARKS = {"â": "a6", "ă": "a8", "ê": "e6", "ô": "o6", "ơ": "o7", "ư": "u7", "đ": "d9"}
_TONES = {
    "\u0301": ("s", "1"),
    "\u0300": ("f", "2"),
    "\u0309": ("r", "3"),
    "\u0303": ("x", "4"),
    "\u0323": ("j", "5"),
}
NOTHING = ["xyzzy qwrt", "mam ngoc bvx", "kjhg", "sam ngoc lnh zzq", "che lam xoong"]


def typed_with_keys(word: str, vni: bool) -> str:
    """`word` as typed in Telex (or VNI) without an input method: marks after their letter, the
    tone key at the end of the word."""
    out, tone = [], ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch][vni]
            continue
        if out and unicodedata.normalize("NFC", out[-1][-1] + ch) != out[-1][-1] + ch:
            out[-1] = unicodedata.normalize("NFC", out[-1][-1] + ch)  # a base letter and its mark
            continue
        out.append(ch)
    marks = _VNI_MARKS if vni else _TELEX_MARKS
    return "".join(marks.get(ch, ch) for ch in out) + tone


def slipped(name: str, kind: int, rng: random.Random) -> str:
    words = name.split()[:3]
    if kind == 0 and len(words) >= 2:  # two words run together
        k = rng.randrange(len(words) - 1)
        words[k : k + 2] = [words[k] + words[k + 1]]
        return fold(" ".join(words))
    if kind == 1:  # a letter doubled
        k = rng.randrange(len(words))
        w = fold(words[k])
        j = rng.randrange(len(w))
        words[k] = w[: j + 1] + w[j:]
        return fold(" ".join(words))
    return " ".join(typed_with_keys(w, vni=kind == 3) for w in words)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(backend: str, n: int, count: int, seed: int) -> dict:
    rng = random.Random(seed)
    kind = "sqlite" if backend == "whoosh" else "postgresql"
    with (
        tempfile.TemporaryDirectory() as tmp_name,
        temporary_database(kind, Path(tmp_name), "ocop_slips_bench") as url,
    ):
        tmp = Path(tmp_name)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SEARCH_BACKEND": backend,
                "SEARCH_INDEX_DIR": str(tmp / "search"),
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            generate_products(n, seed=seed)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("ANALYZE"))
            search.rebuild()
            rows = db.session.execute(sa.select(Product.id, Product.name)).all()
            sample = [rng.choice(rows) for _ in range(count)]
            workload = [(pid, name, slipped(name, k % 4, rng)) for k, (pid, name) in enumerate(sample)]
            engine = search.backend()
            for _, _, query in workload[:20]:  # warm up: open the index, fill the OS caches
                search.search(query)
            plain, analysis, pages, found, missed = [], [], [], 0, []
            for pid, name, query in workload:
                plain.append(timed(lambda name=name: search._plan(fold(name), engine, max_typos)))
                analysis.append(timed(lambda query=query: search._plan(query, engine, max_typos)))
                search.clear_cache()
                hit = pid in search.search(query).ids
                found += hit
                if not hit:
                    missed.append(f"{query!r} for {name!r}")
                cache.clear()
                search.clear_cache()
                pages.append(
                    timed(lambda query=query: services.catalog_page(services.CatalogFilters(q=query)))
                )
                db.session.rollback()
            nothing = []
            for query in NOTHING * 10:
                cache.clear()
                search.clear_cache()
                nothing.append(
                    timed(lambda query=query: services.catalog_page(services.CatalogFilters(q=query)))
                )
                db.session.rollback()
            examples = [query for _, _, query in workload[:8]]
            db.session.remove()
            db.engine.dispose()
    return {
        "plain analysis": percentiles(plain),
        "analysis": percentiles(analysis),
        "page": percentiles(pages),
        "nothing found": percentiles(nothing),
        "found": found,
        "queries": len(workload),
        "examples": examples,
        "missed": missed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    print(
        f"{args.products} generated products, {args.queries} slipped queries (run together, doubled "
        f"letter, Telex, VNI), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    for backend in args.backends.split(","):
        figures = run(backend, args.products, args.queries, args.seed)
        db_name = "SQLite" if backend == "whoosh" else "PostgreSQL"
        print(f"\n{backend} (catalogue on {db_name}); e.g. {', '.join(figures['examples'][:4])}")
        for name in ("plain analysis", "analysis", "page", "nothing found"):
            p50, p95 = figures[name]
            target = TARGETS.get(name)
            verdict = "" if target is None else (" ok" if p95 < target else f" OVER {target:g}")
            print(f"  {name:14} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{verdict}")
        ok = "ok" if figures["found"] == figures["queries"] else "NOT ALL"
        print(f"  slipped queries that find their product: {figures['found']}/{figures['queries']} {ok}")
        for miss in figures["missed"][:5]:
            print(f"    missed: {miss}")
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
