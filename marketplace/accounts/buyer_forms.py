"""Buyer organisation forms (registration, delivery locations)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.forms import EMAIL_SHAPE, province_choices
from marketplace.text import SafeText

LOCATION_KIND_LABELS = {
    "store": _l("Store"),
    "distribution_centre": _l("Distribution centre"),
}


def location_kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind, label) for kind, label in LOCATION_KIND_LABELS.items()]


class DeliveryLocationForm(FlaskForm):
    kind = SelectField(_l("Kind of location"), choices=location_kind_choices)
    name = StringField(_l("Location name"), validators=[InputRequired(), SafeText(), Length(max=160)])
    address = StringField(_l("Address"), validators=[InputRequired(), SafeText(), Length(max=300)])
    province_code = SelectField(_l("Province"), choices=province_choices, validators=[InputRequired()])


class BuyerRegistrationForm(FlaskForm):
    legal_name = StringField(_l("Legal name"), validators=[InputRequired(), SafeText(), Length(max=200)])
    tax_code = StringField(_l("Tax code"), validators=[InputRequired(), Length(min=10, max=14)])
    head_office_address = StringField(
        _l("Head office address"), validators=[InputRequired(), SafeText(), Length(max=300)]
    )
    head_office_province_code = SelectField(
        _l("Head office province"), choices=province_choices, validators=[InputRequired()]
    )
    contact_email = EmailField(
        _l("Contact e-mail"), validators=[InputRequired(), EMAIL_SHAPE, Length(max=254)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=32)])
    location_kind = SelectField(_l("Kind of location"), choices=location_kind_choices)
    location_name = StringField(
        _l("Location name"), validators=[InputRequired(), SafeText(), Length(max=160)]
    )
    location_address = StringField(_l("Address"), validators=[InputRequired(), SafeText(), Length(max=300)])
    location_province_code = SelectField(
        _l("Province"), choices=province_choices, validators=[InputRequired()]
    )
