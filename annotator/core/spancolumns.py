"""One layer's span extents as columns: four arrays, no Python object per span.

Opening a long article with several layers shown reads tens of thousands of
spans, and the screen shows a few dozen. So each column is read from SQLite as
one JSON array and packed into an ``array('q')`` (ids, starts, ends, label
codes) by C code, and kept so by the span index, the
article and the span table; a :class:`SpanExtent` is made only for the span a
paint, a table row or an edit asks for.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping, Sequence
from itertools import compress, islice, repeat
from operator import eq
from typing import Protocol, overload

import orjson

from annotator.core.model import SpanExtent


class Extent(Protocol):
    """What a column store needs of a span."""

    @property
    def id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def _column() -> array[int]:
    return array("q")


class SpanColumns(Sequence[SpanExtent]):
    """Spans as parallel arrays: ``ids``, ``starts``, ``ends`` and ``labels`` (label
    codes, named by ``names``). A sequence of :class:`SpanExtent` made on demand.

    ``reading_order`` says the rows are in the project's reading order (by start,
    longest first, then label order, then id), as :func:`read_columns` gives them;
    ``longest`` is the longest span's length when the reader knows it.
    """

    __slots__ = ("_codes", "ends", "ids", "labels", "longest", "names", "reading_order", "starts")

    def __init__(
        self,
        ids: array[int] | None = None,
        starts: array[int] | None = None,
        ends: array[int] | None = None,
        labels: array[int] | None = None,
        names: Mapping[int, str] | None = None,
        *,
        reading_order: bool = False,
        longest: int | None = None,
    ) -> None:
        self.ids = ids if ids is not None else _column()
        self.starts = starts if starts is not None else _column()
        self.ends = ends if ends is not None else _column()
        self.labels = labels if labels is not None else _column()
        self.names: dict[int, str] = dict(names or {})
        self._codes = {name: code for code, name in self.names.items()}
        self.reading_order = reading_order
        self.longest = longest

    @classmethod
    def from_extents(
        cls, extents: Iterable[Extent], names: Mapping[int, str] | None = None
    ) -> SpanColumns:
        """Columns of ``extents`` in the order given (a Python step per span)."""
        columns = cls(names=names)
        ids, starts, ends, labels = columns.ids, columns.starts, columns.ends, columns.labels
        code = columns.code
        for extent in extents:
            ids.append(extent.id)
            starts.append(extent.start)
            ends.append(extent.end)
            labels.append(code(extent.label))
        return columns

    # --- reading --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, row: int) -> SpanExtent: ...
    @overload
    def __getitem__(self, row: slice) -> SpanColumns: ...
    def __getitem__(self, row: int | slice) -> SpanExtent | SpanColumns:
        if isinstance(row, slice):
            return SpanColumns(
                self.ids[row], self.starts[row], self.ends[row], self.labels[row], self.names
            )
        return SpanExtent(
            self.ids[row], self.starts[row], self.ends[row], self.names[self.labels[row]]
        )

    def __iter__(self) -> Iterator[SpanExtent]:
        names = map(self.names.__getitem__, self.labels)
        columns = zip(self.ids, self.starts, self.ends, names, strict=True)
        return map(tuple.__new__, repeat(SpanExtent), columns)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same extents in the same order (a list too)."""
        if not isinstance(other, Sequence) or len(other) != len(self):
            return NotImplemented if not isinstance(other, Sequence) else False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SpanColumns({list(self)!r})"

    def label(self, row: int) -> str:
        return self.names[self.labels[row]]

    def code(self, name: str) -> int:
        """The code of label ``name`` in these columns (a new one for a new name)."""
        found = self._codes.get(name)
        if found is None:
            found = max(self.names, default=0) + 1
            self.names[found] = name
            self._codes[name] = found
        return found

    def row_of(self, span_id: int) -> int | None:
        """The row of ``span_id``, or None: a byte search of the ids (``array.index``
        would make a Python int of every id it passes)."""
        if not -(1 << 63) <= span_id < 1 << 63:
            return None
        raw = self.ids.tobytes()
        needle = span_id.to_bytes(8, sys.byteorder, signed=True)
        at = raw.find(needle)
        while at > 0 and at % 8:  # a match straddling two ids
            at = raw.find(needle, at + 1)
        return None if at < 0 else at // 8

    def named_by(self, names: Mapping[int, str]) -> bool:
        """Name the label codes by ``names``; False if a code has no name there."""
        if not set(self.labels) <= names.keys():
            return False
        self.names = dict(names)
        self._codes = {name: code for code, name in self.names.items()}
        return True

    def label_counts(self) -> Counter[str]:
        """How many spans each label has."""
        names = self.names
        return Counter({names[code]: n for code, n in Counter(self.labels).items()})

    def copy(self) -> SpanColumns:
        return SpanColumns(
            self.ids[:],
            self.starts[:],
            self.ends[:],
            self.labels[:],
            self.names,
            reading_order=self.reading_order,
            longest=self.longest,
        )

    # --- changing ---------------------------------------------------------------------

    def insert(self, row: int, extent: Extent) -> None:
        self.ids.insert(row, extent.id)
        self.starts.insert(row, extent.start)
        self.ends.insert(row, extent.end)
        self.labels.insert(row, self.code(extent.label))
        self.longest = None

    def replace(self, row: int, extent: Extent) -> None:
        self.ids[row] = extent.id
        self.starts[row] = extent.start
        self.ends[row] = extent.end
        self.labels[row] = self.code(extent.label)
        self.longest = None

    def delete(self, row: int) -> None:
        del self.ids[row], self.starts[row], self.ends[row], self.labels[row]


