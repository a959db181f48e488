"""Traceability forms (Flask-WTF: every form carries a CSRF token). Shapes only: the rules (lot
codes, dates, quantities, who may recall) are the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class BatchForm(FlaskForm):
    product_id = SelectField(_l("Product"), choices=[], validate_choice=False)
    lot_code = StringField(_l("Lot code"))
    production_date = DateField(_l("Production date"), validators=[Optional()])
    best_before = DateField(_l("Best before (optional)"), validators=[Optional()])
    quantity = StringField(_l("Quantity produced (units)"), render_kw={"inputmode": "numeric"})
    origin = TextAreaField(_l("Where the raw materials come from"), render_kw={"rows": 3})
    origin_commune = StringField(_l("Commune of the raw materials"))
    notes = TextAreaField(_l("Notes (optional)"), render_kw={"rows": 3})
    picture = FileField(
        _l("Picture (optional; JPEG, PNG or WebP, up to 8 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    add_to_stock = BooleanField(_l("Add this quantity to the shop's stock now"))


class ReceiveForm(FlaskForm):
    quantity = StringField(_l("Units received into stock"), render_kw={"inputmode": "numeric"})


class RecallForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the recall (buyers receive it)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3},
    )


class ShipmentForm(FlaskForm):
    """Carrier and tracking number (for a part not shipped yet); the batch of each line is read
    from the `batch-<line id>` fields the template adds."""

    carrier = StringField(_l("Carrier"), validators=[Optional(), Length(max=80)])
    tracking_number = StringField(_l("Tracking number"), validators=[Optional(), Length(max=80)])
