"""Administrator forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length


class DecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[SelectChoice("verified", _l("Approve")), SelectChoice("rejected", _l("Reject"))],
        validators=[InputRequired(_l("Choose whether to approve or reject."))],
    )
    reason = TextAreaField(
        _l("Reason (shown to the organisation; required for a rejection)"), validators=[Length(max=2000)]
    )
