"""Buyer organisations (supermarket chains) and their delivery locations."""
