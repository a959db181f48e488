"""Site-wide behaviour: health check, language switch, security headers, pictures."""

from __future__ import annotations

import pytest

from marketplace import storage
from marketplace.site import safe_next
from tests.conftest import make_app


def test_healthz_answers_200_when_the_database_is_reachable(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_not(tmp_path) -> None:
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/db.sqlite3", tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_security_headers_on_every_page(client) -> None:
    headers = client.get("/healthz").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def _csrf_token(client) -> str:
    """As static/js/cart.js asks for it: the home page of a visitor without a session has none."""
    return client.get("/csrf-token").get_json()["csrf_token"]


def test_language_switch_sets_a_cookie_and_redirects_only_within_the_site(client) -> None:
    token = _csrf_token(client)
    response = client.post("/language", data={"lang": "en", "next": "/products?stars=4", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/products?stars=4"
    assert "lang=en" in response.headers["Set-Cookie"]

    evil = client.post("/language", data={"lang": "vi", "next": "https://evil.example/", "csrf_token": token})
    assert evil.headers["Location"] == "/"
    evil = client.post("/language", data={"lang": "vi", "next": "//evil.example/x", "csrf_token": token})
    assert evil.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example",
        "HTTPS://evil.example",
        "http:/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\nSet-Cookie: x=1",
        "/\x00evil",
        " //evil.example",
        " /products",
        "\u3000//evil.example",
        "/%09/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "evil.example",
        "products",
        "",
        None,
    ],
    ids=repr,
)
def test_safe_next_refuses_anything_that_could_leave_the_site(target: str | None) -> None:
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/products?stars=4",
        "/products?q=tr%C3%A0+xanh&page=2",
        "/search?q=a%2Fb",
        "/products/che-tan-cuong#reviews",
        "/portal/products/3/edit",
        "/javascript:alert(1)",
    ],
)
def test_safe_next_keeps_a_path_on_this_site_with_its_query(target: str) -> None:
    assert safe_next(target, "/fallback") == target


def test_language_switch_without_csrf_token_is_refused(client) -> None:
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 400


def test_pictures_are_served_from_storage_and_paths_cannot_escape(app, client) -> None:
    storage.save("products/x-card.webp", b"RIFF0000WEBP")
    response = client.get("/media/products/x-card.webp")
    assert response.status_code == 200
    assert response.data == b"RIFF0000WEBP"
    response.close()
    assert client.get("/media/../config.py").status_code == 404
    assert client.get("/media/%2e%2e/config.py").status_code == 404


def test_footer_shows_the_current_year_in_vietnam(client) -> None:
    from marketplace.timeutil import today_in_vietnam

    page = client.get("/").get_data(as_text=True)
    assert f"© {today_in_vietnam().year} " in page


@pytest.mark.parametrize(
    ("lang", "required", "too_short"),
    [
        ("vi", "Vui lòng điền mục này.", "Mục này phải dài ít nhất 3 ký tự."),
        ("en", "This field is required.", "Field must be at least 3 characters long."),
    ],
)
def test_wtforms_own_messages_speak_the_page_language(app, lang, required, too_short) -> None:
    from flask_wtf import FlaskForm
    from wtforms import IntegerField, StringField
    from wtforms.validators import DataRequired, Length

    class Form(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])
        code = StringField(validators=[Length(min=3)])
        count = IntegerField()

    with app.test_request_context(
        "/", method="POST", data={"code": "ab", "count": "x"}, headers={"Cookie": f"lang={lang}"}
    ):
        form = Form()
        assert not form.validate()
        assert form.name.errors == [required]
        assert form.code.errors == [too_short]
        assert form.count.errors[0] == (
            "Hãy nhập một số nguyên." if lang == "vi" else "Not a valid integer value."
        )
