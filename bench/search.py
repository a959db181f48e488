"""Search benchmark: index build time and query latencies for each search backend.

    .venv/bin/python bench/search.py [--products 20000] [--queries 500] [--backends whoosh,postgres]
    .venv/bin/python bench/search.py --all      # 2,000, 20,000 and 100,000 products

Generates N products (realistic Vietnamese names, producers in every province, certificates,
GI rights) into a fresh database — SQLite for Whoosh, a temporary PostgreSQL database (on
BENCH_DATABASE_URL, default the local server) for the PostgreSQL backend — then prints:
  - build: time of a full index rebuild (`search.rebuild()`);
  - search: p50/p95 of ranking 500 mixed queries (plain, accent-free, typo, faceted) by the backend;
  - facets: time to build the catalogue's facet index (once per catalogue version and date: the
    first page after a catalogue change pays it);
  - page: p50/p95 of the whole results page data for the same queries (ranking, then the facet
    index's counts and the page of cards by primary key; the search results cache and the page
    caches cleared before each query, the facet index kept);
  - suggest: p50/p95 of 300 as-you-type suggestions.
Targets (issues 5 and 19): Whoosh build < 60 s (20,000 products); search p95 < 50 ms (Whoosh) and
< 30 ms (PostgreSQL); results page p95 < 60 ms up to 20,000 products and < 100 ms at 100,000;
suggestions p95 < 10 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from common import temporary_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace import create_app, search  # noqa: E402
from marketplace.catalog import cache, services  # noqa: E402
from marketplace.catalog.models import Certification, Product, Protection, ProtectionRight  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.producers.models import Producer  # noqa: E402
from marketplace.reference import PROVINCES  # noqa: E402
from marketplace.text import fold  # noqa: E402

SIZES = (2_000, 20_000, 100_000)


def targets(backend: str, products: int) -> dict[str, float]:
    """The targets that apply at this catalogue size."""
    out = {"search": 50.0 if backend == "whoosh" else 30.0, "suggest": 10.0}
    out["page"] = 60.0 if products <= 20_000 else 100.0
    if backend == "whoosh" and products <= 20_000:
        out["build"] = 60.0
    return out


KINDS = [  # (name, group, subgroup)
    ("Chè", "food", "tea"),
    ("Trà xanh", "food", "tea"),
    ("Nước mắm", "food", "condiments"),
    ("Mắm tôm", "food", "condiments"),
    ("Cà phê", "food", "coffee_cocoa"),
    ("Mật ong", "food", "processed"),
    ("Gạo", "food", "raw"),
    ("Bánh pía", "food", "processed"),
    ("Kẹo dừa", "food", "processed"),
    ("Rượu", "beverages", "alcoholic"),
    ("Tinh dầu quế", "herbal", "cosmetics"),
    ("Miến dong", "food", "processed"),
    ("Hạt điều", "food", "processed"),
    ("Hồ tiêu", "food", "raw"),
    ("Bưởi", "food", "fresh"),
    ("Vải thiều", "food", "fresh"),
    ("Nón lá", "handicrafts", "household"),
    ("Gốm", "handicrafts", "crafts"),
    ("Lụa tơ tằm", "handicrafts", "textiles"),
    ("Sâm", "herbal", "herbs"),
    ("Chả mực", "food", "processed"),
    ("Khô cá lóc", "food", "processed"),
    ("Nấm linh chi", "herbal", "herbal_food"),
    ("Măng khô", "food", "raw"),
    ("Thịt trâu gác bếp", "food", "processed"),
    ("Lạp xưởng", "food", "processed"),
    ("Bánh tráng", "food", "processed"),
    ("Tương bần", "food", "condiments"),
    ("Lan hồ điệp", "ornamental", "flowers"),
    ("Thổ cẩm", "handicrafts", "textiles"),
]
QUALIFIERS = [
    "đặc biệt",
    "thượng hạng",
    "hữu cơ",
    "truyền thống",
    "rang xay",
    "sấy khô",
    "tươi",
    "túi lọc",
    "hộp quà",
    "loại một",
    "cao cấp",
    "nguyên chất",
    "gia truyền",
    "thủ công",
]
PLACES = [
    "Tân Cương",
    "Phú Quốc",
    "Buôn Ma Thuột",
    "Mèo Vạc",
    "Hoàng Su Phì",
    "Lục Ngạn",
    "Bát Tràng",
    "Vạn Phúc",
    "Chư Sê",
    "Bình Liêu",
    "Mộc Châu",
    "Sa Pa",
    "Đà Lạt",
    "Phan Thiết",
    "Cát Hải",
    "Hậu Lộc",
    "Bến Tre",
    "Ngọc Linh",
    "Văn Yên",
    "Mai Châu",
    "Hạ Long",
    "U Minh",
    "Bảo Lộc",
    "Cao Phong",
]
GIS = [
    "Tân Cương",
    "Phú Quốc",
    "Buôn Ma Thuột",
    "Lục Ngạn",
    "Chư Sê",
    "Hạ Long",
    "Ngọc Linh",
    "Sơn La",
    "Mộc Châu",
    "Bình Thuận",
    "Văn Yên",
    "Cao Phong",
]


def generate(n: int, rng: random.Random) -> None:
    """N products from about N/10 producers, with certificates and GI rights, in bulk."""
    today = date.today()
    producers = []
    for i in range(max(1, n // 10)):
        province = rng.choice(PROVINCES)
        producers.append(
            {
                "id": i + 1,
                "slug": f"producer-{i + 1}",
                "entity_type": "cooperative",
                "commune": "Xã",
                "name": f"HTX {rng.choice(KINDS)[0]} {rng.choice(PLACES)} {i + 1}",
                "province_code": province.code,
                "story": "",
                "environment_plan": "",
                "circular_practices": "",
                "green_verified": False,
                "verification_status": "verified",
                "created_at": today,
            }
        )
    db.session.execute(sa.insert(Producer), producers)
    products, certificates, rights = [], [], []
    for i in range(1, n + 1):
        kind, group, subgroup = rng.choice(KINDS)
        place = rng.choice(PLACES)
        products.append(
            {
                "id": i,
                "producer_id": rng.randint(1, len(producers)),
                "sku": f"SKU-{i}",
                "slug": f"product-{i}",
                "name": f"{kind} {rng.choice(QUALIFIERS)} {place}",
                "group_code": group,
                "subgroup_code": subgroup,
                "description": f"{kind} {place}: đặc sản được chứng nhận OCOP, {rng.choice(QUALIFIERS)}.",
                "unit": "box",
                "price_vnd": rng.randrange(20_000, 2_000_000, 1000),
                "stock": rng.randint(0, 50),
                "status": "published" if rng.random() < 0.95 else "draft",
                "min_order_qty": 1,
                "case_pack": 1,
                "created_at": today,
                "updated_at": today,
            }
        )
        if rng.random() < 0.8:
            issued = today - timedelta(days=rng.randint(0, 1400))
            stars = rng.choice((3, 3, 3, 4, 4, 5))
            certificates.append(
                {
                    "product_id": i,
                    "star_class": stars,
                    "score": {3: 60, 4: 80, 5: 95}[stars],
                    "certificate_number": f"OCOP-{i}",
                    "issuing_level": "province",
                    "issuing_decision": "QĐ",
                    "issued_on": issued,
                    "expires_on": issued + timedelta(days=1095),
                    "status": "verified",
                    "created_at": today,
                }
            )
    db.session.execute(sa.insert(Product), products)
    db.session.execute(sa.insert(Certification), certificates)
    db.session.execute(
        sa.insert(Protection),
        [
            {
                "id": k + 1,
                "kind": "gi",
                "name": name,
                "registration_number": f"{k + 1:05d}",
                "holder": "UBND",
                "province_code": "ha-noi",
                "description": "",
            }
            for k, name in enumerate(GIS)
        ],
    )
    for i in range(1, n + 1, 9):
        rights.append(
            {
                "protection_id": rng.randint(1, len(GIS)),
                "product_id": i,
                "decision_number": "QĐ",
                "status": "verified",
                "created_at": today,
            }
        )
    db.session.execute(sa.insert(ProtectionRight), rights)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Statistics, as autovacuum would gather them on a live database: without them the
        # planner nests loops over the freshly loaded tables and a faceted count takes minutes.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))


def typo(text: str, rng: random.Random) -> str:
    words = fold(text).split()
    long = [k for k, w in enumerate(words) if len(w) >= 5]
    if not long:
        return fold(text) + fold(text)[-1] * 2  # a repeated last letter
    k = rng.choice(long)
    w = words[k]
    j = rng.randrange(1, len(w) - 1)
    words[k] = rng.choice((w[:j] + w[j + 1] + w[j] + w[j + 2 :], w[:j] + w[j] + w[j:], w[:j] + w[j + 1 :]))
    return " ".join(words)


def queries(count: int, rng: random.Random) -> list[services.CatalogFilters]:
    out = []
    for n in range(count):
        kind = rng.choice(KINDS)[0]
        text = rng.choice(
            (f"{kind} {rng.choice(PLACES)}", kind, rng.choice(PLACES), f"{kind} {rng.choice(QUALIFIERS)}")
        )
        style = n % 4
        if style == 1:
            text = fold(text)
        elif style == 2:
            text = typo(text, rng)
        filters = services.CatalogFilters(q=text)
        if style == 3:
            filters = services.CatalogFilters(
                q=fold(text) if rng.random() < 0.5 else text,
                stars=rng.choice((None, 3, 4, 5)),
                group=rng.choice((None, "food", "handicrafts")),
                province=rng.choice((None, rng.choice(PROVINCES).code)),
                protected_only=rng.random() < 0.3,
            )
        out.append(filters)
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def run(backend: str, n: int, query_count: int, seed: int) -> dict:
    rng = random.Random(seed)
    kind = "sqlite" if backend == "whoosh" else "postgresql"
    with (
        tempfile.TemporaryDirectory() as tmp_name,
        temporary_database(kind, Path(tmp_name), "ocop_search_bench") as url,
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
            generate(n, rng)
            started = time.perf_counter()
            search.rebuild()
            build = time.perf_counter() - started
            workload = queries(query_count, rng)
            for filters in workload[:20]:  # warm up: open the index, fill the OS caches
                search.search(filters.q)
            cache.clear()
            started = time.perf_counter()
            services.facet_index()
            facets = time.perf_counter() - started
            db.session.rollback()
            ranking, pages, found = [], [], 0
            for filters in workload:
                search.clear_cache()  # cold figures: no repeated query is answered from memory
                started = time.perf_counter()
                result = search.search(filters.q)
                ranking.append((time.perf_counter() - started) * 1000)
                found += bool(result.ids)
                cache.clear(keep_index=True)
                search.clear_cache()
                started = time.perf_counter()
                services.catalog_page(filters)
                pages.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            prefixes = []
            for _ in range(300):
                name = f"{rng.choice(KINDS)[0]} {rng.choice(QUALIFIERS)}"
                cut = rng.randint(2, len(name))
                prefixes.append(fold(name[:cut]) if rng.random() < 0.5 else name[:cut])
            suggesting = []
            for prefix in prefixes:
                started = time.perf_counter()
                search.suggest(prefix)
                suggesting.append((time.perf_counter() - started) * 1000)
            db.session.remove()
            db.engine.dispose()
    return {
        "build": build,
        "facets": facets,
        "search": percentiles(ranking),
        "page": percentiles(pages),
        "suggest": percentiles(suggesting),
        "found": found,
        "queries": len(workload),
    }


def report(backend: str, products: int, figures: dict) -> bool:
    """Print one run's figures against its targets; whether all are met."""
    wanted = targets(backend, products)
    met = True

    def verdict(name: str, value: float) -> str:
        nonlocal met
        if name not in wanted:
            return ""
        if value < wanted[name]:
            return f"  ok (< {wanted[name]:g})"
        met = False
        return f"  OVER {wanted[name]:g}"

    db_name = "SQLite" if backend == "whoosh" else "PostgreSQL"
    print(f"\n{backend} (catalogue on {db_name}), {products} products, load average {_load()}")
    print(f"  build    {figures['build']:8.1f} s{verdict('build', figures['build'])}")
    print(f"  facets   {figures['facets'] * 1000:8.1f} ms (facet index, once per catalogue version)")
    for name in ("search", "page", "suggest"):
        p50, p95 = figures[name]
        print(f"  {name:8} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{verdict(name, p95)}")
    print(f"  queries with results: {figures['found']}/{figures['queries']}")
    return met


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--all", action="store_true", help="run 2,000, 20,000 and 100,000 products")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    sizes = SIZES if args.all else (args.products,)
    print(
        f"{', '.join(map(str, sizes))} products, {args.queries} queries (plain, accent-free, typo, "
        f"faceted), {os.cpu_count()} CPUs, load average {_load()}"
    )
    results = []
    for products in sizes:
        for backend in args.backends.split(","):
            figures = run(backend, products, args.queries, args.seed)
            results.append((backend, products, report(backend, products, figures)))
    print("\nsummary (load average now " + _load() + ")")
    for backend, products, met in results:
        print(f"  {backend:8} {products:>7} products: {'all targets met' if met else 'NOT all targets met'}")


if __name__ == "__main__":
    main()
