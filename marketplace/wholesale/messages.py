"""What people read for each problem code of bulk ordering (pricing, CSV files, order details)."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.formatting import format_vnd
from marketplace.wholesale.pricing import Problem


def _unit(params: dict) -> str:
    from marketplace.formatting import UNIT_LABELS

    return str(UNIT_LABELS.get(params.get("unit", ""), params.get("unit", "")))


def _count(n: int) -> str:
    """A whole number with thousands grouped as the reader writes them (1.000 / 1,000)."""
    from flask_babel import get_locale

    grouped = f"{n:,}"
    return grouped.replace(",", ".") if str(get_locale() or "vi") == "vi" else grouped


# Supply-capacity codes (`wholesale.capacity`): placing reports them on the review page.
CAPACITY_CODES = ("over_capacity", "out_of_season")


def problem_text(problem: Problem) -> str:
    p = problem.params
    texts = {
        "unknown_code": lambda: _("Unknown product code “%(code)s”.", code=p.get("code", "")),
        "ambiguous_code": lambda: _(
            "Several producers use the SKU “%(code)s”: write producer/SKU, "
            "as shown in the wholesale catalogue.",
            code=p.get("code", ""),
        ),
        "missing_code": lambda: _("The product code is missing."),
        "unknown_product": lambda: _("This product is no longer for sale."),
        "invalid_quantity": lambda: _(
            "The quantity must be a whole number from 1 to %(max)s.", max=f"{p.get('max', 0):,}"
        ),
        "below_minimum": lambda: _(
            "Below the minimum order of %(n)d %(unit)s.", n=p["minimum"], unit=_unit(p)
        ),
        "not_case_multiple": lambda: _(
            "Not a multiple of the case pack (%(n)d %(unit)s).", n=p["case_pack"], unit=_unit(p)
        ),
        "out_of_stock": lambda: _(
            "Not enough stock: %(n)d %(unit)s available.", n=p["available"], unit=_unit(p)
        ),
        "unknown_location": lambda: _("This delivery location is not one of your organisation's."),
        "unknown_location_name": lambda: _("Unknown delivery location “%(name)s”.", name=p.get("name", "")),
        "location_conflict": lambda: _(
            "One producer's lines go to one delivery location per order; "
            "this line names another location than the other lines of %(producer)s.",
            producer=p.get("producer", ""),
        ),
        "duplicate_line": lambda: _("This product is already on line %(line)d.", line=p["line"]),
        "over_capacity": lambda: _(
            "Beyond the producer's supply capacity for %(month)02d/%(year)d: capacity %(capacity)s %(unit)s "
            "a month, %(committed)s already committed in open orders, %(asked)s asked (%(remaining)s left).",
            month=p["month"],
            year=p["year"],
            capacity=_count(p["capacity"]),
            committed=_count(p["committed"]),
            asked=_count(p["asked"]),
            remaining=_count(p["remaining"]),
            unit=_unit(p),
        ),
        "out_of_season": lambda: _(
            "Not available in %(month)02d/%(year)d: the producer supplies it in months %(season)s only.",
            month=p["month"],
            year=p["year"],
            season=", ".join(str(m) for m in p["season"]),
        ),
        "below_producer_minimum": lambda: _(
            "%(producer)s accepts orders from %(minimum)s; this part comes to %(subtotal)s.",
            producer=p["producer"],
            minimum=format_vnd(p["minimum"]),
            subtotal=format_vnd(p["subtotal"]),
        ),
        # whole files
        "file_too_large": lambda: _("The file is too large (at most %(n)d MB).", n=p.get("max_mb", 2)),
        "not_utf8": lambda: _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."),
        "empty_file": lambda: _("The file holds no product lines."),
        "too_many_lines": lambda: _(
            "The file has more than %(max)s product lines.", max=f"{p.get('max', 0):,}"
        ),
        "no_file": lambda: _("Choose a CSV file, or paste its lines."),
        # order details
        "po_too_long": lambda: _("At most %(n)d characters.", n=p.get("max", 64)),
        "date_required": lambda: _("Choose a delivery date."),
        "date_in_past": lambda: _("The delivery date cannot be in the past."),
        "location_required": lambda: _("Choose a delivery location."),
        "unknown_producer": lambda: _(
            "No line of this order is from the producer “%(producer)s”.", producer=p.get("producer", "")
        ),
        "form_expired": lambda: _("The order form has expired; please reload the page."),
        "payment_method_unknown": lambda: _("Choose invoice on terms or card."),
        "card_above_limit": lambda: _(
            "Orders above %(max)s cannot be paid by card; choose invoice on terms.",
            max=format_vnd(p.get("max", 0)),
        ),
        "card_needs_approval": lambda: _(
            "Orders that need an owner's approval cannot be paid by card; choose invoice on terms."
        ),
    }
    make = texts.get(problem.code)
    return make() if make else problem.code


def code_text(code: str, **params) -> str:
    return problem_text(Problem(code, params))


def error_text(error) -> str:
    """A domain error of bulk ordering in the reader's language."""
    texts = {
        "buyer_not_verified": lambda: _("Only verified buyer organisations may place wholesale orders."),
        "empty_order": lambda: _("Your bulk order is empty."),
        "invalid_line": lambda: _("Quantities must be whole numbers from 1 to 1,000,000."),
        "approval_not_pending": lambda: _("This order is not waiting for approval."),
        "note_required": lambda: _("Say why the order is rejected."),
        "invalid_list_name": lambda: _("Give the list a name of at most 120 characters."),
    }
    make = texts.get(error.code)
    return make() if make else error.message
