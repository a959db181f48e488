"""Administrators verify producers and buyer organisations; every decision is recorded and shown."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import VerificationDecision
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.producers.models import Producer
from tests.factories import (
    make_buyer_member,
    make_buyer_organisation,
    make_producer,
    make_producer_member,
    make_user,
)


def test_the_producer_queue_lists_pending_producers_only(web) -> None:
    make_producer(name="HTX Chờ duyệt", verification_status="pending")
    make_producer(name="HTX Đã duyệt", verification_status="verified")
    admin = make_user(is_admin=True)
    db.session.commit()
    page = web.sign_in(admin).get("/admin/verification/producers").get_data(as_text=True)
    assert "HTX Chờ duyệt" in page and "HTX Đã duyệt" not in page


def test_approving_a_producer_verifies_it_records_the_decision_and_tells_the_owner(web) -> None:
    producer = make_producer(verification_status="pending", contact_email="htx@example.vn")
    make_producer_member(producer, email="owner@example.vn")
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    response = web.sign_in(admin).post(
        f"/admin/verification/producers/{producer.id}", {"outcome": "verified", "reason": ""}
    )
    assert response.status_code == 302
    db.session.expire_all()
    producer = db.session.get(Producer, producer.id)
    assert producer.verification_status == "verified" and producer.verified_at is not None
    decision = db.session.scalar(select(VerificationDecision))
    assert (decision.subject_type, decision.subject_id, decision.outcome, decision.decided_by_id) == (
        "producer",
        producer.id,
        "verified",
        admin.id,
    )
    told = set(
        db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "verification_decision")
        )
    )
    assert told == {"owner@example.vn", "htx@example.vn"}


def test_a_rejection_needs_a_reason_and_the_organisation_sees_it(app, web) -> None:
    from tests.conftest import FormClient

    organisation = make_buyer_organisation(status="pending")
    buyer = make_buyer_member(organisation)
    admin = make_user(is_admin=True)
    db.session.commit()
    web.sign_in(admin)
    url = f"/admin/verification/buyers/{organisation.id}"
    assert web.post(url, {"outcome": "rejected", "reason": "  "}).status_code == 200
    assert db.session.scalar(select(VerificationDecision)) is None
    assert web.post(url, {"outcome": "rejected", "reason": "Mã số thuế không khớp"}).status_code == 302
    db.session.expire_all()
    assert organisation.verification_status == "rejected"
    page = FormClient(app.test_client()).sign_in(buyer).get("/account/organisation").get_data(as_text=True)
    assert "Mã số thuế không khớp" in page


def test_decisions_are_kept_when_a_later_one_reverses_them(web) -> None:
    producer = make_producer(verification_status="pending")
    admin = make_user(is_admin=True)
    db.session.commit()
    web.sign_in(admin)
    url = f"/admin/verification/producers/{producer.id}"
    web.post(url, {"outcome": "rejected", "reason": "Thiếu giấy phép"})
    web.post(url, {"outcome": "verified", "reason": "Đã bổ sung giấy phép"})
    outcomes = db.session.scalars(
        select(VerificationDecision.outcome).order_by(VerificationDecision.id)
    ).all()
    assert outcomes == ["rejected", "verified"]
    assert "Thiếu giấy phép" in web.get(url).get_data(as_text=True)


def test_an_unknown_queue_or_subject_answers_404(web) -> None:
    admin = make_user(is_admin=True)
    db.session.commit()
    web.sign_in(admin)
    assert web.get("/admin/verification/spaceships").status_code == 404
    assert web.get("/admin/verification/producers/999").status_code == 404


def test_administrators_read_the_outbox(web) -> None:
    db.session.add(
        OutboxMessage(kind="test", to_address="lan@example.vn", subject="Xin chào", body="Nội dung")
    )
    admin = make_user(is_admin=True)
    db.session.commit()
    web.sign_in(admin)
    assert "Xin chào" in web.get("/admin/outbox").get_data(as_text=True)
    message_id = db.session.scalar(select(OutboxMessage.id))
    assert "Nội dung" in web.get(f"/admin/outbox/{message_id}").get_data(as_text=True)


def test_create_admin_command_prompts_for_the_password(app) -> None:
    from marketplace.accounts import services

    result = app.test_cli_runner().invoke(
        args=["create-admin", "Boss@Example.vn"], input="vai-thieu-luc-ngan\nvai-thieu-luc-ngan\n"
    )
    assert result.exit_code == 0, result.output
    user = services.authenticate("boss@example.vn", "vai-thieu-luc-ngan")
    assert user.is_admin


def test_create_admin_refuses_a_common_password(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-admin", "boss@example.vn"], input="password123\npassword123\n"
    )
    assert result.exit_code != 0


def test_a_decision_without_an_outcome_asks_for_one_in_vietnamese(web) -> None:
    producer = make_producer(verification_status="pending")
    admin = make_user(is_admin=True)
    db.session.commit()
    response = web.sign_in(admin).post(f"/admin/verification/producers/{producer.id}", {"reason": ""})
    page = response.get_data(as_text=True)
    assert "Hãy chọn duyệt hoặc từ chối." in page
    assert "This field is required" not in page  # WTForms has no Vietnamese catalogue of its own
    assert db.session.scalar(select(VerificationDecision)) is None
