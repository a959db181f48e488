"""Bulk ordering forms. Forms whose fields depend on the order (a quantity per line, a date and
location per producer) carry their CSRF token through these classes and read the rest by name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.text import SafeText

PAD_ROWS = 10


class AddToOrderForm(FlaskForm):
    product_id = HiddenField(validators=[InputRequired()])
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=1, max=1_000_000)])


class UploadForm(FlaskForm):
    file = FileField(_l("CSV file"))
    text = TextAreaField(
        _l("Or paste the lines"),
        validators=[Optional(), Length(max=2 * 1024 * 1024)],
        render_kw={"rows": 8, "spellcheck": "false"},
    )


class SaveListForm(FlaskForm):
    name = StringField(_l("List name"), validators=[InputRequired(), SafeText(), Length(max=120)])


class PlaceOrderForm(FlaskForm):
    purchase_order_number = StringField(
        _l("Your order reference (PO number)"), validators=[Optional(), SafeText(), Length(max=64)]
    )
    payment_method = RadioField(
        _l("Payment"),
        default="invoice",
        choices=[
            SelectChoice("invoice", _l("Invoice on terms")),
            SelectChoice("card", _l("Card now (Visa, Mastercard, JCB)")),
        ],
    )
    idempotency_key = HiddenField()


class RejectForm(FlaskForm):
    note = TextAreaField(
        _l("Why is the order rejected?"),
        validators=[InputRequired(), SafeText(multiline=True), Length(max=1000)],
    )


class ThresholdForm(FlaskForm):
    approval_threshold_vnd = IntegerField(
        _l("Orders above this total (₫) need an owner's approval"),
        validators=[Optional(), NumberRange(min=0, max=100_000_000_000)],
    )
