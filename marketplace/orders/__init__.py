"""Orders: cart pricing, order placement with stock taken atomically, the per-producer status machine."""
