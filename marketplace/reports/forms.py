"""Forms of the reports pages. The figures' rules live in `declarations.check_figures` (the form
only carries the text and the file); its refusals are shown on these fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from marketplace.reference import DECLARABLE_CHANNELS

EVIDENCE_LABEL = _l("Evidence, optional (PDF, or a JPEG, PNG or WebP picture; up to 10 MB)")


class DeclarationForm(FlaskForm):
    month = StringField(_l("Month (YYYY-MM)"), render_kw={"type": "month", "placeholder": "2026-05"})
    channel = SelectField(_l("Channel"), choices=[SelectChoice(c.code, c.label) for c in DECLARABLE_CHANNELS])
    amount = StringField(_l("Sales in the month (VND)"), render_kw={"inputmode": "numeric"})
    units = StringField(_l("Units sold, optional"), render_kw={"inputmode": "numeric"})
    note = TextAreaField(_l("Note, optional"))
    evidence = FileField(EVIDENCE_LABEL)


class CorrectionForm(FlaskForm):
    amount = StringField(_l("Sales in the month (VND)"), render_kw={"inputmode": "numeric"})
    units = StringField(_l("Units sold, optional"), render_kw={"inputmode": "numeric"})
    note = TextAreaField(_l("Note, optional"))
    evidence = FileField(EVIDENCE_LABEL)


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("accept", _l("Accept")),
            SelectChoice("query", _l("Query (ask the producer)")),
            SelectChoice("reject", _l("Reject")),
        ],
    )
    message = TextAreaField(_l("Message to the producer (required to query or reject)"))
