"""The base of the domain errors that carry a message: a stable `code` (views turn it into text,
the API into JSON) and a `message` in plain words."""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
