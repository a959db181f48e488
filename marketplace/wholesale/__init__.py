"""Supermarket bulk ordering (the `supermarket` channel): the wholesale catalogue, the buyer
organisation's draft order and saved lists, CSV upload, tiered pricing, credit limit, approval."""
