"""The plain records and helpers that every part of a project shares.

What an edit touched (:class:`Change`), and the SQL and row conversions the parts
of :class:`annotator.core.project.Project` use alike. What comes in on import is in
:mod:`annotator.core.incoming`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
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
