"""What the catalogue's filters, counts and orderings need about every visible product, read in
one statement per catalogue version and date and kept as bitsets.

A bitset is a Python int whose bit n is set when product n is in the set (product ids are small
dense integers). Intersecting two sets of 100,000 products and counting the result
(`(a & b).bit_count()`) takes microseconds, so a page's total and every facet count cost the same
whether a search matched 30 products or 30,000, and no list of ids is ever sent to the database.
The index is built again when the catalogue version (raised in the transaction of any change the
storefront shows) or the date in Vietnam (certificates fall out of force at midnight) changes, so
every count is exact. Orderings other than relevance and "featured" are read from the database the
first time a page asks for them (its collation decides the order of names).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

# Bit positions of each byte value: turns a bitset back into ids a byte at a time.
_BITS = tuple(tuple(b for b in range(8) if value >> b & 1) for value in range(256))


def bitset(ids: Iterable[int], size: int) -> int:
    """The set of `ids` (those below `size`) as a bitset."""
    buffer = bytearray((size >> 3) + 1)
    for i in ids:
        if 0 <= i < size:
            buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


def members(bits: int) -> list[int]:
    """The ids in a bitset, in increasing order."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    for index, value in enumerate(data):
        if value:
            base = index << 3
            out.extend(base + b for b in _BITS[value])
    return out


class Membership:
    """Fast `id in bitset` tests for walking an ordering."""

    __slots__ = ("_data", "_size")

    def __init__(self, bits: int) -> None:
        self._data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
        self._size = len(self._data) << 3

    def __contains__(self, i: int) -> bool:
        return 0 <= i < self._size and bool(self._data[i >> 3] >> (i & 7) & 1)


