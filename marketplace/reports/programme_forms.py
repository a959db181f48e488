"""The administrators' form for a province's yearly target."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange

from marketplace.reference import PROVINCES
from marketplace.reports.targets import METRICS


class ProvinceTargetForm(FlaskForm):
    province = SelectField(
        _l("Province"),
        choices=[SelectChoice(p.code, p.name) for p in PROVINCES],
        validators=[InputRequired()],
    )
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    metric = SelectField(
        _l("Figure"), choices=[SelectChoice(m.code, m.label) for m in METRICS], validators=[InputRequired()]
    )
    value = IntegerField(
        _l("Target (a count, or a percentage for a share)"),
        validators=[InputRequired(), NumberRange(0, 1_000_000)],
    )
