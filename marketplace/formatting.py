"""Template filters: money in VND, dates in Vietnam's time zone, labels of reference codes."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask
from flask_babel import get_locale
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
    "kg": _l("kg"), "g": _l("g"), "bottle": _l("bottle"), "box": _l("box"), "bag": _l("bag"),
    "jar": _l("jar"), "pack": _l("pack"), "piece": _l("piece"), "set": _l("set"),
    "litre": _l("litre"), "tour": _l("tour"),
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
        value = value.replace(tzinfo=timezone.utc).astimezone(VIETNAM)
        return value.strftime("%d/%m/%Y %H:%M") if str(get_locale()) == "vi" else value.strftime("%d %b %Y %H:%M")
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
