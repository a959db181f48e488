"""Invoices, payment on terms, producer fulfilment of supermarket orders and buyer receipt."""
