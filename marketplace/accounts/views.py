"""Sign-in, sign-up, passwords, profile, the organisation page, members and invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from marketplace import throttle
from marketplace.accounts import services, signals
from marketplace.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    ProducerRegistrationForm,
    ProfileForm,
    ResetPasswordForm,
    SignUpForm,
)
from marketplace.accounts.messages import error_message
from marketplace.accounts.models import BuyerMembership, Invitation, ProducerMembership, User
from marketplace.accounts.permissions import (
    current_buyer_membership,
    current_producer_membership,
    get_scoped_or_404,
    login_required,
)
from marketplace.extensions import db
from marketplace.site import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")

MEMBERSHIP_MODELS = {"producer": ProducerMembership, "buyer": BuyerMembership}


def sign_in(user: User) -> None:
    """Starts a fresh session for `user`: nothing from before sign-in survives (session rotation)
    except what a `signed_in` receiver takes from the previous session (orders merges the
    signed-out cart into the account's cart)."""
    previous_session = dict(session)
    session.clear()
    login_user(user)
    signals.signed_in.send(current_app._get_current_object(), user=user, previous_session=previous_session)
    db.session.commit()


def _address() -> str:
    return request.remote_addr or "unknown"


def _too_many_attempts() -> str:
    return _(
        "Too many failed sign-in attempts. Please wait 15 minutes before trying again, "
        "or reset your password."
    )


THROTTLE_MESSAGES = {
    "LOGIN_FAILURES_PER_ACCOUNT": _too_many_attempts,
    "LOGIN_FAILURES_PER_ADDRESS": _too_many_attempts,
    "SIGNUPS_PER_ADDRESS": lambda: _("Too many sign-ups from your connection. Please try again in an hour."),
    "SIGNUPS_PER_EMAIL": lambda: _("Too many sign-ups with this address. Please try again in an hour."),
    "PASSWORD_RESETS_PER_ADDRESS": lambda: _(
        "Too many password reset requests. Please try again in an hour."
    ),
    "PASSWORD_RESETS_PER_EMAIL": lambda: _("Too many password reset requests. Please try again in an hour."),
    "INVITATIONS_PER_ADDRESS": lambda: _("Too many invitations sent. Please try again in an hour."),
    "INVITATIONS_PER_ACCOUNT": lambda: _("Too many invitations sent. Please try again in an hour."),
}


def _throttled_page(error: throttle.Throttled):
    """The 429 page of a throttled form: what happened and what to do."""
    message = THROTTLE_MESSAGES[error.setting]()
    return make_response(
        render_template(
            "accounts/too_many_attempts.html", message=message, sign_in=error.setting.startswith("LOGIN_")
        ),
        429,
    )


def _link(endpoint: str):
    return lambda token: url_for(endpoint, token=token, _external=True)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST":
        # Counted before the password is checked, and given back if it was right: only failures
        # count, and two workers answering at once cannot both slip under the limit.
        try:
            attempt = throttle.take(
                ("LOGIN_FAILURES_PER_ACCOUNT", services.normalise_email(request.form.get("email", ""))),
                ("LOGIN_FAILURES_PER_ADDRESS", _address()),
            )
        except throttle.Throttled as error:
            return _throttled_page(error)
        if form.validate_on_submit():
            try:
                user = services.authenticate(form.email.data, form.password.data)
            except services.AccountError as error:
                form.password.errors.append(error_message(error.code))
            else:
                throttle.give_back(attempt)
                db.session.commit()
                sign_in(user)
                return redirect(safe_next(form.next.data, url_for("accounts.profile")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            # A copy of this session's cookie (another device, or a stolen one) must not outlive it.
            services.end_sessions(current_user)
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("catalog.home"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    if EmptyForm().validate_on_submit():
        user = current_user._get_current_object()
        services.end_sessions(user)
        db.session.commit()
        sign_in(user)  # this device carries on with the new token
        flash(_("You have been signed out of all other devices."), "success")
    return redirect(url_for("accounts.profile"))


NEXT_PAGE_AFTER_SIGN_UP = {"producer": "accounts.register_producer", "buyer": "buyers.register"}
RETURN_AFTER_CONFIRMATION = "return_after_confirmation"  # session key: where a consumer came from


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            throttle.take(
                ("SIGNUPS_PER_ADDRESS", _address()),
                ("SIGNUPS_PER_EMAIL", services.normalise_email(form.email.data)),
            )
        except throttle.Throttled as error:
            return _throttled_page(error)
        try:
            services.sign_up(
                form.email.data,
                form.password.data,
                form.display_name.data,
                _link("accounts.confirm_email"),
                account_kind=form.account_kind.data,
                sign_in_url=url_for("accounts.login", _external=True),
                reset_url=url_for("accounts.forgot_password", _external=True),
            )
        except services.AccountError as error:
            form.password.errors.append(error_message(error.code))
        else:
            db.session.commit()
            # The same answer whether the address is new or already has an account. A consumer
            # who confirms from this browser goes back to the page they came from.
            session[RETURN_AFTER_CONFIRMATION] = safe_next(request.form.get("next"), "")
            return redirect(url_for("accounts.signup_sent"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/signup/sent")
def signup_sent():
    return render_template("accounts/signup_sent.html")


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            confirmation = services.confirm_email(token)
        except services.AccountError as error:
            return render_template("accounts/token_refused.html", message=error_message(error.code)), 400
        db.session.commit()
        flash(_("Thank you: your e-mail address is confirmed."), "success")
        if current_user.is_authenticated:
            return redirect(url_for("accounts.profile"))
        if confirmation.first:
            return_to = session.get(RETURN_AFTER_CONFIRMATION)
            sign_in(confirmation.user)
            next_page = NEXT_PAGE_AFTER_SIGN_UP.get(confirmation.account_kind)
            if next_page is None:  # a consumer goes back to the page they came from
                return redirect(safe_next(return_to, url_for("accounts.profile")))
            return redirect(url_for(next_page))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm.html", form=form)


@bp.post("/confirm/resend")
@login_required
def resend_confirmation():
    if EmptyForm().validate_on_submit() and current_user.email_confirmed_at is None:
        services.send_confirmation(current_user, _link("accounts.confirm_email"))
        db.session.commit()
        flash(_("We have sent the confirmation message again."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            throttle.take(
                ("PASSWORD_RESETS_PER_ADDRESS", _address()),
                ("PASSWORD_RESETS_PER_EMAIL", services.normalise_email(form.email.data)),
            )
        except throttle.Throttled as error:
            return _throttled_page(error)
        services.request_password_reset(form.email.data, _link("accounts.reset_password"))
        db.session.commit()
        flash(_("If an account uses this address, a message with a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.check_reset_token(token)
    except services.AccountError as error:
        return render_template("accounts/token_refused.html", message=error_message(error.code)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as error:
            form.password.errors.append(error_message(error.code))
        else:
            db.session.commit()
            sign_in(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, empty_form=EmptyForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            field = form.current_password if error.code == "wrong_current_password" else form.password
            field.errors.append(error_message(error.code))
        else:
            db.session.commit()
            sign_in(current_user._get_current_object())  # the old session token no longer works
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/organisation")
@login_required
def organisation():
    producer_membership = current_producer_membership()
    buyer_membership = current_buyer_membership()
    sections = []
    for kind, membership, subject_type in (
        ("producer", producer_membership, "producer"),
        ("buyer", buyer_membership, "buyer_organisation"),
    ):
        if membership is None:
            continue
        sections.append(
            {
                "kind": kind,
                "membership": membership,
                "organisation": membership.organisation,
                "members": services.members_of(kind, membership.organisation_id),
                "decisions": services.decisions_for(subject_type, membership.organisation_id),
                "invitations": services.pending_invitations(kind, membership.organisation_id)
                if membership.role == "owner"
                else [],
            }
        )
    return render_template("accounts/organisation.html", sections=sections, empty_form=EmptyForm())


def _owner_membership(kind: str):
    """The current user's membership of kind `kind` if they own the organisation; else 403."""
    if kind not in MEMBERSHIP_MODELS:
        abort(404)
    membership = current_producer_membership() if kind == "producer" else current_buyer_membership()
    if membership is None or membership.role != "owner":
        abort(403)
    return membership


@bp.post("/organisation/<kind>/members/<int:membership_id>/remove")
@login_required
def remove_member(kind: str, membership_id: int):
    acting = _owner_membership(kind)
    member = get_scoped_or_404(MEMBERSHIP_MODELS[kind], membership_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_member(acting, member)
        except services.AccountError as error:
            flash(error_message(error.code), "error")
        else:
            db.session.commit()
            flash(_("The member has been removed."), "success")
    return redirect(url_for("accounts.organisation"))


@bp.post("/organisation/<kind>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(kind: str, invitation_id: int):
    acting = _owner_membership(kind)
    invitation = db.session.get(Invitation, invitation_id)
    column = "producer_id" if kind == "producer" else "buyer_organisation_id"
    if (
        invitation is None
        or invitation.organisation_kind != kind
        or getattr(invitation, column) != acting.organisation_id
    ):
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.withdraw_invitation(acting, invitation)
        except services.AccountError as error:
            flash(error_message(error.code), "error")
        else:
            db.session.commit()
            flash(_("The invitation has been withdrawn; its link no longer works."), "success")
    return redirect(url_for("accounts.organisation"))


@bp.route("/organisation/<kind>/invite", methods=["GET", "POST"])
@login_required
def invite(kind: str):
    acting = _owner_membership(kind)
    form = InviteForm(kind)
    if form.validate_on_submit():
        try:
            throttle.take(
                ("INVITATIONS_PER_ADDRESS", _address()), ("INVITATIONS_PER_ACCOUNT", str(current_user.id))
            )
        except throttle.Throttled as error:
            return _throttled_page(error)
        try:
            services.invite_member(acting, form.email.data, form.role.data, _link("accounts.invitation"))
        except services.AccountError as error:
            form.email.errors.append(error_message(error.code))
        else:
            db.session.commit()
            flash(_("The invitation has been sent."), "success")
            return redirect(url_for("accounts.organisation"))
    return render_template("accounts/invite.html", form=form, organisation=acting.organisation)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invitation = services.open_invitation(token)
    except services.AccountError as error:
        return render_template("accounts/token_refused.html", message=error_message(error.code)), 400
    form = EmptyForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        if form.validate_on_submit():
            try:
                services.accept_invitation(token, current_user)
            except services.AccountError as error:
                flash(error_message(error.code), "error")
            else:
                db.session.commit()
                flash(
                    _(
                        "Welcome to %(organisation)s.",
                        organisation=services.invitation_organisation(invitation).name,
                    ),
                    "success",
                )
                return redirect(url_for("accounts.organisation"))
    return render_template(
        "accounts/invitation.html",
        invitation=invitation,
        form=form,
        organisation=services.invitation_organisation(invitation),
    )


@bp.route("/register/producer", methods=["GET", "POST"])
@login_required
def register_producer():
    if current_producer_membership() is not None:
        flash(error_message("already_producer_member"), "info")
        return redirect(url_for("accounts.organisation"))
    form = ProducerRegistrationForm()
    if request.method == "GET":
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        fields = {
            name: getattr(form, name).data
            for name in (
                "name",
                "entity_type",
                "tax_code",
                "province_code",
                "commune",
                "contact_phone",
                "contact_email",
            )
        }
        services.register_producer(current_user, **fields)
        db.session.commit()
        flash(
            _(
                "Your producer is registered. An administrator will verify it; until then you "
                "cannot publish products."
            ),
            "success",
        )
        return redirect(url_for("accounts.organisation"))
    return render_template("accounts/register_producer.html", form=form)
