"""Load test (issue 18 item 4): Locust users browsing, searching, filling carts and checking out
(cash on delivery, and cards through localstripe), and supermarkets placing bulk orders through the
API, against gunicorn + PostgreSQL with 20,000 generated products; then the checks.

    .venv/bin/python bench/load.py [--users 50] [--minutes 2] [--products 20000] [--workers 4]
        [--ports 7950-7999]

It builds a fresh PostgreSQL database on BENCH_DATABASE_URL (the local server by default; dropped
at the end) with the demo data and `--products` generated products, a verified supermarket with
wholesale products and an API token (bench/bulk_order.py's), starts localstripe and gunicorn
(gunicorn.conf.py, `--workers` sync workers) on ports of `--ports`, and runs bench/locustfile.py
headless. Afterwards it checks, and prints each verdict:
- no response 5xx and no failed request;
- every order a user was told was placed (redirect to its page, or the API's 201) exists exactly
  once, and no order exists that nobody was told about; a bulk order sent twice with its
  Idempotency-Key is one order;
- `flask ledger check` passes;
- each card order is paid exactly when localstripe's PaymentIntent for it succeeded;
- stock: for every product, initial stock − quantity sold = stock left, and none is negative;
then p50/p95 (ms) of each request type, and the load average (a loaded machine is slower).
Exit status 0 only when every check passes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from common import temporary_database  # noqa: E402

SECRET_KEY = "sk_test_ocop_load"
WEBHOOK_SECRET = "whsec_ocop_load"
LOCALSTRIPE = """
import sys
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None  # see tests/payments/conftest.py
sys.argv[0] = "localstripe"
sys.exit(server.start())
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def free_ports(ports: range, count: int) -> list[int]:
    found = []
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"not {count} free ports in {ports}")


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.3)


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path):
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def prepare_plan(url: str, tmp: str, products: int, localstripe: str) -> tuple[dict, dict[int, int], int]:
    """The supermarket, its API token and the products the users buy; the stock before the run
    and the highest order id (the demo data's orders are not the run's)."""
    from bulk_order import prepare

    from marketplace import create_app
    from marketplace.api import tokens
    from marketplace.extensions import db
    from marketplace.timeutil import today_in_vietnam
    from marketplace.wholesale.pricing import organisation_locations

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "load",
            "SEARCH_INDEX_DIR": f"{tmp}/search",
            "SEARCH_BACKEND": "postgres",
        }
    )
    with app.app_context():
        user, organisation, _csv = prepare(40, 4, 0)
        secret = tokens.create_token(
            "buyer", organisation.id, name="load", scopes=["orders:write", "catalog:read"], user_id=user.id
        ).secret
        location_id = organisation_locations(organisation.id)[0].id
        db.session.commit()
        conn = db.session.connection()
        retail = [
            {"id": row.id, "slug": row.slug}
            for row in conn.execute(
                sa.text(
                    "SELECT id, slug FROM products WHERE status = 'published' AND stock > 0"
                    " AND slug NOT LIKE 'bench-%' AND COALESCE(min_order_qty, 1) <= 1"
                    " ORDER BY random() LIMIT 300"
                )
            )
        ]
        browse = list(
            conn.execute(
                sa.text("SELECT slug FROM products WHERE status = 'published' ORDER BY random() LIMIT 2000")
            )
            .scalars()
            .all()
        )
        stock = dict(conn.execute(sa.text("SELECT id, stock FROM products")).all())
        max_order = conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM orders")).scalar_one()
        plan = {
            "retail": retail,
            "browse_slugs": browse,
            "wholesale_codes": [f"bench-0-{i % 4}/SKU-{i:04d}" for i in range(40)],
            "api_token": secret,
            "delivery_location_id": location_id,
            "delivery_date": (today_in_vietnam() + timedelta(days=3)).isoformat(),
            "localstripe": localstripe,
        }
        db.session.remove()
        db.engine.dispose()
    print(
        f"{len(retail)} retail products to buy, {len(plan['wholesale_codes'])} wholesale;"
        f" {len(stock)} products"
    )
    return plan, stock, max_order


