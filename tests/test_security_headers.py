"""Strict-Transport-Security in production; signed-in pages are never stored by a cache, while
the storefront's caching for anonymous visitors stays as it is."""

from __future__ import annotations

from marketplace.extensions import db
from tests.conftest import make_app
from tests.factories import make_product, make_user


def test_signed_in_pages_answer_cache_control_no_store(web) -> None:
    make_product()
    web.sign_in(make_user("lan@example.vn"))
    db.session.commit()
    for path in ("/account/profile", "/", "/products", "/cart"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_anonymous_storefront_pages_keep_their_caching(client) -> None:
    make_product()
    db.session.commit()
    for path in ("/", "/products"):
        assert "no-store" not in client.get(path).headers.get("Cache-Control", ""), path
    suggest = client.get("/search/suggest?q=che")
    assert "public" in suggest.headers.get("Cache-Control", "")


def test_static_files_are_not_marked_no_store_for_signed_in_visitors(web) -> None:
    web.sign_in(make_user("lan@example.vn"))
    db.session.commit()
    response = web.get("/static/js/cart.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_production_sends_strict_transport_security_and_development_does_not(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    development = make_app(url, tmp_path)
    response = development.test_client().get("/static/js/cart.js")
    assert "Strict-Transport-Security" not in response.headers
    response.close()
    monkeypatch.setenv("APP_ENV", "production")
    production = make_app(
        url, tmp_path, SECRET_KEY="k" * 32, THROTTLE_STORAGE="database", ALLOW_SQLITE_IN_PRODUCTION=True
    )
    response = production.test_client().get("/static/js/cart.js", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    response.close()
