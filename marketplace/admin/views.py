"""Administrators: verification queues with recorded decisions, the mail outbox, failed jobs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace import jobs
from marketplace.accounts.messages import error_message
from marketplace.accounts.permissions import admin_required
from marketplace.accounts.services import AccountError, decisions_for
from marketplace.admin import services
from marketplace.admin.forms import DecisionForm
from marketplace.admin.queues import QUEUES, register_builtin_queues
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.mail import OutboxMessage

bp = Blueprint("admin", __name__, url_prefix="/admin")
register_builtin_queues()


@bp.before_request
@admin_required
def _administrators_only() -> None:
    """Every page here is for administrators (403 for others, sign-in for anonymous visitors)."""


@bp.get("/")
def index():
    queues = [(queue, len(queue.pending())) for queue in QUEUES.values()]
    return render_template("admin/index.html", queues=queues)


def _queue(code: str):
    queue = QUEUES.get(code)
    if queue is None:
        abort(404)
    return queue


@bp.get("/verification/<queue_code>")
def queue(queue_code: str):
    queue = _queue(queue_code)
    return render_template("admin/queue.html", queue=queue, subjects=queue.pending())


@bp.route("/verification/<queue_code>/<int:subject_id>", methods=["GET", "POST"])
def subject(queue_code: str, subject_id: int):
    queue = _queue(queue_code)
    item = db.session.get(queue.model, subject_id)
    if item is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                queue,
                item,
                outcome=form.outcome.data,
                reason=form.reason.data or "",
                administrator=current_user,
            )
        except AccountError as error:
            form.reason.errors.append(error_message(error.code))
        except DomainError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The decision has been recorded and the organisation informed."), "success")
            return redirect(url_for("admin.queue", queue_code=queue.code))
    return render_template(
        "admin/subject.html",
        queue=queue,
        item=item,
        form=form,
        decisions=decisions_for(queue.subject_type, item.id),
    )


@bp.get("/outbox")
def outbox():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)).all()
    return render_template("admin/outbox.html", messages=messages)


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("admin/outbox_message.html", message=message)


@bp.get("/jobs")
def failed_jobs():
    """Background jobs that used up their retries, kept for inspection (RQ's failed registry)."""
    return render_template(
        "admin/jobs.html", queued=jobs.queue_enabled(), failed=jobs.failed_jobs(), schedule=jobs.SCHEDULE
    )


@bp.post("/jobs/<job_id>/retry")
def retry_job(job_id: str):
    if not jobs.retry_failed(job_id):
        abort(404)
    flash(_("The job is back on the queue."), "success")
    return redirect(url_for("admin.failed_jobs"))
