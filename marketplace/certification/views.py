"""Certificate and GI-right pages: the producer's submissions and list (under /portal), the scans
(members of the owning producer and administrators only), and the administrators' certificate
history and revocations (under /admin). Verification itself happens in the admin queues."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace import storage
from marketplace.accounts.permissions import (
    admin_required,
    current_producer_membership,
    producer_member_required,
)
from marketplace.admin.queues import VerificationQueue, register_queue
from marketplace.catalog.models import (
    CERTIFICATE_STATUSES,
    Certification,
    Product,
    Protection,
    ProtectionRight,
)
from marketplace.certification import services
from marketplace.certification.documents import read_limited
from marketplace.certification.forms import CertificateForm, RevokeForm, RightForm
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam

bp = Blueprint("certification", __name__)

register_queue(
    VerificationQueue(
        code="certificates",
        subject_type=services.CERTIFICATE_SUBJECT,
        label=_l("OCOP certificates"),
        model=Certification,
        title=services.certificate_title,
        template="certification/admin/_certificate.html",
        notify=services.subject_producer_addresses,
        status_attribute="status",
        verified_at_attribute="decided_at",
        apply_decision=services.apply_certificate_decision,
        can_decide=lambda c: c.status == "pending",
    )
)
register_queue(
    VerificationQueue(
        code="rights",
        subject_type=services.RIGHT_SUBJECT,
        label=_l("Rights to use a GI or mark"),
        model=ProtectionRight,
        title=services.right_title,
        template="certification/admin/_right.html",
        notify=services.subject_producer_addresses,
        status_attribute="status",
        verified_at_attribute="decided_at",
        apply_decision=services.apply_right_decision,
        can_decide=lambda r: r.status == "pending",
    )
)


@bp.teardown_request
def _close_uploads(exc: BaseException | None) -> None:
    """Large uploads are spooled to temporary files: close them when the request ends."""
    request.close()


@bp.app_template_global("certification_subject")
def _certification_subject(subject):
    """For the admin queue's partials: the product, producer and related rows of a subject."""
    return services.subject_context(subject)


def _own_product_or_404(product_id: int) -> Product:
    """One of the signed-in producer's products; another producer's answers 404."""
    membership = current_producer_membership()
    product = (
        db.session.scalar(
            select(Product).where(Product.id == product_id, Product.producer_id == membership.producer_id)
        )
        if membership
        else None
    )
    if product is None:
        abort(404)
    return product


def _show_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [*field.errors, message]


def _valid(field):
    """The field's value if the form accepted it, else None (the form shows its own message)."""
    return None if field.errors else field.data


def _certificate_rules_beyond_the_form(form: CertificateForm, product: Product) -> None:
    """When the form itself refuses a field, still check the other fields against the OCOP rules,
    so that the producer sees every problem at once."""
    scan = form.scan.data
    errors, _checked = services.check_certificate(
        product,
        star_class=_valid(form.star_class),
        score=_valid(form.score),
        certificate_number=_valid(form.certificate_number),
        issuing_level=_valid(form.issuing_level),
        issued_on=_valid(form.issued_on),
        scan=read_limited(scan.stream) if scan and not form.scan.errors else None,
    )
    _show_errors(form, errors)


# ---------------------------------------------------------------------------------------------
# Producers


@bp.get("/portal/certificates")
@producer_member_required()
def certificates():
    membership = current_producer_membership()
    data = services.producer_certificates(membership.producer_id)
    today = today_in_vietnam()
    warnings = {c.id: services.expiry_warning(c, today) for c in data.certificates}
    return render_template(
        "certification/list.html", data=data, warnings=warnings, producer=membership.producer, today=today
    )


@bp.route("/portal/products/<int:product_id>/certificates/new", methods=["GET", "POST"])
@producer_member_required()
def new_certificate(product_id: int):
    product = _own_product_or_404(product_id)
    form = CertificateForm()
    if form.is_submitted() and not form.validate():
        _certificate_rules_beyond_the_form(form, product)
    elif form.is_submitted():
        try:
            services.submit_certificate(
                product,
                star_class=form.star_class.data,
                score=form.score.data,
                certificate_number=form.certificate_number.data,
                issuing_level=form.issuing_level.data,
                issuing_decision=form.issuing_decision.data,
                issued_on=form.issued_on.data,
                scan=read_limited(form.scan.data.stream),
                submitted_by=current_user,
            )
        except services.InvalidSubmission as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            db.session.commit()
            flash(
                _(
                    "Your certificate has been submitted. An administrator of the OCOP programme "
                    "will verify it."
                ),
                "success",
            )
            return redirect(url_for("certification.certificates"))
    return render_template("certification/certificate_form.html", form=form, product=product)


