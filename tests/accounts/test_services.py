"""Account rules, called directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services
from marketplace.accounts.models import PasswordResetToken, User
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.factories import PASSWORD, make_buyer_member, make_producer, make_producer_member, make_user


def link(token: str) -> str:
    return f"http://localhost/t/{token}"


def token_from_last_mail() -> str:
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return message.body.split("/t/")[1].split()[0]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "password_too_short"),
        ("password123", "password_too_common"),
        ("QwertyUiop", "password_too_common"),
        ("aaaaaaaaaaaa", "password_too_common"),
        ("lan.nguyen@example.vn", "password_is_email"),
    ],
)
def test_sign_up_refuses_weak_passwords(app, password, code) -> None:
    with pytest.raises(services.AccountError) as error:
        services.sign_up("lan.nguyen@example.vn", password, "Lan", link)
    assert error.value.code == code


def test_sign_up_hashes_the_password_with_scrypt_and_mails_a_confirmation(app) -> None:
    user = services.sign_up(" Lan@Example.VN ", "tra-tan-cuong-2025", "Lan", link)
    assert user.email == "lan@example.vn"
    assert user.password_hash.startswith("scrypt:")
    assert "tra-tan-cuong" not in user.password_hash
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "confirm_email" and message.to_address == "lan@example.vn"
    services.confirm_email(token_from_last_mail())
    assert user.email_confirmed_at is not None


def test_sign_up_with_an_address_already_used_creates_nothing_and_warns_its_owner(app) -> None:
    make_user("lan@example.vn")
    assert (
        services.sign_up(
            "LAN@example.vn",
            "tra-tan-cuong-2025",
            "Lan",
            link,
            sign_in_url="https://x/login",
            reset_url="https://x/forgot",
        )
        is None
    )
    assert db.session.scalar(select(func.count(User.id))) == 1
    message = db.session.scalar(select(OutboxMessage))
    assert (message.kind, message.to_address) == ("signup_attempt", "lan@example.vn")
    assert "https://x/login" in message.body and "https://x/forgot" in message.body


def test_authenticate_says_the_same_for_a_wrong_address_and_a_wrong_password(app) -> None:
    make_user("lan@example.vn")
    for email, password in (("nobody@example.vn", PASSWORD), ("lan@example.vn", "wrong password")):
        with pytest.raises(services.AccountError) as error:
            services.authenticate(email, password)
        assert error.value.code == "invalid_credentials"
    assert services.authenticate("LAN@example.vn", PASSWORD).email == "lan@example.vn"


def test_password_reset_token_works_once(app) -> None:
    user = make_user("lan@example.vn")
    old_session = user.session_token
    services.request_password_reset("lan@example.vn", link)
    token = token_from_last_mail()
    services.reset_password(token, "mat-ong-ba-vi-2025")
    assert services.authenticate("lan@example.vn", "mat-ong-ba-vi-2025") == user
    assert user.session_token != old_session  # other sessions end
    with pytest.raises(services.AccountError) as error:
        services.reset_password(token, "another-good-password")
    assert error.value.code == "token_used"


def test_password_reset_token_expires(app) -> None:
    make_user("lan@example.vn")
    services.request_password_reset("lan@example.vn", link)
    token = token_from_last_mail()
    row = db.session.scalar(select(PasswordResetToken))
    row.expires_at -= timedelta(hours=2)
    with pytest.raises(services.AccountError) as error:
        services.reset_password(token, "mat-ong-ba-vi-2025")
    assert error.value.code == "token_expired"


def test_password_reset_token_signed_long_ago_is_refused_by_its_signature(app, monkeypatch) -> None:
    make_user("lan@example.vn")
    services.request_password_reset("lan@example.vn", link)
    token = token_from_last_mail()
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        with pytest.raises(services.AccountError) as error:
            services.check_reset_token(token)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert error.value.code == "token_expired"


def test_password_reset_for_an_unknown_address_sends_nothing(app) -> None:
    services.request_password_reset("nobody@example.vn", link)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_tampered_reset_token_is_refused(app) -> None:
    make_user("lan@example.vn")
    services.request_password_reset("lan@example.vn", link)
    token = token_from_last_mail()
    with pytest.raises(services.AccountError) as error:
        services.check_reset_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert error.value.code == "invalid_token"


def test_registering_a_producer_makes_the_user_its_owner_pending_verification(app) -> None:
    user = make_user()
    producer = services.register_producer(
        user,
        name="HTX Chè Tân Cương",
        entity_type="cooperative",
        tax_code="4600123456",
        province_code="thai-nguyen",
        commune="Tân Cương",
        contact_phone="0208 123 456",
        contact_email="htx@example.vn",
    )
    assert producer.verification_status == "pending"
    assert producer.slug == "htx-che-tan-cuong"
    assert user.producer_membership.role == "owner"
    with pytest.raises(services.AccountError):
        services.register_producer(
            user,
            name="Other",
            entity_type="cooperative",
            tax_code="4600123457",
            province_code="thai-nguyen",
            commune="X",
            contact_phone="",
            contact_email="o@example.vn",
        )


def test_registering_a_buyer_needs_a_new_tax_code_and_keeps_a_first_location(app) -> None:
    fields = dict(
        legal_name="Công ty CP Siêu thị A",
        tax_code="0301234567",
        head_office_address="1 Lê Lợi",
        head_office_province_code="ho-chi-minh",
        contact_email="mua@a.vn",
        contact_phone="",
        location_kind="distribution_centre",
        location_name="Kho Sóng Thần",
        location_address="KCN Sóng Thần",
        location_province_code="ho-chi-minh",
    )
    organisation = services.register_buyer(make_user(), **fields)
    assert organisation.verification_status == "pending"
    with pytest.raises(services.AccountError) as error:
        services.register_buyer(make_user(), **fields)
    assert error.value.code == "tax_code_taken"


def test_invitation_joins_the_invited_address_once(app) -> None:
    producer = make_producer()
    owner = make_producer_member(producer)
    services.invite_member(owner.producer_membership, "Staff@Example.vn", "staff", link)
    token = token_from_last_mail()
    stranger = make_user("stranger@example.vn")
    with pytest.raises(services.AccountError) as error:
        services.accept_invitation(token, stranger)
    assert error.value.code == "invitation_other_email"
    invited = make_user("staff@example.vn")
    membership = services.accept_invitation(token, invited)
    assert (membership.producer_id, membership.role) == (producer.id, "staff")
    with pytest.raises(services.AccountError) as error:
        services.accept_invitation(token, invited)
    assert error.value.code == "token_used"


def test_only_owners_invite_and_remove(app) -> None:
    producer = make_producer()
    owner = make_producer_member(producer)
    staff = make_producer_member(producer, role="staff")
    with pytest.raises(services.AccountError):
        services.invite_member(staff.producer_membership, "x@example.vn", "staff", link)
    with pytest.raises(services.AccountError):
        services.remove_member(staff.producer_membership, owner.producer_membership)
    with pytest.raises(services.AccountError) as error:
        services.remove_member(owner.producer_membership, owner.producer_membership)
    assert error.value.code == "cannot_remove_self"
    services.remove_member(owner.producer_membership, staff.producer_membership)


def test_an_owner_cannot_remove_a_member_of_another_organisation(app) -> None:
    owner_a = make_producer_member()
    staff_b = make_producer_member(role="staff")
    with pytest.raises(services.AccountError) as error:
        services.remove_member(owner_a.producer_membership, staff_b.producer_membership)
    assert error.value.code == "not_allowed"


def test_one_person_can_be_a_producer_member_and_a_buyer_member(app) -> None:
    user = make_buyer_member()
    services.register_producer(
        user,
        name="Hộ kinh doanh Mật ong",
        entity_type="household",
        tax_code="8000000001",
        province_code="ha-noi",
        commune="Ba Vì",
        contact_phone="",
        contact_email="m@example.vn",
    )
    assert user.buyer_membership is not None and user.producer_membership is not None


def test_account_errors_are_domain_errors_with_a_code_and_a_message(app) -> None:
    from marketplace.accounts.messages import error_message
    from marketplace.domain import DomainError

    error = services.AccountError("token_used")
    assert isinstance(error, DomainError)
    assert error.code == "token_used"
    assert str(error.message) == error_message("token_used") != "token_used"
