"""What happened to an order, for whoever needs to know (the outgoing-mail module's outbox).

Each signal is sent inside the transaction that made the change, before it commits: a receiver
that writes an outbox row through `db.session` commits or rolls back together with the change.
Receivers get `order` (and `producer_order` where one part changed). `notifications.compose`
turns a signal into an e-mail.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

order_placed = _signals.signal("order-placed")
order_paid = _signals.signal("order-paid")
producer_order_shipped = _signals.signal("producer-order-shipped")
order_cancelled = _signals.signal("order-cancelled")  # the whole order, or one producer's part
