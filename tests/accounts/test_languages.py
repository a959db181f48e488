"""Account pages, messages and e-mails in both languages (Vietnamese by default, English by choice)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.factories import make_buyer_member, make_user

PAGES = {
    "/account/login": {"vi": "Quên mật khẩu?", "en": "Forgotten your password?"},
    "/account/signup": {"vi": "Tôi đại diện cho một chủ thể OCOP", "en": "I represent an OCOP producer"},
    "/account/password/forgot": {"vi": "Gửi liên kết", "en": "Send the link"},
}


@pytest.mark.parametrize("path", sorted(PAGES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_public_account_pages_speak_the_chosen_language(web, path, lang) -> None:
    web.client.set_cookie("lang", lang)
    assert PAGES[path][lang] in web.get(path).get_data(as_text=True)


@pytest.mark.parametrize(("lang", "text"), [("vi", "Địa điểm nhận hàng"), ("en", "Delivery locations")])
def test_buyer_pages_speak_the_chosen_language(web, lang, text) -> None:
    web.sign_in(make_buyer_member())
    db.session.commit()
    web.client.set_cookie("lang", lang)
    assert text in web.get("/buyer/locations").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("vi", "Bạn đã đăng nhập sai quá nhiều lần"), ("en", "Too many failed sign-in attempts")],
)
def test_the_throttling_message_speaks_the_chosen_language(app, web, lang, text) -> None:
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "1 per 15 minutes"
    try:
        web.client.set_cookie("lang", lang)
        form = {"email": "lan@example.vn", "password": "wrong password"}
        web.post("/account/login", form)
        response = web.post("/account/login", form)
    finally:
        app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "10 per 15 minutes"
    assert response.status_code == 429
    assert text in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "subject"), [("vi", "Đặt lại mật khẩu Sàn OCOP"), ("en", "Reset your OCOP Marketplace password")]
)
def test_the_reset_e_mail_is_written_in_the_language_of_the_request(web, lang, subject) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    web.client.set_cookie("lang", lang)
    web.post("/account/password/forgot", {"email": "lan@example.vn"})
    assert db.session.scalar(select(OutboxMessage.subject)) == subject
