"""The owners' pages for the API: tokens (`/buyer/api-tokens`, `/portal/api-tokens`) and the
webhook endpoint with its delivery log (`/buyer/webhooks`, `/portal/webhooks`). Owners of the
organisation only; every change is a POST with CSRF. A new token or secret is shown once, on the
page that answers the POST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, URLField, widgets
from wtforms.validators import DataRequired, Length, Optional

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import current_buyer_membership, current_producer_membership
from marketplace.api import tokens, webhooks
from marketplace.extensions import db
from marketplace.timeutil import VIETNAM, utcnow

bp = Blueprint("api_settings", __name__)
SECTION = "<any(buyer, portal):section>"
KIND = {"buyer": "buyer", "portal": "producer"}
SCOPE_LABELS = {
    "catalog:read": _l("Read the wholesale catalogue"),
    "orders:read": _l("Read orders"),
    "orders:write": _l("Place and cancel orders"),
    "invoices:read": _l("Read invoices"),
    "listings:write": _l("Change stock and prices"),
    "orders:fulfil": _l("Accept, ship and deliver orders"),
}
TOKEN_ERRORS = {
    "invalid_name": _l("Give the token a name of at most 80 characters."),
    "invalid_scopes": _l("Choose at least one of the scopes offered."),
    "invalid_expiry": _l("The expiry must be in the future, at most two years ahead."),
}
WEBHOOK_ERRORS = {
    "invalid_url": _l("Enter a full https:// address."),
    "https_required": _l("The address must start with https://."),
}


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=tokens.MAX_NAME_LENGTH)])
    scopes = SelectMultipleField(
        _l("Scopes"), option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False)
    )
    expires_on = DateField(_l("Expires on (optional)"), validators=[Optional()])


class WebhookForm(FlaskForm):
    url = URLField(
        _l("Address (https://…)"), validators=[DataRequired(), Length(max=webhooks.MAX_URL_LENGTH)]
    )


def _owner(section: str) -> tuple[str, int]:
    """(kind, organisation id) of the signed-in owner, or 403."""
    membership = current_buyer_membership() if section == "buyer" else current_producer_membership()
    if membership is None or membership.role != "owner":
        abort(403)
    return KIND[section], membership.organisation_id


def _token_form(kind: str) -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(scope, str(SCOPE_LABELS[scope])) for scope in tokens.SCOPES[kind]]
    return form


def _tokens_page(
    section: str,
    kind: str,
    organisation_id: int,
    form: TokenForm,
    secret: str | None = None,
    status: int = 200,
):
    return render_template(
        "api/tokens.html",
        section=section,
        tokens=tokens.tokens_of(kind, organisation_id),
        form=form,
        secret=secret,
        empty_form=EmptyForm(),
        scope_labels=SCOPE_LABELS,
        now=utcnow(),
    ), status


@bp.get(f"/{SECTION}/api-tokens")
@login_required
def token_list(section: str):
    kind, organisation_id = _owner(section)
    return _tokens_page(section, kind, organisation_id, _token_form(kind))


@bp.post(f"/{SECTION}/api-tokens")
@login_required
def create_token(section: str):
    kind, organisation_id = _owner(section)
    form = _token_form(kind)
    if not form.validate_on_submit():
        return _tokens_page(section, kind, organisation_id, form, status=422)
    expires_at = None
    if form.expires_on.data:  # the end of that day in Vietnam
        end = datetime.combine(form.expires_on.data + timedelta(days=1), time(0), VIETNAM)
        expires_at = end.astimezone(UTC).replace(tzinfo=None)
    from flask_login import current_user

    try:
        created = tokens.create_token(
            kind,
            organisation_id,
            name=form.name.data,
            scopes=form.scopes.data,
            user_id=current_user.id,
            expires_at=expires_at,
        )
    except tokens.TokenError as error:
        db.session.rollback()
        flash(str(TOKEN_ERRORS.get(error.code, error.message)), "error")
        return _tokens_page(section, kind, organisation_id, form, status=422)
    db.session.commit()
    return _tokens_page(section, kind, organisation_id, _token_form(kind), secret=created.secret)


@bp.post(f"/{SECTION}/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_token(section: str, token_id: int):
    kind, organisation_id = _owner(section)
    token = tokens.token_of(kind, organisation_id, token_id)
    if token is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        tokens.revoke_token(token)
        db.session.commit()
        flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("api_settings.token_list", section=section))


def _webhooks_page(
    section: str,
    kind: str,
    organisation_id: int,
    form: WebhookForm | None = None,
    secret: str | None = None,
    status: int = 200,
):
    endpoint = webhooks.endpoint_of(kind, organisation_id)
    form = form or WebhookForm(data={"url": endpoint.url if endpoint else ""})
    return render_template(
        "api/webhooks.html",
        section=section,
        endpoint=endpoint,
        form=form,
        secret=secret,
        deliveries=webhooks.deliveries_of(endpoint) if endpoint else [],
        empty_form=EmptyForm(),
        events=webhooks.BUYER_EVENTS if kind == "buyer" else webhooks.PRODUCER_EVENTS,
        insecure_allowed=current_app.config["WEBHOOK_ALLOW_INSECURE_TARGETS"],
    ), status


@bp.get(f"/{SECTION}/webhooks")
@login_required
def webhook_settings(section: str):
    kind, organisation_id = _owner(section)
    return _webhooks_page(section, kind, organisation_id)


@bp.post(f"/{SECTION}/webhooks")
@login_required
def save_webhook(section: str):
    kind, organisation_id = _owner(section)
    form = WebhookForm()
    if not form.validate_on_submit():
        return _webhooks_page(section, kind, organisation_id, form, status=422)
    try:
        _endpoint, secret = webhooks.save_endpoint(kind, organisation_id, form.url.data)
    except webhooks.WebhookError as error:
        db.session.rollback()
        flash(str(WEBHOOK_ERRORS.get(error.code, error.message)), "error")
        return _webhooks_page(section, kind, organisation_id, form, status=422)
    db.session.commit()
    if secret is None:
        flash(_("The address is saved."), "success")
    return _webhooks_page(section, kind, organisation_id, secret=secret)


def _endpoint_or_404(kind: str, organisation_id: int):
    endpoint = webhooks.endpoint_of(kind, organisation_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.post(f"/{SECTION}/webhooks/rotate")
@login_required
def rotate_webhook_secret(section: str):
    kind, organisation_id = _owner(section)
    endpoint = _endpoint_or_404(kind, organisation_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("api_settings.webhook_settings", section=section))
    secret = webhooks.rotate_secret(endpoint)
    db.session.commit()
    return _webhooks_page(section, kind, organisation_id, secret=secret)


@bp.post(f"/{SECTION}/webhooks/test")
@login_required
def send_test_event(section: str):
    kind, organisation_id = _owner(section)
    endpoint = _endpoint_or_404(kind, organisation_id)
    if EmptyForm().validate_on_submit():
        webhooks.send_test_event(endpoint)
        db.session.commit()
        flash(_("A test event is on its way; its answer appears in the log below."), "success")
    return redirect(url_for("api_settings.webhook_settings", section=section))


@bp.post(f"/{SECTION}/webhooks/remove")
@login_required
def remove_webhook(section: str):
    kind, organisation_id = _owner(section)
    endpoint = _endpoint_or_404(kind, organisation_id)
    if EmptyForm().validate_on_submit():
        webhooks.remove_endpoint(endpoint)
        db.session.commit()
        flash(_("Webhooks are turned off."), "success")
    return redirect(url_for("api_settings.webhook_settings", section=section))
