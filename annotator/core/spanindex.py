"""Spans of one document indexed by position, so a view paints only what it shows.

Plain Python (no Qt). Positions are whatever the caller stores (a view uses its
own UTF-16 positions); the index only needs them ordered. Each span also gets
a *track*: 0 for a span no other span covers where it starts, 1 for the first
one nested or overlapping inside it, and so on. A view draws track 0 as a
tinted background and deeper tracks as stacked underlines.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from heapq import heappop, heappush
from operator import attrgetter

BUCKET = 2048  # positions per bucket: a paint of one screen touches one or two


@dataclass(slots=True)
class Entry:
    """One span as the index keeps it."""

    id: int
    start: int
    end: int
    label: str
    order: int = 0  # label order: breaks ties so equal spans stack the same way
    track: int = 0


class SpanIndex:
    """Buckets of fixed width list the spans that overlap them.

    A query for [a, b) looks in the buckets that range covers only, so its cost
    follows what is on screen, not how many spans the document holds.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        entries = list(entries)
        self._by_id: dict[int, Entry] = {entry.id: entry for entry in entries}
        buckets: dict[int, list[Entry]] = {}
        for entry in entries:
            start = entry.start
            first = start // BUCKET
            last = (entry.end - 1 if entry.end > start else start) // BUCKET
            if first == last:
                bucket = buckets.get(first)
                if bucket is None:
                    buckets[first] = [entry]
                else:
                    bucket.append(entry)
                continue
            for b in range(first, last + 1):
                buckets.setdefault(b, []).append(entry)
        self._buckets = buckets
        # Tracks are given lazily, in one sweep by start that goes only as far as
        # a query has looked: opening a long article stacks the first screen only.
        self._sweep_list = _sorted(entries)
        self._sweep_at = 0  # next entry of _sweep_list to stack
        self._swept = -1  # every entry starting before this has its track
        self._busy: list[tuple[int, int]] = []
        self._free: list[int] = []
        self._next_track = 0

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def get(self, span_id: int) -> Entry | None:
        entry = self._by_id.get(span_id)
        if entry is not None and entry.start >= self._swept:
            self._sweep(entry.start + 1)
        return entry

    def entries(self) -> list[Entry]:
        """All spans by start, longest first at equal starts."""
        self._sweep(None)
        return _sorted(self._by_id.values())

    def _sweep(self, upto: int | None) -> None:
        """Give tracks to the entries starting before ``upto`` (None: all)."""
        if self._sweep_list is None or (upto is not None and upto <= self._swept):
            return
        ordered, i, n = self._sweep_list, self._sweep_at, len(self._sweep_list)
        busy, free, next_track = self._busy, self._free, self._next_track
        while i < n:
            entry = ordered[i]
            if upto is not None and entry.start >= upto:
                break
            while busy and busy[0][0] <= entry.start:
                heappush(free, heappop(busy)[1])
            if free:
                track = heappop(free)
            else:
                track = next_track
                next_track += 1
            entry.track = track
            heappush(busy, (entry.end, track))
            i += 1
        self._next_track = next_track
        if i >= n:
            self._sweep_list = None
            self._busy, self._free = [], []
            self._swept = 1 << 62
        else:
            self._sweep_at = i
            self._swept = upto if upto is not None else self._swept

    def _restart_sweep_at(self, position: int) -> None:
        """After an edit restacked the cluster ending at ``position`` (no span crosses
        it): the sweep, if it had not reached it, goes on from there afresh."""
        if self._sweep_list is None or self._swept > position:
            return
        ordered, i, n = self._sweep_list, self._sweep_at, len(self._sweep_list)
        while i < n and ordered[i].start < position:
            i += 1
        self._sweep_at = i
        self._busy, self._free, self._next_track = [], [], 0
        self._swept = position
        if i >= n:
            self._sweep(None)

    def _add(self, entry: Entry) -> None:
        self._by_id[entry.id] = entry
        for b in range(entry.start // BUCKET, (max(entry.end, entry.start + 1) - 1) // BUCKET + 1):
            self._buckets.setdefault(b, []).append(entry)

    def _remove(self, span_id: int) -> Entry | None:
        entry = self._by_id.pop(span_id, None)
        if entry is None:
            return None
        for b in range(entry.start // BUCKET, (max(entry.end, entry.start + 1) - 1) // BUCKET + 1):
            bucket = self._buckets.get(b)
            if bucket is not None:
                bucket[:] = [e for e in bucket if e.id != span_id]
                if not bucket:
                    del self._buckets[b]
        return entry

    def update(self, removed: Iterable[int], added: Iterable[Entry]) -> tuple[int, int] | None:
        """Drop and (re)insert spans; returns the region whose drawing may have changed.

        Tracks are reassigned only within the cluster of spans chained by overlap
        around the edit (no span crosses its edges), so an edit costs what its
        neighbourhood holds, not what the document holds.
        """
        removed, added = list(removed), list(added)
        # Everything before the edit must have its track before the cluster is restacked.
        reach = [e.end for e in added]
        for span_id in [*removed, *(e.id for e in added)]:
            old = self._by_id.get(span_id)
            if old is not None:
                reach.append(old.end)
        if reach:
            self._sweep(max(reach))
        lo, hi = None, None
        for span_id in removed:
            old = self._remove(span_id)
            if old is not None:
                lo = old.start if lo is None else min(lo, old.start)
                hi = old.end if hi is None else max(hi, old.end)
        for entry in added:
            old = self._remove(entry.id)
            if old is not None:
                lo = old.start if lo is None else min(lo, old.start)
                hi = old.end if hi is None else max(hi, old.end)
            self._add(entry)
            lo = entry.start if lo is None else min(lo, entry.start)
            hi = entry.end if hi is None else max(hi, entry.end)
        if lo is None or hi is None:
            return None
        while True:
            cluster = self._collect(lo, hi)
            new_lo = min([lo, *(e.start for e in cluster)])
            new_hi = max([hi, *(e.end for e in cluster)])
            if (new_lo, new_hi) == (lo, hi):
                break
            lo, hi = new_lo, new_hi
        _stack(cluster)
        self._restart_sweep_at(hi)
        return lo, hi

    def assign_tracks(self) -> None:
        """Greedy stacking: each span takes the lowest track free where it starts."""
        _stack(self.entries())

    def overlapping(self, start: int, end: int) -> list[Entry]:
        """Spans overlapping [start, end), by start, longest first (outer before inner)."""
        if end <= start:
            end = start + 1
        self._sweep(end)
        return self._collect(start, end)

    def _collect(self, start: int, end: int) -> list[Entry]:
        if end <= start:
            end = start + 1
        found: dict[int, Entry] = {}
        for b in range(start // BUCKET, (end - 1) // BUCKET + 1):
            for entry in self._buckets.get(b, ()):
                if entry.start < end and entry.end > start:
                    found[entry.id] = entry
        return sorted(found.values(), key=_order)

    def at(self, position: int) -> list[Entry]:
        """Spans covering ``position`` (start <= position < end), outermost first."""
        return self.overlapping(position, position + 1)

    def next_after(self, position: int, *, backwards: bool = False) -> Entry | None:
        """The span starting after (or before) ``position``, for keyboard stepping."""
        ordered = self.entries()
        starts = [e.start for e in ordered]
        if backwards:
            i = bisect_left(starts, position) - 1
            return ordered[i] if i >= 0 else None
        i = bisect_left(starts, position + 1)
        return ordered[i] if i < len(ordered) else None


def _stack(ordered: list[Entry]) -> None:
    """Tracks for spans in start order, none of which is crossed by a span outside them.

    Interval partitioning: a heap of tracks in use (by end) and a heap of tracks
    freed, so each span takes the lowest track free where it starts.
    """
    busy: list[tuple[int, int]] = []
    free: list[int] = []
    next_track = 0
    for entry in ordered:
        while busy and busy[0][0] <= entry.start:
            heappush(free, heappop(busy)[1])
        if free:
            track = heappop(free)
        else:
            track = next_track
            next_track += 1
        entry.track = track
        heappush(busy, (entry.end, track))


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    """In :func:`_order`, by stable sorts on one field each (least significant first),
    which run in C: much cheaper than a Python key for 10,000 spans."""
    ordered = sorted(entries, key=attrgetter("id"))
    ordered.sort(key=attrgetter("order"))
    ordered.sort(key=attrgetter("end"), reverse=True)
    ordered.sort(key=attrgetter("start"))
    return ordered


def _order(entry: Entry) -> tuple[int, int, int, int]:
    return (entry.start, -entry.end, entry.order, entry.id)
