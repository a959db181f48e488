"""Template filters: money in VND, dates in Vietnam's time zone, labels of reference codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.reference import (
    ENTITY_TYPE_LABELS,
    PRODUCT_GROUPS_BY_CODE,
    EntityType,
    province_name,
)
from marketplace.timeutil import VIETNAM, today_in_vietnam

PROTECTION_KIND_LABELS = {
    "gi": _l("Geographical indication"),
    "certification_mark": _l("Certification mark"),
    "collective_mark": _l("Collective mark"),
}
ISSUING_LEVEL_LABELS = {
    "district": _l("District level"),
    "province": _l("Provincial level"),
    "central": _l("Central level"),
}
UNIT_LABELS = {
    "kg": _l("kg"),
    "g": _l("g"),
    "bottle": _l("bottle"),
    "box": _l("box"),
    "bag": _l("bag"),
    "jar": _l("jar"),
    "pack": _l("pack"),
    "piece": _l("piece"),
    "set": _l("set"),
    "litre": _l("litre"),
    "tour": _l("tour"),
}


def format_vnd(amount: int | None) -> str:
    """250000 -> "250.000 ₫" in Vietnamese, "250,000 ₫" in English. Integer VND only."""
    if amount is None:
        return ""
    if not isinstance(amount, int):
        raise TypeError("money is integer VND")
    grouped = f"{amount:,}"
    if str(get_locale() or "vi") == "vi":
        grouped = grouped.replace(",", ".")
    return f"{grouped} ₫"


def format_date(value: date | datetime | None) -> str:
    """A date as people read it here: 29/11/2026 in Vietnamese, 29 Nov 2026 in English. A datetime
    (stored in UTC) is shown in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC).astimezone(VIETNAM)
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if str(get_locale()) == "vi"
            else value.strftime("%d %b %Y %H:%M")
        )
    return value.strftime("%d/%m/%Y") if str(get_locale()) == "vi" else value.strftime("%d %b %Y")


def group_label(code: str) -> object:
    group = PRODUCT_GROUPS_BY_CODE.get(code)
    return group.label if group else code


def subgroup_label(group_code: str, code: str) -> object:
    group = PRODUCT_GROUPS_BY_CODE.get(group_code)
    return group.subgroup_label(code) if group else code


def entity_label(code: str) -> object:
    try:
        return ENTITY_TYPE_LABELS[EntityType(code)]
    except ValueError:
        return code


# Notes that services store with events and stock changes are written in one fixed English form
# (OrderEvent.note, StockAdjustment.note: they are records, read in either language); pages show
# them in the reader's language through this table. What a person typed (a reason, a carrier and
# tracking number) matches no form and is shown as written.
NOTE_TEXTS = {
    "cash collected": _l("cash collected"),
    "rejected by the producer": _l("rejected by the producer"),
    "cancelled by the buyer": _l("cancelled by the buyer"),
    "not paid within the payment window": _l("not paid within the payment window"),
    "payment arrived after cancellation": _l("payment arrived after cancellation"),
    "payment by card": _l("payment by card"),
    "approved": _l("approved"),
    "receipt confirmed": _l("receipt confirmed"),
    "opening stock": _l("opening stock"),
    "CSV import": _l("CSV import"),
}
_PROBLEM_KINDS = {"short": _l("short"), "damaged": _l("damaged")}


def _receipt_problems(summary: str) -> str:
    parts = []
    for part in summary.split("; "):
        match = re.match(r"^(short|damaged) (\d+) × (.+?): (.*)$", part)
        parts.append(f"{_PROBLEM_KINDS[match[1]]} {match[2]} × {match[3]}: {match[4]}" if match else part)
    return "; ".join(parts)


NOTE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^payment on terms: (\d+) days$"), lambda m: _("payment on terms: %(n)s days", n=int(m[1]))),
    (
        re.compile(r"^(\d+) ₫ refunded by card$"),
        lambda m: _("%(amount)s refunded by card", amount=format_vnd(int(m[1]))),
    ),
    (
        re.compile(r"^above the approval threshold of (\d+) ₫$"),
        lambda m: _("above the approval threshold of %(amount)s", amount=format_vnd(int(m[1]))),
    ),
    (
        re.compile(r"^delivery date confirmed: (\d{4}-\d{2}-\d{2})$"),
        lambda m: _("delivery date confirmed: %(date)s", date=format_date(date.fromisoformat(m[1]))),
    ),
    (
        re.compile(r"^accepted in part: (.*)$", re.S),
        lambda m: _("accepted in part: %(changes)s", changes=m[1]),
    ),
    (
        re.compile(r"^receipt confirmed with problems: (.*)$", re.S),
        lambda m: _("receipt confirmed with problems: %(problems)s", problems=_receipt_problems(m[1])),
    ),
    (re.compile(r"^payment failed: (.*)$", re.S), lambda m: _("payment failed: %(reason)s", reason=m[1])),
)


def note_text(note: str | None) -> str:
    """A stored note in the reader's language (see NOTE_TEXTS); anything else as written."""
    if not note:
        return ""
    known = NOTE_TEXTS.get(note)
    if known is not None:
        return str(known)
    for pattern, render in NOTE_FORMS:
        match = pattern.match(note)
        if match:
            return render(match)
    return note


def in_locale(vietnamese: str, english: str | None) -> str:
    """The English text in the English interface when there is one, else the Vietnamese (a
    product's English name and description are optional)."""
    locale = get_locale()
    if english and locale is not None and locale.language == "en":
        return english
    return vietnamese


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        vnd=format_vnd,
        date=format_date,
        group_label=group_label,
        province_name=province_name,
        entity_label=entity_label,
        protection_kind=lambda kind: PROTECTION_KIND_LABELS.get(kind, kind),
        issuing_level=lambda level: ISSUING_LEVEL_LABELS.get(level, level),
        unit_label=lambda unit: UNIT_LABELS.get(unit, unit),
        note_text=note_text,
    )
    from marketplace.storage import image_url

    # The catalogue's own globals (cached_fragment, PRICE_BUCKETS) come from catalog.cache.init_app.
    app.jinja_env.globals.update(
        subgroup_label=subgroup_label,
        get_locale=get_locale,
        in_locale=in_locale,
        image_url=image_url,
        today_in_vietnam=today_in_vietnam,
    )
