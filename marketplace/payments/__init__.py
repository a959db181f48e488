"""Payments: the Stripe gateway (the only module that talks to Stripe) and its webhook."""
