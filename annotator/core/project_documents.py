"""A project's documents: added (all or nothing), read, listed a page at a time, searched."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import orjson

from annotator.core.errors import InputError, SpanError
from annotator.core.model import (
    STATUSES,
    Document,
    DocumentSummary,
)
from annotator.core.project_base import ProjectBase
from annotator.core.records import (
    MAX_DOCUMENT_CHARS,
    Change,
    ImportReport,
    NewDocument,
    name_from_text,
    now,
    row_to_document,
    text_hash,
)


class DocumentStore(ProjectBase):
    """Documents and their status; imports carry their spans and relations in."""

    def add_documents(
        self,
        documents: Iterable[NewDocument],
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Add documents (and their spans) all or nothing, in one transaction.

        A document whose text is already in the project is skipped and counted.
        Labels named by incoming spans that the project lacks are added.
        """
        self._writable()
        report = ImportReport()
        stamp = now()
        try:
            with self.db.atomic():
                position = self.conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM documents"
                ).fetchone()[0]
                seen: set[str] = set()
                for item in documents:
                    if len(item.text) > MAX_DOCUMENT_CHARS:
                        raise InputError(
                            item.source or item.name or "document",
                            f"its text is {len(item.text):,} characters long; annotator takes"
                            f" articles of up to {MAX_DOCUMENT_CHARS:,} (split longer texts)",
                        )
                    digest = text_hash(item.text)
                    if (
                        digest in seen
                        or self.conn.execute(
                            "SELECT 1 FROM documents WHERE hash = ?", (digest,)
                        ).fetchone()
                    ):
                        report.skipped_duplicates += 1
                        if on_progress:
                            on_progress(1)
                        continue
                    seen.add(digest)
                    if item.status not in STATUSES:
                        raise SpanError(f"{item.source}: unknown status {item.status!r}")
                    name = item.name or name_from_text(item.text)
                    cursor = self.conn.execute(
                        "INSERT INTO documents"
                        " (name, text, meta, status, hash, position, created, updated)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            name,
                            item.text,
                            orjson.dumps(item.meta).decode(),
                            item.status,
                            digest,
                            position,
                            stamp,
                            stamp,
                        ),
                    )
                    document_id = int(cursor.lastrowid)
                    self.conn.execute(
                        "INSERT INTO documents_fts (rowid, name, text) VALUES (?, ?, ?)",
                        (document_id, name, item.text),
                    )
                    position += 1
                    report.added += 1
                    report.document_ids.append(document_id)
                    if item.spans:
                        self._import_spans(document_id, item, stamp, report)
                    if on_progress:
                        on_progress(1)
        finally:
            self._reload_labels()
        if report.added:
            self._emit(Change("documents"))
        return report

    def _import_spans(
        self, document_id: int, item: NewDocument, stamp: str, report: ImportReport
    ) -> None:
        ids: dict[Any, int] = {}
        for spec in item.spans:
            label_name = spec["label"]
            if label_name not in self._labels_by_name:
                self._insert_label(label_name)
                self._reload_labels()
                report.new_labels.append(label_name)
            where = f"{item.source}: " if item.source else ""
            try:
                span_id = self._insert_span(
                    document_id,
                    item.text,
                    int(spec["start"]),
                    int(spec["end"]),
                    label_name,
                    spec.get("text"),
                    annotator=spec.get("annotator") or self.annotator,
                    note=spec.get("note") or "",
                    stamp=stamp,
                )
            except SpanError as exc:
                raise SpanError(f"{where}{exc}") from None
            if span_id is not None:
                report.spans += 1
                if spec.get("id") is not None:
                    ids[spec["id"]] = span_id
        for rel in item.relations:
            try:
                head, child = ids[rel["head"]], ids[rel["child"]]
            except KeyError as exc:
                raise SpanError(
                    f"{item.source}: relation names span {exc.args[0]!r}, which is not in its spans"
                ) from None
            self.conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, str(rel.get("label", ""))),
            )
            report.relations += 1

    def add_document(
        self, text: str, name: str = "", meta: dict[str, Any] | None = None, status: str = "todo"
    ) -> Document | None:
        """Add one document; None when its text is already in the project."""
        report = self.add_documents(
            [NewDocument(text=text, name=name, meta=meta or {}, status=status)]
        )
        return self.document(report.document_ids[0]) if report.document_ids else None

    def document(self, document_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, name, text, meta, status, hash, position FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        return row_to_document(row)

    def document_text(self, document_id: int) -> str:
        """The stored text (cached: document texts never change once added)."""
        text = self._text_cache.get(document_id)
        if text is None:
            row = self.conn.execute(
                "SELECT text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise SpanError(f"no document {document_id}")
            text = row[0]
            if len(self._text_cache) > 8:
                self._text_cache.clear()
            self._text_cache[document_id] = text
        return text

    def documents(self, status: str | None = None, batch: int = 256) -> Iterator[Document]:
        """All documents in list order, read lazily in batches."""
        last = -1
        where = "position > ?" + (" AND status = ?" if status else "")
        while True:
            params: tuple[Any, ...] = (last, status) if status else (last,)
            rows = self.conn.execute(
                "SELECT id, name, text, meta, status, hash, position FROM documents"
                f" WHERE {where} ORDER BY position LIMIT {int(batch)}",
                params,
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_to_document(row)
            last = rows[-1][6]

    def document_ids(self, status: str | None = None) -> list[int]:
        """Ids in list order: cheap even for 100,000 documents (no text is read)."""
        if status:
            sql = "SELECT id FROM documents WHERE status = ? ORDER BY position"
            return [row[0] for row in self.conn.execute(sql, (status,))]
        return [row[0] for row in self.conn.execute("SELECT id FROM documents ORDER BY position")]

    def summaries(self, document_ids: Sequence[int]) -> list[DocumentSummary]:
        """Name, status and span count of these documents, in the order given."""
        if not document_ids:
            return []
        marks = ",".join("?" * len(document_ids))
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.status,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id), d.position"
            f" FROM documents d WHERE d.id IN ({marks})",
            tuple(document_ids),
        ).fetchall()
        by_id = {row[0]: DocumentSummary(*row) for row in rows}
        return [by_id[i] for i in document_ids if i in by_id]

    def summaries_page(
        self, offset: int, limit: int, status: str | None = None
    ) -> list[DocumentSummary]:
        """Rows ``offset`` to ``offset + limit`` of the document list (of one status if
        given): a list of 100,000 documents reads only the page it shows."""
        where = "WHERE d.status = ?" if status else ""
        params: tuple[Any, ...] = (status,) if status else ()
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.status,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id), d.position"
            f" FROM documents d {where} ORDER BY d.position LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset)),
        ).fetchall()
        return [DocumentSummary(*row) for row in rows]

    def list_row(self, document_id: int, status: str | None = None) -> int | None:
        """Where a document stands in the document list (of one status if given), or
        None if it is not in it; counted in the index, without reading every id."""
        row = self.conn.execute(
            "SELECT position, status FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or (status and row[1] != status):
            return None
        if status:
            sql, params = (
                "SELECT count(*) FROM documents WHERE status = ? AND position < ?",
                (status, row[0]),
            )
        else:
            sql, params = "SELECT count(*) FROM documents WHERE position < ?", (row[0],)
        return self.conn.execute(sql, params).fetchone()[0]

    def count_documents(self, status: str | None = None) -> int:
        if status:
            return self.conn.execute(
                "SELECT count(*) FROM documents WHERE status = ?", (status,)
            ).fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def set_status(self, document_id: int, status: str) -> None:
        """Mark a document todo, done or skipped (not an undo step: it is navigation)."""
        self._writable()
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        with self.db.atomic():
            cursor = self.conn.execute(
                "UPDATE documents SET status = ?, updated = ? WHERE id = ?",
                (status, now(), document_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no document {document_id}")
        self._emit(Change("document", document_id))

    def remove_documents(self, document_ids: Sequence[int]) -> int:
        """Remove documents with their spans and relations, in one transaction; returns
        how many were removed. Ids the project does not have are refused (KeyError)
        before anything changes."""
        self._writable()
        with self.db.atomic():
            for document_id in document_ids:
                row = self.conn.execute(
                    "SELECT name, text FROM documents WHERE id = ?", (document_id,)
                ).fetchone()
                if row is None:
                    raise KeyError(f"no document {document_id}")
                # documents_fts holds no copy of the text: tell it what it indexed.
                self.conn.execute(
                    "INSERT INTO documents_fts (documents_fts, rowid, name, text)"
                    " VALUES ('delete', ?, ?, ?)",
                    (document_id, *row),
                )
                self.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
                self._text_cache.pop(document_id, None)
        if document_ids:
            self._emit(Change("documents"))
        return len(document_ids)

    def next_document(self, after_id: int | None, *, not_status: str | None = "done") -> int | None:
        """The next document after ``after_id`` in list order (wrapping), skipping
        those whose status is ``not_status``."""
        position = -1
        if after_id is not None:
            row = self.conn.execute(
                "SELECT position FROM documents WHERE id = ?", (after_id,)
            ).fetchone()
            position = row[0] if row else -1
        cond = "status != ?" if not_status else "1"
        params: tuple[Any, ...] = (not_status,) if not_status else ()
        for sql, args in (
            (
                f"SELECT id FROM documents WHERE position > ? AND {cond} ORDER BY position LIMIT 1",
                (position, *params),
            ),
            (
                f"SELECT id FROM documents WHERE position < ? AND {cond} ORDER BY position LIMIT 1",
                (position, *params),
            ),
        ):
            row = self.conn.execute(sql, args).fetchone()
            if row:
                return row[0]
        return None

    def neighbour(self, document_id: int, step: int) -> int | None:
        """The document ``step`` places away in list order (+1 next, -1 previous)."""
        row = self.conn.execute(
            "SELECT position FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return None
        if step > 0:
            sql = "SELECT id FROM documents WHERE position > ? ORDER BY position LIMIT 1"
        else:
            sql = "SELECT id FROM documents WHERE position < ? ORDER BY position DESC LIMIT 1"
        found = self.conn.execute(sql, (row[0],)).fetchone()
        return found[0] if found else None

    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Ids of documents whose text or name matches ``query`` (FTS5 syntax; a plain
        phrase is quoted for you), in list order."""
        phrase = query if any(op in query for op in ('"', " OR ", " AND ", "*")) else f'"{query}"'
        if self._in_id_order():
            # The index gives ids in order at no cost; reading each document's
            # position instead would more than double the time of a common name.
            sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid"
        else:
            sql = (
                "SELECT d.id FROM documents_fts f JOIN documents d ON d.id = f.rowid"
                " WHERE documents_fts MATCH ? ORDER BY d.position"
            )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.conn.execute(sql, (phrase,))]

    def _in_id_order(self) -> bool:
        """Whether list order is id order (documents are added in order and never
        moved); checked again after another connection wrote or documents came.
        Anything that moves documents in the list must set ``_id_order = None``."""
        key = (
            self.conn.execute("PRAGMA data_version").fetchone()[0],
            *self.conn.execute(
                "SELECT (SELECT max(id) FROM documents), (SELECT max(position) FROM documents)"
            ).fetchone(),
        )
        if self._id_order is None or self._id_order[0] != key:
            ids = self.document_ids()
            self._id_order = (key, all(a < b for a, b in itertools.pairwise(ids)))
        return self._id_order[1]
