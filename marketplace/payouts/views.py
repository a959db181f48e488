"""Payout pages: the producer's statements and withheld tax at /portal/payouts (its own only; any
other statement answers 404), and the administrator's runs, statements, bank batch, "mark paid",
commission income and the monthly withholding report at /admin/payouts."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.permissions import (
    admin_required,
    current_producer_membership,
    producer_member_required,
)
from marketplace.extensions import db
from marketplace.payouts import services
from marketplace.payouts.forms import STATUS_LABELS, AccountForm, PaidForm, RunForm
from marketplace.payouts.models import PayoutStatement
from marketplace.payouts.pdf import statement_pdf
from marketplace.timeutil import today_in_vietnam

bp = Blueprint("payouts", __name__)

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@bp.context_processor
def _payout_globals() -> dict:
    return {"payout_status_labels": STATUS_LABELS}


def _producer():
    return current_producer_membership().producer


def _own_statement_or_404(statement_id: int) -> PayoutStatement:
    statement = services.statement_or_none(statement_id, producer_id=_producer().id)
    if statement is None:
        abort(404)
    return statement


def _any_statement_or_404(statement_id: int) -> PayoutStatement:
    statement = services.statement_or_none(statement_id)
    if statement is None:
        abort(404)
    return statement


def _pdf(statement: PayoutStatement) -> Response:
    producer = services.producers_by_id([statement.producer_id])[statement.producer_id]
    data = statement_pdf(statement, producer, status_label=str(STATUS_LABELS[statement.status]))
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="payout-{statement.id}.pdf"'},
    )


def _statement_page(statement: PayoutStatement, scope: str, form: PaidForm | None = None, status: int = 200):
    producer = services.producers_by_id([statement.producer_id])[statement.producer_id]
    return render_template(
        "payouts/statement.html",
        statement=statement,
        producer=producer,
        scope=scope,
        paid_form=form or PaidForm(formdata=None, paid_on=today_in_vietnam()),
    ), status


# ---------------------------------------------------------------------------------------------
# The producer


@bp.get("/portal/payouts")
@producer_member_required()
def producer_statements():
    producer = _producer()
    return render_template(
        "payouts/portal.html",
        producer=producer,
        statements=services.statements(producer.id),
        withheld=services.withheld_by_month(producer.id),
        account=services.account(producer.id),
    )


@bp.get("/portal/payouts/<int:statement_id>")
@producer_member_required()
def producer_statement(statement_id: int):
    return _statement_page(_own_statement_or_404(statement_id), "producer")


@bp.get("/portal/payouts/<int:statement_id>.pdf")
@producer_member_required()
def producer_statement_pdf(statement_id: int):
    return _pdf(_own_statement_or_404(statement_id))


@bp.route("/portal/payouts/account", methods=["GET", "POST"])
@producer_member_required("owner")
def producer_account():
    producer = _producer()
    account = services.account(producer.id)
    form = AccountForm(obj=account)
    if form.validate_on_submit():
        try:
            services.save_account(
                producer.id,
                bank_name=form.bank_name.data,
                account_number=form.account_number.data,
                account_holder=form.account_holder.data,
            )
        except services.AccountIncomplete:
            form.account_number.errors.append(_("Enter the account number in digits."))
        else:
            db.session.commit()
            flash(_("Bank account saved."), "success")
            return redirect(url_for("payouts.producer_statements"))
    return render_template(
        "payouts/account.html", form=form
    ), 200 if request.method == "GET" or not form.errors else 400


# ---------------------------------------------------------------------------------------------
# The administrator


@bp.get("/admin/payouts")
@admin_required
def admin_index():
    statements = services.statements()
    return render_template(
        "payouts/admin.html",
        runs=services.runs(),
        statements=statements,
        producers=services.producers_by_id(s.producer_id for s in statements),
        income=services.commission_income(),
        run_form=RunForm(formdata=None, period_end=today_in_vietnam()),
    )


@bp.post("/admin/payouts/runs")
@admin_required
def admin_run():
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("Enter the period end."), "error")
        return redirect(url_for("payouts.admin_index"))
    try:
        run = services.run_payouts(form.period_end.data, actor=f"admin {current_user.id}")
    except services.PeriodInFuture:
        flash(_("A payout run cannot end after today."), "error")
        return redirect(url_for("payouts.admin_index"))
    except services.PayoutError as error:
        flash(str(error), "error")
        return redirect(url_for("payouts.admin_index"))
    db.session.commit()
    return redirect(url_for("payouts.admin_run_detail", run_id=run.id))


@bp.get("/admin/payouts/runs/<int:run_id>")
@admin_required
def admin_run_detail(run_id: int):
    run = services.run_or_none(run_id)
    if run is None:
        abort(404)
    batch = services.bank_batch(run)
    return render_template(
        "payouts/run.html",
        run=run,
        batch=batch,
        producers=services.producers_by_id(s.producer_id for s in run.statements),
    )


@bp.get("/admin/payouts/runs/<int:run_id>/bank-batch.csv")
@admin_required
def admin_bank_batch(run_id: int):
    run = services.run_or_none(run_id)
    if run is None:
        abort(404)
    return Response(
        services.bank_batch_csv(run),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="payouts-{run.period_end.isoformat()}.csv"'},
    )


@bp.get("/admin/payouts/statements/<int:statement_id>")
@admin_required
def admin_statement(statement_id: int):
    return _statement_page(_any_statement_or_404(statement_id), "admin")


@bp.get("/admin/payouts/statements/<int:statement_id>.pdf")
@admin_required
def admin_statement_pdf(statement_id: int):
    return _pdf(_any_statement_or_404(statement_id))


@bp.post("/admin/payouts/statements/<int:statement_id>/paid")
@admin_required
def admin_mark_paid(statement_id: int):
    statement = _any_statement_or_404(statement_id)
    form = PaidForm()
    if not form.validate_on_submit():
        return _statement_page(statement, "admin", form, 400)
    try:
        services.mark_paid(statement, paid_on=form.paid_on.data, bank_reference=form.bank_reference.data)
    except services.StatementNotDue:
        flash(_("Only a due statement can be marked paid."), "error")
        return redirect(url_for("payouts.admin_statement", statement_id=statement.id))
    except services.BankReferenceMissing:
        form.bank_reference.errors.append(_("Enter the bank's reference."))
        return _statement_page(statement, "admin", form, 400)
    db.session.commit()
    flash(_("Statement marked paid."), "success")
    return redirect(url_for("payouts.admin_statement", statement_id=statement.id))


def _month() -> str:
    month = request.args.get("month") or today_in_vietnam().strftime("%Y-%m")
    if not MONTH.match(month):
        abort(400)
    return month


@bp.get("/admin/payouts/withholding")
@admin_required
def admin_withholding():
    month = _month()
    return render_template("payouts/withholding.html", month=month, rows=services.withholding_report(month))


@bp.get("/admin/payouts/withholding.csv")
@admin_required
def admin_withholding_csv():
    month = _month()
    return Response(
        services.withholding_csv(month),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="withholding-{month}.csv"'},
    )


@bp.get("/admin/payouts/withholding.xlsx")
@admin_required
def admin_withholding_xlsx():
    month = _month()
    return Response(
        services.withholding_xlsx(month),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="withholding-{month}.xlsx"'},
    )
