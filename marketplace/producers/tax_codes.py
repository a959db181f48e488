"""Vietnamese tax codes (mã số thuế) of producers, which every invoice they issue must carry.

An enterprise or cooperative has a 10-digit code; a dependent unit (branch) adds a 3-digit
suffix, written "0101234567-001". Since 1 July 2025 a household business uses its owner's
personal identification number (12 digits) as its tax code. Spaces and dots people type are
dropped; nothing else is guessed at.
"""

from __future__ import annotations

import re

from marketplace.domain import DomainError

_TAX_CODE = re.compile(r"^(?:\d{10}(?:-\d{3})?|\d{12})$")


class InvalidTaxCode(DomainError):
    code = "invalid_tax_code"


def normalise_tax_code(text: str | None) -> str:
    """The tax code in `text`, in its written form, or `InvalidTaxCode`."""
    cleaned = re.sub(r"[\s.]", "", text or "")
    if not _TAX_CODE.match(cleaned):
        raise InvalidTaxCode(
            "A tax code has 10 digits (an enterprise or cooperative), 10 digits and a 3-digit "
            "branch suffix (0101234567-001), or 12 digits (a household business's owner ID)."
        )
    return cleaned
