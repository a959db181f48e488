"""Declared sales: what is refused and why, evidence like certificate scans, decisions mailed to
the producer, and versions that keep an accepted figure."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.reports import declarations
from marketplace.reports.declarations import (
    DecisionRefused,
    DeclarationClosed,
    DeclarationError,
    DeclaredFigures,
)
from marketplace.reports.models import SalesDeclaration
from marketplace.reports.queries import Period
from marketplace.storage import read_document
from tests.factories import make_producer, make_producer_member, make_user

TODAY = date(2026, 5, 14)


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


def _figures(
    month: str = "2026-04",
    channel: str = "ecommerce",
    amount: str = "1.250.000",
    units: str = "",
    note: str = "",
) -> DeclaredFigures:
    return DeclaredFigures(month, channel, amount, units, note)


@pytest.fixture
def producer(app):
    producer = make_producer(contact_email="lienhe@htx.example")
    make_producer_member(producer, email="owner@htx.example")
    return producer


@pytest.fixture
def admin(app):
    return make_user("admin@example.vn", is_admin=True)


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        (_figures(amount="-5000"), "amount", "cannot be negative"),
        (_figures(amount="mười triệu"), "amount", "whole number"),
        (_figures(amount="12,5e3"), "amount", "whole number"),
        (_figures(amount=""), "amount", "whole number"),
        (_figures(month="2026-06"), "month", "has not come yet"),
        (_figures(month="2026-13"), "month", "YYYY-MM"),
        (_figures(channel="online"), "channel", "outside the platform"),
        (_figures(units="-3"), "units", "cannot be negative"),
        (_figures(units="ba"), "units", "whole number"),
    ],
)
def test_a_negative_non_numeric_or_future_figure_is_refused_with_a_message(
    producer, figures, field, message
) -> None:
    with pytest.raises(DeclarationError) as refused:
        declarations.declare(producer.id, None, figures, today=TODAY)
    assert message in refused.value.errors[field]
    assert db.session.scalars(select(SalesDeclaration)).all() == []


def test_a_declaration_is_stored_as_declared_for_the_current_month_too(producer) -> None:
    first = declarations.declare(producer.id, None, _figures(amount="1.250.000", units="40"), today=TODAY)
    current = declarations.declare(
        producer.id, None, _figures(month="2026-05", channel="export", amount="3,000,000"), today=TODAY
    )
    assert (first.month, first.channel, first.amount_vnd, first.units, first.status) == (
        date(2026, 4, 1),
        "ecommerce",
        1_250_000,
        40,
        "submitted",
    )
    assert (current.month, current.amount_vnd, current.units) == (date(2026, 5, 1), 3_000_000, None)
    assert declarations.accepted() == []  # nothing counts before an administrator accepts it


def test_the_same_month_and_channel_cannot_be_declared_twice(producer) -> None:
    declarations.declare(producer.id, None, _figures(), today=TODAY)
    with pytest.raises(DeclarationError) as refused:
        declarations.declare(producer.id, None, _figures(amount="9"), today=TODAY)
    assert "already declared" in refused.value.errors["month"]
    declarations.declare(
        producer.id, None, _figures(channel="direct"), today=TODAY
    )  # another channel is fine


def test_evidence_is_a_validated_private_document(producer) -> None:
    with pytest.raises(DeclarationError) as refused:
        declarations.declare(producer.id, None, _figures(), b"<html>not a scan</html>", today=TODAY)
    assert "PDF" in refused.value.errors["evidence"]
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, format="PNG")
    declaration = declarations.declare(producer.id, None, _figures(), picture.getvalue(), today=TODAY)
    assert (
        declaration.evidence_key.startswith("declarations/")
        and declaration.evidence_media_type == "image/png"
    )
    data, media_type, extension = declarations.evidence_of(declaration)
    assert data == read_document(declaration.evidence_key) and (media_type, extension) == ("image/png", "png")
    pdf = declarations.declare(
        producer.id, None, _figures(channel="export"), b"%PDF-1.4 invoice", today=TODAY
    )
    assert declarations.evidence_of(pdf)[1:] == ("application/pdf", "pdf")


def test_an_administrator_accepts_queries_or_rejects_and_the_producer_is_mailed(producer, admin) -> None:
    accepted = declarations.declare(producer.id, None, _figures(), today=TODAY)
    queried = declarations.declare(producer.id, None, _figures(channel="export"), today=TODAY)
    rejected = declarations.declare(producer.id, None, _figures(channel="direct"), today=TODAY)
    declarations.decide(accepted, admin, "accept")
    declarations.decide(queried, admin, "query", "Hoá đơn xuất khẩu ở đâu?")
    declarations.decide(rejected, admin, "reject", "Trùng với đơn trên sàn")
    assert [d.status for d in (accepted, queried, rejected)] == ["accepted", "queried", "rejected"]
    assert (accepted.decided_by_id, queried.admin_message) == (admin.id, "Hoá đơn xuất khẩu ở đâu?")
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {m.to_address for m in mail} == {"owner@htx.example", "lienhe@htx.example"}
    assert [m.kind for m in mail] == ["declaration_accepted"] * 2 + ["declaration_queried"] * 2 + [
        "declaration_rejected"
    ] * 2
    assert "Hoá đơn xuất khẩu ở đâu?" in mail[2].body and "Trùng với đơn trên sàn" in mail[4].body
    assert declarations.accepted(producer_id=producer.id) == [
        declarations.DeclaredRow("2026-04", "ecommerce", 1_250_000, 0)
    ]


def test_only_administrators_decide_and_only_on_submitted_declarations_with_a_reason_to_query_or_reject(
    producer,
    admin,
) -> None:
    declaration = declarations.declare(producer.id, None, _figures(), today=TODAY)
    with pytest.raises(DecisionRefused):
        declarations.decide(declaration, make_user(), "accept")
    for decision in ("query", "reject"):
        with pytest.raises(DecisionRefused):
            declarations.decide(declaration, admin, decision, "  ")
    declarations.decide(declaration, admin, "accept")
    with pytest.raises(DecisionRefused):
        declarations.decide(declaration, admin, "reject", "changed my mind")


def test_a_queried_declaration_is_corrected_in_place_and_waits_again(producer, admin) -> None:
    declaration = declarations.declare(producer.id, None, _figures(), today=TODAY)
    declarations.decide(declaration, admin, "query", "Số tiền có gồm phí vận chuyển không?")
    corrected = declarations.correct(
        declaration, None, _figures(amount="1.100.000", month="2025-01"), today=TODAY
    )
    assert corrected is declaration and (declaration.status, declaration.amount_vnd) == (
        "submitted",
        1_100_000,
    )
    assert declaration.month == date(2026, 4, 1)  # a correction keeps its month and channel


def test_an_accepted_declaration_is_corrected_only_by_a_new_version_that_keeps_the_old_one(
    producer, admin
) -> None:
    original = declarations.declare(
        producer.id, None, _figures(amount="1.000.000"), b"%PDF-1.4 a", today=TODAY
    )
    declarations.decide(original, admin, "accept")
    version = declarations.correct(original, None, _figures(amount="1.200.000"), today=TODAY)
    assert version.id != original.id and version.supersedes_id == original.id
    assert version.evidence_key == original.evidence_key  # the evidence goes with it unless replaced
    assert (original.status, original.amount_vnd) == ("accepted", 1_000_000)
    # Until the version is accepted, the accepted figure is the one that counts.
    assert declarations.accepted(Period.month(2026, 4))[0].amount_vnd == 1_000_000
    with pytest.raises(DeclarationClosed):
        declarations.correct(original, None, _figures(amount="5"), today=TODAY)  # one correction at a time
    declarations.decide(version, admin, "accept")
    assert (original.status, version.status) == ("superseded", "accepted")
    assert declarations.accepted(Period.month(2026, 4)) == [
        declarations.DeclaredRow("2026-04", "ecommerce", 1_200_000, 0)
    ]
    with pytest.raises(DeclarationClosed):
        declarations.correct(original, None, _figures(amount="5"), today=TODAY)
    assert [d.id for d in declarations.declarations_of(producer.id)] == [original.id, version.id]


def test_a_rejected_correction_leaves_the_accepted_figure_counting(producer, admin) -> None:
    original = declarations.declare(producer.id, None, _figures(amount="1.000.000"), today=TODAY)
    declarations.decide(original, admin, "accept")
    version = declarations.correct(original, None, _figures(amount="9.000.000"), today=TODAY)
    declarations.decide(version, admin, "reject", "Không có chứng từ")
    assert original.status == "accepted"
    assert [r.amount_vnd for r in declarations.accepted(producer_id=producer.id)] == [1_000_000]
    assert declarations.waiting_for_decision() == []


def test_the_queue_holds_submitted_declarations_with_what_they_correct(producer, admin) -> None:
    original = declarations.declare(producer.id, None, _figures(), today=TODAY)
    declarations.decide(original, admin, "accept")
    version = declarations.correct(original, None, _figures(amount="2"), today=TODAY)
    other = declarations.declare(make_producer(name="HTX Khác").id, None, _figures(), today=TODAY)
    queue = declarations.waiting_for_decision()
    assert [(q.declaration.id, q.previous.id if q.previous else None) for q in queue] == [
        (version.id, original.id),
        (other.id, None),
    ]
    assert queue[1].producer_name == "HTX Khác"
