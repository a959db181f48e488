"""Forms of payouts: a run's period end, marking a statement paid, the producer's bank account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length

STATUS_LABELS = {
    "due": _l("Due"),
    "paid": _l("Paid"),
    "carried_forward": _l("Carried forward"),
}


class RunForm(FlaskForm):
    period_end = DateField(
        _l("Period end (last day included)"), validators=[InputRequired(_l("Enter a date."))]
    )


class PaidForm(FlaskForm):
    paid_on = DateField(_l("Transfer date"), validators=[InputRequired(_l("Enter a date."))])
    bank_reference = StringField(
        _l("Bank reference of the transfer"),
        validators=[InputRequired(_l("Enter the bank's reference.")), Length(max=64)],
    )


class AccountForm(FlaskForm):
    bank_name = StringField(_l("Bank"), validators=[InputRequired(_l("Enter the bank.")), Length(max=120)])
    account_number = StringField(
        _l("Account number"), validators=[InputRequired(_l("Enter the account number.")), Length(max=34)]
    )
    account_holder = StringField(
        _l("Account holder"), validators=[InputRequired(_l("Enter the account holder.")), Length(max=200)]
    )
