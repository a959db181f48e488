"""Producers' short codes: the first letters of the name without its legal form, "Công ty TNHH
Chè Cao Nguyên Mộc Châu" → "CCNM", with a number added when another producer has it ("CCNM2").

Wholesale product codes are the producer's code and the SKU ("CCNM/014", see
`marketplace.wholesale.codes`), which buyers keep in saved lists and their own systems: a code is
assigned once and never changes, even when the producer is renamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from marketplace.text import fold

LEGAL_FORMS = (
    "Công ty TNHH ",
    "Công ty CP ",
    "Công ty ",
    "HTX ",
    "Hợp tác xã ",
    "Hộ kinh doanh ",
    "Tổ hợp tác ",
)
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,15}$")


def without_legal_form(name: str) -> str:
    """ "HTX Chè Tân Cương Xanh" → "Chè Tân Cương Xanh"."""
    for form in LEGAL_FORMS:
        if name.startswith(form):
            return name[len(form) :]
    return name


def code_stem(name: str, limit: int = 4) -> str:
    """ASCII initials of the name's first words (without the legal form), "P" if it has none."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(without_legal_form(name))) if w]
    stem = "".join(w[0] for w in words[:limit]).upper()
    return stem if stem[:1].isalpha() else f"P{stem}"


def new_producer_code(name: str, is_taken: Callable[[str], bool]) -> str:
    """The first of "CCNM", "CCNM2", "CCNM3"... that `is_taken` says is free."""
    stem = code_stem(name)
    code, n = stem, 2
    while is_taken(code):
        code, n = f"{stem}{n}", n + 1
    return code
