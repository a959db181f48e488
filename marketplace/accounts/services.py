"""Account rules: sign-up, sign-in, e-mail confirmation, password reset, organisations and members.

Plain functions: they take what they need, change the session's objects and flush, and raise an
`AccountError` with a stable `code`. The caller commits. Links in e-mails are built by the caller
(`link_for(token)`), so that nothing here depends on the request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from marketplace.accounts.messages import error_message
from marketplace.accounts.models import (
    BuyerMembership,
    Invitation,
    PasswordResetToken,
    ProducerMembership,
    User,
    VerificationDecision,
    new_session_token,
)
from marketplace.accounts.passwords import hash_password, password_problem, verify_password
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.producers.codes import new_producer_code
from marketplace.producers.models import Producer
from marketplace.text import clean_text, slugify
from marketplace.timeutil import utcnow

LinkFor = Callable[[str], str]


class AccountError(DomainError):
    """A broken account rule. `code` is stable (for the API and tests); `message` is its text
    (marketplace/accounts/messages.py), translated when it is shown."""

    def __init__(self, code: str) -> None:
        super().__init__(error_message(code))
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str, email: str) -> None:
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- users --------------------------------------------------------------------------------------


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, display_name: str = "", *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError("email_taken")
    _check_password(password, email)
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=clean_text(display_name).strip(),
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(
    email: str,
    password: str,
    display_name: str,
    confirm_link_for: LinkFor,
    *,
    account_kind: str = "consumer",
    sign_in_url: str = "",
    reset_url: str = "",
) -> User | None:
    """A new consumer account with a confirmation link mailed to the address; or, when the address
    already has an account, a warning mailed to its owner and None.

    The caller answers both alike, so that the form does not tell who has an account (the reset
    form says nothing either way too). The password rules are checked first and the password is
    hashed in both cases, so neither the answer nor its timing differs."""
    email = normalise_email(email)
    _check_password(password, email)
    existing = find_user(email)
    if existing is None:
        user = create_user(email, password, display_name)
        send_confirmation(user, confirm_link_for, account_kind=account_kind)
        return user
    hash_password(password)  # the same work as for a new account
    send_mail(
        existing.email,
        _("Someone tried to sign up with your address on OCOP Marketplace"),
        _(
            "Someone tried to create an OCOP Marketplace account with this e-mail address, which "
            "already has one. If it was you, sign in:"
        )
        + f"\n\n{sign_in_url}\n\n"
        + _("or, if you have forgotten your password, reset it:")
        + f"\n\n{reset_url}\n\n"
        + _("If it was not you, ignore this message: nothing has changed."),
        kind="signup_attempt",
    )
    return None


def send_confirmation(user: User, link_for: LinkFor, *, account_kind: str = "consumer") -> None:
    token = _serializer("confirm-email").dumps({"u": user.id, "e": user.email, "k": account_kind})
    send_mail(
        user.email,
        _("Confirm your e-mail address for OCOP Marketplace"),
        _("Welcome to OCOP Marketplace. Please confirm your e-mail address by opening this link:")
        + f"\n\n{link_for(token)}\n",
        kind="confirm_email",
    )


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation link did: `first` is true only the first time, when the link may also
    sign the new account in (once: a leaked old link signs nobody in)."""

    user: User
    first: bool
    account_kind: str


def confirm_email(token: str) -> Confirmation:
    """Marks the address in a confirmation link as confirmed (idempotent)."""
    try:
        data = _serializer("confirm-email").loads(token, max_age=7 * 24 * 3600)
    except BadSignature as exc:
        raise AccountError("invalid_token") from exc
    user = db.session.get(User, data.get("u"))
    if user is None or user.email != data.get("e"):
        raise AccountError("invalid_token")
    first = user.email_confirmed_at is None
    if first:
        user.email_confirmed_at = utcnow()
    return Confirmation(user, first, data.get("k", "consumer"))