def count_labels(spans: Iterable[Extent]) -> Counter[str]:
    """Spans per label; from the label column when ``spans`` are columns."""
    if isinstance(spans, SpanColumns):
        return spans.label_counts()
    return Counter(span.label for span in spans)


class SpansById(MutableMapping[int, SpanExtent]):
    """A document's spans by id, over columns: a lookup makes the one span asked for.

    The id-to-row table is built on the first lookup (an edit, a hover), not
    when the document opens; edits since go to a small overlay.
    """

    __slots__ = ("_added", "_columns", "_gone", "_rows")

    def __init__(self, spans: Iterable[Extent] = ()) -> None:
        if isinstance(spans, SpanColumns):
            self._columns = spans
        else:
            self._columns = SpanColumns.from_extents(spans)
        self._rows: dict[int, int] | None = None
        self._added: dict[int, SpanExtent] = {}
        self._gone: set[int] = set()

    def _row(self, span_id: int) -> int | None:
        if self._rows is None:
            self._rows = dict(zip(self._columns.ids, range(len(self._columns)), strict=True))
        return self._rows.get(span_id)

    def __getitem__(self, span_id: int) -> SpanExtent:
        found = self._added.get(span_id)
        if found is not None:
            return found
        row = None if span_id in self._gone else self._row(span_id)
        if row is None:
            raise KeyError(span_id)
        return self._columns[row]

    def of_labels(self, labels: Collection[str]) -> list[SpanExtent]:
        """The spans whose label is one of ``labels``: an object made only for those
        (the relation chooser offers the PERSONs of a document of 10,000 spans)."""
        columns, gone, added = self._columns, self._gone, self._added
        codes = {code for code, name in columns.names.items() if name in labels}
        found = [
            columns[row]
            for row, code in enumerate(columns.labels)
            if code in codes and columns.ids[row] not in gone and columns.ids[row] not in added
        ]
        found.extend(span for span in added.values() if span.label in labels)
        return found

    def starts_of(self, span_ids: Iterable[int]) -> list[int | None]:
        """Each span's start, or None where there is no such span, with no object made
        for a span (arcs ask this of every relation's two ends)."""
        self._row(-1)  # the rows by id, made if not yet
        rows, starts = self._rows or {}, self._columns.starts
        added, gone = self._added, self._gone
        found: list[int | None] = []
        for span_id in span_ids:
            span = added.get(span_id)
            if span is not None:
                found.append(span.start)
                continue
            row = None if span_id in gone else rows.get(span_id)
            found.append(None if row is None else starts[row])
        return found

    def __contains__(self, span_id: object) -> bool:
        if span_id in self._added:
            return True
        if not isinstance(span_id, int) or span_id in self._gone:
            return False
        return self._row(span_id) is not None

    def __setitem__(self, span_id: int, span: SpanExtent) -> None:
        self._added[span_id] = span

    def __delitem__(self, span_id: int) -> None:
        if span_id not in self:
            raise KeyError(span_id)
        self._added.pop(span_id, None)
        if self._row(span_id) is not None:
            self._gone.add(span_id)

    def __iter__(self) -> Iterator[int]:
        gone, added = self._gone, self._added
        for span_id in self._columns.ids:
            if span_id not in gone and span_id not in added:
                yield span_id
        yield from added

    def __len__(self) -> int:
        return sum(1 for _ in self)


