"""Forms of the certification pages (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from marketplace.formatting import ISSUING_LEVEL_LABELS, PROTECTION_KIND_LABELS
from marketplace.reference import STAR_CLASSES
from marketplace.text import SafeText


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


SCAN_LABEL = _l("Scan of the certificate (PDF, or a JPEG, PNG or WebP picture; up to 10 MB)")


def star_choices() -> list[SelectChoice]:
    return [SelectChoice(str(n), _l("%(n)d stars", n=n)) for n in STAR_CLASSES]


def level_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in ISSUING_LEVEL_LABELS.items()]


class ScoreField(IntegerField):
    """A whole number of points, with a message people understand when it is not one."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter the score, a whole number from 0 to 100."))) from error


class IssueDateField(DateField):
    """A date, with a message people understand when it is not one."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter the issue date as it is printed on the certificate."))) from error


class CertificateForm(FlaskForm):
    star_class = SelectField(_l("Star class"), choices=star_choices, coerce=int, validators=[InputRequired()])
    score = ScoreField(
        _l("Score (out of 100)"),
        validators=[
            InputRequired(_l("Enter the score, a whole number from 0 to 100.")),
            NumberRange(0, 100, _l("The score is a whole number from 0 to 100.")),
        ],
    )
    certificate_number = StringField(
        _l("Certificate number"),
        filters=[_strip],
        validators=[SafeText(), DataRequired(_l("Enter the certificate number.")), Length(max=64)],
    )
    issuing_level = SelectField(_l("Issuing level"), choices=level_choices, validators=[InputRequired()])
    issuing_decision = StringField(
        _l("Recognition decision (number and issuer)"),
        filters=[_strip],
        validators=[
            SafeText(),
            DataRequired(_l("Enter the number of the recognition decision.")),
            Length(max=120),
        ],
    )
    issued_on = IssueDateField(_l("Issue date"), validators=[InputRequired(_l("Enter the issue date."))])
    scan = FileField(SCAN_LABEL, validators=[FileRequired(_l("Attach the scan of the certificate."))])


class RightForm(FlaskForm):
    protection_id = SelectField(_l("Registered name"), coerce=int, validators=[InputRequired()])
    decision_number = StringField(
        _l("Decision granting the right to use it (number and issuer)"),
        filters=[_strip],
        validators=[
            SafeText(),
            DataRequired(_l("Enter the number of the decision granting the right.")),
            Length(max=120),
        ],
    )
    scan = FileField(
        _l("Scan of the decision (PDF, or a JPEG, PNG or WebP picture; up to 10 MB)"),
        validators=[FileRequired(_l("Attach the scan of the decision."))],
    )

    def set_protections(self, protections) -> None:
        self.protection_id.choices = [SelectChoice(0, _l("Choose a registered name"))] + [
            SelectChoice(
                p.id,
                f"{PROTECTION_KIND_LABELS.get(p.kind, p.kind)}: {p.name} · {_l('No.')} "
                f"{p.registration_number}",
            )
            for p in protections
        ]


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the revocation (sent to the producer)"),
        validators=[
            SafeText(multiline=True),
            InputRequired(_l("Give the reason for the revocation.")),
            Length(max=2000),
        ],
    )