def percentiles_table(stats_csv: Path) -> None:
    print(f"\n  {'request':<34}{'count':>7}{'fail':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    with open(stats_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
            print(
                f"  {name:<34}{row['Request Count']:>7}{row['Failure Count']:>6}"
                f"{row['50%']:>9}{row['95%']:>9}{float(row['Max Response Time']):>9.0f}"
            )


def localstripe_intent(base: str, intent_id: str) -> dict:
    request = urllib.request.Request(
        f"{base}/v1/payment_intents/{intent_id}", headers={"Authorization": f"Bearer {SECRET_KEY}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def check(
    url: str, env: dict, results: Path, stock: dict[int, int], max_order: int, localstripe: str
) -> bool:
    lines = (
        [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
        if results.exists()
        else []
    )
    told = Counter(line["reference"] for line in lines if line["kind"] in ("cod", "card", "api"))
    kinds = Counter(line["kind"] for line in lines)
    verdicts: list[tuple[str, bool]] = []
    verdicts.append((f"responses 5xx: {kinds['5xx']} (must be 0)", kinds["5xx"] == 0))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        # Card orders wait for their webhook: give the last ones a few seconds to land.
        for _ in range(30):
            waiting = conn.execute(
                sa.text(
                    "SELECT COUNT(*) FROM orders WHERE id > :m AND payment_method = 'card'"
                    " AND payment_status = 'awaiting_payment'"
                ),
                {"m": max_order},
            ).scalar_one()
            if not waiting:
                break
            time.sleep(1)
            conn.rollback()
        orders = conn.execute(
            sa.text(
                "SELECT id, reference, payment_method, payment_status, stripe_payment_intent_id,"
                " idempotency_key, purchase_order_number"
                " FROM orders WHERE id > :m"
            ),
            {"m": max_order},
        ).all()
        in_db = Counter(row.reference for row in orders)
        print(
            f"\norders the users were told were placed: {sum(told.values())} "
            f"(COD {kinds['cod']}, card {kinds['card']}, API bulk {kinds['api']});"
            f" orders in the database: {len(orders)}"
        )
        told_twice = [ref for ref, n in told.items() if n > 1 and ref]
        lost = [ref for ref in told if in_db[ref] != 1]
        sent = {line.get("key") or line.get("po") for line in lines if line["kind"] == "sent"}
        untold = [row for row in orders if row.reference not in told]
        # Sent but unanswered: the run stopped while the request was being served (locust stops its
        # users mid-request); not lost, the order page and the API list show it.
        cut_off = [row.reference for row in untold if {row.idempotency_key, row.purchase_order_number} & sent]
        unknown = [row.reference for row in untold if row.reference not in cut_off]
        print(
            f"orders placed by requests whose answer the end of the run cut off: {len(cut_off)} {cut_off[:5]}"
        )
        keys = Counter(row.idempotency_key for row in orders if row.idempotency_key)
        verdicts.append(
            (f"orders told but not exactly once in the database: {len(lost)} {lost[:5]}", not lost)
        )
        verdicts.append(
            (f"orders in the database nobody was told about: {len(unknown)} {unknown[:5]}", not unknown)
        )
        verdicts.append(
            (
                f"checkouts told the same reference twice: {len(told_twice)}; API retries that made a second"
                f" order: {kinds['api-duplicate']}; idempotency keys used twice:"
                f" {sum(1 for n in keys.values() if n > 1)}",
                not told_twice and not kinds["api-duplicate"] and all(n == 1 for n in keys.values()),
            )
        )
        mismatched, paid = [], 0
        for row in orders:
            if row.payment_method != "card":
                continue
            intent = (
                localstripe_intent(localstripe, row.stripe_payment_intent_id)
                if row.stripe_payment_intent_id
                else {}
            )
            succeeded = intent.get("status") == "succeeded"
            paid += row.payment_status == "paid"
            if succeeded != (row.payment_status == "paid"):
                mismatched.append((row.reference, row.payment_status, intent.get("status")))
        verdicts.append(
            (
                f"card orders: {sum(1 for r in orders if r.payment_method == 'card')}, paid {paid};"
                f" paid ≠ localstripe PaymentIntent succeeded: {len(mismatched)} {mismatched[:3]}",
                not mismatched,
            )
        )
        sold = dict(
            conn.execute(
                sa.text(
                    "SELECT l.product_id, SUM(l.quantity) FROM order_lines l JOIN producer_orders p"
                    " ON p.id = l.producer_order_id WHERE p.order_id > :m GROUP BY l.product_id"
                ),
                {"m": max_order},
            ).all()
        )
        now = dict(conn.execute(sa.text("SELECT id, stock FROM products")).all())
        cancelled = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM producer_orders WHERE order_id > :m"
                " AND status IN ('cancelled', 'expired')"
            ),
            {"m": max_order},
        ).scalar_one()
        wrong = [pid for pid, before in stock.items() if before - sold.get(pid, 0) != now[pid]]
        negative = [pid for pid, left in now.items() if left < 0]
        verdicts.append(
            (
                f"stock: {len(sold)} products sold {sum(sold.values())} units; initial − sold ≠ left"
                f" for {len(wrong)} {wrong[:5]}; negative: {len(negative)};"
                f" cancelled/expired parts (would restock): {cancelled}",
                not wrong and not negative and not cancelled,
            )
        )
    engine.dispose()
    ledger = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "ledger", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = (ledger.stdout + ledger.stderr).strip().splitlines()
    verdicts.append(
        (
            f"flask ledger check: exit {ledger.returncode} ({output[-1] if output else ''})",
            ledger.returncode == 0,
        )
    )
    print()
    for text, ok in verdicts:
        print(f"  [{'ok' if ok else 'FAIL'}] {text}")
    return all(ok for _text, ok in verdicts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ports", default="7950-7999")
    args = parser.parse_args()
    low, high = (int(p) for p in args.ports.split("-"))
    print(f"started {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {load()}")
    with (
        tempfile.TemporaryDirectory(prefix="ocop-load-") as tmp,
        temporary_database("postgresql", Path(tmp), "ocop_load") as url,
    ):
        stripe_port, web_port = free_ports(range(low, high + 1), 2)
        localstripe, site = f"http://127.0.0.1:{stripe_port}", f"http://127.0.0.1:{web_port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "UPLOAD_DIR": f"{tmp}/uploads",
            "SEARCH_INDEX_DIR": f"{tmp}/search",
            "INSTANCE_PATH": tmp,
            "APP_ENV": "development",  # plain http: ProductionConfig's secure cookies need https
            "SECRET_KEY": "load",
            "SEARCH_BACKEND": "postgres",
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": "pk_test_ocop",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_API_BASE": localstripe,
            "API_RATE_LIMIT": "100000 per minute",  # the supermarkets share one token
            "GUNICORN_BIND": f"127.0.0.1:{web_port}",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_TIMEOUT": "120",  # a loaded 2-core machine: slow is measured, not killed
            "GUNICORN_ACCESS_LOG": f"{tmp}/access.log",
        }
        env.pop("REDIS_URL", None)  # jobs inline, throttles in the database: one machine, no worker
        flask = [str(BIN / "flask"), "--app", "wsgi"]
        started = time.time()
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "seed-demo", "--products", str(args.products)], cwd=ROOT, env=env, check=True)
        print(f"database with {args.products} generated products built in {time.time() - started:.0f} s")
        with process(
            [sys.executable, "-c", LOCALSTRIPE, "--port", str(stripe_port), "--from-scratch"],
            env,
            Path(tmp, "ls.log"),
        ) as stripe:
            wait_for(f"{localstripe}/v1/customers", stripe)
            body = json.dumps(
                {
                    "url": f"{site}/payments/stripe/webhook",
                    "secret": WEBHOOK_SECRET,
                    "events": ["payment_intent.succeeded", "payment_intent.payment_failed"],
                }
            ).encode()
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{localstripe}/_config/webhooks/ocop-load",
                    data=body,
                    method="POST",
                    headers={"Content-Type": "application/json"},
                ),
                timeout=10,
            ).close()
            plan, stock, max_order = prepare_plan(url, tmp, args.products, localstripe)
            Path(tmp, "plan.json").write_text(json.dumps(plan), encoding="utf-8")
            results = Path(tmp, "results.jsonl")
            with process(
                [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], env, Path(tmp, "gunicorn.log")
            ) as web:
                wait_for(f"{site}/healthz", web)
                print(f"gunicorn {args.workers} workers on {site}, localstripe on {localstripe}; {load()}")
                print(f"locust: {args.users} users for {args.minutes:g} min")
                run = subprocess.run(
                    [
                        str(BIN / "locust"),
                        "-f",
                        str(ROOT / "bench" / "locustfile.py"),
                        "--headless",
                        "--only-summary",
                        "-u",
                        str(args.users),
                        "-r",
                        str(args.spawn_rate),
                        "-t",
                        f"{int(args.minutes * 60)}s",
                        "--host",
                        site,
                        "--csv",
                        f"{tmp}/locust",
                        "--loglevel",
                        "WARNING",
                    ],
                    cwd=ROOT,
                    env={**env, "LOAD_PLAN": f"{tmp}/plan.json", "LOAD_RESULTS": str(results)},
                    capture_output=True,
                    text=True,
                )
                load_after = load()
                Path(tmp, "locust.log").write_text(run.stdout + run.stderr, encoding="utf-8")
                errors_seen = [
                    line
                    for line in (run.stdout + run.stderr).splitlines()
                    if "Error" in line or "Traceback" in line
                ]
                for line in errors_seen[:10]:
                    print(f"  locust: {line}")
                failures = Path(f"{tmp}/locust_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
                print(f"\nlocust finished (exit {run.returncode}); {load_after} (at the end of the run)")
                percentiles_table(Path(f"{tmp}/locust_stats.csv"))
                for line in failures[:10]:
                    print(f"  failure: {line}")
                ok = check(url, env, results, stock, max_order, localstripe)
                ok &= not failures and run.returncode == 0
                errors = [
                    line for line in Path(tmp, "gunicorn.log").read_text().splitlines() if "Traceback" in line
                ]
                if errors:
                    print(f"  [FAIL] gunicorn log: {len(errors)} tracebacks")
                    ok = False
    print(
        f"\n{'ALL CHECKS PASSED' if ok else 'SOME CHECKS FAILED'};"
        f" finished {time.strftime('%H:%M:%S UTC', time.gmtime())}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
