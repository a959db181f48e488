"""The load test's users, driven by bench/load.py (which builds the database, starts gunicorn and
localstripe, and checks the results afterwards). Not meant to be run on its own: it reads what
load.py prepared from the JSON file named by LOAD_PLAN and appends every order the site or the
API said was placed to LOAD_RESULTS (one JSON object a line), so load.py can look for each one.

- Shopper (guest, the most users): home, catalogue pages and facets, search, product pages,
  the cart; now and then a checkout, paid cash on delivery or by card through localstripe
  (tokenised card → the site confirms the PaymentIntent → paid when the signed webhook arrives).
- Supermarket: the wholesale catalogue and bulk orders through POST /api/v1/orders with an
  Idempotency-Key (some sent twice, as a client retrying a timeout does: one order either way).
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import urllib.parse
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
RESULTS = os.environ["LOAD_RESULTS"]
ADDRESS = {
    "recipient_name": "Nguyễn Văn An",
    "phone": "0912 345 678",
    "street": "12 Phố Huế",
    "commune": "Phường Hai Bà Trưng",
    "province": "ha-noi",
    "contact_email": "an@example.vn",
}
WORDS = ("trà", "mật ong", "nước mắm", "gạo", "cà phê", "tea", "honey", "bánh", "miến", "tỏi")


def record(kind: str, reference: str, **extra) -> None:
    """One order the user was told is placed (gevent: one process, whole lines appended)."""
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, "reference": reference, **extra}) + "\n")


@events.request.add_listener
def _count_5xx(response=None, **_kwargs) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(json.dumps({"kind": "5xx", "url": response.url, "status": response.status_code}) + "\n")


def _csrf(user: HttpUser, page: str) -> str:
    """The page's token; a page served from the shared cache has none, and the browser's script
    asks /csrf-token for it (static/js/cart.js), as this does."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    if found:
        return found.group(1)
    return user.client.get("/csrf-token", name="csrf token").json()["csrf_token"]


def _hidden(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1).startswith(("price_", "idempotency_key", "shown_total_vnd", "csrf_token")):
            found[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return found


def _data(page: str, attribute: str) -> str:
    return html.unescape(re.search(rf'{attribute}="([^"]+)"', page).group(1))


class Shopper(HttpUser):
    weight = 9
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.cookies.set("lang", random.choice(("vi", "en")))

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(4)
    def catalogue(self) -> None:
        params = random.choice(
            (
                {"page": random.randint(1, 50)},
                {"stars": random.choice((3, 4, 5)), "page": random.randint(1, 20)},
                {"group": "food", "page": random.randint(1, 10)},
            )
        )
        self.client.get("/products?" + urllib.parse.urlencode(params), name="catalogue")

    @task(3)
    def search(self) -> None:
        word = random.choice(WORDS)
        self.client.get("/products?" + urllib.parse.urlencode({"q": word}), name="search")
        self.client.get("/search/suggest?" + urllib.parse.urlencode({"q": word[:3]}), name="suggest")

    @task(4)
    def product(self) -> None:
        self.client.get(f"/products/{random.choice(PLAN['browse_slugs'])}", name="product")

    @task(2)
    def buy(self) -> None:
        """Two or three products in the cart, then a checkout: COD or card."""
        for product in random.sample(PLAN["retail"], random.randint(2, 3)):
            page = self.client.get(f"/products/{product['slug']}", name="product").text
            self.client.post(
                "/cart/add",
                {
                    "product_id": product["id"],
                    "quantity": random.randint(1, 2),
                    "csrf_token": _csrf(self, page),
                },
                name="cart add",
            )
        self.client.get("/cart", name="cart")
        first = self.client.get("/checkout", name="checkout (form)").text
        if "idempotency_key" not in first:
            return  # the cart emptied itself: the products sold out meanwhile
        quoted = self.client.post(
            "/checkout", {**ADDRESS, **_hidden(first), "action": "quote"}, name="checkout (shipping quote)"
        ).text
        method = random.choice(("cod", "card"))
        form = {**ADDRESS, **_hidden(quoted), "payment_method": method, "action": "place"}
        # Sent: an order may exist without its answer when the run stops mid-request.
        record("sent", "", key=form.get("idempotency_key"))
        with self.client.post(
            "/checkout", form, name=f"checkout (place, {method})", allow_redirects=False, catch_response=True
        ) as placed:
            if placed.status_code == 200:
                placed.success()  # refused with a reason shown (sold out, price changed): no order
                return
            if placed.status_code != 302:
                placed.failure(f"checkout answered {placed.status_code}")
                return
            location = placed.headers["Location"]
        reference = re.search(r"/orders/([^/?]+)", location).group(1)
        record(method, reference)
        if method == "card":
            self.pay_by_card(location)

    def pay_by_card(self, pay_url: str) -> None:
        page = self.client.get(pay_url, name="card payment page").text
        card = self.client.post(
            f"{PLAN['localstripe']}/v1/tokens",
            {
                "card[number]": "4242424242424242",
                "card[exp_month]": "12",
                "card[exp_year]": "35",
                "card[cvc]": "123",
                "key": "pk_test_ocop",
            },
            name="localstripe token",
        ).json()["card"]["id"]
        with self.client.post(
            _data(page, "data-confirm-url"),
            json={"payment_method": card},
            headers={"X-CSRFToken": _data(page, "data-csrf-token")},
            name="card confirm",
            catch_response=True,
        ) as confirmed:
            if confirmed.status_code != 200 or confirmed.json().get("status") != "succeeded":
                confirmed.failure(f"card confirm: {confirmed.status_code} {confirmed.text[:200]}")
        self.client.get(_data(page, "data-status-url"), name="card payment status")


class Supermarket(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {PLAN['api_token']}"}

    @task(3)
    def wholesale_catalogue(self) -> None:
        self.client.get("/api/v1/catalog?limit=100", headers=self.headers, name="api catalog")

    @task(1)
    def bulk_order(self) -> None:
        codes = random.sample(
            PLAN["wholesale_codes"], min(len(PLAN["wholesale_codes"]), random.randint(5, 20))
        )
        body = {
            "lines": [{"code": code, "quantity": random.choice((24, 48, 120))} for code in codes],
            "delivery_location_id": PLAN["delivery_location_id"],
            "requested_delivery_date": PLAN["delivery_date"],
            "purchase_order_number": f"PO-LOAD-{uuid.uuid4().hex[:8]}",
        }
        key = f"load-{uuid.uuid4().hex}"
        headers = {**self.headers, "Idempotency-Key": key}
        references = set()
        record("sent", "", po=body["purchase_order_number"])
        for _attempt in range(2 if random.random() < 0.3 else 1):  # a client retrying: same key
            with self.client.post(
                "/api/v1/orders", json=body, headers=headers, name="api bulk order", catch_response=True
            ) as response:
                if response.status_code not in (200, 201):
                    response.failure(f"bulk order {response.status_code}: {response.text[:200]}")
                    return
                references.add(response.json()["reference"])
        if len(references) != 1:
            record("api-duplicate", ",".join(sorted(references)))
        record("api", references.pop(), lines=len(codes), key=key)
