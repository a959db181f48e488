"""What happened to an account, for the domains that keep something per visitor.

`signed_in` is sent by `accounts.views.sign_in` after the session has been rotated and the user
signed in, with `user` and `previous_session` (a copy of what the session held before: the
signed-out visitor's data, e.g. the cart, which `orders` merges into the account's). Receivers may
write through `db.session`; `sign_in` commits after them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

signed_in = _signals.signal("signed-in")
