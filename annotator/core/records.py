"""The plain records and helpers that every part of a project shares.

What an edit touched (:class:`Change`), what an import did (:class:`ImportReport`),
a document on its way in (:class:`NewDocument`), and the SQL and row
conversions the parts of :class:`annotator.core.project.Project` use alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from annotator.core.model import (
    Document,
    Span,
)

SPAN_COLUMNS = (
    's.id, s.document_id, s.start, s."end", l.name, s.text, y.name, s.note, s.created, s.updated'
)
SPAN_FROM = "spans s JOIN labels l ON l.id = s.label_id JOIN layers y ON y.id = s.layer_id"

# A news article is some thousands of characters; a text far beyond this one
# would make the window crawl, so it is refused on import with a clear message.
MAX_DOCUMENT_CHARS = 10_000_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    import hashlib  # loads OpenSSL: only when a text comes in or is checked, not at start-up

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def default_annotator() -> str:
    """Who is labelling: $ANNOTATOR_NAME, else the login name."""
    name = os.environ.get("ANNOTATOR_NAME")
    if name:
        return name
    import getpass  # only where $ANNOTATOR_NAME is not set

    try:
        return getpass.getuser()
    except Exception:
        return "annotator"


class Change(NamedTuple):
    """What an edit touched, so a view redraws only that.

    kind: "spans" (start/end give the region), "document" (status), "documents"
    (added), "labels".
    """

    kind: str
    document_id: int | None = None
    start: int = 0
    end: int = 0
    span_ids: tuple[int, ...] = ()

    @property
    def relations_only(self) -> bool:
        """A relation made, deleted or retyped: it names its two spans (an empty region)
        but leaves them as they were."""
        return self.kind == "spans" and self.start == self.end


@dataclass
class ImportReport:
    """What an import did: documents added or matched to ones already there (by
    their text), spans and relations added or already there."""

    added: int = 0
    matched: int = 0
    spans: int = 0
    spans_existing: int = 0
    relations: int = 0
    relations_existing: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_relation_types: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    @property
    def skipped_duplicates(self) -> int:
        """Documents whose text was in the project already (their spans were added)."""
        return self.matched


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document on its way in: what importers produce."""

    text: str
    name: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "todo"
    spans: Sequence[dict[str, Any]] = ()  # {"id"?, "start", "end", "label", "annotator"?, ...}
    relations: Sequence[dict[str, Any]] = ()  # {"head", "child", "label"} by span "id"
    source: str = ""  # "file, line N", for messages
    # Status by layer where the source says it per layer (overrides ``status``).
    statuses: dict[str, str] = field(default_factory=dict)


row_to_span: Callable[[Iterable[Any]], Span] = Span._make


def row_to_document(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0],
        name=row[1],
        text=row[2],
        meta=orjson.loads(row[3]) if row[3] else {},
        status=row[4],
        hash=row[5],
        position=row[6],
        statuses=orjson.loads(row[7]) if len(row) > 7 and row[7] else {},
    )


def name_from_text(text: str) -> str:
    first = " ".join(text.split())[:60]
    return first or "(empty)"


def quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
