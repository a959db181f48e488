"""What people read for each code of the traceability rules."""

from __future__ import annotations

from flask_babel import gettext as _


def field_text(code: str, params: dict) -> str:
    texts = {
        "unknown_product": lambda: _("Choose one of your products."),
        "lot_required": lambda: _("Enter the lot code."),
        "lot_too_long": lambda: _(
            "A lot code has at most %(n)d characters (GS1 AI 10).", n=params.get("max", 20)
        ),
        "lot_slash": lambda: _("A lot code cannot contain a slash: it is part of the batch's web address."),
        "lot_not_ascii": lambda: _(
            "Use Latin letters without diacritics, digits, dots, dashes or underscores."
        ),
        "lot_characters": lambda: _(
            "Use letters, digits, dots, dashes or underscores, without spaces, "
            "starting with a letter or digit."
        ),
        "lot_taken": lambda: _("This product already has a batch with this lot code."),
        "date_required": lambda: _("Enter the production date."),
        "production_in_future": lambda: _("The production date cannot be in the future."),
        "best_before_before_production": lambda: _(
            "The best-before date cannot be before the production date."
        ),
        "invalid_quantity": lambda: _(
            "Enter a whole number of units from 1 to %(n)s.", n=f"{params.get('max', 0):,}".replace(",", ".")
        ),
        "too_long": lambda: _("At most %(n)d characters.", n=params.get("max", 0)),
        "picture_too_large": lambda: _("The file is larger than 8 MB."),
        "picture_empty": lambda: _("Choose a picture file."),
    }
    make = texts.get(code)
    return (
        make()
        if make
        else _("This picture cannot be used: upload a JPEG, PNG or WebP photo.")
        if code.startswith("picture")
        else code
    )


def error_text(error) -> str:
    texts = {
        "invalid_quantity": lambda: _("Receive at most what the batch holds and has not been received yet."),
        "already_recalled": lambda: _("This batch has already been recalled."),
        "recall_reason_required": lambda: _("Say why the batch is recalled (at most 1,000 characters)."),
        "not_allowed": lambda: _("Only the producer's owners and administrators may recall a batch."),
        "part_not_shippable": lambda: _("Batches are recorded when the order is shipped."),
        "wrong_batch": lambda: _("Each line's batch must be a batch of that line's product."),
        "invalid_shipment": lambda: _("Enter the carrier and the tracking number."),
    }
    make = texts.get(error.code)
    return make() if make else error.message
