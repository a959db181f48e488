"""Buyer organisations (supermarket chains) and their delivery locations: the models, below
accounts (their pages are `accounts.buyer_views`)."""
