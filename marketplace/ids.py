"""Ids that come from outside (URL paths, form fields), bounded to what the id columns hold.

Every id column is an INTEGER: 32 bits on PostgreSQL, and SQLite raises OverflowError for a
parameter beyond 64 bits. An id outside 1..MAX_ID therefore names nothing: the `int` converter
of every route (replaced once in `create_app`) and `parse_id` for form fields treat it as "not
found" instead of letting it reach the database.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # the largest value of a PostgreSQL integer column


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` bounded to 0..MAX_ID unless a route asks for other bounds: a larger number
    matches no route, so it answers 404.

    The pattern already stops at 10 digits, so a longer number fails where paths are matched,
    before the methods are compared (werkzeug answers 405 rather than 404 when a path has one
    rule per method and the bound itself refuses the number)."""

    regex = r"\d{1,10}"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(value: object) -> int | None:
    """The id in a form field ("42"), or None when it is not a whole number from 1 to MAX_ID."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
