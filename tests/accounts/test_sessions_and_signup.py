"""Sign-out ends every copy of a session; sign-up says the same for a new and a taken address."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_user

SIGN_UP = {
    "display_name": "Lan",
    "password": "nuoc-mam-phu-quoc",
    "password_again": "nuoc-mam-phu-quoc",
    "account_kind": "consumer",
}


def _copy_session(source: FormClient, app) -> FormClient:
    """Another browser holding a copy of `source`'s session cookie (stolen, or a second device)."""
    copy = FormClient(app.test_client())
    cookie = source.client.get_cookie("ocop_session")
    copy.client.set_cookie("ocop_session", cookie.value)
    return copy


def test_a_session_cookie_copied_before_sign_out_no_longer_opens_the_account(app, web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    assert web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD}).status_code == 302
    copy = _copy_session(web, app)
    assert copy.get("/account/profile").status_code == 200
    assert web.post("/account/logout").status_code == 302
    response = copy.get("/account/profile")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_sign_out_of_all_other_devices_keeps_this_one(app, web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD})
    other_device = _copy_session(web, app)
    web.client.set_cookie("lang", "en")
    assert "Sign out of all other devices" in web.get("/account/profile").get_data(as_text=True)
    assert web.post("/account/sessions/end-others").status_code == 302
    assert web.get("/account/profile").status_code == 200
    assert other_device.get("/account/profile").status_code == 302


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def same_page(response, address: str) -> str:
    """The page with the address and the CSRF token's signature (dated to the second) blanked."""
    text = re.sub(
        r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', response.get_data(as_text=True)
    )
    return text.replace(address, "X@")


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one_and_warns_the_owner(web) -> None:
    make_user("taken@example.vn")
    db.session.commit()
    web.client.set_cookie("lang", "en")
    new = web.post("/account/signup", {**SIGN_UP, "email": "new@example.vn"})
    taken = web.post("/account/signup", {**SIGN_UP, "email": "Taken@example.vn"})
    assert (new.status_code, new.headers["Location"]) == (taken.status_code, taken.headers["Location"])
    assert new.headers["Location"] == "/account/signup/sent"
    # The pages' CSRF tokens carry the second they were signed in: two requests may straddle one.
    assert same_page(web.get(new.headers["Location"]), "new@") == same_page(
        web.get(taken.headers["Location"]), "taken@"
    )
    assert "already has an account" not in web.get("/account/signup/sent").get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 2
    owner_message = _outbox()[-1]
    assert owner_message.to_address == "taken@example.vn" and owner_message.kind == "signup_attempt"
    assert "/account/password/forgot" in owner_message.body and "/account/login" in owner_message.body
    # Nobody is signed in by a sign-up form: the confirmation link does that, once.
    with web.client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_taken_address_with_a_weak_password_is_refused_like_a_new_one(web) -> None:
    make_user("taken@example.vn")
    db.session.commit()
    weak = {**SIGN_UP, "password": "password123", "password_again": "password123"}
    new = web.post("/account/signup", {**weak, "email": "new@example.vn"})
    taken = web.post("/account/signup", {**weak, "email": "taken@example.vn"})
    assert new.status_code == taken.status_code == 200
    assert len(_outbox()) == 0


def test_the_confirmation_link_signs_the_new_account_in_once_and_continues_to_its_page(app, web) -> None:
    response = web.post(
        "/account/signup", {**SIGN_UP, "email": "minh@example.vn", "account_kind": "producer"}
    )
    assert response.headers["Location"] == "/account/signup/sent"
    body = _outbox()[-1].body
    link = re.search(r"http://localhost(/account/confirm/\S+)", body).group(1)
    response = web.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/account/register/producer"
    assert web.get("/account/profile").status_code == 200
    # The same link a second time confirms nothing new and signs nobody in.
    stranger = FormClient(app.test_client())
    response = stranger.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    assert stranger.get("/account/profile").status_code == 302
