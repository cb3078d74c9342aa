"""A project's spans and relations: read, and edited through the undo history.

Every edit is one transaction and one undoable step. A step names labels,
layers and spans by id, never by name, so renaming a label between an edit and
its undo changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from annotator.core.errors import SpanError
from annotator.core.history import History, Step
from annotator.core.layers import Layers
from annotator.core.model import Relation, Span
from annotator.core.project_labels import Labels
from annotator.core.records import (
    SPAN_COLUMNS,
    SPAN_FROM,
    Change,
    now,
    quote,
    row_to_span,
)
from annotator.core.spancolumns import SpanColumns, read_columns
from annotator.core.store import Store
from annotator.core.texts import DocumentTexts


def check_extent(text: str, start: object, end: object, expected: str | None) -> None:
    """Refuse (SpanError) an extent that is not a non-empty slice of ``text``."""
    if not (type(start) is int and type(end) is int):
        raise SpanError("span offsets must be whole numbers")
    if start == end:
        raise SpanError(f"empty span at {start}")
    if start > end:
        raise SpanError(f"span start {start} is after its end {end}")
    if start < 0 or end > len(text):
        raise SpanError(f"span {start}-{end} is outside the text (length {len(text)})")
    if expected is not None and text[start:end] != expected:
        raise SpanError(
            f"span {start}-{end} says {expected!r} but the text there is {text[start:end]!r}"
        )


class Spans:
    """Spans and relations of every layer; edits default to the current layer."""

    def __init__(
        self,
        store: Store,
        labels: Labels,
        layers: Layers,
        texts: DocumentTexts,
        history: History,
    ) -> None:
        self.store = store
        self.labels = labels
        self.layers = layers
        self.texts = texts
        self.history = history

    # --- reading --------------------------------------------------------------------

    def _in_layers(self, layers: Iterable[str] | None) -> str | None:
        """SQL keeping spans ``s`` of ``layers`` ("" for every layer; None: none exist)."""
        if layers is None:
            return ""
        ids = self.layers.ids(layers)
        return f" AND s.layer_id IN ({','.join(str(int(i)) for i in ids)})" if ids else None

    def spans(self, document_id: int, layers: Iterable[str] | None = None) -> list[Span]:
        """The document's spans in reading order: by start, longest first at equal
        starts (outer before inner), then label order. ``layers`` None: every layer."""
        where = self._in_layers(layers)
        if where is None:
            return []
        rows = self.store.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.document_id = ?{where}",
            (document_id,),
        ).fetchall()
        # Sorted here, by stable sorts on one field each (least significant first):
        # SQLite's ORDER BY would build a temporary tree for 10,000 rows.
        spans = list(map(row_to_span, rows))
        self.labels.fresh()
        positions = {label.name: label.position for label in self.labels.all()}
        spans.sort(key=lambda span: positions.get(span.label, 0))
        spans.sort(key=attrgetter("end"), reverse=True)
        spans.sort(key=attrgetter("start"))
        return spans

    def span_extents(
        self, document_id: int, layer: str | None = None, *, starting_before: int | None = None
    ) -> SpanColumns:
        """One layer's spans (the current one by default) as a view places them, in
        reading order: a sequence of :class:`SpanExtent` kept as columns, with no
        Python object per span until one is asked for (see ``core/spancolumns.py``).
        ``starting_before`` keeps to the spans starting before that offset: what the
        first screen of a document needs, before the rest is read.
        """
        layer_id = self.layers.find(layer or self.layers.current)
        self.labels.fresh()
        if layer_id is None:
            return SpanColumns(names=self.labels.names_by_id(), reading_order=True, longest=0)
        conn = self.store.conn
        names, positions = self.labels.names_by_id(), self.labels.positions_by_id()
        columns = read_columns(conn, document_id, layer_id, names, positions, starting_before)
        if not columns.named_by(names):
            self.labels.reload()  # a label added since (by another connection)
            names, positions = self.labels.names_by_id(), self.labels.positions_by_id()
            columns = read_columns(conn, document_id, layer_id, names, positions, starting_before)
            if not columns.named_by(names):
                raise SpanError(f"a span of document {document_id} names an unknown label")
        return columns

    def span(self, span_id: int) -> Span:
        row = self.store.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.id = ?", (span_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no span {span_id}")
        return row_to_span(row)

    def find_span(
        self, document_id: int, start: int, end: int, label: str, layer: str | None = None
    ) -> Span | None:
        """The span with this extent and label in ``layer`` (the current one by default)."""
        row = self.store.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.document_id = ? AND s.start = ?"
            ' AND s."end" = ? AND l.name = ? AND y.name = ?',
            (document_id, start, end, label, layer or self.layers.current),
        ).fetchone()
        return row_to_span(row) if row else None

    # --- writing inside a caller's transaction ---------------------------------------

    def insert(
        self,
        document_id: int,
        text: str,
        start: int,
        end: int,
        label_id: int,
        expected: str | None,
        *,
        layer_id: int,
        note: str = "",
        stamp: str,
        span_id: int | None = None,
    ) -> int | None:
        """Insert inside the caller's transaction; None for an exact duplicate in its layer."""
        check_extent(text, start, end, expected)
        cursor = self.store.conn.execute(
            'INSERT OR IGNORE INTO spans (id, document_id, layer_id, start, "end", label_id,'
            " text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                span_id,
                document_id,
                layer_id,
                start,
                end,
                label_id,
                text[start:end],
                note,
                stamp,
                stamp,
            ),
        )
        return int(cursor.lastrowid or 0) if cursor.rowcount else None

    # --- edits ------------------------------------------------------------------------

    def add_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        *,
        text: str | None = None,
        note: str = "",
        annotator: str | None = None,
    ) -> Span:
        """Tag text[start:end] with ``label`` (code points, end exclusive) in the layer
        ``annotator`` (the current one by default).

        The span's text is taken from the stored document; pass ``text`` to have
        it checked. An exact duplicate returns the span already there.
        """
        self.store.writable()
        doc_text = self.texts.text(document_id)
        layer = annotator or self.layers.current
        label_id = self.labels.get(label).id
        try:
            with self.store.transaction():
                layer_id = self.layers.ensure(layer)
                span_id = self.insert(
                    document_id,
                    doc_text,
                    start,
                    end,
                    label_id,
                    text,
                    layer_id=layer_id,
                    note=note,
                    stamp=now(),
                )
        except BaseException:
            self.layers.reload()
            raise
        if span_id is None:
            existing = self.find_span(document_id, start, end, label, layer)
            assert existing is not None
            return existing
        row = self._row(span_id)
        self.history.push(
            Step(
                f"add {label} {quote(doc_text[start:end])}",
                document_id,
                apply=lambda: self._restore(row, []),
                revert=lambda: self._remove(span_id),
            )
        )
        self.store.emit(Change("spans", document_id, start, end, (span_id,)))
        return self.span(span_id)

    def add_spans(
        self,
        document_id: int,
        extents: Sequence[tuple[int, int]],
        label: str,
        *,
        annotator: str | None = None,
        description: str | None = None,
    ) -> list[Span]:
        """Tag many extents with one label as one transaction and one undoable step
        ("tag all as"); extents already tagged so are passed over."""
        if description is None and extents:
            text = self.texts.text(document_id)
            first = quote(text[extents[0][0] : extents[0][1]])
            description = f"add {label} " + (
                first if len(extents) == 1 else f"{len(extents)} × {first}"
            )
        return self.add_labelled(
            document_id,
            [(start, end, label) for start, end in extents],
            annotator=annotator,
            description=description or f"add {label}",
        )

    def add_labelled(
        self,
        document_id: int,
        items: Sequence[tuple[int, int, str]],
        *,
        annotator: str | None = None,
        description: str,
    ) -> list[Span]:
        """Add (start, end, label) spans as one transaction and one undoable step
        (accept every suggestion); those already there are passed over."""
        self.store.writable()
        doc_text = self.texts.text(document_id)
        layer = annotator or self.layers.current
        label_ids = {label: self.labels.get(label).id for _, _, label in items}
        stamp = now()
        added: list[int] = []
        try:
            with self.store.transaction():
                layer_id = self.layers.ensure(layer)
                for start, end, label in items:
                    span_id = self.insert(
                        document_id,
                        doc_text,
                        start,
                        end,
                        label_ids[label],
                        None,
                        layer_id=layer_id,
                        stamp=stamp,
                    )
                    if span_id is not None:
                        added.append(span_id)
        except BaseException:
            self.layers.reload()
            raise
        if not added:
            return []
        rows = [self._row(span_id) for span_id in added]
        region = (min(r[3] for r in rows), max(r[4] for r in rows))
        self.history.push(
            Step(
                description,
                document_id,
                apply=lambda: self._restore_many(rows),
                revert=lambda: self._remove_many(document_id, added, region),
            )
        )
        self.store.emit(Change("spans", document_id, *region, tuple(added)))
        return [self.span(span_id) for span_id in added]

    _ROW = (
        'SELECT id, document_id, layer_id, start, "end", label_id, text, note, created'
        " FROM spans WHERE id = ?"
    )

    def _row(self, span_id: int) -> tuple[Any, ...]:
        """A span as stored (ids, not names): what an undo step puts back."""
        row = self.store.conn.execute(self._ROW, (span_id,)).fetchone()
        if row is None:
            raise SpanError(f"no span {span_id}")
        return tuple(row)

    def _insert_row(self, row: tuple[Any, ...]) -> None:
        span_id, document_id, layer_id, start, end, label_id, text, note, created = row
        self.insert(
            document_id,
            self.texts.text(document_id),
            start,
            end,
            label_id,
            text,
            layer_id=layer_id,
            note=note,
            stamp=created,
            span_id=span_id,
        )

    def _restore(self, row: tuple[Any, ...], relations: list[Relation]) -> None:
        with self.store.transaction() as conn:
            self._insert_row(row)
            for rel in relations:
                conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (rel.id, rel.head, rel.child, rel.label),
                )
        self.store.emit(Change("spans", row[1], row[3], row[4], (row[0],)))

    def _restore_many(self, rows: list[tuple[Any, ...]]) -> None:
        with self.store.transaction():
            for row in rows:
                self._insert_row(row)
        region = (min(r[3] for r in rows), max(r[4] for r in rows))
        self.store.emit(Change("spans", rows[0][1], *region, tuple(r[0] for r in rows)))

    def _remove(self, span_id: int) -> None:
        row = self._row(span_id)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
        self.store.emit(Change("spans", row[1], row[3], row[4], (span_id,)))

    def _remove_many(self, document_id: int, ids: list[int], region: tuple[int, int]) -> None:
        with self.store.transaction() as conn:
            conn.executemany("DELETE FROM spans WHERE id = ?", [(i,) for i in ids])
        self.store.emit(Change("spans", document_id, *region, tuple(ids)))

    def delete_span(self, span_id: int) -> None:
        self.store.writable()
        span = self.span(span_id)
        row = self._row(span_id)
        relations = self.relations_of(span_id)
        self._remove(span_id)
        self.history.push(
            Step(
                f"delete {span.label} {quote(span.text)}",
                span.document_id,
                apply=lambda: self._remove(span_id),
                revert=lambda: self._restore(row, relations),
            )
        )

    def _set(self, span_id: int, values: dict[str, Any]) -> Span:
        """Update a span's label (by id), extent or note in one transaction."""
        before = self.span(span_id)
        sets: dict[str, Any] = {"updated": now()}
        if "label_id" in values:
            sets["label_id"] = values["label_id"]
        if "start" in values or "end" in values:
            start, end = values.get("start", before.start), values.get("end", before.end)
            text = self.texts.text(before.document_id)
            check_extent(text, start, end, None)
            sets.update(start=start, end=end, text=text[start:end])
        if "note" in values:
            sets["note"] = str(values["note"])
        columns = ", ".join(f'"{key}" = ?' for key in sets)
        try:
            with self.store.transaction() as conn:
                conn.execute(f"UPDATE spans SET {columns} WHERE id = ?", (*sets.values(), span_id))
        except sqlite3.IntegrityError:
            raise SpanError("the same span with that label exists already") from None
        after = self.span(span_id)
        self.store.emit(
            Change(
                "spans",
                before.document_id,
                min(before.start, after.start),
                max(before.end, after.end),
                (span_id,),
            )
        )
        return after

    def _undoable_update(self, span_id: int, description: str, **values: Any) -> Span:
        self.store.writable()
        row = self._row(span_id)
        old_values = {"label_id": row[5], "start": row[3], "end": row[4], "note": row[7]}
        old = {key: old_values[key] for key in values}
        after = self._set(span_id, values)
        new = dict(values)
        self.history.push(
            Step(
                description,
                after.document_id,
                apply=lambda: self._set(span_id, new),
                revert=lambda: self._set(span_id, old),
            )
        )
        return after

    def relabel_span(self, span_id: int, label: str) -> Span:
        before = self.span(span_id)
        if before.label == label:
            return before
        return self._undoable_update(
            span_id,
            f"relabel {quote(before.text)} {before.label} → {label}",
            label_id=self.labels.get(label).id,
        )

    def resize_span(self, span_id: int, start: int, end: int) -> Span:
        before = self.span(span_id)
        if (before.start, before.end) == (start, end):
            return before
        return self._undoable_update(
            span_id, f"resize {before.label} {quote(before.text)}", start=start, end=end
        )

    def set_note(self, span_id: int, note: str) -> Span:
        before = self.span(span_id)
        if before.note == note:
            return before
        return self._undoable_update(
            span_id, f"note on {before.label} {quote(before.text)}", note=note
        )

    # --- relations ------------------------------------------------------------------

    def relations(
        self,
        document_id: int,
        layers: Iterable[str] | None = None,
        *,
        touching_before: int | None = None,
    ) -> list[Relation]:
        """The document's relations (of ``layers``; None: every layer), by id.

        ``touching_before`` keeps to the relations with an end starting before that
        offset: those a screen from the top draws, before the rest is read.
        """
        where = self._in_layers(layers)
        if where is None:
            return []
        if touching_before is None:
            rows = self.store.conn.execute(
                "SELECT r.id, r.head_id, r.child_id, r.label FROM relations r"
                f" JOIN spans s ON s.id = r.head_id WHERE s.document_id = ?{where}"
                " ORDER BY r.id",
                (document_id,),
            ).fetchall()
        else:
            # Each end in turn, through its index: the spans before the offset only.
            rows = self.store.conn.execute(
                "SELECT r.id, r.head_id, r.child_id, r.label FROM spans s"
                f" JOIN relations r ON r.head_id = s.id WHERE s.document_id = ?{where}"
                " AND s.start < ? UNION SELECT r.id, r.head_id, r.child_id, r.label"
                f" FROM spans s JOIN relations r ON r.child_id = s.id WHERE s.document_id = ?"
                f"{where} AND s.start < ? ORDER BY 1",
                (document_id, touching_before, document_id, touching_before),
            ).fetchall()
        return list(map(Relation._make, rows))

    def relations_of(self, span_id: int) -> list[Relation]:
        rows = self.store.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE head_id = ? OR child_id = ?",
            (span_id, span_id),
        ).fetchall()
        return list(map(Relation._make, rows))

    def add_relation(self, head: int, child: int, label: str) -> Relation:
        """Link two spans of one document and one layer (undoable)."""
        self.store.writable()
        head_span, child_span = self.span(head), self.span(child)
        if head_span.document_id != child_span.document_id:
            raise SpanError("a relation links two spans of the same document")
        if head_span.annotator != child_span.annotator:
            raise SpanError(
                f"a relation links two spans of one layer ({head_span.annotator!r} and"
                f" {child_span.annotator!r} differ)"
            )
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, label),
            )
            row = conn.execute(
                "SELECT id, head_id, child_id, label FROM relations"
                " WHERE head_id = ? AND child_id = ? AND label = ?",
                (head, child, label),
            ).fetchone()
        relation = Relation(*row)
        self.history.push(
            Step(
                f"link {head_span.label} → {child_span.label} {quote(child_span.text)}",
                head_span.document_id,
                apply=lambda: self._write_relation(relation, insert=True),
                revert=lambda: self._write_relation(relation, insert=False),
            )
        )
        self.store.emit(Change("spans", head_span.document_id, 0, 0, (head, child)))
        return relation

    def _write_relation(self, relation: Relation, *, insert: bool) -> None:
        with self.store.transaction() as conn:
            if insert:
                conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (relation.id, relation.head, relation.child, relation.label),
                )
            else:
                conn.execute("DELETE FROM relations WHERE id = ?", (relation.id,))
        document_id = self.span(relation.head).document_id
        self.store.emit(Change("spans", document_id, 0, 0, (relation.head, relation.child)))

    def delete_relation(self, relation_id: int) -> None:
        self.store.writable()
        row = self.store.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE id = ?", (relation_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no relation {relation_id}")
        relation = Relation(*row)
        self._write_relation(relation, insert=False)
        self.history.push(
            Step(
                f"delete relation {relation.label}",
                self.span(relation.head).document_id,
                apply=lambda: self._write_relation(relation, insert=False),
                revert=lambda: self._write_relation(relation, insert=True),
            )
        )

    def retype_relation(self, relation_id: int, label: str) -> Relation:
        """Give a relation another type (undoable); the caller checks the type fits."""
        self.store.writable()
        row = self.store.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE id = ?", (relation_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no relation {relation_id}")
        before = Relation(*row)
        after = Relation(before.id, before.head, before.child, label)
        if label == before.label:
            return before
        self._set_relation_type(after)
        head, child = self.span(before.head), self.span(before.child)
        self.history.push(
            Step(
                f"retype {head.label} → {child.label} {quote(child.text)} {before.label} → {label}",
                head.document_id,
                apply=lambda: self._set_relation_type(after),
                revert=lambda: self._set_relation_type(before),
            )
        )
        return after

    def _set_relation_type(self, relation: Relation) -> None:
        try:
            with self.store.transaction() as conn:
                conn.execute(
                    "UPDATE relations SET label = ? WHERE id = ?", (relation.label, relation.id)
                )
        except sqlite3.IntegrityError:
            raise SpanError(f"the two spans are linked as {relation.label} already") from None
        document_id = self.span(relation.head).document_id
        self.store.emit(Change("spans", document_id, 0, 0, (relation.head, relation.child)))
