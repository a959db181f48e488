"""Traceability: production batches (lots), their public GS1 Digital Link pages and QR labels,
the batch each shipped order line came from, and recalls."""
