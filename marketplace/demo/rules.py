"""The OCOP rules the demo data follows: which level recognised a certificate, how its decision
and number read, and the ASCII initials that SKUs, certificate numbers and pictures use."""

from __future__ import annotations

import re
from datetime import date

from marketplace.text import fold

# Decision 1489/QĐ-TTg: from 1 July 2025 the province recognises 3★ and 4★ (districts were abolished).
LEVEL_REFORM_DATE = date(2025, 7, 1)
# The Ministry of Agriculture and Rural Development became the Ministry of Agriculture and
# Environment on 1 March 2025; 5★ decisions carry the new ministry's sign from then on.
MINISTRY_MERGER_DATE = date(2025, 3, 1)
CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})


def issuing_level(stars: int, issued_on: date) -> str:
    """The level that recognises a `stars` product on `issued_on` (before July 2025: district 3★,
    province 4★, centre 5★; since: province 3★ and 4★, centre 5★)."""
    if stars == 5:
        return "central"
    if stars == 4 or issued_on >= LEVEL_REFORM_DATE:
        return "province"
    return "district"


def issuing_decision(level: str, number: int, issued_on: date, issuer: str | None = None) -> str:
    """The text of a recognition decision, e.g. "Quyết định số 1187/QĐ-UBND của UBND tỉnh Hà Giang"."""
    if level == "central":
        sign, ministry = (
            ("QĐ-BNN-VPĐP", "Bộ Nông nghiệp và PTNT")
            if issued_on < MINISTRY_MERGER_DATE
            else ("QĐ-BNNMT", "Bộ Nông nghiệp và Môi trường")
        )
        return f"Quyết định số {number}/{sign} của {ministry}"
    text = f"Quyết định số {number}/QĐ-UBND"
    return f"{text} của UBND {issuer}" if issuer else text


def province_authority(province_name: str) -> str:
    """The authority a provincial decision is issued by: "tỉnh Hà Giang", "thành phố Huế"."""
    return f"{'thành phố' if province_name in CITIES else 'tỉnh'} {province_name}"


def initials(text: str, limit: int = 3) -> str:
    """ASCII initials of `text`'s first words: "Hà Giang" -> "HG"."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]
    return "".join(w[0] for w in words[:limit]).upper()


def certificate_number(province_then: str | None, level: str, year: int, sequence: int) -> str:
    """An invented certificate number in the published form, e.g. "TN.OCOP.2024.0007"; "TW" for
    the central level."""
    region = "TW" if level == "central" else initials(province_then or "", limit=4)
    return f"{region}.OCOP.{year}.{sequence:04d}"
