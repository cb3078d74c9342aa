"""Spans of one document indexed by position, so a view paints only what it shows.

Plain Python (no Qt). Positions are whatever the caller stores (a view uses its
own UTF-16 positions); the index only needs them ordered. Each span also gets
a *track*: 0 for a span no other span covers where it starts, 1 for the first
one nested or overlapping inside it, and so on. A view draws track 0 as a
tinted background and deeper tracks as stacked underlines.

Opening a long article must not cost a Python step per span: the index keeps
the caller's own span objects (anything with ``id``, ``start``, ``end`` and
``label``) in reading order with a parallel list of starts, and answers a
range query by bisection. Tracks are given lazily, as far as a query has
looked, and an :class:`Entry` is made only for the spans a query returns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from heapq import heappop, heappush
from operator import attrgetter, sub
from typing import Protocol

# A span longer than this is kept in a short side list too, so that a query need
# not look further back than this many positions for spans reaching into it.
LONG = 2048


class Extent(Protocol):
    """What the index needs of a span."""

    @property
    def id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(slots=True)
class Entry:
    """One span as a query returns it: its extent, label and track."""

    id: int
    start: int
    end: int
    label: str
    track: int = 0


class SpanIndex:
    """Spans in reading order (by start, longest first, then label order).

    A query for [a, b) bisects the starts for the spans starting in
    [a - reach, b), where ``reach`` is the longest span's length (at most
    ``LONG``), and adds the few longer spans from a side list: its cost follows
    what is on screen, not how many spans the document holds.
    """

    def __init__(
        self,
        spans: Iterable[Extent] = (),
        order: Mapping[str, int] | None = None,
        *,
        presorted: bool = False,
    ) -> None:
        """``order`` ranks labels for ties; ``presorted`` says ``spans`` already come
        in reading order under it (as a project gives them), which saves a sort."""
        self._order_of: Mapping[str, int] = order or {}
        items = list(spans)
        if not presorted:
            items = self._sorted(items)
        self._items: list[Extent] = items
        self._starts: list[int] = list(map(attrgetter("start"), items))
        self._by_id: dict[int, Extent] = dict(zip(map(attrgetter("id"), items), items, strict=True))
        longest = max(map(sub, map(attrgetter("end"), items), self._starts), default=0)
        self._reach = min(longest, LONG)
        self._long: dict[int, Extent] = (
            {item.id: item for item in items if item.end - item.start > LONG}
            if longest > LONG
            else {}
        )
        self._tracks: dict[int, int] = {}
        # The lazy sweep: every span starting before ``_swept`` has its track.
        self._swept = -(1 << 62)
        self._stacker = _Stacker(self._tracks)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def items(self) -> list[Extent]:
        """The spans as given, in reading order."""
        return list(self._items)

    def get(self, span_id: int) -> Entry | None:
        item = self._by_id.get(span_id)
        if item is None:
            return None
        self._sweep(item.start + 1)
        return self._entry(item)

    def entries(self) -> list[Entry]:
        """All spans in reading order, with their tracks."""
        self._sweep(None)
        return list(map(self._entry, self._items))

    def overlapping(self, start: int, end: int) -> list[Entry]:
        """Spans overlapping [start, end), by start, longest first (outer before inner)."""
        if end <= start:
            end = start + 1
        self._sweep(end)
        return list(map(self._entry, self._collect(start, end)))

    def at(self, position: int) -> list[Entry]:
        """Spans covering ``position`` (start <= position < end), outermost first."""
        return self.overlapping(position, position + 1)

    def next_after(self, position: int, *, backwards: bool = False) -> Entry | None:
        """The span starting after (or before) ``position``, for keyboard stepping."""
        if backwards:
            i = bisect_left(self._starts, position) - 1
            return self.get(self._items[i].id) if i >= 0 else None
        i = bisect_left(self._starts, position + 1)
        return self.get(self._items[i].id) if i < len(self._items) else None

    def neighbour(self, span_id: int, *, backwards: bool = False) -> Entry | None:
        """The span before or after ``span_id`` in reading order."""
        item = self._by_id.get(span_id)
        if item is None:
            return None
        i = self._position_of(item) + (-1 if backwards else 1)
        return self.get(self._items[i].id) if 0 <= i < len(self._items) else None

    def update(self, removed: Iterable[int], added: Iterable[Extent]) -> tuple[int, int] | None:
        """Drop and (re)insert spans; returns the region whose drawing may have changed.

        Tracks are reassigned only within the cluster of spans chained by overlap
        around the edit (no span crosses its edges), so an edit costs what its
        neighbourhood holds, not what the document holds.
        """
        removed, added = list(removed), list(added)
        # Everything before the edit must have its track before the cluster is restacked.
        reach = [item.end for item in added]
        for span_id in [*removed, *(item.id for item in added)]:
            old = self._by_id.get(span_id)
            if old is not None:
                reach.append(old.end)
        if reach:
            self._sweep(max(reach))
        lo, hi = None, None
        for span_id in [*removed, *(item.id for item in added)]:
            old = self._remove(span_id)
            if old is not None:
                lo = old.start if lo is None else min(lo, old.start)
                hi = old.end if hi is None else max(hi, old.end)
        for item in added:
            self._add(item)
            lo = item.start if lo is None else min(lo, item.start)
            hi = item.end if hi is None else max(hi, item.end)
        if lo is None or hi is None:
            return None
        while True:
            cluster = self._collect(lo, hi)
            new_lo = min([lo, *(item.start for item in cluster)])
            new_hi = max([hi, *(item.end for item in cluster)])
            if (new_lo, new_hi) == (lo, hi):
                break
            lo, hi = new_lo, new_hi
        _stack(cluster, self._tracks)
        self._restart_sweep_at(hi)
        return lo, hi

    # --- inside ------------------------------------------------------------------------

    def _key(self, item: Extent) -> tuple[int, int, int, int]:
        return (item.start, -item.end, self._order_of.get(item.label, 0), item.id)

    def _sorted(self, items: list[Extent]) -> list[Extent]:
        """In :meth:`_key` order, by stable sorts on one field each (least significant
        first), which run in C: much cheaper than a Python key for 10,000 spans."""
        items = sorted(items, key=attrgetter("id"))
        if self._order_of:
            order_of = self._order_of
            items.sort(key=lambda item: order_of.get(item.label, 0))
        items.sort(key=attrgetter("end"), reverse=True)
        items.sort(key=attrgetter("start"))
        return items

    def _entry(self, item: Extent) -> Entry:
        return Entry(item.id, item.start, item.end, item.label, self._tracks.get(item.id, 0))

    def _position_of(self, item: Extent) -> int:
        i = bisect_left(self._items, self._key(item), key=self._key)
        if i < len(self._items) and self._items[i].id == item.id:
            return i
        # Spans given as sorted that were not quite: find it the long way.
        return next(j for j, other in enumerate(self._items) if other.id == item.id)

    def _collect(self, start: int, end: int) -> list[Extent]:
        """Spans overlapping [start, end), in reading order."""
        if end <= start:
            end = start + 1
        first = bisect_left(self._starts, start - self._reach)
        last = bisect_left(self._starts, end, lo=first)
        found = [item for item in self._items[first:last] if item.end > start]
        if self._long:
            before = start - self._reach
            reaching = [
                item for item in self._long.values() if item.start < before and item.end > start
            ]
            if reaching:
                found = sorted(reaching, key=self._key) + found
        return found

    def _add(self, item: Extent) -> None:
        i = bisect_left(self._items, self._key(item), key=self._key)
        self._items.insert(i, item)
        self._starts.insert(i, item.start)
        self._by_id[item.id] = item
        length = item.end - item.start
        if length > LONG:
            self._long[item.id] = item
            self._reach = LONG
        elif length > self._reach:
            self._reach = length

    def _remove(self, span_id: int) -> Extent | None:
        item = self._by_id.pop(span_id, None)
        if item is None:
            return None
        i = self._position_of(item)
        del self._items[i]
        del self._starts[i]
        self._long.pop(span_id, None)
        self._tracks.pop(span_id, None)
        return item

    def _sweep(self, upto: int | None) -> None:
        """Give tracks to the spans starting before ``upto`` (None: all)."""
        if upto is not None and upto <= self._swept:
            return
        items, starts = self._items, self._starts
        i, n = bisect_left(starts, self._swept), len(items)
        if upto is not None:
            n = bisect_left(starts, upto, lo=i)
        place = self._stacker.place
        for item in items[i:n]:
            place(item)
        self._swept = upto if upto is not None and n < len(items) else 1 << 62

    def _restart_sweep_at(self, position: int) -> None:
        """After an edit restacked the cluster ending at ``position`` (no span crosses
        it): the sweep, if it had not reached it, goes on from there afresh."""
        if self._swept > position:
            return
        self._stacker = _Stacker(self._tracks)
        self._swept = position


class _Stacker:
    """Interval partitioning: a heap of tracks in use (by end) and a heap of tracks
    freed, so each span placed in reading order takes the lowest track free where
    it starts."""

    __slots__ = ("busy", "free", "next_track", "tracks")

    def __init__(self, tracks: dict[int, int]) -> None:
        self.tracks = tracks
        self.busy: list[tuple[int, int]] = []
        self.free: list[int] = []
        self.next_track = 0

    def place(self, item: Extent) -> None:
        busy, free = self.busy, self.free
        while busy and busy[0][0] <= item.start:
            heappush(free, heappop(busy)[1])
        if free:
            track = heappop(free)
        else:
            track = self.next_track
            self.next_track += 1
        self.tracks[item.id] = track
        heappush(busy, (item.end, track))


def _stack(ordered: list[Extent], tracks: dict[int, int]) -> None:
    """Tracks for spans in reading order, none of which is crossed by a span outside them."""
    place = _Stacker(tracks).place
    for item in ordered:
        place(item)