# --- reading from the store ------------------------------------------------------------

# Each column as one JSON array, in the order of the unique index on (document, layer,
# start, end, label id), which SQLite reads without sorting: sorting by end descending
# in SQL builds a temporary tree and costs several times the read.
_READ = (
    'SELECT json_group_array(id), json_group_array(start), json_group_array("end"),'
    ' json_group_array(label_id), max("end" - start) FROM (SELECT id, start, "end", label_id'
    " FROM spans WHERE document_id = ? AND layer_id = ? AND start < ?"
    ' ORDER BY start, "end", label_id, id)'
)
_EVERY_START = 1 << 62  # past any offset: the whole layer


def read_columns(
    conn: sqlite3.Connection,
    document_id: int,
    layer_id: int,
    names: Mapping[int, str],
    positions: Mapping[int, int],
    starting_before: int | None = None,
) -> SpanColumns:
    """One layer's spans of one document, in reading order, as columns.

    ``starting_before`` (None: no limit) reads a prefix of that order: the spans starting before
    it, which are all a screen from the top needs (and their tracks are those
    of the whole layer's). ``names`` and ``positions`` are the labels' names and
    places in the label order, by label id. orjson parses each column and
    ``array`` packs it, both in C; only spans sharing a start (few) are put in
    order in Python: the longest first, then by label order and id.
    """
    limit = _EVERY_START if starting_before is None else starting_before
    *packed, longest = conn.execute(_READ, (document_id, layer_id, limit)).fetchone()
    lists = [orjson.loads(text) for text in packed]
    ids, starts, ends, labels = (array("q", numbers) for numbers in lists)
    columns = SpanColumns(
        ids, starts, ends, labels, names, reading_order=True, longest=int(longest or 0)
    )
    if len(set(lists[1])) < len(lists[1]):  # some spans share a start
        shared = list(compress(range(1, len(starts)), map(eq, islice(starts, 1, None), starts)))
        _order_shared_starts(columns, shared, positions)
    return columns


def _order_shared_starts(
    columns: SpanColumns, shared: list[int], positions: Mapping[int, int]
) -> None:
    """Reorder each run of rows with one start (``shared`` lists every row whose start
    is its predecessor's) by end descending, label position, then id."""
    ids, starts, ends, labels = columns.ids, columns.starts, columns.ends, columns.labels
    i = 0
    while i < len(shared):
        first = last = shared[i]
        while i + 1 < len(shared) and shared[i + 1] == last + 1:
            i += 1
            last = shared[i]
        i += 1
        rows = sorted(
            range(first - 1, last + 1),
            key=lambda r: (-ends[r], positions.get(labels[r], 0), ids[r]),
        )
        for column in (ids, starts, ends, labels):
            column[first - 1 : last + 1] = array("q", [column[r] for r in rows])