@bp.route("/portal/products/<int:product_id>/rights/new", methods=["GET", "POST"])
@producer_member_required()
def new_right(product_id: int):
    product = _own_product_or_404(product_id)
    form = RightForm()
    form.set_protections(db.session.scalars(select(Protection).order_by(Protection.kind, Protection.name)))
    if form.validate_on_submit():
        try:
            services.claim_right(
                product,
                protection_id=form.protection_id.data,
                decision_number=form.decision_number.data,
                scan=read_limited(form.scan.data.stream),
                submitted_by=current_user,
            )
        except services.InvalidSubmission as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            db.session.commit()
            flash(
                _("Your claim has been submitted. An administrator of the OCOP programme will verify it."),
                "success",
            )
            return redirect(url_for("certification.certificates"))
    return render_template("certification/right_form.html", form=form, product=product)


def _may_read_scan(product_id: int) -> bool:
    if current_user.is_admin:
        return True
    membership = current_producer_membership()
    if membership is None:
        return False
    return (
        db.session.scalar(select(Product.producer_id).where(Product.id == product_id))
        == membership.producer_id
    )


def _scan_response(subject, filename: str):
    """The scan, to its producer's members and to administrators; 404 to anyone else."""
    if subject is None or not subject.scan_key or not _may_read_scan(subject.product_id):
        abort(404)
    try:
        data = storage.read_document(subject.scan_key)
    except (FileNotFoundError, ValueError):
        abort(404)
    extension = subject.scan_key.rsplit(".", 1)[-1]
    response = current_app.response_class(
        data, mimetype=subject.scan_media_type or "application/octet-stream"
    )
    # A PDF is downloaded rather than opened in the site's origin; pictures show inline.
    disposition = "attachment" if extension == "pdf" else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/portal/certificates/<int:certificate_id>/scan")
@login_required
def certificate_scan(certificate_id: int):
    return _scan_response(db.session.get(Certification, certificate_id), f"ocop-certificate-{certificate_id}")


@bp.get("/portal/rights/<int:right_id>/scan")
@login_required
def right_scan(right_id: int):
    return _scan_response(db.session.get(ProtectionRight, right_id), f"right-of-use-{right_id}")


# ---------------------------------------------------------------------------------------------
# Administrators


@bp.get("/admin/certificates")
@admin_required
def admin_certificates():
    status = request.args.get("status", "verified")
    if status not in CERTIFICATE_STATUSES:
        status = "verified"
    rows = db.session.execute(
        select(Certification, Product.name)
        .join(Product, Product.id == Certification.product_id)
        .where(Certification.status == status)
        .order_by(Certification.expires_on, Certification.id)
        .limit(500)
    ).all()
    return render_template(
        "certification/admin/certificates.html",
        rows=rows,
        status=status,
        statuses=CERTIFICATE_STATUSES,
        today=today_in_vietnam(),
    )


def _history(product_id: int, failed: tuple[str, int] | None = None, failed_form=None):
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    certificates, rights, decisions = services.product_history(product_id)
    protections = {p.id: p for p in db.session.scalars(select(Protection))} if rights else {}
    return render_template(
        "certification/admin/history.html",
        product=product,
        certificates=certificates,
        rights=rights,
        decisions=decisions,
        protections=protections,
        today=today_in_vietnam(),
        failed=failed,
        failed_form=failed_form,
        revoke_form=RevokeForm(formdata=None),
    ), (422 if failed else 200)


@bp.get("/admin/products/<int:product_id>/certificates")
@admin_required
def history(product_id: int):
    return _history(product_id)


def _revoke(model, subject_id: int, revoke, kind: str):
    subject = db.session.get(model, subject_id)
    if subject is None:
        abort(404)
    product_id = subject.product_id
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            revoke(subject, reason=form.reason.data, administrator=current_user)
        except services.NotVerified as error:
            # Decided meanwhile (or twice): nothing to revoke; the history shows why.
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("certification.history", product_id=product_id))
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            db.session.commit()
            flash(_("Revoked. The badge is no longer shown and the producer has been told."), "success")
            return redirect(url_for("certification.history", product_id=product_id))
    return _history(product_id, failed=(kind, subject_id), failed_form=form)


@bp.post("/admin/certificates/<int:certificate_id>/revoke")
@admin_required
def revoke_certificate(certificate_id: int):
    return _revoke(Certification, certificate_id, services.revoke_certificate, "certificate")


@bp.post("/admin/rights/<int:right_id>/revoke")
@admin_required
def revoke_right(right_id: int):
    return _revoke(ProtectionRight, right_id, services.revoke_right, "right")
