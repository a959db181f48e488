"""Declared-sales pages: a producer declares, sees its refusals on the form, corrects; an
administrator decides from the queue; the evidence is served only to whom it belongs."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.reports.models import SalesDeclaration
from tests.factories import make_producer, make_producer_member, make_user


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (the site's default is Vietnamese); pages ask for English by cookie."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def web(client):
    from tests.conftest import FormClient

    client.set_cookie("lang", "en")
    return FormClient(client)


@pytest.fixture
def owner(app):
    user = make_producer_member(make_producer(name="HTX Khai Báo"))
    db.session.commit()
    return user


def _declare(web, **fields):
    data = {
        "month": "2026-01",
        "channel": "ecommerce",
        "amount": "1.250.000",
        "units": "",
        "note": "",
        **fields,
    }
    return web.post("/portal/declarations/", data=data, content_type="multipart/form-data")


def test_a_producer_declares_a_month_with_evidence_and_sees_it_listed_as_declared(owner, web) -> None:
    web.sign_in(owner)
    response = _declare(web, evidence=(io.BytesIO(b"%PDF-1.4 receipt"), "receipt.pdf"))
    assert response.status_code == 302
    declaration = db.session.scalars(select(SalesDeclaration)).one()
    assert (declaration.amount_vnd, declaration.evidence_media_type) == (1_250_000, "application/pdf")
    page = web.get("/portal/declarations/").get_data(as_text=True)
    assert "2026-01" in page and "Waiting for a decision" in page
    evidence = web.get(f"/portal/declarations/{declaration.id}/evidence")
    assert evidence.get_data() == b"%PDF-1.4 receipt" and evidence.headers["Content-Disposition"].startswith(
        "attachment"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-100"}, "cannot be negative"),
        ({"amount": "một triệu"}, "whole number"),
        ({"month": "2099-01"}, "has not come yet"),
        ({"evidence": (b"MZ not a picture", "x.exe")}, "PDF"),  # bytes: each run opens its own stream
    ],
)
def test_a_refused_figure_comes_back_on_the_form_with_its_message(owner, web, fields, message) -> None:
    fields = {k: (io.BytesIO(v[0]), v[1]) if k == "evidence" else v for k, v in fields.items()}
    response = _declare(web.sign_in(owner), **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalars(select(SalesDeclaration)).all() == []


def test_an_administrator_queries_and_the_producer_corrects_then_it_is_accepted(owner, web, app) -> None:
    _declare(web.sign_in(owner))
    declaration_id = db.session.scalar(select(SalesDeclaration.id))
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    from tests.conftest import FormClient

    admin_client = app.test_client()
    admin_client.set_cookie("lang", "en")
    admin_web = FormClient(admin_client).sign_in(admin)
    assert "HTX Khai Báo" in admin_web.get("/admin/declarations/").get_data(as_text=True)
    response = admin_web.post(
        f"/admin/declarations/{declaration_id}/decide",
        data={"decision": "query", "message": "Có hoá đơn không?"},
    )
    assert response.status_code == 302
    page = web.get(f"/portal/declarations/{declaration_id}").get_data(as_text=True)
    assert "Có hoá đơn không?" in page
    assert web.post(f"/portal/declarations/{declaration_id}", data={"amount": "1.300.000"}).status_code == 302
    admin_web.post(f"/admin/declarations/{declaration_id}/decide", data={"decision": "accept", "message": ""})
    db.session.expire_all()
    declaration = db.session.get(SalesDeclaration, declaration_id)
    assert (declaration.status, declaration.amount_vnd) == ("accepted", 1_300_000)
    # Corrected after acceptance: a new version, the accepted one kept.
    response = web.post(f"/portal/declarations/{declaration_id}", data={"amount": "1.400.000"})
    versions = db.session.scalars(select(SalesDeclaration).order_by(SalesDeclaration.id)).all()
    assert [(d.amount_vnd, d.status, d.supersedes_id) for d in versions] == [
        (1_300_000, "accepted", None),
        (1_400_000, "submitted", declaration_id),
    ]
    assert response.headers["Location"].endswith(f"/portal/declarations/{versions[1].id}")


def test_a_query_without_a_message_is_refused(owner, web, app) -> None:
    _declare(web.sign_in(owner))
    declaration_id = db.session.scalar(select(SalesDeclaration.id))
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    from tests.conftest import FormClient

    admin_client = app.test_client()
    admin_client.set_cookie("lang", "en")
    admin_web = FormClient(admin_client).sign_in(admin)
    response = admin_web.post(f"/admin/declarations/{declaration_id}/decide", data={"decision": "reject"})
    assert response.status_code == 302
    assert "Write the question or the reason" in admin_web.get(response.headers["Location"]).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(SalesDeclaration, declaration_id).status == "submitted"
