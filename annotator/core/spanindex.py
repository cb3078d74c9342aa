"""Spans of one document indexed by position, so a view paints only what it shows.

Plain Python (no Qt). Positions are whatever the caller stores (a view uses its
own UTF-16 positions); the index only needs them ordered. Each span also gets
a *track*: 0 for a span no other span covers where it starts, 1 for the first
one nested or overlapping inside it, and so on. A view draws track 0 as a
tinted background and deeper tracks as stacked underlines.

Opening a long article with several layers must not cost a Python object per
span: the index keeps the spans as columns (:class:`SpanColumns`: arrays of
ids, starts, ends and label codes) in reading order, and answers a range query
by bisecting the starts. Tracks are given lazily, as far as a query has
looked, and an :class:`Entry` is made only for the spans a query returns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from heapq import heappop, heappush
from operator import attrgetter, sub

from annotator.core.spancolumns import Extent, SpanColumns

__all__ = ["LONG", "Entry", "Extent", "LayeredIndex", "SpanIndex"]

# A span longer than this is kept in a short side list too, so that a query need
# not look further back than this many positions for spans reaching into it.
LONG = 2048


@dataclass(slots=True)
class Entry:
    """One span as a query returns it: its extent, label and track (a slotted
    dataclass, not a tuple: painting reads its fields per span, and a slot is read
    in half the time of a tuple's field)."""

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
        in reading order under it, which saves a sort. Columns read from the project
        (:meth:`Project.span_extents`) are taken as they are, without a step per span."""
        self._order_of: Mapping[str, int] = order or {}
        if isinstance(spans, SpanColumns) and (presorted or spans.reading_order):
            columns = spans.copy()
        else:
            items = list(spans)
            if not presorted:
                items = self._sorted(items)
            columns = SpanColumns.from_extents(items)
        columns.reading_order = False  # kept in order by this index from now on
        self._columns = columns
        longest = columns.longest
        if longest is None:
            longest = max(map(sub, columns.ends, columns.starts), default=0)
        self._reach = min(longest, LONG)
        # Spans longer than LONG, by id: (start, end).
        self._long: dict[int, tuple[int, int]] = {}
        if longest > LONG:
            ids, starts, ends = columns.ids, columns.starts, columns.ends
            self._long = {
                ids[i]: (starts[i], ends[i])
                for i in range(len(columns))
                if ends[i] - starts[i] > LONG
            }
        self._start_by_id: dict[int, int] | None = None  # made when first needed
        self._tracks: dict[int, int] = {}
        # The lazy sweep: every span starting before ``_swept`` has its track.
        self._swept = -(1 << 62)
        self._stacker = _Stacker(self._tracks)

    def __len__(self) -> int:
        return len(self._columns)

    def __contains__(self, span_id: object) -> bool:
        return isinstance(span_id, int) and self._row_of(span_id) is not None

    def items(self) -> SpanColumns:
        """The spans as given, in reading order (a copy)."""
        return self._columns.copy()

    def get(self, span_id: int) -> Entry | None:
        row = self._row_of(span_id)
        return None if row is None else self._entry_at(row)

    def entries(self) -> list[Entry]:
        """All spans in reading order, with their tracks."""
        self._sweep(None)
        return list(map(self._entry, range(len(self._columns))))

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
        starts = self._columns.starts
        if backwards:
            i = bisect_left(starts, position) - 1
            return self._entry_at(i) if i >= 0 else None
        i = bisect_left(starts, position + 1)
        return self._entry_at(i) if i < len(starts) else None

    def neighbour(self, span_id: int, *, backwards: bool = False) -> Entry | None:
        """The span before or after ``span_id`` in reading order."""
        row = self._row_of(span_id)
        if row is None:
            return None
        i = row + (-1 if backwards else 1)
        return self._entry_at(i) if 0 <= i < len(self._columns) else None

    def update(self, removed: Iterable[int], added: Iterable[Extent]) -> tuple[int, int] | None:
        """Drop and (re)insert spans; returns the region whose drawing may have changed.

        Tracks are reassigned only within the cluster of spans chained by overlap
        around the edit (no span crosses its edges), so an edit costs what its
        neighbourhood holds, not what the document holds.
        """
        removed, added = list(removed), list(added)
        touched = [*removed, *(item.id for item in added)]
        # Everything before the edit must have its track before the cluster is restacked.
        reach = [item.end for item in added]
        for span_id in touched:
            row = self._row_of(span_id)
            if row is not None:
                reach.append(self._columns.ends[row])
        if reach:
            self._sweep(max(reach))
        lo, hi = None, None
        for span_id in touched:
            old = self._remove(span_id)
            if old is not None:
                lo = old[0] if lo is None else min(lo, old[0])
                hi = old[1] if hi is None else max(hi, old[1])
        for item in added:
            self._add(item)
            lo = item.start if lo is None else min(lo, item.start)
            hi = item.end if hi is None else max(hi, item.end)
        if lo is None or hi is None:
            return None
        starts, ends = self._columns.starts, self._columns.ends
        while True:
            cluster = self._collect(lo, hi)
            new_lo = min([lo, *(starts[row] for row in cluster)])
            new_hi = max([hi, *(ends[row] for row in cluster)])
            if (new_lo, new_hi) == (lo, hi):
                break
            lo, hi = new_lo, new_hi
        place = _Stacker(self._tracks).place
        ids = self._columns.ids
        for row in cluster:
            place(ids[row], starts[row], ends[row])
        self._restart_sweep_at(hi)
        return lo, hi

    # --- inside ------------------------------------------------------------------------

    def _key(self, item: Extent) -> tuple[int, int, int, int]:
        return (item.start, -item.end, self._order_of.get(item.label, 0), item.id)

    def _key_at(self, row: int) -> tuple[int, int, int, int]:
        columns = self._columns
        return (
            columns.starts[row],
            -columns.ends[row],
            self._order_of.get(columns.label(row), 0),
            columns.ids[row],
        )

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

    def _entry(self, row: int) -> Entry:
        columns = self._columns
        span_id = columns.ids[row]
        return Entry(
            span_id,
            columns.starts[row],
            columns.ends[row],
            columns.names[columns.labels[row]],
            self._tracks.get(span_id, 0),
        )

    def _entry_at(self, row: int) -> Entry:
        """The entry of ``row`` with its track (swept as far as its start)."""
        self._sweep(self._columns.starts[row] + 1)
        return self._entry(row)

    def _row_of(self, span_id: int) -> int | None:
        """The row of ``span_id``: its start from a table made on first use, then a
        bisection and a step over the spans starting there too."""
        by_id = self._start_by_id
        if by_id is None:
            columns = self._columns
            by_id = self._start_by_id = dict(zip(columns.ids, columns.starts, strict=True))
        start = by_id.get(span_id)
        if start is None:
            return None
        ids, starts = self._columns.ids, self._columns.starts
        row = bisect_left(starts, start)
        while row < len(starts) and starts[row] == start:
            if ids[row] == span_id:
                return row
            row += 1
        # Spans given as sorted that were not quite: find it the long way.
        return self._columns.row_of(span_id)

    def _collect(self, start: int, end: int) -> list[int]:
        """Rows of the spans overlapping [start, end), in reading order."""
        if end <= start:
            end = start + 1
        starts, ends = self._columns.starts, self._columns.ends
        first = bisect_left(starts, start - self._reach)
        last = bisect_left(starts, end, lo=first)
        found = [row for row in range(first, last) if ends[row] > start]
        if self._long:
            before = start - self._reach
            reaching = [
                span_id for span_id, (s, e) in self._long.items() if s < before and e > start
            ]
            if reaching:
                rows = sorted(self._row_of(span_id) or 0 for span_id in reaching)
                found = rows + found
        return found

    def _add(self, item: Extent) -> None:
        columns, key = self._columns, self._key(item)
        starts = columns.starts
        row = bisect_left(starts, item.start)
        while row < len(starts) and starts[row] == item.start and self._key_at(row) < key:
            row += 1
        columns.insert(row, item)
        if self._start_by_id is not None:
            self._start_by_id[item.id] = item.start
        length = item.end - item.start
        if length > LONG:
            self._long[item.id] = (item.start, item.end)
            self._reach = LONG
        elif length > self._reach:
            self._reach = length

    def _remove(self, span_id: int) -> tuple[int, int] | None:
        """Drop a span; its (start, end), or None if it is not here."""
        row = self._row_of(span_id)
        if row is None:
            return None
        columns = self._columns
        extent = (columns.starts[row], columns.ends[row])
        columns.delete(row)
        if self._start_by_id is not None:
            self._start_by_id.pop(span_id, None)
        self._long.pop(span_id, None)
        self._tracks.pop(span_id, None)
        return extent

    def _sweep(self, upto: int | None) -> None:
        """Give tracks to the spans starting before ``upto`` (None: all)."""
        if upto is not None and upto <= self._swept:
            return
        ids, starts, ends = self._columns.ids, self._columns.starts, self._columns.ends
        i, n = bisect_left(starts, self._swept), len(starts)
        if upto is not None:
            n = bisect_left(starts, upto, lo=i)
        place = self._stacker.place
        for row in range(i, n):
            place(ids[row], starts[row], ends[row])
        self._swept = upto if upto is not None and n < len(starts) else 1 << 62

    def _restart_sweep_at(self, position: int) -> None:
        """After an edit restacked the cluster ending at ``position`` (no span crosses
        it): the sweep, if it had not reached it, goes on from there afresh."""
        if self._swept > position:
            return
        self._stacker = _Stacker(self._tracks)
        self._swept = position


class _Layer:
    __slots__ = ("index", "load", "name", "upto")

    def __init__(
        self,
        name: str,
        index: SpanIndex,
        # None when ``index`` holds the whole layer; else it holds the spans starting
        # before ``upto`` and ``load`` gives the whole layer.
        upto: int | None = None,
        load: Callable[[], SpanIndex] | None = None,
    ) -> None:
        self.name = name
        self.index = index
        self.upto = upto
        self.load = load

    def whole(self) -> SpanIndex:
        if self.upto is not None and self.load is not None:
            self.index, self.upto, self.load = self.load(), None, None
        return self.index


class LayeredIndex:
    """Other layers' spans, drawn together but kept apart: one :class:`SpanIndex` per
    layer, asked in turn.

    Merging two layers into one index would cost a step per span (a sort by Python
    key); kept apart, each layer's columns come from the project as they are. A
    span's track is its track within its layer plus the layer's place, so each
    layer's underline keeps a lane of its own where layers agree.

    A layer may come as a prefix first (the spans starting before ``upto``, all a
    screen from the top needs, with the tracks the whole layer gives them) and a
    way to read the rest: a query beyond the prefix, or any question about the whole
    layer, reads it then; :meth:`complete` reads it once the screen is painted.
    """

    def __init__(self, layers: Iterable[tuple[str, SpanIndex]] = ()) -> None:
        self._layers = [_Layer(name, index) for name, index in layers]

    def add_whole(self, name: str, index: SpanIndex) -> None:
        """Show every span of ``name``."""
        self._layers.append(_Layer(name, index))

    def add_prefix(
        self, name: str, prefix: SpanIndex, upto: int, load: Callable[[], SpanIndex]
    ) -> None:
        """Show ``name`` from ``prefix`` (its spans starting before ``upto``) until
        more is asked for, when ``load`` gives the whole layer."""
        self._layers.append(_Layer(name, prefix, upto, load))

    def complete(self) -> None:
        """Read every layer's whole spans (where only a prefix is in)."""
        for layer in self._layers:
            layer.whole()

    @property
    def is_complete(self) -> bool:
        """Whether every layer's whole spans are in (none shown as a prefix only)."""
        return all(layer.upto is None for layer in self._layers)

    def in_hand(self) -> int:
        """How many spans are read so far, without reading more."""
        return sum(len(layer.index) for layer in self._layers)

    def __bool__(self) -> bool:
        return any(len(layer.index) or layer.upto is not None for layer in self._layers)

    def __len__(self) -> int:
        return sum(len(layer.whole()) for layer in self._layers)

    def __contains__(self, span_id: object) -> bool:
        return any(span_id in layer.whole() for layer in self._layers)

    def names(self) -> list[str]:
        """The layers shown, in the order given."""
        return [layer.name for layer in self._layers]

    def layer_of(self, span_id: int) -> str | None:
        """Whose span ``span_id`` is, or None if no layer shown has it."""
        return next((layer.name for layer in self._layers if span_id in layer.whole()), None)

    def items(self) -> list[Extent]:
        """Every layer's spans, layer by layer, each in reading order."""
        return [span for layer in self._layers for span in layer.whole().items()]

    def overlapping(self, start: int, end: int) -> list[Entry]:
        """Spans of every layer overlapping [start, end), layer by layer."""
        found: list[Entry] = []
        for place, layer in enumerate(self._layers):
            index = layer.index
            if layer.upto is not None and max(end, start + 1) > layer.upto:
                index = layer.whole()
            entries = index.overlapping(start, end)
            if place:
                for entry in entries:
                    entry.track += place
            found.extend(entries)
        return found

    def at(self, position: int) -> list[Entry]:
        """Spans of every layer covering ``position``."""
        return self.overlapping(position, position + 1)


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

    def place(self, span_id: int, start: int, end: int) -> None:
        busy, free = self.busy, self.free
        while busy and busy[0][0] <= start:
            heappush(free, heappop(busy)[1])
        if free:
            track = heappop(free)
        else:
            track = self.next_track
            self.next_track += 1
        self.tracks[span_id] = track
        heappush(busy, (end, track))