def authenticate(email: str, password: str) -> User:
    """The user with this e-mail and password; `invalid_credentials` otherwise (whichever was wrong)."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password) or not user.is_active:
        raise AccountError("invalid_credentials")
    user.last_login_at = utcnow()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError("wrong_current_password")
    _set_password(user, new_password)


def _set_password(user: User, new_password: str) -> None:
    _check_password(new_password, user.email)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()  # every other session of this user ends


def end_sessions(user: User) -> None:
    """Every session of `user` ends, and every copy of its cookie stops working: the cookie names
    the user by `session_token`, which is replaced. Sign-out does this; to stay signed in on this
    device the caller signs in again with the new token."""
    user.session_token = new_session_token()


def update_profile(user: User, display_name: str) -> None:
    """Raises `text.UnsafeText` for a name with control characters (the form refuses it first)."""
    user.display_name = clean_text(display_name).strip()


# --- password reset -----------------------------------------------------------------------------


def request_password_reset(email: str, link_for: LinkFor) -> None:
    """Mails a reset link if the address has an account; says nothing either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    nonce = secrets.token_urlsafe(24)
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    db.session.add(
        PasswordResetToken(user_id=user.id, nonce=nonce, expires_at=utcnow() + timedelta(seconds=max_age))
    )
    token = _serializer("password-reset").dumps({"u": user.id, "n": nonce})
    send_mail(
        user.email,
        _("Reset your OCOP Marketplace password"),
        _(
            "Someone asked to reset the password of your account. If it was you, open this link "
            "within %(minutes)d minutes; it works once:",
            minutes=max_age // 60,
        )
        + f"\n\n{link_for(token)}\n\n"
        + _("If you did not ask, ignore this message: your password stays as it is."),
        kind="password_reset",
    )
    db.session.flush()


