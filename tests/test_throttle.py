"""Throttles: the limits, the stores, and the forms they guard."""

from __future__ import annotations

import pytest

from marketplace import throttle
from marketplace.extensions import db
from tests.conftest import FormClient, make_app
from tests.factories import make_producer, make_producer_member, make_user


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("10 per 15 minutes", throttle.Limit(10, 900)),
        ("3 per hour", throttle.Limit(3, 3600)),
        ("100 per day", throttle.Limit(100, 86400)),
        ("1 per 30 seconds", throttle.Limit(1, 30)),
    ],
)
def test_limits_read_as_written(text, limit) -> None:
    assert throttle.Limit.parse(text) == limit


def test_a_limit_that_does_not_parse_is_refused() -> None:
    with pytest.raises(ValueError):
        throttle.Limit.parse("10/minute")


def test_without_redis_the_counts_are_kept_in_the_database(tmp_path, monkeypatch) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, THROTTLE_STORAGE="database")
    assert isinstance(app.extensions["throttle"], throttle.DatabaseStore)


def test_production_refuses_to_count_in_each_workers_memory(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "true")
    # Every other production check satisfied, so that only the throttle storage is refused.
    url, key = f"sqlite:///{tmp_path / 'x.sqlite3'}", "k" * 64
    with pytest.raises(RuntimeError, match="THROTTLE_STORAGE=memory"):
        make_app(url, tmp_path, THROTTLE_STORAGE="memory", SECRET_KEY=key, ALLOW_SQLITE_IN_PRODUCTION=True)
    production = make_app(url, tmp_path, SECRET_KEY=key, ALLOW_SQLITE_IN_PRODUCTION=True)
    assert not isinstance(production.extensions["throttle"], throttle.MemoryStore)


def test_two_app_instances_on_one_database_share_the_count(backend, tmp_path) -> None:
    from flask_migrate import upgrade

    from tests.conftest import temporary_database

    with temporary_database(backend, tmp_path) as url:
        first, second = (
            make_app(
                url, tmp_path, THROTTLE_STORAGE="database", LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes"
            )
            for _ in range(2)
        )
        with first.app_context():
            upgrade()
        answers = []
        for n in range(5):
            app = (first, second)[n % 2]
            with app.app_context():
                web = FormClient(app.test_client())
                answers.append(
                    web.post("/account/login", {"email": "a@example.vn", "password": "wrong"}).status_code
                )
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()
    assert answers == [200, 200, 200, 429, 429]


def test_a_count_given_back_frees_its_place_and_a_refused_attempt_counts_nothing(app) -> None:
    app.config["SIGNUPS_PER_EMAIL"] = "2 per hour"
    try:
        first = throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=1000.0)
        throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=1001.0)
        with pytest.raises(throttle.Throttled):
            throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=1002.0)
        throttle.give_back(first)
        throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=1003.0)
        with pytest.raises(throttle.Throttled) as refused:
            throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=1004.0)
        assert refused.value.setting == "SIGNUPS_PER_EMAIL"
        # The next hour is a new window.
        throttle.take(("SIGNUPS_PER_EMAIL", "a@example.vn"), now=3600.0 + 1)
    finally:
        app.config["SIGNUPS_PER_EMAIL"] = "3 per hour"


def _sign_up(web: FormClient, email: str, address: str = "203.0.113.1") -> int:
    return web.post(
        "/account/signup",
        {
            "display_name": "Lan",
            "email": email,
            "password": "nuoc-mam-phu-quoc",
            "password_again": "nuoc-mam-phu-quoc",
            "account_kind": "consumer",
        },
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_sign_up_is_throttled_per_address_and_per_e_mail(web) -> None:
    assert [_sign_up(web, "same@example.vn", f"203.0.113.{n}") for n in range(4)] == [302] * 3 + [429]
    assert [_sign_up(web, f"u{n}@example.vn", "198.51.100.1") for n in range(11)] == [302] * 10 + [429]


def test_password_reset_is_throttled_per_address_and_per_e_mail(web) -> None:
    def forgot(email: str, address: str) -> int:
        return web.post(
            "/account/password/forgot", {"email": email}, environ_base={"REMOTE_ADDR": address}
        ).status_code

    assert [forgot("lan@example.vn", f"203.0.113.{n}") for n in range(4)] == [302] * 3 + [429]
    assert [forgot(f"u{n}@example.vn", "198.51.100.1") for n in range(11)] == [302] * 10 + [429]


def test_invitations_are_throttled_per_account_and_per_address(app, web) -> None:
    owner = make_producer_member(make_producer())
    other_owner = make_producer_member(make_producer())
    db.session.commit()
    web.sign_in(owner)
    answers = [
        web.post(
            "/account/organisation/producer/invite",
            {"email": f"c{n}@example.vn", "role": "staff"},
            environ_base={"REMOTE_ADDR": "203.0.113.5"},
        ).status_code
        for n in range(21)
    ]
    assert answers == [302] * 20 + [429]
    other = FormClient(app.test_client()).sign_in(other_owner)
    answers = [
        other.post(
            "/account/organisation/producer/invite",
            {"email": f"d{n}@example.vn", "role": "staff"},
            environ_base={"REMOTE_ADDR": "203.0.113.5"},
        ).status_code
        for n in range(11)
    ]
    assert answers == [302] * 10 + [429]  # the address had sent 20 of its 30


def test_a_throttled_page_says_what_happened_in_the_visitors_language(web) -> None:
    make_user("lan@example.vn")
    db.session.commit()
    web.client.set_cookie("lang", "en")
    for _ in range(3):
        _sign_up(web, "same@example.vn")
    response = web.post(
        "/account/signup",
        {
            "display_name": "Lan",
            "email": "same@example.vn",
            "password": "nuoc-mam-phu-quoc",
            "password_again": "nuoc-mam-phu-quoc",
            "account_kind": "consumer",
        },
    )
    assert response.status_code == 429
    assert "Too many sign-ups with this address" in response.get_data(as_text=True)
