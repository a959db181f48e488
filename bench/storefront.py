"""Storefront benchmark: requests per second of the catalogue and product pages, against a
hello-world Flask app served the same way, on SQLite and PostgreSQL.

    .venv/bin/python bench/storefront.py [--products 20000] [--backend sqlite|postgresql|both]

It loads the demo data plus N generated products into a fresh database, serves the app with
gunicorn (2 sync workers) and measures with wrk (16 connections). Targets (issue 2): catalogue
>= 10% of hello world on SQLite and >= 5% on PostgreSQL; product page >= 15% and >= 8%.
PostgreSQL uses a temporary database on BENCH_DATABASE_URL (default: the local server), dropped
at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from common import temporary_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"sqlite": {"catalogue": 0.10, "product": 0.15}, "postgresql": {"catalogue": 0.05, "product": 0.08}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict[str, str], cwd: Path):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=cwd,
        env=env,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still finishing a search-index write
            proc.kill()
            proc.wait()


def wrk(url: str, duration: int, connections: int) -> float:
    for _ in range(20):  # warm both workers' caches
        urllib.request.urlopen(url, timeout=10).read()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"errors while benchmarking {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run(backend: str, products: int, duration: int, connections: int) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    try:
        with temporary_database(backend, tmp) as url:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "UPLOAD_DIR": str(tmp / "uploads"),
                "SEARCH_INDEX_DIR": str(tmp / "search"),
                "INSTANCE_PATH": str(tmp),
                "APP_ENV": "development",
                "SECRET_KEY": "bench",
            }
            flask = [str(BIN / "flask"), "--app", "wsgi"]
            started = time.time()
            subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
            subprocess.run([*flask, "seed-demo", "--products", str(products)], cwd=ROOT, env=env, check=True)
            elapsed = time.time() - started
            print(f"[{backend}] schema and {products} generated products loaded in {elapsed:.1f} s")
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                slug = conn.execute(
                    sa.text(
                        "SELECT slug FROM products WHERE status = 'published' ORDER BY id LIMIT 1 OFFSET :n"
                    ),
                    {"n": products // 2},
                ).scalar_one()
            engine.dispose()
            results: dict[str, float] = {}
            with gunicorn("hello_app:app", env, ROOT / "bench") as base:
                results["hello"] = wrk(base + "/", duration, connections)
            with gunicorn("wsgi:app", env, ROOT) as base:
                results["catalogue"] = wrk(base + "/products?group=food&page=50", duration, connections)
                results["product"] = wrk(base + f"/products/{slug}", duration, connections)
            return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    failed = False
    for backend in backends:
        r = run(backend, args.products, args.duration, args.connections)
        print(
            f"\n{backend}: {args.products} generated products, gunicorn 2 workers,"
            f" wrk {args.connections} connections"
        )
        print(f"  {'page':<34}{'req/s':>10}{'vs hello':>10}{'target':>8}")
        print(f"  {'hello world':<34}{r['hello']:>10.0f}")
        for page, label in (("catalogue", "catalogue (group=food, page 50)"), ("product", "product page")):
            ratio, target = r[page] / r["hello"], TARGETS[backend][page]
            failed |= ratio < target
            below = "" if ratio >= target else "  BELOW TARGET"
            print(f"  {label:<34}{r[page]:>10.0f}{ratio:>9.0%}{target:>8.0%}{below}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
