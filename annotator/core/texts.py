"""Document texts, read once: a text never changes after its import."""

from __future__ import annotations

from annotator.core.errors import SpanError
from annotator.core.store import Store


class DocumentTexts:
    """A few texts kept in memory: every span edit checks its extent against one."""

    def __init__(self, store: Store, keep: int = 8) -> None:
        self.store = store
        self.keep = keep
        self._cache: dict[int, str] = {}

    def text(self, document_id: int) -> str:
        text = self._cache.get(document_id)
        if text is None:
            row = self.store.conn.execute(
                "SELECT text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise SpanError(f"no document {document_id}")
            text = str(row[0])
            if len(self._cache) >= self.keep:
                self._cache.clear()
            self._cache[document_id] = text
        return text

    def forget(self, document_id: int) -> None:
        """After a document is removed (its id may be used again)."""
        self._cache.pop(document_id, None)
