"""The life cycle of OCOP certificates and of rights to use a GI or mark.

A producer submits (pending); an administrator verifies or rejects it from the verification queue
(`admin.queues`); a verified certificate supersedes the product's earlier verified one; an
administrator may revoke a verified certificate or right. Every decision is a VerificationDecision
row. The storefront shows a badge only for a verified certificate in force or a verified right; it
reads the database, and writes here raise the catalogue version (`catalog.cache`), so the public
pages change at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import ProducerMembership, User, VerificationDecision
from marketplace.catalog.models import Certification, Product, Protection, ProtectionRight
from marketplace.certification.documents import InvalidScan, Scan, check_scan, store_scan
from marketplace.certification.models import REMINDER_DAYS, CertificateReminder
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.mail import send_mail
from marketplace.producers.models import Producer
from marketplace.reference import CERTIFICATE_VALIDITY_MONTHS, ISSUING_LEVELS, STAR_CLASSES, STAR_SCORE_RANGES
from marketplace.timeutil import VIETNAM, add_months, today_in_vietnam, utcnow

# Decision 1489/QĐ-TTg: districts were abolished on 1 July 2025; since then the province
# recognises 3★ and 4★ products.
LEVEL_REFORM_DATE = date(2025, 7, 1)
CERTIFICATE_SUBJECT = "certificate"
RIGHT_SUBJECT = "protection_right"


class CertificationError(DomainError):
    code = "certification_error"


class InvalidSubmission(CertificationError):
    """A submission breaks one or more rules: `errors` maps each form field to its message."""

    code = "invalid_submission"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotPending(CertificationError):
    code = "not_pending"


class NewerCertificateVerified(CertificationError):
    code = "newer_certificate_verified"


class NotVerified(CertificationError):
    code = "not_verified"


class ReasonRequired(CertificationError):
    code = "reason_required"


# ---------------------------------------------------------------------------------------------
# Rules


def expiry_date(issued_on: date) -> date:
    """A certificate is valid for 36 months from its issue date."""
    return add_months(issued_on, CERTIFICATE_VALIDITY_MONTHS)


def certificate_rule_errors(
    *,
    star_class: int | None,
    score: int | None,
    issuing_level: str | None,
    issued_on: date | None,
    today: date,
) -> dict[str, str]:
    """Every OCOP rule the certificate's figures break, by form field. A value given as None (the
    form already refused it) is left out of the rules that need it."""
    errors: dict[str, str] = {}
    if star_class is not None and star_class not in STAR_CLASSES:
        errors["star_class"] = _("Only 3-, 4- and 5-star products are OCOP products.")
    elif star_class is not None and score is not None:
        low, high = STAR_SCORE_RANGES[star_class]
        if not low <= score <= high:
            errors["score"] = _(
                "A %(stars)d-star product scores %(low)d to %(high)d points, not %(score)d.",
                stars=star_class,
                low=low,
                high=high,
                score=score,
            )
    if issuing_level is not None:
        if issuing_level not in ISSUING_LEVELS:
            errors["issuing_level"] = _("Choose the level that issued the certificate.")
        elif star_class == 5 and issuing_level != "central":
            errors["issuing_level"] = _("5-star products are recognised at central level only.")
        elif star_class in (3, 4) and issuing_level == "central":
            errors["issuing_level"] = _("The central level recognises 5-star products only.")
        elif star_class == 4 and issuing_level == "district":
            errors["issuing_level"] = _("4-star products are recognised at provincial level.")
        elif issuing_level == "district" and issued_on is not None and issued_on >= LEVEL_REFORM_DATE:
            errors["issuing_level"] = _(
                "Districts have not recognised OCOP products since 1 July 2025: choose the provincial level."
            )
    if issued_on is not None:
        if issued_on > today:
            errors["issued_on"] = _("The issue date cannot be in the future.")
        elif expiry_date(issued_on) < today:
            errors["issued_on"] = _(
                "A certificate issued on %(issued)s expired on %(expiry)s (36 months later). Submit "
                "the certificate in force.",
                issued=format_date(issued_on),
                expiry=format_date(expiry_date(issued_on)),
            )
    return errors


def check_certificate(
    product: Product,
    *,
    star_class: int | None = None,
    score: int | None = None,
    certificate_number: str | None = None,
    issuing_level: str | None = None,
    issued_on: date | None = None,
    scan: bytes | None = None,
    today: date | None = None,
) -> tuple[dict[str, str], Scan | None]:
    """Every rule a submission breaks, by field, and the checked scan. Values given as None are
    not checked (a form reports those itself), so that one answer lists every problem at once."""
    today = today or today_in_vietnam()
    errors = certificate_rule_errors(
        star_class=star_class, score=score, issuing_level=issuing_level, issued_on=issued_on, today=today
    )
    if certificate_number is not None:
        duplicate = db.session.scalar(
            select(Certification.id).where(
                Certification.product_id == product.id,
                Certification.certificate_number == certificate_number.strip(),
                Certification.status.in_(("pending", "verified")),
            )
        )
        if duplicate is not None:
            errors["certificate_number"] = _("This certificate has already been submitted for this product.")
    checked = None
    if scan is not None:
        try:
            checked = check_scan(scan)
        except InvalidScan as error:
            errors["scan"] = error.message
    return errors, checked


# ---------------------------------------------------------------------------------------------
# Producers: submissions


def submit_certificate(
    product: Product,
    *,
    star_class: int,
    score: int,
    certificate_number: str,
    issuing_level: str,
    issuing_decision: str,
    issued_on: date,
    scan: bytes,
    submitted_by: User,
    today: date | None = None,
) -> Certification:
    """Records a pending certificate for `product` with its scan. Raises InvalidSubmission with a
    message per field when anything is wrong; then nothing is stored."""
    certificate_number = certificate_number.strip()
    errors, checked = check_certificate(
        product,
        star_class=star_class,
        score=score,
        certificate_number=certificate_number,
        issuing_level=issuing_level,
        issued_on=issued_on,
        scan=scan,
        today=today,
    )
    if errors or checked is None:
        raise InvalidSubmission(errors)
    producer = db.session.get(Producer, product.producer_id)
    certificate = Certification(
        product_id=product.id,
        star_class=star_class,
        score=score,
        certificate_number=certificate_number,
        issuing_level=issuing_level,
        issuing_decision=issuing_decision.strip(),
        issuing_province=producer.province_name if issuing_level != "central" else None,
        issued_on=issued_on,
        expires_on=expiry_date(issued_on),
        status="pending",
        scan_key=store_scan(checked, "certificates"),
        scan_media_type=checked.media_type,
        submitted_by_id=submitted_by.id,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def claim_right(
    product: Product, *, protection_id: int, decision_number: str, scan: bytes, submitted_by: User
) -> ProtectionRight:
    """Records a pending claim of the right to use a GI or mark on `product`. A claim that was
    rejected or revoked may be made again (the same row returns to pending; decisions stay)."""
    errors: dict[str, str] = {}
    protection = db.session.get(Protection, protection_id)
    if protection is None:
        errors["protection_id"] = _("Choose a registered name.")
    existing = None
    if protection is not None:
        existing = db.session.scalar(
            select(ProtectionRight).where(
                ProtectionRight.protection_id == protection.id, ProtectionRight.product_id == product.id
            )
        )
        if existing is not None and existing.status in ("pending", "verified"):
            errors["protection_id"] = (
                _("This claim is already waiting for verification.")
                if existing.status == "pending"
                else _("This product's right to use this name is already verified.")
            )
    checked = None
    try:
        checked = check_scan(scan)
    except InvalidScan as error:
        errors["scan"] = error.message
    if errors or checked is None or protection is None:
        raise InvalidSubmission(errors)
    right = existing or ProtectionRight(protection_id=protection.id, product_id=product.id)
    right.decision_number = decision_number.strip()
    right.status = "pending"
    right.status_reason = None
    right.decided_at = None
    right.decided_by_id = None
    right.scan_key = store_scan(checked, "rights")
    right.scan_media_type = checked.media_type
    right.submitted_by_id = submitted_by.id
    if existing is None:
        db.session.add(right)
    db.session.flush()
    return right


# ---------------------------------------------------------------------------------------------
# Administrators: decisions (called by admin.services.decide through the queues) and revocation


def _record(
    subject_type: str, subject_id: int, outcome: str, reason: str, administrator: User, now: datetime
) -> VerificationDecision:
    decision = VerificationDecision(
        subject_type=subject_type,
        subject_id=subject_id,
        outcome=outcome,
        reason=reason,
        decided_by_id=administrator.id,
        decided_at=now,
    )
    db.session.add(decision)
    return decision


def apply_certificate_decision(
    certificate: Certification, *, outcome: str, reason: str, administrator: User, now: datetime
) -> None:
    """Verifies or rejects a pending certificate. Verifying supersedes the product's earlier
    verified certificates; it is refused when a newer one is already verified."""
    if certificate.status != "pending":
        raise NotPending(_("This certificate has already been decided."))
    if outcome == "verified":
        # One decision at a time per product: the row lock orders concurrent verifications.
        db.session.execute(select(Product.id).where(Product.id == certificate.product_id).with_for_update())
        verified = db.session.scalars(
            select(Certification).where(
                Certification.product_id == certificate.product_id,
                Certification.status == "verified",
                Certification.id != certificate.id,
            )
        ).all()
        newer = [c for c in verified if c.issued_on > certificate.issued_on]
        if newer:
            raise NewerCertificateVerified(
                _(
                    "Certificate %(number)s, issued later (%(date)s), is already verified for this "
                    "product: reject this one.",
                    number=newer[0].certificate_number,
                    date=format_date(newer[0].issued_on),
                )
            )
        for older in verified:
            older.status = "superseded"
            older.superseded_by_id = certificate.id
    certificate.status = outcome
    certificate.status_reason = reason or None
    certificate.decided_at = now
    certificate.decided_by_id = administrator.id
    db.session.flush()


def apply_right_decision(
    right: ProtectionRight, *, outcome: str, reason: str, administrator: User, now: datetime
) -> None:
    """Verifies or rejects a pending claim of a right to use a GI or mark."""
    if right.status != "pending":
        raise NotPending(_("This claim has already been decided."))
    right.status = outcome
    right.status_reason = reason or None
    right.decided_at = now
    right.decided_by_id = administrator.id
    db.session.flush()


def _revoke(subject, subject_type: str, reason: str, administrator: User, title: str) -> VerificationDecision:
    if not administrator.is_admin:
        raise CertificationError(_("You are not allowed to do this."))
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(_("Give the reason for the revocation."))
    if subject.status != "verified":
        raise NotVerified(_("Only a verified certificate or right can be revoked."))
    now = utcnow()
    subject.status = "revoked"
    subject.status_reason = reason
    subject.decided_at = now
    subject.decided_by_id = administrator.id
    decision = _record(subject_type, subject.id, "revoked", reason, administrator, now)
    product = db.session.get(Product, subject.product_id)
    body = (
        _(
            "An administrator of the OCOP programme has revoked %(name)s. The badge is no longer "
            "shown on the product's page.",
            name=title,
        )
        + "\n\n"
        + _("Reason: %(reason)s", reason=reason)
    )
    for address in producer_addresses(product.producer_id):
        send_mail(address, _("%(name)s has been revoked", name=title), body, kind="certification_revoked")
    db.session.flush()
    return decision


def revoke_certificate(
    certificate: Certification, *, reason: str, administrator: User
) -> VerificationDecision:
    """Withdraws a verified certificate: the badge disappears at once."""
    return _revoke(certificate, CERTIFICATE_SUBJECT, reason, administrator, certificate_title(certificate))


def revoke_right(right: ProtectionRight, *, reason: str, administrator: User) -> VerificationDecision:
    """Withdraws a verified right to use a GI or mark: its badge disappears at once."""
    return _revoke(right, RIGHT_SUBJECT, reason, administrator, right_title(right))


# ---------------------------------------------------------------------------------------------
# Reading


def certificate_title(certificate: Certification) -> str:
    product = db.session.get(Product, certificate.product_id)
    return _(
        "OCOP certificate %(number)s (%(stars)d stars) for %(product)s",
        number=certificate.certificate_number,
        stars=certificate.star_class,
        product=product.name,
    )


def right_title(right: ProtectionRight) -> str:
    product = db.session.get(Product, right.product_id)
    protection = db.session.get(Protection, right.protection_id)
    return _("Right to use “%(name)s” for %(product)s", name=protection.name, product=product.name)


def producer_addresses(producer_id: int) -> list[str]:
    """Every member of the producer, and its contact address."""
    members = db.session.scalars(
        select(User.email)
        .join(ProducerMembership, ProducerMembership.user_id == User.id)
        .where(ProducerMembership.producer_id == producer_id)
        .order_by(User.id)
    ).all()
    producer = db.session.get(Producer, producer_id)
    contact = [producer.contact_email] if producer is not None and producer.contact_email else []
    return list(dict.fromkeys([*members, *contact]))


def subject_producer_addresses(subject) -> list[str]:
    product = db.session.get(Product, subject.product_id)
    return producer_addresses(product.producer_id)


def _vietnam_date(moment: datetime | None) -> date | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()


# A certificate that carried the badge at some time: verified now, replaced by a newer one, or
# withdrawn (until the day it was revoked). Pending and rejected certificates never did.
_ONCE_VERIFIED = ("verified", "superseded", "revoked")


def certificate_in_force(product: Product | int, on: date | None = None) -> Certification | None:
    """The OCOP certificate of `product` that was in force on the day `on` (today in Vietnam
    when not given), or None.

    In force on a day: verified at some time (verified, superseded or revoked), issued on or
    before that day and expiring on or after it; a revoked certificate only before the day in
    Vietnam it was revoked. Of several, the one issued last (then the higher star class) is the
    one in force. A batch's traceability page asks about its production date, so a certificate
    that has since expired or been revoked still shows as in force then; the caller says what
    has changed since (`status`, `expires_on`).

    The storefront's badge (`catalog.services.certificate_in_force(cert, today)`) is today's
    special case of this rule: verified and within its dates."""
    on = on or today_in_vietnam()
    product_id = product if isinstance(product, int) else product.id
    candidates = db.session.scalars(
        select(Certification)
        .where(
            Certification.product_id == product_id,
            Certification.status.in_(_ONCE_VERIFIED),
            Certification.issued_on <= on,
            Certification.expires_on >= on,
        )
        .order_by(Certification.issued_on.desc(), Certification.star_class.desc(), Certification.id.desc())
    ).all()
    for certificate in candidates:
        if certificate.status == "revoked":
            revoked_on = _vietnam_date(certificate.decided_at)
            if revoked_on is not None and on >= revoked_on:
                continue
        return certificate
    return None


def rights_in_force(
    product: Product | int, on: date | None = None
) -> list[tuple[ProtectionRight, Protection]]:
    """The rights to use a GI or mark that `product` held on the day `on`, with their protections.

    A right has no start date of its own on the site: it counts from the day an administrator
    verified it (its decisions, in Vietnam's calendar) until the day one revoked it. The history
    is read from its VerificationDecisions; a right verified without any recorded decision (older
    data) counts as verified since always, and a revoked one as in force until `decided_at`."""
    on = on or today_in_vietnam()
    product_id = product if isinstance(product, int) else product.id
    rows = db.session.execute(
        select(ProtectionRight, Protection)
        .join(Protection, Protection.id == ProtectionRight.protection_id)
        .where(ProtectionRight.product_id == product_id, ProtectionRight.status.in_(("verified", "revoked")))
        .order_by(ProtectionRight.id)
    ).all()
    if not rows:
        return []
    history: dict[int, list[tuple[date, str]]] = {}
    for subject_id, outcome, decided_at in db.session.execute(
        select(VerificationDecision.subject_id, VerificationDecision.outcome, VerificationDecision.decided_at)
        .where(
            VerificationDecision.subject_type == RIGHT_SUBJECT,
            VerificationDecision.subject_id.in_([right.id for right, _p in rows]),
        )
        .order_by(VerificationDecision.decided_at, VerificationDecision.id)
    ):
        history.setdefault(subject_id, []).append((_vietnam_date(decided_at), outcome))
    held = []
    for right, protection in rows:
        decisions = history.get(right.id)
        if decisions:
            before = [outcome for day, outcome in decisions if day <= on]
            # A revocation takes effect from its day on: the last decision up to that day decides.
            in_force = bool(before) and before[-1] == "verified"
        elif right.status == "verified":
            in_force = True
        else:
            revoked_on = _vietnam_date(right.decided_at)
            in_force = revoked_on is not None and on < revoked_on
        if in_force:
            held.append((right, protection))
    return held


@dataclass(frozen=True)
class ExpiryWarning:
    """What the portal says about a verified certificate's expiry."""

    kind: str  # "expiring" (within 60 days, today included) or "expired"
    days_left: int
    expires_on: date


def expiry_warning(certificate: Certification, today: date | None = None) -> ExpiryWarning | None:
    """A warning for a verified certificate that expires within 60 days or has expired."""
    today = today or today_in_vietnam()
    if certificate.status != "verified":
        return None
    days_left = (certificate.expires_on - today).days
    if days_left < 0:
        return ExpiryWarning("expired", days_left, certificate.expires_on)
    if days_left <= max(REMINDER_DAYS):
        return ExpiryWarning("expiring", days_left, certificate.expires_on)
    return None


@dataclass(frozen=True)
class ProducerCertificates:
    products: dict[int, Product]
    certificates: list[Certification]
    rights: list[ProtectionRight]
    protections: dict[int, Protection]


def producer_certificates(producer_id: int) -> ProducerCertificates:
    """A producer's certificates (newest first) and rights, with their products, in four statements."""
    products = {
        p.id: p for p in db.session.scalars(select(Product).where(Product.producer_id == producer_id))
    }
    certificates = list(
        db.session.scalars(
            select(Certification)
            .join(Product, Product.id == Certification.product_id)
            .where(Product.producer_id == producer_id)
            .order_by(Certification.created_at.desc(), Certification.id.desc())
        )
    )
    rights = list(
        db.session.scalars(
            select(ProtectionRight)
            .join(Product, Product.id == ProtectionRight.product_id)
            .where(Product.producer_id == producer_id)
            .order_by(ProtectionRight.id.desc())
        )
    )
    protection_ids = {r.protection_id for r in rights}
    protections = (
        {p.id: p for p in db.session.scalars(select(Protection).where(Protection.id.in_(protection_ids)))}
        if protection_ids
        else {}
    )
    return ProducerCertificates(products, certificates, rights, protections)


def product_history(
    product_id: int,
) -> tuple[list[Certification], list[ProtectionRight], dict[tuple[str, int], list]]:
    """Every certificate and right of a product, with every decision on each (for administrators)."""
    certificates = list(
        db.session.scalars(
            select(Certification)
            .where(Certification.product_id == product_id)
            .order_by(Certification.issued_on.desc(), Certification.id.desc())
        )
    )
    rights = list(
        db.session.scalars(
            select(ProtectionRight)
            .where(ProtectionRight.product_id == product_id)
            .order_by(ProtectionRight.id.desc())
        )
    )
    decisions: dict[tuple[str, int], list] = {}
    subjects = [(CERTIFICATE_SUBJECT, c.id) for c in certificates] + [(RIGHT_SUBJECT, r.id) for r in rights]
    for subject_type in (CERTIFICATE_SUBJECT, RIGHT_SUBJECT):
        ids = [i for t, i in subjects if t == subject_type]
        if not ids:
            continue
        for decision in db.session.scalars(
            select(VerificationDecision)
            .where(
                VerificationDecision.subject_type == subject_type, VerificationDecision.subject_id.in_(ids)
            )
            .order_by(VerificationDecision.decided_at, VerificationDecision.id)
        ):
            decisions.setdefault((subject_type, decision.subject_id), []).append(decision)
    return certificates, rights, decisions


# ---------------------------------------------------------------------------------------------
# Expiry reminders


@dataclass(frozen=True)
class SentReminder:
    certificate_id: int
    certificate_number: str
    product_name: str
    days_before: int
    days_left: int
    addresses: tuple[str, ...]


def _due_reminder(days_left: int) -> int | None:
    """The reminder due with `days_left` days left: the 30-day one from 30 days on, the 60-day one
    between 60 and 31 days (a certificate first seen at 25 days gets the 30-day one only)."""
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return days
    return None


def send_expiry_reminders(today: date | None = None) -> list[SentReminder]:
    """E-mails each producer about its verified certificates that expire within 60 or 30 days,
    each reminder once (recorded in CertificateReminder). The caller commits."""
    today = today or today_in_vietnam()
    horizon = max(REMINDER_DAYS)
    rows = db.session.execute(
        select(Certification, Product)
        .join(Product, Product.id == Certification.product_id)
        .where(
            Certification.status == "verified",
            Certification.issued_on <= today,
            Certification.expires_on >= today,
            Certification.expires_on <= date.fromordinal(today.toordinal() + horizon),
        )
        .order_by(Certification.expires_on, Certification.id)
    ).all()
    sent_before = set()
    if rows:
        sent_before = set(
            db.session.execute(
                select(CertificateReminder.certification_id, CertificateReminder.days_before).where(
                    CertificateReminder.certification_id.in_([c.id for c, _p in rows])
                )
            ).all()
        )
    sent: list[SentReminder] = []
    for certificate, product in rows:
        days_left = (certificate.expires_on - today).days
        due = _due_reminder(days_left)
        if due is None or (certificate.id, due) in sent_before:
            continue
        addresses = producer_addresses(product.producer_id)
        subject = _(
            "Your OCOP certificate %(number)s for %(product)s expires on %(date)s",
            number=certificate.certificate_number,
            product=product.name,
            date=format_date(certificate.expires_on),
        )
        body = "\n\n".join(
            (
                _(
                    "The OCOP certificate %(number)s (%(stars)d stars) for %(product)s expires in "
                    "%(days)d days, on %(date)s.",
                    number=certificate.certificate_number,
                    stars=certificate.star_class,
                    product=product.name,
                    days=days_left,
                    date=format_date(certificate.expires_on),
                ),
                _(
                    "After that day the star badge is no longer shown on the product's page. When "
                    "the product has been "
                    "evaluated again, submit the new certificate in the producer portal."
                ),
            )
        )
        for address in addresses:
            send_mail(address, subject, body, kind="certificate_expiry")
        db.session.add(CertificateReminder(certification_id=certificate.id, days_before=due, sent_on=today))
        sent.append(
            SentReminder(
                certificate.id, certificate.certificate_number, product.name, due, days_left, tuple(addresses)
            )
        )
    db.session.flush()
    return sent


@dataclass(frozen=True)
class SubjectContext:
    """What an administrator sees beside a certificate or claim in the queue."""

    product: Product
    producer: Producer
    verified: tuple[Certification, ...]  # the product's verified certificates (a certificate's page)
    protection: Protection | None  # the protection claimed (a claim's page)


def subject_context(subject) -> SubjectContext:
    product = db.session.get(Product, subject.product_id)
    producer = db.session.get(Producer, product.producer_id)
    verified: tuple[Certification, ...] = ()
    protection = None
    if isinstance(subject, Certification):
        verified = tuple(
            db.session.scalars(
                select(Certification).where(
                    Certification.product_id == product.id,
                    Certification.status == "verified",
                    Certification.id != subject.id,
                )
            )
        )
    else:
        protection = db.session.get(Protection, subject.protection_id)
    return SubjectContext(product, producer, verified, protection)