def _reset_row(token: str) -> PasswordResetToken:
    """The unused, unexpired reset row a signed token refers to."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer("password-reset").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise AccountError("token_expired") from exc
    except BadSignature as exc:
        raise AccountError("invalid_token") from exc
    row = db.session.scalar(
        select(PasswordResetToken).where(
            PasswordResetToken.nonce == data.get("n"), PasswordResetToken.user_id == data.get("u")
        )
    )
    if row is None:
        raise AccountError("invalid_token")
    if row.used_at is not None:
        raise AccountError("token_used")
    if row.expires_at < utcnow():
        raise AccountError("token_expired")
    return row


def check_reset_token(token: str) -> None:
    _reset_row(token)


def reset_password(token: str, new_password: str) -> User:
    row = _reset_row(token)
    user = db.session.get(User, row.user_id)
    _set_password(user, new_password)
    row.used_at = utcnow()
    # Any other outstanding link for this user stops working as well.
    for other in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        other.used_at = row.used_at
    db.session.flush()
    return user


# --- organisations ------------------------------------------------------------------------------


def _unique_producer_slug(name: str) -> str:
    base = slugify(name)[:150] or "producer"
    slug, n = base, 1
    while db.session.scalar(select(func.count(Producer.id)).where(Producer.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _producer_code_taken(code: str) -> bool:
    return db.session.scalar(select(func.count(Producer.id)).where(Producer.code == code)) > 0


def register_producer(
    user: User,
    *,
    name: str,
    entity_type: str,
    tax_code: str,
    province_code: str,
    commune: str,
    contact_phone: str,
    contact_email: str,
) -> Producer:
    """A new producer, pending verification, with `user` as its owner."""
    if user.producer_membership is not None:
        raise AccountError("already_producer_member")
    producer = Producer(
        slug=_unique_producer_slug(name),
        name=clean_text(name).strip(),
        entity_type=entity_type,
        code=new_producer_code(clean_text(name).strip(), _producer_code_taken),
        tax_code=tax_code.strip(),
        province_code=province_code,
        commune=clean_text(commune).strip(),
        contact_phone=contact_phone.strip() or None,
        contact_email=normalise_email(contact_email),
        story="",
        environment_plan="",
        circular_practices="",
        verification_status="pending",
    )
    db.session.add(producer)
    db.session.flush()
    db.session.add(ProducerMembership(user_id=user.id, producer_id=producer.id, role="owner"))
    db.session.flush()
    db.session.refresh(user, ["producer_membership"])
    return producer


def register_buyer(
    user: User,
    *,
    legal_name: str,
    tax_code: str,
    head_office_address: str,
    head_office_province_code: str,
    contact_email: str,
    contact_phone: str,
    location_kind: str,
    location_name: str,
    location_address: str,
    location_province_code: str,
) -> BuyerOrganisation:
    """A new buyer organisation with its first delivery location, pending verification."""
    if user.buyer_membership is not None:
        raise AccountError("already_buyer_member")
    tax_code = tax_code.strip()
    if db.session.scalar(
        select(func.count(BuyerOrganisation.id)).where(BuyerOrganisation.tax_code == tax_code)
    ):
        raise AccountError("tax_code_taken")
    organisation = BuyerOrganisation(
        legal_name=legal_name.strip(),
        tax_code=tax_code,
        head_office_address=head_office_address.strip(),
        head_office_province_code=head_office_province_code,
        contact_email=normalise_email(contact_email),
        contact_phone=contact_phone.strip() or None,
        verification_status="pending",
    )
    db.session.add(organisation)
    db.session.flush()
    add_delivery_location(
        organisation.id,
        kind=location_kind,
        name=location_name,
        address=location_address,
        province_code=location_province_code,
    )
    db.session.add(BuyerMembership(user_id=user.id, buyer_organisation_id=organisation.id, role="owner"))
    db.session.flush()
    db.session.refresh(user, ["buyer_membership"])
    return organisation


def add_delivery_location(
    organisation_id: int, *, kind: str, name: str, address: str, province_code: str
) -> DeliveryLocation:
    location = DeliveryLocation(
        buyer_organisation_id=organisation_id,
        kind=kind,
        name=name.strip(),
        address=address.strip(),
        province_code=province_code,
    )
    db.session.add(location)
    db.session.flush()
    return location


def update_delivery_location(
    location: DeliveryLocation, *, kind: str, name: str, address: str, province_code: str
) -> None:
    location.kind, location.name = kind, name.strip()
    location.address, location.province_code = address.strip(), province_code


def remove_delivery_location(location: DeliveryLocation) -> None:
    remaining = db.session.scalar(
        select(func.count(DeliveryLocation.id)).where(
            DeliveryLocation.buyer_organisation_id == location.buyer_organisation_id
        )
    )
    if remaining <= 1:
        raise AccountError("last_delivery_location")
    db.session.delete(location)
    db.session.flush()


def members_of(kind: str, organisation_id: int) -> list:
    model = ProducerMembership if kind == "producer" else BuyerMembership
    column = model.producer_id if kind == "producer" else model.buyer_organisation_id
    return list(
        db.session.scalars(
            select(model)
            .join(User, User.id == model.user_id)
            .where(column == organisation_id)
            .order_by(model.id)
        )
    )


def remove_member(
    acting: ProducerMembership | BuyerMembership, member: ProducerMembership | BuyerMembership
) -> None:
    """An owner removes a member of the same organisation; an organisation always keeps an owner."""
    if (
        acting.role != "owner"
        or type(acting) is not type(member)
        or acting.organisation_id != member.organisation_id
    ):
        raise AccountError("not_allowed")
    if member.id == acting.id:
        raise AccountError("cannot_remove_self")
    db.session.delete(member)
    db.session.flush()


# --- invitations --------------------------------------------------------------------------------


def invite_member(
    acting: ProducerMembership | BuyerMembership, email: str, role: str, link_for: LinkFor
) -> Invitation:
    """An owner invites a colleague by e-mail; the link works once, for a limited time."""
    from marketplace.accounts.models import BUYER_ROLES, PRODUCER_ROLES

    kind = "producer" if isinstance(acting, ProducerMembership) else "buyer"
    if acting.role != "owner":
        raise AccountError("not_allowed")
    if role not in (PRODUCER_ROLES if kind == "producer" else BUYER_ROLES):
        raise AccountError("invalid_role")
    email = normalise_email(email)
    existing = find_user(email)
    if existing is not None and any(
        m is not None and m.organisation_id == acting.organisation_id
        for m in [existing.producer_membership if kind == "producer" else existing.buyer_membership]
    ):
        raise AccountError("already_member")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_kind=kind,
        producer_id=acting.organisation_id if kind == "producer" else None,
        buyer_organisation_id=acting.organisation_id if kind == "buyer" else None,
        email=email,
        role=role,
        token_hash=_digest(token),
        invited_by_id=acting.user_id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    send_mail(
        email,
        _(
            "You are invited to join %(organisation)s on OCOP Marketplace",
            organisation=acting.organisation.name,
        ),
        _(
            "%(person)s invites you to join %(organisation)s on OCOP Marketplace. Open this link to "
            "accept (sign in or create an account with this address first):",
            person=acting.user.name,
            organisation=acting.organisation.name,
        )
        + f"\n\n{link_for(token)}\n",
        kind="invitation",
    )
    return invitation


def pending_invitations(kind: str, organisation_id: int) -> list[Invitation]:
    """The invitations of an organisation that can still be accepted, oldest first."""
    column = Invitation.producer_id if kind == "producer" else Invitation.buyer_organisation_id
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.organisation_kind == kind,
                column == organisation_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at >= utcnow(),
            )
            .order_by(Invitation.id)
        )
    )


def withdraw_invitation(acting: ProducerMembership | BuyerMembership, invitation: Invitation) -> None:
    """An owner withdraws a pending invitation: its link stops working at once."""
    kind = "producer" if isinstance(acting, ProducerMembership) else "buyer"
    organisation_id = invitation.producer_id if kind == "producer" else invitation.buyer_organisation_id
    if acting.role != "owner":
        raise AccountError("not_allowed")
    if invitation.organisation_kind != kind or organisation_id != acting.organisation_id:
        raise AccountError("not_allowed")
    if invitation.accepted_at is not None:
        raise AccountError("token_used")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


def open_invitation(token: str) -> Invitation:
    """The pending invitation behind a link, or `invalid_token` / `token_expired` / `token_used`."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or invitation.revoked_at is not None:
        raise AccountError("invalid_token")
    if invitation.accepted_at is not None:
        raise AccountError("token_used")
    if invitation.expires_at < utcnow():
        raise AccountError("token_expired")
    return invitation


