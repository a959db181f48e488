"""What happened to an order, for whoever needs to know (the outgoing mail, invoicing, the sales
ledger).

Each signal is sent inside the transaction that made the change, before it commits: a receiver
that writes rows through `db.session` (an outbox row, an invoice, a ledger entry) commits or rolls
back together with the change. Receivers get `order` (and `producer_order` where one part changed).
`notifications.compose` turns a signal into an e-mail.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

order_placed = _signals.signal("order-placed")
order_paid = _signals.signal("order-paid")
producer_order_shipped = _signals.signal("producer-order-shipped")
order_cancelled = _signals.signal("order-cancelled")  # the whole order, or one producer's part

# Every move of a producer's part through the status machine, with the OrderEvent already added:
# order, producer_order, from_status, to_status, actor, at (UTC).
producer_order_moved = _signals.signal("producer-order-moved")
# Every change of an order's payment status: order, from_status, to_status, actor, at (UTC).
payment_status_changed = _signals.signal("payment-status-changed")
# A part was delivered (for cash on delivery: the cash collected), after `delivered_at` and
# `cod_collected_at` are set: order, producer_order, at (UTC). Invoicing issues the invoice here.
producer_order_delivered = _signals.signal("producer-order-delivered")
