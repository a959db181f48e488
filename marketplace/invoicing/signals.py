"""What happened to an invoice, for whoever needs to know (the sales ledger).

Sent inside the transaction that made the change, before it commits, like the order signals.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A new invoice for a delivered part paid on terms: invoice, producer_order, at (UTC).
invoice_issued = _signals.signal("invoice-issued")
# A credit note for a shortfall or damage, flushed (it has its id): credit_note, invoice,
# producer_order, at (UTC).
credit_note_issued = _signals.signal("credit-note-issued")
