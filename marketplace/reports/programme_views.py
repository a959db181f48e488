"""The programme's pages: the administrators' dashboard against the targets (`/admin/programme`,
its drill-down, exports and the provinces' targets) and the public figures (`/programme`)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.permissions import admin_required
from marketplace.catalog.cache import cached
from marketplace.extensions import db
from marketplace.ids import parse_id
from marketplace.reference import PROVINCES
from marketplace.reports import exports, programme, programme_charts, targets
from marketplace.reports.programme_forms import ProvinceTargetForm

bp = Blueprint("programme", __name__)
DRILL_PAGE_SIZE = 200


def _period() -> programme.Period:
    return programme.Period.parse(request.args.get("start"), request.args.get("end"))


def _scope() -> tuple[str | None, str]:
    units = request.args.get("units", "34")
    units = units if units in programme.UNITS else "34"
    return request.args.get("province") or None, units


def _board() -> programme.Dashboard:
    province, units = _scope()
    return programme.dashboard(
        _period(), province=province, units=units, programme_id=parse_id(request.args.get("programme"))
    )


@bp.get("/admin/programme")
@admin_required
def dashboard():
    board = _board()
    return render_template(
        "reports/programme_dashboard.html",
        board=board,
        provinces=PROVINCES,
        former=programme.former_provinces(),
        periods=targets.periods(),
        province_label=programme.province_label,
        charts=programme_charts.dashboard_charts(board),
    )


@bp.get("/admin/programme/producers")
@admin_required
def drill_down():
    metric = request.args.get("metric", "")
    if metric not in targets.METRICS_BY_CODE:
        abort(404)
    province, units = _scope()
    rows = programme.drill_down(_period(), metric, province=province, units=units)
    # A national figure stands on up to 10,000 producers: a page of them at a time.
    pages = max(1, -(-len(rows) // DRILL_PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    return render_template(
        "reports/programme_drill.html",
        rows=rows[(page - 1) * DRILL_PAGE_SIZE : page * DRILL_PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=pages,
        metric=targets.METRICS_BY_CODE[metric],
        period=_period(),
        province=province,
        units=units,
    )


@bp.get("/admin/programme.<any(csv, xlsx):kind>")
@admin_required
def export(kind: str):
    board = _board()
    rows = programme.dashboard_table(board)
    name = f"programme-{board.period.start_text}-{board.period.end_text}"
    if kind == "csv":
        return Response(
            exports.csv_bytes(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.xlsx_bytes(rows, "Programme"),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@bp.get("/admin/programme/ledger.csv")
@admin_required
def ledger_export():
    """Every ledger row of the period, streamed: rows are fetched in batches as they are sent."""
    period = _period()
    return Response(
        stream_with_context(programme.ledger_csv_lines(period)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="ledger-{period.start_text}-{period.end_text}.csv"'
        },
    )


@bp.route("/admin/programme/targets", methods=["GET", "POST"])
@admin_required
def province_targets():
    form = ProvinceTargetForm()
    if request.method == "GET" and form.year.data is None:
        form.year.data = programme.Period.parse(None, None).year
    if form.validate_on_submit():
        try:
            targets.set_province_target(
                form.province.data,
                form.year.data,
                form.metric.data,
                form.value.data,
                set_by_id=current_user.id,
            )
        except targets.TargetError as error:
            db.session.rollback()
            form.value.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The province's target has been saved."), "success")
            return redirect(url_for("programme.province_targets"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "reports/programme_targets.html",
        form=form,
        rows=targets.province_target_rows(),
        metrics=targets.METRICS_BY_CODE,
        label=programme.province_label,
    ), status


@bp.get("/programme")
def public():
    period = _period()
    figures = cached(
        ("programme-public", period, programme.ledger_version(), programme.declarations_version()),
        lambda: programme.public_figures(period),
    )
    return render_template(
        "reports/programme_public.html", figures=figures, charts=programme_charts.public_charts(figures)
    )
