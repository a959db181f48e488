"""Vietnamese text helpers: accent folding and slugs.

Folding turns "Đắk Lắk" into "dak lak" so that people who type without diacritics still match.
"""
from __future__ import annotations

import re
import unicodedata

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
