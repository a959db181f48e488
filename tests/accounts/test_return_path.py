"""After signing in or signing up, a person returns to the page they came from (a same-site path
only), whichever way they reached the form."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.factories import PASSWORD, make_user


def _next_of(link: str) -> str | None:
    return parse_qs(urlsplit(html.unescape(link)).query).get("next", [None])[0]


def _confirmation_path() -> str:
    body = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first().body
    return re.search(r"http://localhost(/account/confirm/\S+)", body).group(1)


SIGN_UP = {
    "display_name": "Lan",
    "email": "lan@example.vn",
    "password": "nuoc-mam-phu-quoc",
    "password_again": "nuoc-mam-phu-quoc",
    "account_kind": "consumer",
}


def test_a_page_that_needs_an_account_sends_to_sign_in_and_back(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    login = web.get("/orders?page=2").headers["Location"]
    assert login == "/account/login?next=%2Forders%3Fpage%3D2"
    page = web.get(login).get_data(as_text=True)
    assert re.search(r'<input id="next" name="next" type="hidden" value="/orders\?page=2">', page)
    response = web.post(
        "/account/login", {"email": "lan@example.vn", "password": PASSWORD, "next": "/orders?page=2"}
    )
    assert response.headers["Location"] == "/orders?page=2"


def test_the_header_sign_in_link_carries_the_current_page(web) -> None:
    page = web.get("/products?q=che").get_data(as_text=True)
    links = re.findall(r'href="(/account/login[^"]*)"', page)
    assert links and all(_next_of(link) == "/products?q=che" for link in links)


def test_sign_up_from_the_sign_in_page_returns_to_the_page_the_person_came_from(web) -> None:
    login = web.get("/account/login?next=%2Fproducts%3Fq%3Dche").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/account/signup[^"]*)"', login.split("site-main", 1)[1]).group(1))
    assert _next_of(link) == "/products?q=che"
    signup = web.get(link).get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/products?q=che">' in signup
    back = re.search(r'href="(/account/login[^"]*)"', signup.split("site-main", 1)[1]).group(1)
    assert _next_of(back) == "/products?q=che"  # and back to sign-in keeps it
    response = web.post("/account/signup", {**SIGN_UP, "next": "/products?q=che"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/signup/sent"
    # Sign-up signs nobody in (it answers alike for taken addresses): the confirmation link does,
    # and from this browser it goes back to the page the person came from.
    assert web.post(_confirmation_path()).headers["Location"] == "/products?q=che"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_up_never_returns_off_the_site(web, target) -> None:
    web.post("/account/signup", {**SIGN_UP, "next": target})
    assert web.post(_confirmation_path()).headers["Location"] == "/account/profile"
