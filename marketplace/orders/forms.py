"""Cart, checkout and producer order forms (Flask-WTF: every form carries a CSRF token). The
fields are checked for shape here; the order rules (stock, prices, phone numbers, provinces) are
the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.forms import EMAIL_SHAPE, province_choices
from marketplace.text import SafeText

PAYMENT_CHOICES = [
    SelectChoice("card", _l("Card (Visa, Mastercard, JCB)")),
    SelectChoice("cod", _l("Cash on delivery")),
    SelectChoice("vietqr", _l("Bank transfer (VietQR)")),
]


class CartLineForm(FlaskForm):
    """Add to the cart, or set a line's quantity. Both values are checked by `orders.cart`."""

    product_id = HiddenField()
    quantity = StringField(_l("Quantity"), default="1")


class CheckoutForm(FlaskForm):
    recipient_name = StringField(_l("Recipient"), validators=[InputRequired(), SafeText(), Length(max=120)])
    phone = StringField(_l("Phone number"), validators=[InputRequired(), Length(max=30)])
    street = StringField(
        _l("House number and street"), validators=[InputRequired(), SafeText(), Length(max=200)]
    )
    commune = StringField(
        _l("Commune or ward (xã / phường)"), validators=[InputRequired(), SafeText(), Length(max=120)]
    )
    province = SelectField(_l("Province or city"), choices=province_choices, validators=[InputRequired()])
    contact_email = EmailField(
        _l("E-mail for the order confirmation"), validators=[InputRequired(), EMAIL_SHAPE, Length(max=254)]
    )
    payment_method = RadioField(_l("Payment"), choices=PAYMENT_CHOICES, default="cod")
    idempotency_key = HiddenField()


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the buyer sees it)"), validators=[Optional(), SafeText(multiline=True), Length(max=500)]
    )


class ShipForm(FlaskForm):
    carrier = StringField(_l("Carrier"), validators=[InputRequired(), SafeText(), Length(max=80)])
    tracking_number = StringField(
        _l("Tracking number"), validators=[InputRequired(), SafeText(), Length(max=80)]
    )
