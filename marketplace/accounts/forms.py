"""Account forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from marketplace.accounts.models import BUYER_ROLES, PRODUCER_ROLES
from marketplace.reference import ENTITY_TYPE_LABELS, PROVINCES
from marketplace.text import SafeText

ROLE_LABELS = {
    "owner": _l("Owner"),
    "staff": _l("Staff"),
    "purchaser": _l("Purchaser"),
    "viewer": _l("Viewer"),
}
ACCOUNT_KINDS = [
    SelectChoice("consumer", _l("I buy OCOP products for myself")),
    SelectChoice("producer", _l("I represent an OCOP producer")),
    SelectChoice("buyer", _l("I buy for a supermarket chain")),
]
# A shape check only: whether the address works is proved by the confirmation e-mail.
EMAIL_SHAPE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address."))


def province_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a province"))] + [SelectChoice(p.code, p.name) for p in PROVINCES]


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that change something (sign out, remove, confirm)."""


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class SignUpForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[InputRequired(), SafeText(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[InputRequired(), EMAIL_SHAPE, Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    password_again = PasswordField(
        _l("Password again"), validators=[InputRequired(), EqualTo("password", _l("The passwords differ."))]
    )
    account_kind = RadioField(_l("What brings you here?"), choices=ACCOUNT_KINDS, default="consumer")


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=200)])
    password_again = PasswordField(
        _l("New password again"),
        validators=[InputRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[InputRequired(), SafeText(), Length(max=120)])


class ProducerRegistrationForm(FlaskForm):
    name = StringField(_l("Name of the producer"), validators=[InputRequired(), SafeText(), Length(max=200)])
    entity_type = SelectField(
        _l("Kind of producer"),
        choices=[SelectChoice(e.value, label) for e, label in ENTITY_TYPE_LABELS.items()],
    )
    tax_code = StringField(
        _l("Business registration number or tax code"), validators=[InputRequired(), Length(min=6, max=20)]
    )
    province_code = SelectField(_l("Province"), choices=province_choices, validators=[InputRequired()])
    commune = StringField(_l("Commune or ward"), validators=[InputRequired(), SafeText(), Length(max=120)])
    contact_phone = StringField(_l("Contact phone"), validators=[InputRequired(), Length(max=32)])
    contact_email = EmailField(
        _l("Contact e-mail"), validators=[InputRequired(), EMAIL_SHAPE, Length(max=254)]
    )


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail"), validators=[InputRequired(), EMAIL_SHAPE, Length(max=254)])
    role = SelectField(_l("Role"))

    def __init__(self, kind: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        roles = PRODUCER_ROLES if kind == "producer" else BUYER_ROLES
        self.role.choices = [SelectChoice(r, ROLE_LABELS[r]) for r in roles]
