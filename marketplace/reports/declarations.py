"""Declared sales: what a producer sold outside the platform (another e-commerce platform, a
convenience-store or supermarket chain off the platform, export, a traditional market, direct),
per month and channel, as the producer declares it.

Declared figures are never written into the sales ledger and never added to platform figures
without saying so: the reports show them as declared, and count only accepted ones.

Rules:
- a figure is a whole number of đồng, 0 or more; units are optional (whole, 0 or more); the
  month is "YYYY-MM" and not after the current month in Vietnam; refusals say what is wrong;
- evidence is optional: a PDF or a picture, validated and stored privately like certificate
  scans (`certification.documents`), readable only by the producer's members and administrators;
- one open declaration per producer, month and channel (a second is refused: correct the first);
- an administrator accepts, queries (a question mailed to the producer, who corrects and so
  resubmits) or rejects (with a reason) a submitted declaration;
- a correction keeps the month and channel; a submitted or queried declaration is corrected in
  place (and so resubmitted); an accepted one only by a new
  version (`supersedes_id`), and it stays the counted figure until that version is accepted,
  when it becomes `superseded`. A rejected or superseded declaration is closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.certification import documents
from marketplace.certification.services import producer_addresses
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.producers.models import Producer
from marketplace.reference import CHANNELS_BY_CODE
from marketplace.reports.models import DECLARABLE_CHANNEL_CODES, SalesDeclaration
from marketplace.reports.queries import Period
from marketplace.storage import read_document
from marketplace.timeutil import today_in_vietnam, utcnow

OPEN_STATUSES = ("submitted", "queried")
MAX_DECLARED_VND = 10**15  # far above any producer's month; stops a slip of the keyboard overflowing


class DeclarationError(DomainError):
    """A declaration refused; `errors` maps form fields to what is wrong with them."""

    code = "invalid_declaration"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class DeclarationClosed(DomainError):
    code = "declaration_closed"


class DecisionRefused(DomainError):
    code = "decision_refused"


@dataclass(frozen=True)
class DeclaredFigures:
    """A declaration's figures as entered in a form (text, checked by `check_figures`)."""

    month: str
    channel: str
    amount: str
    units: str = ""
    note: str = ""


@dataclass(frozen=True)
class CheckedFigures:
    month: date
    channel: str
    amount_vnd: int
    units: int | None
    note: str


_WHOLE = re.compile(r"\d+")


def _whole_number(text: str) -> int | None:
    """A whole number written with or without Vietnamese or English digit grouping
    ("1.250.000", "1,250,000", "1 250 000"), or None."""
    cleaned = re.sub(r"[.,\s\u00a0]", "", text.strip().removesuffix("₫").removesuffix("đ").strip())
    return int(cleaned) if _WHOLE.fullmatch(cleaned) else None


def check_figures(figures: DeclaredFigures, today: date | None = None) -> CheckedFigures:
    """The figures to store, or DeclarationError naming every field that is wrong."""
    today = today or today_in_vietnam()
    errors: dict[str, str] = {}
    month = None
    match = re.fullmatch(r"(\d{4})-(\d{2})", figures.month.strip())
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 2000:
        month = date(int(match.group(1)), int(match.group(2)), 1)
        if month > today.replace(day=1):
            errors["month"] = _("Sales cannot be declared for a month that has not come yet.")
    else:
        errors["month"] = _("Choose the month (YYYY-MM).")
    if figures.channel not in DECLARABLE_CHANNEL_CODES:
        errors["channel"] = _("Choose a channel outside the platform.")
    text = figures.amount.strip()
    amount = _whole_number(text)
    if text.startswith("-") or (amount is None and re.fullmatch(r"-[\d.,\s]+", text)):
        errors["amount"] = _("The amount cannot be negative.")
    elif amount is None:
        errors["amount"] = _("Enter the amount as a whole number of đồng, e.g. 1.250.000.")
    elif amount > MAX_DECLARED_VND:
        errors["amount"] = _("The amount is too large; check the number of digits.")
    units = None
    if figures.units.strip():
        if figures.units.strip().startswith("-"):
            errors["units"] = _("Units cannot be negative.")
        else:
            units = _whole_number(figures.units)
            if units is None or units > 2**31 - 1:
                errors["units"] = _("Enter the units as a whole number, or leave them empty.")
    note = figures.note.strip()
    if len(note) > 2000:
        errors["note"] = _("Keep the note under 2000 characters.")
    if errors:
        raise DeclarationError(errors)
    return CheckedFigures(month, figures.channel, amount, units, note)  # type: ignore[arg-type]


def _store_evidence(evidence: bytes | None) -> tuple[str | None, str | None]:
    if not evidence:
        return None, None
    try:
        scan = documents.check_scan(evidence)
    except documents.InvalidScan as error:
        raise DeclarationError({"evidence": error.message}) from error
    return documents.store_scan(scan, "declarations"), scan.media_type


