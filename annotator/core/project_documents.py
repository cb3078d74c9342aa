"""A project's documents: added (all or nothing), read, listed a page at a time, searched.

A document's status is per layer: Maria's "done" is not Olga's. Reads that
show or filter by status use the current layer's (``Layers.current``); a layer
with no row for a document has it to do.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from annotator.core.errors import InputError, SpanError
from annotator.core.layers import Layers, is_suggestion
from annotator.core.model import STATUSES, Document, DocumentSummary
from annotator.core.project_labels import Labels
from annotator.core.project_relation_types import RelationTypes
from annotator.core.project_spans import Spans
from annotator.core.records import (
    MAX_DOCUMENT_CHARS,
    Change,
    name_from_text,
    now,
    row_to_document,
    text_hash,
)
from annotator.core.store import Store
from annotator.core.texts import DocumentTexts

if TYPE_CHECKING:
    from annotator.core.incoming import ImportReport, NewDocument

STATUS_SQL = (
    "coalesce((SELECT status FROM document_status ds"
    " WHERE ds.document_id = d.id AND ds.layer_id = ?), 'todo')"
)
_SPAN_COUNT = "(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.layer_id = ?)"


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


class Documents:
    """Documents and their status per layer; imports carry their spans and relations in."""

    def __init__(
        self,
        store: Store,
        labels: Labels,
        layers: Layers,
        spans: Spans,
        texts: DocumentTexts,
        relation_types: RelationTypes,
    ) -> None:
        self.store = store
        self.labels = labels
        self.layers = layers
        self.spans = spans
        self.texts = texts
        self.relation_types = relation_types
        self._id_order: tuple[Any, bool] | None = None  # see _in_id_order

    def _layer_id(self, layer: str | None = None) -> int:
        """The layer's id, or -1 (matching nothing) where it has none yet."""
        found = self.layers.find(layer or self.layers.current)
        return -1 if found is None else found

    def where_status(
        self, status: str | None, layer: str | None = None
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL (on documents ``d``) keeping documents of one status in one layer."""
        if status is None:
            return "1", ()
        check_status(status)
        layer_id = self._layer_id(layer)
        if status == "todo":
            return (
                "NOT EXISTS (SELECT 1 FROM document_status ds WHERE ds.document_id = d.id"
                " AND ds.layer_id = ? AND ds.status != 'todo')",
                (layer_id,),
            )
        return (
            "EXISTS (SELECT 1 FROM document_status ds WHERE ds.document_id = d.id"
            " AND ds.layer_id = ? AND ds.status = ?)",
            (layer_id, status),
        )

    # --- adding -----------------------------------------------------------------------

    def add_documents(
        self,
        documents: Iterable[NewDocument],
        *,
        on_progress: Callable[[int], None] | None = None,
        as_layer: str | None = None,
    ) -> ImportReport:
        """Add documents with their spans, all or nothing, in one transaction.

        A document whose text is already in the project is matched to it and its
        spans are added there (counted apart). Spans that name no annotator go to
        ``as_layer`` (the current layer by default). Labels named by incoming
        spans that the project lacks are added.
        """
        self.store.writable()
        from annotator.core.incoming import ImportReport

        report = ImportReport()
        stamp = now()
        default_layer = as_layer or self.layers.current
        conn = self.store.conn
        try:
            with self.store.transaction():
                position = conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM documents"
                ).fetchone()[0]
                for item in documents:
                    if len(item.text) > MAX_DOCUMENT_CHARS:
                        raise InputError(
                            item.source or item.name or "document",
                            f"its text is {len(item.text):,} characters long; annotator takes"
                            f" articles of up to {MAX_DOCUMENT_CHARS:,} (split longer texts)",
                        )
                    if item.status not in STATUSES:
                        raise SpanError(f"{item.source}: unknown status {item.status!r}")
                    digest = text_hash(item.text)
                    row = conn.execute(
                        "SELECT id FROM documents WHERE hash = ?", (digest,)
                    ).fetchone()
                    if row is not None:
                        document_id = int(row[0])
                        report.matched += 1
                    else:
                        name = item.name or name_from_text(item.text)
                        cursor = conn.execute(
                            "INSERT INTO documents (name, text, meta, hash, position, created,"
                            " updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (
                                name,
                                item.text,
                                orjson.dumps(item.meta).decode(),
                                digest,
                                position,
                                stamp,
                                stamp,
                            ),
                        )
                        document_id = int(cursor.lastrowid or 0)
                        conn.execute(
                            "INSERT INTO documents_fts (rowid, name, text) VALUES (?, ?, ?)",
                            (document_id, name, item.text),
                        )
                        position += 1
                        report.added += 1
                        report.document_ids.append(document_id)
                    layers = self._import_spans(document_id, item, stamp, report, default_layer)
                    people = [layer for layer in layers if not is_suggestion(layer)]
                    self._import_statuses(document_id, item, people or [default_layer], stamp)
                    if on_progress:
                        on_progress(1)
        finally:
            self.labels.reload()
            self.layers.reload()
        if report.added or report.spans or report.relations:
            self.store.emit(Change("documents"))
        return report

    def _import_spans(
        self,
        document_id: int,
        item: NewDocument,
        stamp: str,
        report: ImportReport,
        default_layer: str,
    ) -> list[str]:
        """Insert the item's spans and relations; the layers its spans went to."""
        where = f"{item.source}: " if item.source else ""
        ids: dict[tuple[str, Any], int] = {}
        layers: list[str] = []
        for spec in item.spans:
            label_name = spec["label"]
            try:
                label_id = self.labels.get(label_name).id
            except SpanError:
                label_id = self.labels.insert(label_name)
                self.labels.reload()
                report.new_labels.append(label_name)
            layer = str(spec.get("annotator") or default_layer)
            try:
                layer_id = self.layers.ensure(layer)
                start, end = int(spec["start"]), int(spec["end"])
                span_id = self.spans.insert(
                    document_id,
                    item.text,
                    start,
                    end,
                    label_id,
                    spec.get("text"),
                    layer_id=layer_id,
                    note=spec.get("note") or "",
                    stamp=stamp,
                )
            except SpanError as exc:
                raise SpanError(f"{where}{exc}") from None
            if layer not in layers:
                layers.append(layer)
                if layer not in report.layers:
                    report.layers.append(layer)
            if span_id is None:
                report.spans_existing += 1
                span_id = self.store.conn.execute(
                    "SELECT id FROM spans WHERE document_id = ? AND layer_id = ? AND start = ?"
                    ' AND "end" = ? AND label_id = ?',
                    (document_id, layer_id, start, end, label_id),
                ).fetchone()[0]
            else:
                report.spans += 1
            if spec.get("id") is not None:
                ids[(layer, spec["id"])] = int(span_id)
        for rel in item.relations:
            named = rel.get("annotator")
            candidates = [str(named)] if named else layers
            found = [
                (ids[(layer, rel["head"])], ids[(layer, rel["child"])])
                for layer in candidates
                if (layer, rel["head"]) in ids and (layer, rel["child"]) in ids
            ]
            if not found:
                missing = next(
                    (
                        rel[end]
                        for end in ("head", "child")
                        if not any((layer, rel[end]) in ids for layer in candidates)
                    ),
                    rel["head"],
                )
                raise SpanError(
                    f"{where}relation names span {missing!r}, which is not in its spans"
                )
            head, child = found[0]
            if self.relation_types.ensure(str(rel.get("label", ""))):
                report.new_relation_types.append(str(rel.get("label", "")))
            cursor = self.store.conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, str(rel.get("label", ""))),
            )
            if cursor.rowcount:
                report.relations += 1
            else:
                report.relations_existing += 1
        return layers

    def _import_statuses(
        self, document_id: int, item: NewDocument, layers: list[str], stamp: str
    ) -> None:
        """A line's status goes to the layers of the spans it carries (or the
        importer's); per-layer statuses where the source has them. "todo" is the
        absence of a status and never replaces one already set."""
        statuses = item.statuses or dict.fromkeys(layers, item.status)
        for layer, status in statuses.items():
            if status not in STATUSES:
                raise SpanError(f"{item.source}: unknown status {status!r}")
            if status == "todo":
                continue
            layer_id = self.layers.ensure(layer)
            self.store.conn.execute(
                "INSERT OR REPLACE INTO document_status (document_id, layer_id, status, updated)"
                " VALUES (?, ?, ?, ?)",
                (document_id, layer_id, status, stamp),
            )

    def add_document(
        self, text: str, name: str = "", meta: dict[str, Any] | None = None, status: str = "todo"
    ) -> Document | None:
        """Add one document; None when its text is already in the project."""
        from annotator.core.incoming import NewDocument

        report = self.add_documents(
            [NewDocument(text=text, name=name, meta=meta or {}, status=status)]
        )
        return self.document(report.document_ids[0]) if report.document_ids else None

    def remove_documents(self, document_ids: Sequence[int]) -> int:
        """Remove documents with their spans, relations and statuses (one transaction;
        not an undo step: the command line takes a backup first). Returns how many.
        Ids the project does not have are refused (KeyError) before anything changes."""
        removed = 0
        with self.store.transaction() as conn:
            for document_id in document_ids:
                row = conn.execute(
                    "SELECT name, text FROM documents WHERE id = ?", (document_id,)
                ).fetchone()
                if row is None:
                    raise KeyError(f"no document {document_id}")
                conn.execute(
                    "INSERT INTO documents_fts (documents_fts, rowid, name, text)"
                    " VALUES ('delete', ?, ?, ?)",
                    (document_id, row[0], row[1]),
                )
                conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
                self.texts.forget(document_id)
                removed += 1
        self._id_order = None
        if removed:
            self.store.emit(Change("documents"))
        return removed

    # --- reading ------------------------------------------------------------------------

    def _select(self, layer: str | None = None) -> tuple[str, tuple[Any, ...]]:
        return (
            f"SELECT d.id, d.name, d.text, d.meta, {STATUS_SQL}, d.hash, d.position"
            " FROM documents d",
            (self._layer_id(layer),),
        )

    def document(self, document_id: int, layer: str | None = None) -> Document:
        """The document, with the status of ``layer`` (the current one by default)."""
        sql, params = self._select(layer)
        row = self.store.conn.execute(f"{sql} WHERE d.id = ?", (*params, document_id)).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        return row_to_document(row)

    def documents(self, status: str | None = None, batch: int = 256) -> Iterator[Document]:
        """All documents in list order (of the current layer's ``status`` if given),
        read lazily in batches."""
        last = -1
        select, select_params = self._select()
        where, where_params = self.where_status(status)
        while True:
            rows = self.store.conn.execute(
                f"{select} WHERE d.position > ? AND {where} ORDER BY d.position LIMIT {int(batch)}",
                (*select_params, last, *where_params),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_to_document(row)
            last = rows[-1][6]

    def statuses(self, document_id: int) -> dict[str, str]:
        """Every layer's status of the document (layers with none are to do)."""
        return dict(
            self.store.conn.execute(
                "SELECT y.name, ds.status FROM document_status ds JOIN layers y"
                " ON y.id = ds.layer_id WHERE ds.document_id = ? ORDER BY y.id",
                (document_id,),
            ).fetchall()
        )

    def status(self, document_id: int, layer: str | None = None) -> str:
        row = self.store.conn.execute(
            "SELECT status FROM document_status WHERE document_id = ? AND layer_id = ?",
            (document_id, self._layer_id(layer)),
        ).fetchone()
        return str(row[0]) if row else "todo"

    def document_ids(self, status: str | None = None) -> list[int]:
        """Ids in list order: cheap even for 100,000 documents (no text is read)."""
        where, params = self.where_status(status)
        sql = f"SELECT d.id FROM documents d WHERE {where} ORDER BY d.position"
        return [row[0] for row in self.store.conn.execute(sql, params)]

    def _summary_sql(self) -> tuple[str, tuple[Any, ...]]:
        layer_id = self._layer_id()
        return (
            f"SELECT d.id, d.name, {STATUS_SQL}, {_SPAN_COUNT}, d.position FROM documents d",
            (layer_id, layer_id),
        )

    def summaries(self, document_ids: Sequence[int]) -> list[DocumentSummary]:
        """Name, the current layer's status and span count, in the order given."""
        if not document_ids:
            return []
        sql, params = self._summary_sql()
        marks = ",".join("?" * len(document_ids))
        rows = self.store.conn.execute(
            f"{sql} WHERE d.id IN ({marks})", (*params, *document_ids)
        ).fetchall()
        by_id = {row[0]: DocumentSummary(*row) for row in rows}
        return [by_id[i] for i in document_ids if i in by_id]

    def summaries_page(
        self, offset: int, limit: int, status: str | None = None
    ) -> list[DocumentSummary]:
        """Rows ``offset`` to ``offset + limit`` of the document list (of one status if
        given): a list of 100,000 documents reads only the page it shows."""
        sql, params = self._summary_sql()
        where, where_params = self.where_status(status)
        rows = self.store.conn.execute(
            f"{sql} WHERE {where} ORDER BY d.position LIMIT ? OFFSET ?",
            (*params, *where_params, int(limit), int(offset)),
        ).fetchall()
        return [DocumentSummary(*row) for row in rows]

    def list_row(self, document_id: int, status: str | None = None) -> int | None:
        """Where a document stands in the document list (of one status if given), or
        None if it is not in it; counted in the index, without reading every id."""
        row = self.store.conn.execute(
            "SELECT position FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or (status and self.status(document_id) != status):
            return None
        where, params = self.where_status(status)
        return int(
            self.store.conn.execute(
                f"SELECT count(*) FROM documents d WHERE d.position < ? AND {where}",
                (row[0], *params),
            ).fetchone()[0]
        )

    def count_documents(self, status: str | None = None, layer: str | None = None) -> int:
        conn = self.store.conn
        total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        if status is None:
            return total
        check_status(status)
        counts = dict(
            conn.execute(
                "SELECT status, count(*) FROM document_status WHERE layer_id = ? GROUP BY status",
                (self._layer_id(layer),),
            ).fetchall()
        )
        if status == "todo":
            return total - int(counts.get("done", 0)) - int(counts.get("skipped", 0))
        return int(counts.get(status, 0))

    def set_status(self, document_id: int, status: str, layer: str | None = None) -> None:
        """Mark a document todo, done or skipped in ``layer`` (the current one by
        default). Not an undo step: it is navigation."""
        self.store.writable()
        check_status(status)
        try:
            with self.store.transaction() as conn:
                if not conn.execute(
                    "SELECT 1 FROM documents WHERE id = ?", (document_id,)
                ).fetchone():
                    raise KeyError(f"no document {document_id}")
                layer_id = self.layers.ensure(layer or self.layers.current)
                conn.execute(
                    "INSERT OR REPLACE INTO document_status (document_id, layer_id, status,"
                    " updated) VALUES (?, ?, ?, ?)",
                    (document_id, layer_id, status, now()),
                )
        except BaseException:
            self.layers.reload()
            raise
        self.store.emit(Change("document", document_id))

    def next_document(self, after_id: int | None, *, not_status: str | None = "done") -> int | None:
        """The next document after ``after_id`` in list order (wrapping), skipping
        those whose status (in the current layer) is ``not_status``."""
        conn = self.store.conn
        position = -1
        if after_id is not None:
            row = conn.execute(
                "SELECT position FROM documents WHERE id = ?", (after_id,)
            ).fetchone()
            position = row[0] if row else -1
        cond: str = "1"
        params: tuple[Any, ...] = ()
        if not_status:
            cond, params = f"{STATUS_SQL} != ?", (self._layer_id(), not_status)
        for comparison in (">", "<"):
            row = conn.execute(
                f"SELECT d.id FROM documents d WHERE d.position {comparison} ? AND {cond}"
                " ORDER BY d.position LIMIT 1",
                (position, *params),
            ).fetchone()
            if row:
                return int(row[0])
        return None

    def neighbour(self, document_id: int, step: int) -> int | None:
        """The document ``step`` places away in list order (+1 next, -1 previous)."""
        conn = self.store.conn
        row = conn.execute("SELECT position FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return None
        if step > 0:
            sql = "SELECT id FROM documents WHERE position > ? ORDER BY position LIMIT 1"
        else:
            sql = "SELECT id FROM documents WHERE position < ? ORDER BY position DESC LIMIT 1"
        found = conn.execute(sql, (row[0],)).fetchone()
        return int(found[0]) if found else None

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
        # A query FTS5 cannot read raises sqlite3.OperationalError; core.search says
        # it in words (SearchError).
        return [row[0] for row in self.store.conn.execute(sql, (phrase,))]

    def _in_id_order(self) -> bool:
        """Whether list order is id order (documents are added in order and never
        moved); checked again after another connection wrote or documents came."""
        conn = self.store.conn
        key = (
            self.store.data_version(),
            *conn.execute(
                "SELECT (SELECT max(id) FROM documents), (SELECT max(position) FROM documents)"
            ).fetchone(),
        )
        if self._id_order is None or self._id_order[0] != key:
            ids = self.document_ids()
            self._id_order = (key, all(a < b for a, b in itertools.pairwise(ids)))
        return self._id_order[1]
