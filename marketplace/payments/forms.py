"""Forms of the administrators' bank statement pages: the upload, and resolving a queued line."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.text import SafeText


class StatementUploadForm(FlaskForm):
    layout = SelectField(_l("Layout of the statement"), validators=[InputRequired()])
    file = FileField(
        _l("Bank statement (CSV, UTF-8)"),
        validators=[FileRequired(_l("Choose the statement file."))],
        render_kw={"accept": ".csv,text/csv"},
    )


class ResolveForm(FlaskForm):
    action = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("apply", _l("Apply it to the order or invoice")),
            SelectChoice("dismiss", _l("Dismiss it (it pays nothing here)")),
        ],
        validators=[InputRequired(_l("Choose to apply or to dismiss the line."))],
    )
    reference = StringField(
        _l("Payment reference (empty: the one found)"), validators=[Optional(), Length(max=40)]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), SafeText(multiline=True), Length(max=1000)])
