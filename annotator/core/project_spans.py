"""A project's spans and relations: read, and edited through the undo history."""

from __future__ import annotations

import sqlite3
from itertools import repeat
from operator import attrgetter, neg
from typing import Any

import orjson

from annotator.core.errors import SpanError
from annotator.core.history import Step
from annotator.core.model import (
    Relation,
    Span,
    SpanExtent,
)
from annotator.core.project_base import ProjectBase
from annotator.core.records import (
    SPAN_COLUMNS,
    SPAN_FROM,
    Change,
    now,
    quote,
    row_to_span,
)


class SpanStore(ProjectBase):
    """Spans and relations; each edit is one transaction and one undoable step."""

    def spans(self, document_id: int) -> list[Span]:
        """The document's spans by start, longest first at equal starts (outer before inner)."""
        rows = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.document_id = ?", (document_id,)
        ).fetchall()
        # Sorted here, by stable sorts on one field each (least significant first):
        # SQLite's ORDER BY would build a temporary tree for 10,000 rows.
        spans = list(map(row_to_span, rows))
        positions = {name: label.position for name, label in self._labels_by_name.items()}
        spans.sort(key=lambda span: positions.get(span.label, 0))
        spans.sort(key=attrgetter("end"), reverse=True)
        spans.sort(key=attrgetter("start"))
        return spans

    def span_extents(self, document_id: int) -> list[SpanExtent]:
        """The document's spans as a view places them, in the order of :meth:`spans`.

        Only the covering index is read (id, start, end, label): opening a long
        article must not make a Python object per span more than it needs.
        """
        # One JSON array made by SQLite and parsed by orjson (for 10,000 spans, about
        # half the time of fetching as many rows through the sqlite3 module), each
        # span as [start, -end, label id, id]. A plain sort of those lists runs in C
        # and is the reading order wherever labels were made in their order (ids
        # rising with positions); SQLite reads them nearly sorted from its index.
        (packed,) = self.conn.execute(
            'SELECT json_group_array(json_array(start, -"end", label_id, id)) '
            "FROM spans WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        rows = orjson.loads(packed)
        if not rows:
            return []
        rows.sort()
        labels = self._labels_by_id
        position = {label_id: label.position for label_id, label in labels.items()}
        if [position[label_id] for label_id in sorted(labels)] != sorted(position.values()):
            rows.sort(key=lambda row: (row[0], row[1], position[row[2]], row[3]))
        names = {label_id: label.name for label_id, label in labels.items()}
        # Made column by column with C-level maps: a Python loop over 10,000 rows
        # would cost more than reading them.
        starts, negative_ends, label_ids, ids = zip(*rows, strict=True)
        columns = zip(
            ids, starts, map(neg, negative_ends), map(names.__getitem__, label_ids), strict=True
        )
        return list(map(tuple.__new__, repeat(SpanExtent), columns))

    def span(self, span_id: int) -> Span:
        row = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.id = ?", (span_id,)
        ).fetchone()
        if row is None:
            raise SpanError(f"no span {span_id}")
        return row_to_span(row)

    def _check_extent(self, text: str, start: int, end: int, expected: str | None) -> None:
        if not (isinstance(start, int) and isinstance(end, int)):
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

    def _insert_span(
        self,
        document_id: int,
        text: str,
        start: int,
        end: int,
        label: str,
        expected: str | None,
        *,
        annotator: str,
        note: str = "",
        stamp: str,
        span_id: int | None = None,
    ) -> int | None:
        """Insert inside the caller's transaction; None for an exact duplicate."""
        self._check_extent(text, start, end, expected)
        label_id = self.label(label).id
        cursor = self.conn.execute(
            'INSERT OR IGNORE INTO spans (id, document_id, start, "end", label_id, text, annotator,'
            " note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                span_id,
                document_id,
                start,
                end,
                label_id,
                text[start:end],
                annotator,
                note,
                stamp,
                stamp,
            ),
        )
        return int(cursor.lastrowid) if cursor.rowcount else None

    def find_span(self, document_id: int, start: int, end: int, label: str) -> Span | None:
        row = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM}"
            ' WHERE s.document_id = ? AND s.start = ? AND s."end" = ? AND l.name = ?',
            (document_id, start, end, label),
        ).fetchone()
        return row_to_span(row) if row else None

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
        """Tag text[start:end] with ``label`` (code points, end exclusive).

        The span's text is taken from the stored document; pass ``text`` to have
        it checked. An exact duplicate returns the span already there.
        """
        self._writable()
        doc_text = self.document_text(document_id)
        existing = None
        with self.db.atomic():
            span_id = self._insert_span(
                document_id,
                doc_text,
                start,
                end,
                label,
                text,
                annotator=annotator or self.annotator,
                note=note,
                stamp=now(),
            )
        if span_id is None:
            existing = self.find_span(document_id, start, end, label)
            assert existing is not None
            return existing
        span = self.span(span_id)
        self.history.push(
            Step(
                f"add {label} {quote(span.text)}",
                document_id,
                apply=lambda: self._restore_span(span, []),
                revert=lambda: self._remove_span(span.id),
            )
        )
        self._emit(Change("spans", document_id, start, end, (span_id,)))
        return span

    def add_spans(self, document_id: int, extents: list[tuple[int, int]], label: str) -> list[Span]:
        """Tag every (start, end) of one document with ``label``: one transaction and
        one undoable step ("Tag all as" in the find bar). Extents already tagged with
        ``label`` are left as they are; returns the spans added."""
        self._writable()
        doc_text = self.document_text(document_id)
        stamp = now()
        with self.db.atomic():
            ids = [
                self._insert_span(
                    document_id,
                    doc_text,
                    start,
                    end,
                    label,
                    None,
                    annotator=self.annotator,
                    stamp=stamp,
                )
                for start, end in extents
            ]
        spans = [self.span(span_id) for span_id in ids if span_id is not None]
        if not spans:
            return []
        region = (min(s.start for s in spans), max(s.end for s in spans))
        changed = tuple(span.id for span in spans)

        def restore() -> None:
            with self.db.atomic():
                for span in spans:
                    self._insert_span(
                        document_id,
                        doc_text,
                        span.start,
                        span.end,
                        span.label,
                        span.text,
                        annotator=span.annotator,
                        note=span.note,
                        stamp=span.created,
                        span_id=span.id,
                    )
            self._emit(Change("spans", document_id, *region, changed))

        def remove() -> None:
            with self.db.atomic():
                self.conn.executemany(
                    "DELETE FROM spans WHERE id = ?", [(span_id,) for span_id in changed]
                )
            self._emit(Change("spans", document_id, *region, changed))

        what = quote(spans[0].text) if len(spans) == 1 else f"{len(spans)} × {quote(spans[0].text)}"
        self.history.push(Step(f"add {label} {what}", document_id, apply=restore, revert=remove))
        self._emit(Change("spans", document_id, *region, changed))
        return spans

    def _restore_span(self, span: Span, relations: list[Relation]) -> None:
        with self.db.atomic():
            self._insert_span(
                span.document_id,
                self.document_text(span.document_id),
                span.start,
                span.end,
                span.label,
                span.text,
                annotator=span.annotator,
                note=span.note,
                stamp=span.created,
                span_id=span.id,
            )
            for rel in relations:
                self.conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (rel.id, rel.head, rel.child, rel.label),
                )
        self._emit(Change("spans", span.document_id, span.start, span.end, (span.id,)))

    def _remove_span(self, span_id: int) -> None:
        span = self.span(span_id)
        with self.db.atomic():
            self.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
        self._emit(Change("spans", span.document_id, span.start, span.end, (span_id,)))

    def delete_span(self, span_id: int) -> None:
        self._writable()
        span = self.span(span_id)
        relations = self.relations_of(span_id)
        self._remove_span(span_id)
        self.history.push(
            Step(
                f"delete {span.label} {quote(span.text)}",
                span.document_id,
                apply=lambda: self._remove_span(span_id),
                revert=lambda: self._restore_span(span, relations),
            )
        )

    def _set_span(self, span_id: int, **values: Any) -> Span:
        """Update a span's label, extent or note in one transaction."""
        before = self.span(span_id)
        sets = {"updated": now()}
        if "label" in values:
            sets["label_id"] = self.label(values["label"]).id
        if "start" in values or "end" in values:
            start, end = values.get("start", before.start), values.get("end", before.end)
            text = self.document_text(before.document_id)
            self._check_extent(text, start, end, None)
            sets.update(start=start, end=end, text=text[start:end])
        if "note" in values:
            sets["note"] = str(values["note"])
        columns = ", ".join(f'"{key}" = ?' for key in sets)
        try:
            with self.db.atomic():
                self.conn.execute(
                    f"UPDATE spans SET {columns} WHERE id = ?", (*sets.values(), span_id)
                )
        except sqlite3.IntegrityError:
            raise SpanError("the same span with that label exists already") from None
        after = self.span(span_id)
        self._emit(
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
        self._writable()
        before = self.span(span_id)
        after = self._set_span(span_id, **values)
        old = {key: getattr(before, key) for key in values}
        new = {key: getattr(after, key) for key in values}
        self.history.push(
            Step(
                description,
                before.document_id,
                apply=lambda: self._set_span(span_id, **new),
                revert=lambda: self._set_span(span_id, **old),
            )
        )
        return after

    def relabel_span(self, span_id: int, label: str) -> Span:
        before = self.span(span_id)
        if before.label == label:
            return before
        return self._undoable_update(
            span_id, f"relabel {quote(before.text)} {before.label} → {label}", label=label
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

    def relations(self, document_id: int) -> list[Relation]:
        rows = self.conn.execute(
            "SELECT r.id, r.head_id, r.child_id, r.label FROM relations r"
            " JOIN spans s ON s.id = r.head_id WHERE s.document_id = ? ORDER BY r.id",
            (document_id,),
        ).fetchall()
        return [Relation(*row) for row in rows]

    def relations_of(self, span_id: int) -> list[Relation]:
        rows = self.conn.execute(
            "SELECT id, head_id, child_id, label FROM relations WHERE head_id = ? OR child_id = ?",
            (span_id, span_id),
        ).fetchall()
        return [Relation(*row) for row in rows]

    def add_relation(self, head: int, child: int, label: str) -> Relation:
        """Link two spans of one document (undoable)."""
        self._writable()
        head_span, child_span = self.span(head), self.span(child)
        if head_span.document_id != child_span.document_id:
            raise SpanError("a relation links two spans of the same document")
        with self.db.atomic():
            self.conn.execute(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label) VALUES (?, ?, ?)",
                (head, child, label),
            )
            row = self.conn.execute(
                "SELECT id, head_id, child_id, label FROM relations"
                " WHERE head_id = ? AND child_id = ? AND label = ?",
                (head, child, label),
            ).fetchone()
        relation = Relation(*row)
        self.history.push(
            Step(
                f"relate {quote(head_span.text)} {label} {quote(child_span.text)}",
                head_span.document_id,
                apply=lambda: self._write_relation(relation, insert=True),
                revert=lambda: self._write_relation(relation, insert=False),
            )
        )
        self._emit(Change("spans", head_span.document_id, 0, 0, (head, child)))
        return relation

    def _write_relation(self, relation: Relation, *, insert: bool) -> None:
        with self.db.atomic():
            if insert:
                self.conn.execute(
                    "INSERT OR IGNORE INTO relations (id, head_id, child_id, label)"
                    " VALUES (?, ?, ?, ?)",
                    (relation.id, relation.head, relation.child, relation.label),
                )
            else:
                self.conn.execute("DELETE FROM relations WHERE id = ?", (relation.id,))
        document_id = self.span(relation.head).document_id
        self._emit(Change("spans", document_id, 0, 0, (relation.head, relation.child)))

    def delete_relation(self, relation_id: int) -> None:
        self._writable()
        row = self.conn.execute(
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
