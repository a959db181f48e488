"""Forms of invoicing: delivery date, payments, payment terms, invoice filters. The per-line forms
(accepting part of an order, reporting problems at receipt) have one field per order line and are
read in the views; they carry the CSRF token through `EmptyForm`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

STATUS_LABELS = {
    "open": _l("Open"),
    "partially_paid": _l("Partially paid"),
    "paid": _l("Paid"),
    "overdue": _l("Overdue"),
}
PART_STATUS_LABELS = {
    "pending_approval": _l("Waiting for the buyer's approval"),
    "placed": _l("New"),
    "accepted": _l("Accepted"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}
CREDIT_KIND_LABELS = {"shortfall": _l("Short"), "damaged": _l("Damaged")}


class DeliveryDateForm(FlaskForm):
    delivery_date = DateField(_l("Delivery date"), validators=[InputRequired(_l("Enter a date."))])


class PaymentForm(FlaskForm):
    amount_vnd = IntegerField(
        _l("Amount received (₫)"),
        validators=[InputRequired(_l("Enter the amount.")), NumberRange(min=1, message=_l("At least 1 ₫."))],
    )
    received_on = DateField(_l("Day received"), validators=[InputRequired(_l("Enter a date."))])
    bank_reference = StringField(
        _l("Bank reference of the transfer"),
        validators=[InputRequired(_l("Enter the bank's reference.")), Length(max=80)],
    )


class TermsForm(FlaskForm):
    payment_terms_days = IntegerField(
        _l("Payment terms (days)"),
        validators=[InputRequired(_l("Enter a number of days.")), NumberRange(min=0, max=180)],
    )
    credit_limit_vnd = IntegerField(
        _l("Credit limit (₫)"),
        validators=[InputRequired(_l("Enter an amount.")), NumberRange(min=0, max=100_000_000_000)],
    )


def status_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("All invoices")), SelectChoice("unpaid", _l("Not fully paid"))] + [
        SelectChoice(code, label) for code, label in STATUS_LABELS.items()
    ]


class InvoiceFilterForm(FlaskForm):
    """Read from the query string (GET): no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=status_choices, validators=[Optional()])
    q = StringField(
        _l("Payment reference, invoice, order or PO number"), validators=[Optional(), Length(max=64)]
    )
