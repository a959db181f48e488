"""Text helpers: the one cleaner for text people type, accent folding and slugs.

`clean_text` is what every name-like field goes through (forms, the CSV import, services): it
refuses control characters and the invisible characters that reorder text (a right-to-left
override turns "gpj.exe" into "exe.jpg" on screen), and stores the NFC form, so that "è" typed
as e + a combining grave accent and "è" typed as one character are the same name. PostgreSQL
refuses NUL in text outright; SQLite would store it.

Folding turns "Đắk Lắk" into "dak lak" so that people who type without diacritics still match.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

# Bidirectional embeddings, overrides and isolates, and the marks that steer them (Unicode's
# "Bidi_Control" property).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\t")


class UnsafeText(ValueError):
    """Text with characters that never belong in stored text; `message` says so to the reader."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def unsafe_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of `text` that `clean_text` refuses, each once, as U+XXXX."""
    found = []
    for ch in text:
        if multiline and ch in LINE_BREAKS:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Zl", "Zp") or ch in BIDI_CONTROLS:
            code = f"U+{ord(ch):04X}"
            if code not in found:
                found.append(code)
    return found


def clean_text(value: object, *, multiline: bool = False) -> str:
    """`value` in NFC, or `UnsafeText` when it holds a control character (NUL, ESC, BEL, ...),
    a line or paragraph separator, a lone surrogate or a bidirectional control such as U+202E.
    Tabs and line breaks are kept only where the field has several lines (`multiline`)."""
    text = "" if value is None else str(value)
    bad = unsafe_characters(text, multiline=multiline)
    if bad:
        raise UnsafeText(
            _l(
                "This text contains invisible control characters (%(codes)s); remove them and type it again.",
                codes=", ".join(bad),
            )
        )
    return unicodedata.normalize("NFC", text)


class SafeText:
    """A WTForms validator: the field's text goes through `clean_text` (and is replaced by its
    NFC form), or the field shows why it is refused."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        from wtforms.validators import StopValidation

        if field.data is None:
            return
        try:
            field.data = clean_text(field.data, multiline=self.multiline)
        except UnsafeText as error:
            raise StopValidation(str(error.message)) from error


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics (đ becomes d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify(text: str) -> str:
    """An ASCII slug: "Chè Tân Cương" -> "che-tan-cuong"."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection): a leading =, +, - or @ gets
    a quote in front, which spreadsheets hide and the import removes. Every CSV or XLSX export
    of text typed by users passes its cells through this."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
