"""Reports pages for producers, in the portal's frame (/portal/reports, /portal/declarations), and
the administrators' queue of declared sales (/admin/declarations).

The producer is always the signed-in member's (never a parameter), and declarations load only
through `declarations.owned_declaration`, so another producer's ids answer 404. The portal
package does not import reports: these blueprints reuse its templates' frame."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.permissions import (
    admin_required,
    current_producer_membership,
    producer_member_required,
)
from marketplace.certification.documents import read_limited
from marketplace.extensions import db
from marketplace.reference import CHANNELS_BY_CODE
from marketplace.reports import charts, declarations, exports, producer_report
from marketplace.reports.declarations import (
    DecisionRefused,
    DeclarationClosed,
    DeclarationError,
    DeclaredFigures,
)
from marketplace.reports.forms import CorrectionForm, DecisionForm, DeclarationForm
from marketplace.reports.models import SalesDeclaration
from marketplace.timeutil import today_in_vietnam

bp = Blueprint("producer_reports", __name__, url_prefix="/portal/reports")
declarations_bp = Blueprint("declarations", __name__, url_prefix="/portal/declarations")
admin_bp = Blueprint("declarations_admin", __name__, url_prefix="/admin/declarations")


def _producer_id() -> int:
    return current_producer_membership().producer_id


@bp.app_context_processor
def _report_globals() -> dict:
    return {
        "channel_label": lambda code: CHANNELS_BY_CODE[code].label if code in CHANNELS_BY_CODE else code,
        "percent": producer_report.percent,
    }


# ---------------------------------------------------------------------------------------------
# The producer's report


def _period():
    args = request.args
    try:
        return producer_report.period_from_args(
            args.get("kind"), args.get("value"), args.get("start"), args.get("end")
        ), None
    except producer_report.InvalidPeriod as error:
        return producer_report.period_from_args(None, None), error.message


def _chart(report: producer_report.ProducerReport):
    months = [line.month for line in report.months]
    series = [
        charts.Series(
            str(CHANNELS_BY_CODE[c].label),
            [line.platform.get(c, producer_report.Cell()).revenue_vnd for line in report.months],
        )
        for c in report.platform_channels
    ]
    series += [
        charts.Series(
            _("%(channel)s (declared)", channel=CHANNELS_BY_CODE[c].label),
            [line.declared.get(c, producer_report.Cell()).revenue_vnd for line in report.months],
        )
        for c in report.declared_channels
    ]
    if not series:
        return None
    return charts.cached_bar_chart_svg(
        months,
        series,
        title=_("Revenue by month and channel"),
        value_label="VND",
        width_in=min(12.0, max(7.5, 0.5 * len(months) * len(series) ** 0.5)),
    )


@bp.get("/")
@producer_member_required()
def report():
    period, problem = _period()
    if problem:
        flash(problem, "error")
    data = producer_report.producer_report(_producer_id(), period)
    return render_template(
        "reports/producer_report.html",
        report=data,
        chart=_chart(data),
        args=request.args,
        today=today_in_vietnam(),
    )


@bp.get("/export.<any(csv, xlsx):fmt>")
@producer_member_required()
def export(fmt: str):
    period, problem = _period()
    if problem:
        abort(400)
    rows = producer_report.export_rows(producer_report.producer_report(_producer_id(), period))
    name = f"sales-report-{period.start}-{period.end}"
    if fmt == "csv":
        body, mimetype = exports.csv_bytes(rows), "text/csv; charset=utf-8"
    else:
        body = exports.xlsx_bytes(rows, _("Sales report"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


# ---------------------------------------------------------------------------------------------
# Declarations, for the producer


def _evidence(form: DeclarationForm | CorrectionForm) -> bytes | None:
    upload = form.evidence.data
    return read_limited(upload.stream) if upload and getattr(upload, "filename", "") else None


def _show_errors(form, error: DeclarationError) -> None:
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _render_list(form: DeclarationForm, status: int = 200):
    return render_template(
        "reports/declarations.html", rows=declarations.declarations_of(_producer_id()), form=form
    ), status


@declarations_bp.get("/")
@producer_member_required()
def index():
    form = DeclarationForm()
    if not form.month.data:
        form.month.data = f"{today_in_vietnam():%Y-%m}"
    return _render_list(form)


@declarations_bp.post("/")
@producer_member_required()
def create():
    form = DeclarationForm()
    if not form.validate_on_submit():
        return _render_list(form, 400)
    figures = DeclaredFigures(
        form.month.data or "",
        form.channel.data or "",
        form.amount.data or "",
        form.units.data or "",
        form.note.data or "",
    )
    try:
        declarations.declare(_producer_id(), current_user.id, figures, _evidence(form))
    except DeclarationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _render_list(form, 400)
    db.session.commit()
    flash(_("Declared. An administrator of the programme will check the figure."), "success")
    return redirect(url_for("declarations.index"))


def _owned_or_404(declaration_id: int) -> SalesDeclaration:
    declaration = declarations.owned_declaration(_producer_id(), declaration_id)
    if declaration is None:
        abort(404)
    return declaration


def _render_detail(declaration: SalesDeclaration, form: CorrectionForm, status: int = 200):
    return render_template(
        "reports/declaration.html",
        declaration=declaration,
        form=form,
        history=[
            d
            for d in declarations.declarations_of(declaration.producer_id)
            if (d.month, d.channel) == (declaration.month, declaration.channel)
        ],
    ), status


@declarations_bp.get("/<int:declaration_id>")
@producer_member_required()
def detail(declaration_id: int):
    declaration = _owned_or_404(declaration_id)
    form = CorrectionForm(
        data={
            "amount": str(declaration.amount_vnd),
            "units": "" if declaration.units is None else str(declaration.units),
            "note": declaration.note,
        }
    )
    return _render_detail(declaration, form)


@declarations_bp.post("/<int:declaration_id>")
@producer_member_required()
def correct(declaration_id: int):
    declaration = _owned_or_404(declaration_id)
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _render_detail(declaration, form, 400)
    figures = DeclaredFigures("", "", form.amount.data or "", form.units.data or "", form.note.data or "")
    try:
        waiting = declarations.correct(declaration, current_user.id, figures, _evidence(form))
    except DeclarationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return _render_detail(declaration, form, 400)
    except DeclarationClosed as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("declarations.detail", declaration_id=declaration_id))
    db.session.commit()
    flash(_("Corrected. The new figure waits for an administrator's decision."), "success")
    return redirect(url_for("declarations.detail", declaration_id=waiting.id))


def _evidence_response(declaration: SalesDeclaration | None):
    found = declarations.evidence_of(declaration) if declaration is not None else None
    if found is None:
        abort(404)
    data, media_type, extension = found
    response = current_app.response_class(data, mimetype=media_type)
    disposition = "attachment" if extension == "pdf" else "inline"  # a PDF never opens in the site's origin
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="declaration-{declaration.id}.{extension}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@declarations_bp.get("/<int:declaration_id>/evidence")
@producer_member_required()
def evidence(declaration_id: int):
    return _evidence_response(_owned_or_404(declaration_id))


# ---------------------------------------------------------------------------------------------
# Declarations, for administrators


@admin_bp.get("/")
@admin_required
def queue():
    return render_template("reports/admin_declarations.html", items=declarations.waiting_for_decision())


def _any_or_404(declaration_id: int) -> SalesDeclaration:
    declaration = declarations.declaration(declaration_id)
    if declaration is None:
        abort(404)
    return declaration


@admin_bp.get("/<int:declaration_id>")
@admin_required
def admin_detail(declaration_id: int):
    declaration = _any_or_404(declaration_id)
    return render_template(
        "reports/admin_declaration.html",
        declaration=declaration,
        form=DecisionForm(),
        previous=declarations.declaration(declaration.supersedes_id) if declaration.supersedes_id else None,
    )


@admin_bp.post("/<int:declaration_id>/decide")
@admin_required
def decide(declaration_id: int):
    declaration = _any_or_404(declaration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Accept, query or reject the declaration."), "error")
        return redirect(url_for("declarations_admin.admin_detail", declaration_id=declaration_id))
    try:
        declarations.decide(declaration, current_user, form.decision.data, form.message.data or "")
    except DecisionRefused as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("declarations_admin.admin_detail", declaration_id=declaration_id))
    db.session.commit()
    flash(_("Decision recorded; the producer has been told."), "success")
    return redirect(url_for("declarations_admin.queue"))


@admin_bp.get("/<int:declaration_id>/evidence")
@admin_required
def admin_evidence(declaration_id: int):
    return _evidence_response(_any_or_404(declaration_id))