class FacetIndex:
    """Bitsets of the visible products by facet value, their prices and producers."""

    def __init__(
        self,
        rows: Iterable[tuple],
        price_buckets: Sequence[tuple[str, int, int | None]],
        read_ordering: Callable[[str], list[int]],
        read_producer_names: Callable[[], list[tuple[int, str]]],
    ) -> None:
        """`rows`: (id, stars or None, group, province, protected, green, wholesale ready, price,
        producer id) of every visible product. `read_ordering(sort)`: the visible ids in an order
        the database decides ("newest", "name"); `read_producer_names()`: (id, name) of the
        producers by name. Both are called at most once, when a page first needs them."""
        rows = list(rows)
        self._read_ordering = read_ordering
        self._read_producer_names = read_producer_names
        self.size = size = max((row[0] for row in rows), default=0) + 1
        nbytes = (size >> 3) + 1
        everything, protected_set, green_set, wholesale_set = (bytearray(nbytes) for _ in range(4))
        kinds = ("stars", "group", "province", "price")
        buffers: dict[str, defaultdict[object, bytearray]] = {
            kind: defaultdict(lambda: bytearray(nbytes)) for kind in kinds
        }
        stars_b, group_b, province_b, price_b = (buffers[k] for k in kinds)
        self.price_of = price_of = array("q", bytes(8 * size))
        self.producer_of = producer_of = array("q", bytes(8 * size))
        self.stars_of = stars_of = array("b", bytes(size))
        lows = [low for _, low, _ in price_buckets]
        codes = [code for code, _, _ in price_buckets]
        highs = [high for _, _, high in price_buckets]
        for pid, stars, group, province, protected, green, wholesale, price, producer_id in rows:
            byte, bit = pid >> 3, 1 << (pid & 7)
            everything[byte] |= bit
            if stars:
                stars_b[stars][byte] |= bit
                stars_of[pid] = stars
            group_b[group][byte] |= bit
            province_b[province][byte] |= bit
            if protected:
                protected_set[byte] |= bit
            if green:
                green_set[byte] |= bit
            if wholesale:
                wholesale_set[byte] |= bit
            bucket = bisect_right(lows, price) - 1
            if bucket >= 0 and (highs[bucket] is None or price <= highs[bucket]):
                price_b[codes[bucket]][byte] |= bit
            price_of[pid] = price
            producer_of[pid] = producer_id
        self.visible = int.from_bytes(everything, "little")
        self.protected = int.from_bytes(protected_set, "little")
        self.green = int.from_bytes(green_set, "little")
        self.wholesale = int.from_bytes(wholesale_set, "little")
        self.by: dict[str, dict[object, int]] = {
            kind: {value: int.from_bytes(buffer, "little") for value, buffer in buffers[kind].items()}
            for kind in kinds
        }
        self._lock = threading.Lock()
        self._lazy: dict[object, object] = {}

    def stars(self, product_id: int) -> int | None:
        """The star class in force of a visible product."""
        return (self.stars_of[product_id] or None) if product_id < self.size else None

    def values(self, kind: str) -> Mapping[object, int]:
        return self.by.get(kind, {})

    def _once(self, key: object, compute):
        with self._lock:
            if key in self._lazy:
                return self._lazy[key]
        value = compute()
        with self._lock:
            return self._lazy.setdefault(key, value)

    def by_producer(self, producer_id: int) -> int:
        """The visible products of one producer."""

        def compute() -> dict[int, list[int]]:
            groups: dict[int, list[int]] = {}
            for pid in members(self.visible):
                groups.setdefault(self.producer_of[pid], []).append(pid)
            return groups

        groups = self._once("producers", compute)
        return bitset(groups.get(producer_id, ()), self.size)

    def price_range(self, low: int | None, high: int | None) -> int:
        """The visible products priced between `low` and `high` (inclusive; None: unbounded)."""

        def compute() -> tuple[list[int], list[int]]:
            pairs = sorted((self.price_of[pid], pid) for pid in members(self.visible))
            return [p for p, _ in pairs], [i for _, i in pairs]

        prices, ids = self._once("by_price", compute)
        start = 0 if low is None else bisect_left(prices, low)
        end = len(prices) if high is None else bisect_right(prices, high)
        return bitset(ids[start:end], self.size)

    def ordering(self, sort: str) -> array:
        """Visible product ids in the order of `sort` ("featured", "price_asc", "price_desc",
        "newest", "name"), as the catalogue's SQL orders them."""
        return self._once(("order", sort), lambda: self._compute_ordering(sort))

    def position(self, sort: str) -> array:
        """Each product id's place in `ordering(sort)`."""

        def compute() -> array:
            places = array("l", bytes(8 * self.size))
            for n, pid in enumerate(self.ordering(sort)):
                places[pid] = n
            return places

        return self._once(("position", sort), compute)

    def _compute_ordering(self, sort: str) -> array:
        ids = members(self.visible)
        if sort == "featured":  # star class in force, best first, then the newest id
            ids.sort(key=lambda i: (self.stars_of[i], i), reverse=True)
        elif sort == "price_asc":
            ids.sort(key=lambda i: (self.price_of[i], i))
        elif sort == "price_desc":
            ids.sort(key=lambda i: (-self.price_of[i], i))
        else:
            ids = self._read_ordering(sort)
        return array("l", ids)

    def producer_names(self) -> list[tuple[int, str]]:
        """(id, name) of the producers with visible products, in the database's name order."""
        return self._once("producer_names", self._read_producer_names)


def page_of(order: Sequence[int], wanted: int, offset: int, limit: int, positions=None) -> list[int]:
    """The ids of `order` that are in the bitset `wanted`, from the `offset`-th, at most `limit`.

    Walks `order` when the wanted products are common enough to fill the page quickly; sorts the
    wanted ones by their `positions` in the order when they are rare (a narrow filter)."""
    count = wanted.bit_count()
    if count == 0 or offset >= count:
        return []
    needed = offset + limit
    expected_walk = needed * len(order) / count
    if positions is not None and expected_walk > 8 * count:
        chosen = sorted(members(wanted), key=positions.__getitem__)
        return chosen[offset:needed]
    inside = Membership(wanted)
    out: list[int] = []
    for i in order:
        if i in inside:
            out.append(i)
            if len(out) == needed:
                break
    return out[offset:]