def invitation_organisation(invitation: Invitation):
    if invitation.organisation_kind == "producer":
        return db.session.get(Producer, invitation.producer_id)
    return db.session.get(BuyerOrganisation, invitation.buyer_organisation_id)


def accept_invitation(token: str, user: User) -> ProducerMembership | BuyerMembership:
    invitation = open_invitation(token)
    if normalise_email(user.email) != invitation.email:
        raise AccountError("invitation_other_email")
    if invitation.organisation_kind == "producer":
        if user.producer_membership is not None:
            raise AccountError("already_producer_member")
        membership = ProducerMembership(
            user_id=user.id, producer_id=invitation.producer_id, role=invitation.role
        )
    else:
        if user.buyer_membership is not None:
            raise AccountError("already_buyer_member")
        membership = BuyerMembership(
            user_id=user.id, buyer_organisation_id=invitation.buyer_organisation_id, role=invitation.role
        )
    db.session.add(membership)
    invitation.accepted_at = utcnow()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = invitation.accepted_at  # the link proved the address
    db.session.flush()
    return membership


def decisions_for(subject_type: str, subject_id: int) -> list[VerificationDecision]:
    """Every verification decision on one subject (an organisation, a certificate...), newest first:
    the organisation's members and the administrators' queues both show them."""
    return list(
        db.session.scalars(
            select(VerificationDecision)
            .where(
                VerificationDecision.subject_type == subject_type,
                VerificationDecision.subject_id == subject_id,
            )
            .order_by(VerificationDecision.decided_at.desc(), VerificationDecision.id.desc())
        )
    )