def _open_for(producer_id: int, month: date, channel: str) -> SalesDeclaration | None:
    """The live declaration (open, or accepted) for this month and channel, if any."""
    query = select(SalesDeclaration).where(
        SalesDeclaration.producer_id == producer_id,
        SalesDeclaration.month == month,
        SalesDeclaration.channel == channel,
        SalesDeclaration.status.in_((*OPEN_STATUSES, "accepted")),
    )
    return db.session.scalars(query.order_by(SalesDeclaration.id)).first()


def declare(
    producer_id: int,
    user_id: int | None,
    figures: DeclaredFigures,
    evidence: bytes | None = None,
    *,
    today: date | None = None,
) -> SalesDeclaration:
    """A new declaration, submitted for an administrator's decision."""
    checked = check_figures(figures, today)
    if _open_for(producer_id, checked.month, checked.channel) is not None:
        raise DeclarationError(
            {
                "month": _(
                    "Sales through this channel are already declared for this month; "
                    "correct that declaration instead."
                )
            }
        )
    key, media_type = _store_evidence(evidence)
    declaration = SalesDeclaration(
        producer_id=producer_id,
        month=checked.month,
        channel=checked.channel,
        amount_vnd=checked.amount_vnd,
        units=checked.units,
        note=checked.note,
        evidence_key=key,
        evidence_media_type=media_type,
        status="submitted",
        submitted_by_id=user_id,
        submitted_at=utcnow(),
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def correct(
    declaration: SalesDeclaration,
    user_id: int | None,
    figures: DeclaredFigures,
    evidence: bytes | None = None,
    *,
    today: date | None = None,
) -> SalesDeclaration:
    """Correct a declaration: in place while it waits (submitted or queried: it goes back to
    submitted), as a new version when it was accepted. Returns the declaration now waiting."""
    if declaration.status not in (*OPEN_STATUSES, "accepted"):
        raise DeclarationClosed(
            _("A rejected or replaced declaration cannot be corrected; declare the month again.")
        )
    # A correction keeps the month and channel: it is the same figure, told again.
    figures = DeclaredFigures(
        declaration.month_label, declaration.channel, figures.amount, figures.units, figures.note
    )
    checked = check_figures(figures, today)
    if declaration.status == "accepted":
        pending = db.session.scalar(
            select(SalesDeclaration).where(SalesDeclaration.supersedes_id == declaration.id)
        )
        if pending is not None:
            raise DeclarationClosed(_("A correction of this declaration is already waiting for a decision."))
        key, media_type = _store_evidence(evidence)
        if key is None:  # the evidence goes with the figure unless a new file replaces it
            key, media_type = declaration.evidence_key, declaration.evidence_media_type
        version = SalesDeclaration(
            producer_id=declaration.producer_id,
            month=checked.month,
            channel=checked.channel,
            amount_vnd=checked.amount_vnd,
            units=checked.units,
            note=checked.note,
            evidence_key=key,
            evidence_media_type=media_type,
            status="submitted",
            supersedes_id=declaration.id,
            submitted_by_id=user_id,
            submitted_at=utcnow(),
        )
        db.session.add(version)
        db.session.flush()
        return version
    key, media_type = _store_evidence(evidence)
    declaration.month, declaration.channel = checked.month, checked.channel
    declaration.amount_vnd, declaration.units, declaration.note = (
        checked.amount_vnd,
        checked.units,
        checked.note,
    )
    if key is not None:
        declaration.evidence_key, declaration.evidence_media_type = key, media_type
    declaration.status, declaration.submitted_by_id, declaration.submitted_at = "submitted", user_id, utcnow()
    db.session.flush()
    return declaration


DECISIONS = {"accept": "accepted", "query": "queried", "reject": "rejected"}


def decide(declaration: SalesDeclaration, administrator: User, decision: str, message: str = "") -> None:
    """An administrator's decision on a submitted declaration, mailed to the producer. A query
    or a rejection must say why."""
    if not administrator.is_admin:
        raise DecisionRefused(_("Only administrators decide on declarations."))
    if decision not in DECISIONS:
        raise DecisionRefused(_("Accept, query or reject the declaration."))
    if declaration.status != "submitted":
        raise DecisionRefused(_("Only a submitted declaration waits for a decision."))
    message = message.strip()
    if decision in ("query", "reject") and not message:
        raise DecisionRefused(_("Write the question or the reason for the producer."))
    if len(message) > 2000:
        raise DecisionRefused(_("Keep the message under 2000 characters."))
    now = utcnow()
    declaration.status = DECISIONS[decision]
    declaration.decided_by_id, declaration.decided_at = administrator.id, now
    declaration.admin_message = message or None
    if declaration.status == "accepted" and declaration.supersedes_id is not None:
        previous = db.session.get(SalesDeclaration, declaration.supersedes_id)
        previous.status = "superseded"
    db.session.flush()
    _mail_decision(declaration)


def _mail_decision(declaration: SalesDeclaration) -> None:
    channel = str(CHANNELS_BY_CODE[declaration.channel].label)
    what = _(
        "your declared sales for %(month)s through %(channel)s",
        month=declaration.month_label,
        channel=channel,
    )
    subject = {
        "accepted": _("Declared sales accepted: %(month)s", month=declaration.month_label),
        "queried": _("A question about your declared sales for %(month)s", month=declaration.month_label),
        "rejected": _("Declared sales not accepted: %(month)s", month=declaration.month_label),
    }[declaration.status]
    body = {
        "accepted": _("An administrator of the OCOP programme has accepted %(what)s.", what=what),
        "queried": _(
            "An administrator of the OCOP programme has a question about %(what)s. Answer it by "
            "correcting the declaration in the producer portal.",
            what=what,
        ),
        "rejected": _("An administrator of the OCOP programme has not accepted %(what)s.", what=what),
    }[declaration.status]
    if declaration.admin_message:
        body += "\n\n" + _("Message: %(message)s", message=declaration.admin_message)
    for address in producer_addresses(declaration.producer_id):
        send_mail(address, subject, body, kind=f"declaration_{declaration.status}")


# ---------------------------------------------------------------------------------------------
# Reading


def declarations_of(producer_id: int) -> list[SalesDeclaration]:
    """Every declaration of a producer, newest month first, versions after what they correct."""
    return list(
        db.session.scalars(
            select(SalesDeclaration)
            .where(SalesDeclaration.producer_id == producer_id)
            .order_by(SalesDeclaration.month.desc(), SalesDeclaration.channel, SalesDeclaration.id)
        )
    )


def owned_declaration(producer_id: int, declaration_id: int) -> SalesDeclaration | None:
    """A declaration of this producer; None for another producer's (answered like a missing one)."""
    return db.session.scalar(
        select(SalesDeclaration).where(
            SalesDeclaration.id == declaration_id, SalesDeclaration.producer_id == producer_id
        )
    )


def declaration(declaration_id: int) -> SalesDeclaration | None:
    """Any declaration, for administrators."""
    return db.session.get(SalesDeclaration, declaration_id)


@dataclass(frozen=True)
class QueueItem:
    declaration: SalesDeclaration
    producer_name: str
    previous: SalesDeclaration | None  # the accepted figure a correction replaces


def waiting_for_decision() -> list[QueueItem]:
    """Submitted declarations, oldest first, with their producer and what they correct."""
    rows = db.session.execute(
        select(SalesDeclaration, Producer.name)
        .join(Producer, Producer.id == SalesDeclaration.producer_id)
        .where(SalesDeclaration.status == "submitted")
        .order_by(SalesDeclaration.submitted_at, SalesDeclaration.id)
    ).all()
    previous_ids = [d.supersedes_id for d, _name in rows if d.supersedes_id is not None]
    previous = (
        {
            d.id: d
            for d in db.session.scalars(select(SalesDeclaration).where(SalesDeclaration.id.in_(previous_ids)))
        }
        if previous_ids
        else {}
    )
    return [QueueItem(d, name, previous.get(d.supersedes_id)) for d, name in rows]


def evidence_of(declaration: SalesDeclaration) -> tuple[bytes, str, str] | None:
    """(data, media type, extension) of the evidence file, or None when there is none."""
    if not declaration.evidence_key:
        return None
    try:
        data = read_document(declaration.evidence_key)
    except (FileNotFoundError, ValueError):
        return None
    return (
        data,
        declaration.evidence_media_type or "application/octet-stream",
        declaration.evidence_key.rsplit(".", 1)[-1],
    )


@dataclass(frozen=True)
class DeclaredRow:
    month: str  # "YYYY-MM"
    channel: str
    amount_vnd: int
    units: int


def accepted(
    period: Period | None = None, *, producer_id: int | None = None, producer_ids: Iterable[int] | None = None
) -> list[DeclaredRow]:
    """Accepted declared sales per month and channel (summed over producers), oldest first; the
    only declared figures any report counts."""
    query = (
        select(
            SalesDeclaration.month,
            SalesDeclaration.channel,
            func.sum(SalesDeclaration.amount_vnd),
            func.coalesce(func.sum(SalesDeclaration.units), 0),
        )
        .where(SalesDeclaration.status == "accepted")
        .group_by(SalesDeclaration.month, SalesDeclaration.channel)
        .order_by(SalesDeclaration.month, SalesDeclaration.channel)
    )
    if period is not None:
        query = query.where(
            SalesDeclaration.month >= period.start.replace(day=1), SalesDeclaration.month <= period.end
        )
    if producer_id is not None:
        query = query.where(SalesDeclaration.producer_id == producer_id)
    if producer_ids is not None:
        query = query.where(SalesDeclaration.producer_id.in_(list(producer_ids)))
    return [
        DeclaredRow(f"{month:%Y-%m}", channel, int(amount), int(units))
        for month, channel, amount, units in db.session.execute(query)
    ]
