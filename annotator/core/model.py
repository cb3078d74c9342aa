"""The domain's plain records. See docs/CONTEXT.md for what each word means."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

Status = Literal["todo", "done", "skipped"]
STATUSES: tuple[str, ...] = ("todo", "done", "skipped")


class Label(NamedTuple):
    id: int
    name: str
    colour: str
    hotkey: str | None
    description: str
    position: int


class Document(NamedTuple):
    id: int
    name: str
    text: str
    meta: dict[str, Any]
    status: str  # of one layer: the current annotator's, or the one exported
    hash: str
    position: int
    statuses: dict[str, str]  # every layer's, where read


class DocumentSummary(NamedTuple):
    """What the document list shows, without loading the text: the current
    annotator's status and span count."""

    id: int
    name: str
    status: str
    span_count: int
    position: int


class Span(NamedTuple):
    """A tuple: a document's 10,000 spans are read as fast as SQLite returns rows."""

    id: int
    document_id: int
    start: int
    end: int
    label: str
    text: str
    annotator: str = ""  # the span's layer: a person's name, gold or suggest:SOURCE
    note: str = ""
    created: str = ""
    updated: str = ""

    def extent(self) -> SpanExtent:
        return SpanExtent(self.id, self.start, self.end, self.label)


class SpanExtent(NamedTuple):
    """What a view needs to place a span: where it is and its label.

    Read with :meth:`Project.span_extents` from the covering index on
    ``(document_id, start, end, label_id)``. Its text is the document's
    ``text[start:end]`` (what a span stores), sliced where it is shown; annotator,
    note and times are read for one span with :meth:`Project.span`.
    """

    id: int
    start: int
    end: int
    label: str


class Relation(NamedTuple):
    """A typed link from a head span to a child span of the same layer (a tuple, as
    spans are: a document's 2,000 relations are made as it opens)."""

    id: int
    head: int
    child: int
    label: str
