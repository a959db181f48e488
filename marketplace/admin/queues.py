"""The verification queues that administrators work through.

A queue is a kind of thing that needs verifying: producers and buyer organisations here; the
producer portal adds certificates and GI rights by calling `register_queue` with its own models.
Every queue's subjects carry a status column (pending / verified / rejected) and the time of
verification; every decision is a VerificationDecision row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db


@dataclass(frozen=True)
class VerificationQueue:
    code: str  # in URLs: /admin/verification/<code>
    subject_type: str  # VerificationDecision.subject_type
    label: object
    model: type
    title: Callable[[object], str]
    template: str  # partial that shows one subject to the administrator
    notify: Callable[[object], list[str]]  # addresses told of a decision
    status_attribute: str = "verification_status"
    verified_at_attribute: str = "verified_at"
    # A queue whose subjects change more than their own status when decided (a verified
    # certificate supersedes the one before it) applies the decision itself, called with
    # (subject, outcome=, reason=, administrator=, now=); it may refuse by raising a DomainError.
    apply_decision: Callable[..., None] | None = None
    # Whether the decision form is offered (producers may be decided again; certificates once).
    can_decide: Callable[[object], bool] = lambda subject: True

    def status_of(self, subject: object) -> str:
        return getattr(subject, self.status_attribute)

    def pending(self) -> list:
        column = getattr(self.model, self.status_attribute)
        return list(db.session.scalars(select(self.model).where(column == "pending").order_by(self.model.id)))


QUEUES: dict[str, VerificationQueue] = {}


def register_queue(queue: VerificationQueue) -> None:
    QUEUES[queue.code] = queue


def _owner_addresses(membership_model, column, organisation) -> list[str]:
    from marketplace.accounts.models import User

    owners = db.session.scalars(
        select(User.email)
        .join(membership_model, membership_model.user_id == User.id)
        .where(column == organisation.id, membership_model.role == "owner")
    ).all()
    return list(
        dict.fromkeys([*owners, *([organisation.contact_email] if organisation.contact_email else [])])
    )


def _producer_addresses(producer) -> list[str]:
    from marketplace.accounts.models import ProducerMembership

    return _owner_addresses(ProducerMembership, ProducerMembership.producer_id, producer)


def _buyer_addresses(organisation) -> list[str]:
    from marketplace.accounts.models import BuyerMembership

    return _owner_addresses(BuyerMembership, BuyerMembership.buyer_organisation_id, organisation)


def register_builtin_queues() -> None:
    from marketplace.buyers.models import BuyerOrganisation
    from marketplace.producers.models import Producer

    register_queue(
        VerificationQueue(
            code="producers",
            subject_type="producer",
            label=_l("Producers"),
            model=Producer,
            title=lambda p: p.name,
            template="admin/_producer.html",
            notify=_producer_addresses,
        )
    )
    register_queue(
        VerificationQueue(
            code="buyers",
            subject_type="buyer_organisation",
            label=_l("Buyer organisations"),
            model=BuyerOrganisation,
            title=lambda b: b.legal_name,
            template="admin/_buyer.html",
            notify=_buyer_addresses,
        )
    )
