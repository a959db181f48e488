"""Sign-in, sign-up, passwords and the organisation page through real form posts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_producer, make_producer_member, make_user


def _last_link(path: str) -> str:
    db.session.expire_all()
    body = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first().body
    return re.search(rf"http://localhost({re.escape(path)}\S+)", body).group(1)


def _signed_in_email(web: FormClient) -> str | None:
    with web.client.session_transaction() as session:
        token = session.get("_user_id")
    user = db.session.scalar(select(User).where(User.session_token == token)) if token else None
    return user.email if user else None


def test_a_form_posted_without_its_csrf_token_answers_400(client) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    response = client.post("/account/login", data={"email": "lan@example.vn", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_in_with_a_good_password_rotates_the_session_and_goes_to_next(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    with web.client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = web.post(
        "/account/login", {"email": "LAN@example.vn", "password": PASSWORD, "next": "/products?q=che"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/products?q=che"
    with web.client.session_transaction() as session:
        assert "planted" not in session
    assert _signed_in_email(web) == "lan@example.vn"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
    ],
)
def test_sign_in_refuses_to_redirect_off_the_site(web, target) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    response = web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"


def test_a_wrong_password_does_not_sign_in(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    response = web.post("/account/login", {"email": "lan@example.vn", "password": "wrong password"})
    assert response.status_code == 200
    assert _signed_in_email(web) is None


def test_the_eleventh_wrong_password_within_15_minutes_answers_429(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    web.client.set_cookie("lang", "en")
    for _ in range(10):
        response = web.post("/account/login", {"email": "lan@example.vn", "password": "wrong password"})
        assert response.status_code == 200
    response = web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    # Another account from the same address still signs in: the account is throttled, not the site.
    make_user("minh@example.vn")
    db.session.commit()
    response = web.post("/account/login", {"email": "minh@example.vn", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_is_throttled_per_address_across_accounts(app, web) -> None:
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "3 per 15 minutes"
    try:
        for n in range(3):
            web.post("/account/login", {"email": f"x{n}@example.vn", "password": "wrong password"})
        response = web.post("/account/login", {"email": "y@example.vn", "password": "wrong password"})
    finally:
        app.config["LOGIN_FAILURES_PER_ADDRESS"] = "30 per 15 minutes"
    assert response.status_code == 429


def test_good_sign_ins_are_not_counted_as_failures(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    for _ in range(12):
        assert (
            web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD}).status_code == 302
        )


def test_sign_out_is_a_post_and_ends_the_session(web) -> None:
    user = make_user("lan@example.vn")
    db.session.commit()
    web.sign_in(user)
    assert web.get("/account/logout").status_code == 405
    assert _signed_in_email(web) == "lan@example.vn"
    assert web.post("/account/logout").status_code == 302
    assert _signed_in_email(web) is None


def test_session_cookie_is_httponly_and_samesite_lax(app, web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    response = web.post("/account/login", {"email": "lan@example.vn", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("ocop_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_configuration_marks_cookies_secure() -> None:
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE


def test_security_headers_are_on_account_pages(client) -> None:
    response = client.get("/account/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_consumer_sign_up_sends_a_confirmation_whose_link_signs_in(web) -> None:
    response = web.post(
        "/account/signup",
        {
            "display_name": "Lan",
            "email": "lan@example.vn",
            "password": "nuoc-mam-phu-quoc",
            "password_again": "nuoc-mam-phu-quoc",
            "account_kind": "consumer",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account/signup/sent"
    assert _signed_in_email(web) is None
    confirm = _last_link("/account/confirm/")
    assert web.get(confirm).status_code == 200  # a page with a button: GET changes nothing
    assert db.session.scalar(select(User)).email_confirmed_at is None
    response = web.post(confirm)
    assert response.status_code == 302 and response.headers["Location"] == "/account/profile"
    db.session.expire_all()
    assert db.session.scalar(select(User)).email_confirmed_at is not None
    assert _signed_in_email(web) == "lan@example.vn"


def test_sign_up_with_a_common_password_is_refused(web) -> None:
    response = web.post(
        "/account/signup",
        {
            "display_name": "Lan",
            "email": "lan@example.vn",
            "password": "password123",
            "password_again": "password123",
            "account_kind": "consumer",
        },
    )
    assert response.status_code == 200
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    ("kind", "next_page"), [("producer", "/account/register/producer"), ("buyer", "/buyer/register")]
)
def test_sign_up_as_an_organisation_continues_to_its_registration(web, kind, next_page) -> None:
    response = web.post(
        "/account/signup",
        {
            "display_name": "Minh",
            "email": "minh@example.vn",
            "password": "nuoc-mam-phu-quoc",
            "password_again": "nuoc-mam-phu-quoc",
            "account_kind": kind,
        },
    )
    assert response.headers["Location"] == "/account/signup/sent"
    assert web.post(_last_link("/account/confirm/")).headers["Location"] == next_page


def test_producer_registration_through_the_form(web) -> None:
    from marketplace.producers.models import Producer

    web.sign_in(make_user("minh@example.vn"))
    db.session.commit()
    response = web.post(
        "/account/register/producer",
        {
            "name": "HTX Nước mắm Phú Quốc",
            "entity_type": "cooperative",
            "tax_code": "1700123456",
            "province_code": "an-giang",
            "commune": "Dương Đông",
            "contact_phone": "0297 384 0000",
            "contact_email": "htx@example.vn",
        },
    )
    assert response.status_code == 302
    producer = db.session.scalar(select(Producer))
    assert (producer.name, producer.verification_status, producer.province_code) == (
        "HTX Nước mắm Phú Quốc",
        "pending",
        "an-giang",
    )
    assert web.get("/account/organisation").status_code == 200


def test_password_reset_through_the_site_and_the_link_works_once(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    assert web.post("/account/password/forgot", {"email": "lan@example.vn"}).status_code == 302
    link = _last_link("/account/password/reset/")
    assert web.get(link).status_code == 200
    response = web.post(link, {"password": "mat-ong-ba-vi-2025", "password_again": "mat-ong-ba-vi-2025"})
    assert response.status_code == 302
    assert web.get(link).status_code == 400
    response = web.post(link, {"password": "another-good-one", "password_again": "another-good-one"})
    assert response.status_code == 400
    web.post("/account/logout")
    response = web.post("/account/login", {"email": "lan@example.vn", "password": "mat-ong-ba-vi-2025"})
    assert response.status_code == 302


def test_changing_the_password_signs_out_other_sessions(app, web) -> None:
    user = make_user("lan@example.vn")
    db.session.commit()
    other = FormClient(app.test_client()).sign_in(user)
    web.sign_in(user)
    response = web.post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "che-thai-nguyen-2025",
            "password_again": "che-thai-nguyen-2025",
        },
    )
    assert response.status_code == 302
    assert web.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302  # back to sign-in


def test_an_owner_removes_a_member_but_not_one_of_another_producer(web) -> None:
    producer_a, producer_b = make_producer(), make_producer()
    owner_a = make_producer_member(producer_a)
    staff_a = make_producer_member(producer_a, role="staff")
    staff_b = make_producer_member(producer_b, role="staff")
    db.session.commit()
    staff_a_membership, staff_b_membership = staff_a.producer_membership.id, staff_b.producer_membership.id
    web.sign_in(owner_a)
    url = "/account/organisation/producer/members/{}/remove"
    assert web.post(url.format(staff_b_membership)).status_code == 404
    assert web.post(url.format(staff_a_membership)).status_code == 302
    db.session.expire_all()
    assert staff_a.producer_membership is None
    assert staff_b.producer_membership is not None


def test_invitation_by_e_mail_link(app, web) -> None:
    producer = make_producer()
    owner = make_producer_member(producer)
    db.session.commit()
    web.sign_in(owner)
    assert (
        web.post(
            "/account/organisation/producer/invite", {"email": "hoa@example.vn", "role": "staff"}
        ).status_code
        == 302
    )
    link = _last_link("/account/invitations/")
    invited = FormClient(app.test_client())
    assert invited.get(link).status_code == 200
    assert invited.post(link).status_code == 302  # to sign-in first
    invited.post(
        "/account/signup",
        {
            "display_name": "Hoa",
            "email": "hoa@example.vn",
            "password": "banh-pia-soc-trang",
            "password_again": "banh-pia-soc-trang",
            "account_kind": "consumer",
        },
    )
    invited.post("/account/login", {"email": "hoa@example.vn", "password": "banh-pia-soc-trang"})
    assert invited.post(link).status_code == 302
    db.session.expire_all()
    hoa = db.session.scalar(select(User).where(User.email == "hoa@example.vn"))
    assert hoa.producer_membership.producer_id == producer.id
    assert hoa.producer_membership.role == "staff"
    assert invited.get(link).status_code == 400  # used


def test_an_owner_withdraws_an_invitation_and_its_link_stops_working(app, web) -> None:
    from marketplace.accounts.models import Invitation

    producer, other = make_producer(), make_producer()
    owner = make_producer_member(producer)
    other_owner = make_producer_member(other)
    db.session.commit()
    web.sign_in(owner)
    web.post("/account/organisation/producer/invite", {"email": "hoa@example.vn", "role": "staff"})
    link = _last_link("/account/invitations/")
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "hoa@example.vn"))
    url = f"/account/organisation/producer/invitations/{invitation.id}/withdraw"
    page = web.get("/account/organisation").get_data(as_text=True)
    assert "hoa@example.vn" in page and f'action="{url}"' in page

    outsider = FormClient(app.test_client()).sign_in(other_owner)
    assert outsider.post(url).status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None

    assert web.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    assert "hoa@example.vn" not in web.get("/account/organisation").get_data(as_text=True)
    assert FormClient(app.test_client()).get(link).status_code == 400
