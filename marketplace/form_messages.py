"""WTForms' own error messages ("This field is required.", "Not a valid integer value.", ...) in
the site's languages.

WTForms ships no Vietnamese catalogue, so without this a Vietnamese page shows its messages in
English. `init_app` makes every form look its messages up in the site's own catalogue
(marketplace/translations), and the strings below put them there for `make translations`."""

from __future__ import annotations

from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# The messages of the WTForms validators and fields this project uses: listed so that
# `pybabel extract` finds them. The text must stay exactly WTForms' own.
MESSAGES = (
    _l("This field is required."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Invalid URL."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Invalid value, must be one of: %(values)s."),
)


def _plural_messages() -> None:  # never called: only for `pybabel extract`
    ngettext(
        "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1
    )
    ngettext(
        "Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1
    )
    ngettext(
        "Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1
    )


class _SiteTranslations:
    """What WTForms asks for: gettext and ngettext, answered from the site's catalogue. Unformatted:
    WTForms fills the %(...)s placeholders itself."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _SiteTranslations()


def init_app(app) -> None:
    # Flask-WTF would look for a "wtforms" catalogue in Vietnamese, which WTForms does not have.
    FlaskForm.Meta.get_translations = lambda self, form: _TRANSLATIONS
