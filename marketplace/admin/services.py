"""Verification decisions: approve or reject a queue's subject, record who, when, what and why,
and tell the organisation."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.accounts.models import User, VerificationDecision
from marketplace.accounts.services import AccountError
from marketplace.admin.queues import VerificationQueue
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.timeutil import utcnow

OUTCOMES = ("verified", "rejected")


def decide(
    queue: VerificationQueue, subject: object, *, outcome: str, reason: str, administrator: User
) -> VerificationDecision:
    """Sets the subject's status and records the decision. A rejection needs a reason."""
    if not administrator.is_admin:
        raise AccountError("not_allowed")
    if outcome not in OUTCOMES:
        raise AccountError("invalid_outcome")
    reason = reason.strip()
    if outcome == "rejected" and not reason:
        raise AccountError("reason_required")
    now = utcnow()
    if queue.apply_decision is not None:
        queue.apply_decision(subject, outcome=outcome, reason=reason, administrator=administrator, now=now)
    else:
        setattr(subject, queue.status_attribute, outcome)
        setattr(subject, queue.verified_at_attribute, now if outcome == "verified" else None)
    decision = VerificationDecision(
        subject_type=queue.subject_type,
        subject_id=subject.id,
        outcome=outcome,
        reason=reason,
        decided_by_id=administrator.id,
        decided_at=now,
    )
    db.session.add(decision)
    title = queue.title(subject)
    if outcome == "verified":
        subject_line = _("%(name)s is verified on OCOP Marketplace", name=title)
        body = _("An administrator of the OCOP programme has verified %(name)s.", name=title)
    else:
        subject_line = _("%(name)s was not verified on OCOP Marketplace", name=title)
        body = _("An administrator of the OCOP programme could not verify %(name)s.", name=title)
    if reason:
        body += "\n\n" + _("Reason: %(reason)s", reason=reason)
    for address in queue.notify(subject):
        send_mail(address, subject_line, body, kind="verification_decision")
    db.session.flush()
    return decision
