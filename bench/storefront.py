"""Storefront benchmark: requests per second of the catalogue and product pages, against a
hello-world Flask app served the same way, on SQLite and PostgreSQL, then each worker's memory.

    .venv/bin/python bench/storefront.py [--products 20000 [100000 ...]] [--backend sqlite|postgresql|both]

For each catalogue size it loads the demo data plus N generated products into a fresh database,
serves the app with gunicorn (2 sync workers) and measures with wrk (16 connections), as a visitor
without a session (no cookies): the catalogue with the 3-star facet at page 20 and a product page.
The hello world and the two pages are measured in turn, `--rounds` times, and each page's ratio
is the median of its rounds' ratios (a loaded machine then disturbs the ratio less than the
figures). Targets (issue 19): catalogue >= 30 % of hello world on SQLite and >= 25 % on
PostgreSQL; product page >= 35 % and >= 30 %; at 100,000 products both pages within 20 % of their
20,000-product throughput (when both sizes are run); each worker's resident memory under 300 MB
after the runs at 20,000 products. PostgreSQL uses a temporary database on BENCH_DATABASE_URL
(default: the local server), dropped at the end. Prints the load average: figures measured on a
busy machine are lower than on a quiet one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
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
TARGETS = {"sqlite": {"catalogue": 0.30, "product": 0.35}, "postgresql": {"catalogue": 0.25, "product": 0.30}}
SCALE_TOLERANCE = 0.20  # at 100,000 products, at most 20 % below the 20,000-product figure
MEMORY_LIMIT_MB = 300
CATALOGUE_PATH = "/products?stars=3&page=20"
EMPTY_CONFIG = Path(__file__).resolve().parent / "gunicorn_plain.conf.py"


PORTS: range | None = None  # --ports: where the servers may listen (any free port when None)


def free_port() -> int:
    for port in PORTS or (0,):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {PORTS}")


@contextmanager
def gunicorn(app: str, env: dict[str, str], cwd: Path, probe: str = "/"):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            # Not ./gunicorn.conf.py, which gunicorn reads by default from the app's folder: its
            # access log and worker recycling (a restart every GUNICORN_MAX_REQUESTS, caches
            # lost) are production's choices, and the hello world would not have them.
            "--config",
            str(EMPTY_CONFIG),
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
        deadline = time.time() + 180  # a loaded machine starts slowly
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still finishing a search-index write
            proc.kill()
            proc.wait()


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory (VmRSS) of each gunicorn worker of `master_pid`, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def wrk(url: str, duration: int, connections: int) -> float:
    for _ in range(20):  # warm both workers' caches
        urllib.request.urlopen(url, timeout=10).read()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"errors while benchmarking {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run(backend: str, products: int, duration: int, connections: int, rounds: int) -> dict:
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
            figures: dict[str, list[float]] = {"hello": [], "catalogue": [], "product": []}
            with (
                gunicorn("hello_app:app", env, ROOT / "bench") as (hello, _),
                gunicorn("wsgi:app", env, ROOT, "/healthz") as (
                    shop,
                    shop_pid,
                ),
            ):
                for _ in range(rounds):
                    figures["hello"].append(wrk(hello + "/", duration, connections))
                    figures["catalogue"].append(wrk(shop + CATALOGUE_PATH, duration, connections))
                    figures["product"].append(wrk(shop + f"/products/{slug}", duration, connections))
                memory = worker_memory_mb(shop_pid)
            return {"figures": figures, "memory": memory, "load": load()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(backend: str, products: int, result: dict, connections: int) -> tuple[bool, dict[str, float]]:
    """Print one run's table; whether it met its targets, and each page's req/s (median)."""
    figures = result["figures"]
    print(
        f"\n{backend}: {products} generated products, gunicorn 2 workers, wrk {connections} connections,"
        f" {len(figures['hello'])} rounds; {result['load']} (at the end)"
    )
    print(f"  {'page':<36}{'req/s':>10}{'vs hello':>10}{'target':>8}")
    print(f"  {'hello world':<36}{statistics.median(figures['hello']):>10.0f}")
    ok, medians = True, {}
    for page, label in (("catalogue", f"catalogue ({CATALOGUE_PATH})"), ("product", "product page")):
        ratio = statistics.median(p / h for p, h in zip(figures[page], figures["hello"], strict=True))
        medians[page] = statistics.median(figures[page])
        target = TARGETS[backend][page]
        ok &= ratio >= target
        verdict = "met" if ratio >= target else "BELOW TARGET"
        print(f"  {label:<36}{medians[page]:>10.0f}{ratio:>9.0%}{target:>8.0%}  {verdict}")
    memory = result["memory"]
    fits = all(size < MEMORY_LIMIT_MB for size in memory)
    if products <= 20_000:
        ok &= fits
    verdict = ("met" if fits else "OVER THE LIMIT") if products <= 20_000 else "(limit applies at 20,000)"
    sizes = ", ".join(f"{size:.0f} MB" for size in memory)
    print(f"  worker resident memory after the runs: {sizes} (limit {MEMORY_LIMIT_MB} MB) {verdict}")
    return ok, medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, nargs="+", default=[20_000], help="e.g. 2000 20000 100000")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="hello, catalogue, product: this many times")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--ports", default="", help="e.g. 7300-7399 on a shared machine (default: any free)")
    args = parser.parse_args()
    if args.ports:
        global PORTS
        low, high = (int(x) for x in args.ports.split("-"))
        PORTS = range(low, high + 1)
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores,"
        f" {load()} (at the start)"
    )
    failed = False
    for backend in backends:
        by_size: dict[int, dict[str, float]] = {}
        for products in args.products:
            result = run(backend, products, args.duration, args.connections, args.rounds)
            ok, by_size[products] = report(backend, products, result, args.connections)
            failed |= not ok
        if 20_000 in by_size and 100_000 in by_size:
            print(f"\n{backend}: 100,000 products against 20,000 (at most {SCALE_TOLERANCE:.0%} slower)")
            for page in ("catalogue", "product"):
                change = by_size[100_000][page] / by_size[20_000][page] - 1
                kept = change >= -SCALE_TOLERANCE
                failed |= not kept
                print(f"  {page:<12}{change:>+8.0%}  {'met' if kept else 'BELOW TARGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
