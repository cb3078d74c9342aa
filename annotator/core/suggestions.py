"""Suggestions: spans a tool proposes, for a person to accept or reject.

They live in suggestion layers (``suggest:SOURCE``). A suggestion is pending
while no person's span in the current layer has its extent and label and
nobody has rejected it; a rejection is remembered per document, extent and
label, so the same proposal is not made again. Accepting makes the span in
the current person's layer; accepting, accepting all and rejecting are undo
steps like any other edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.errors import SpanError
from annotator.core.history import History, Step
from annotator.core.layers import SUGGESTION_PREFIX, Layers, is_suggestion, suggestion_layer
from annotator.core.model import Span
from annotator.core.project_labels import Labels
from annotator.core.project_spans import Spans
from annotator.core.records import SPAN_COLUMNS, SPAN_FROM, Change, now, quote, row_to_span
from annotator.core.store import Store
from annotator.core.texts import DocumentTexts

Proposal = tuple[int, int, str]  # start, end, label


class Suggestions:
    """Pending suggestions of a document, and the person's answers to them."""

    def __init__(
        self,
        store: Store,
        labels: Labels,
        layers: Layers,
        spans: Spans,
        texts: DocumentTexts,
        history: History,
    ) -> None:
        self.store = store
        self.labels = labels
        self.layers = layers
        self.spans = spans
        self.texts = texts
        self.history = history

    def sources(self) -> list[str]:
        """Sources with a suggestion layer in this project."""
        return [
            name.removeprefix(SUGGESTION_PREFIX)
            for name in self.layers.names()
            if is_suggestion(name)
        ]

    def pending(
        self,
        document_id: int,
        sources: Iterable[str] | None = None,
        answered_by: Iterable[str] | None = None,
    ) -> list[Span]:
        """The document's suggestions still to answer, in reading order; where two
        sources propose the same span, the first source's is kept. A suggestion is
        answered where it was rejected, or where a span of ``answered_by`` (the
        current person by default) has its extent and label."""
        layers = (
            [suggestion_layer(s) for s in sources]
            if sources is not None
            else [n for n in self.layers.names() if is_suggestion(n)]
        )
        proposing = self.layers.ids(layers)
        if not proposing:
            return []
        people = self.layers.ids([self.layers.current] if answered_by is None else answered_by)
        # One query, answered ones left out in SQLite through the unique index on
        # (document, layer, start, end, label): 10,000 suggestions cost no Python
        # object for a person's span.
        marks = ",".join(str(int(i)) for i in proposing)
        mine = ",".join(str(int(i)) for i in people) or "-1"
        rows = self.store.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.document_id = ?"
            f" AND s.layer_id IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.document_id = s.document_id"
            f' AND p.layer_id IN ({mine}) AND p.start = s.start AND p."end" = s."end"'
            " AND p.label_id = s.label_id)"
            " AND NOT EXISTS (SELECT 1 FROM rejections r WHERE r.document_id = s.document_id"
            ' AND r.start = s.start AND r."end" = s."end" AND r.label_id = s.label_id)'
            ' ORDER BY s.start, s."end" DESC, l.position, s.layer_id, s.id',
            (document_id,),
        ).fetchall()
        pending: list[Span] = []
        seen: set[tuple[int, int, str]] = set()
        for row in rows:
            key = (row[2], row[3], row[4])
            if key not in seen:  # the first source's, where two propose one span
                seen.add(key)
                pending.append(row_to_span(row))
        return pending

    def fill(
        self,
        document_id: int,
        source: str,
        proposals: Iterable[Proposal],
        *,
        replace: bool = False,
    ) -> int:
        """Store a source's proposals for a document (inside the caller's transaction,
        or one of its own); rejected ones are passed over. ``replace`` drops the
        source's earlier suggestions there first. Returns how many were added."""
        text = self.texts.text(document_id)
        rejected = {
            (start, end, label_id)
            for start, end, label_id in self.store.conn.execute(
                'SELECT start, "end", label_id FROM rejections WHERE document_id = ?',
                (document_id,),
            )
        }
        added = 0
        stamp = now()
        conn = self.store.conn
        # Suggestions are proposals the tool can make again: their own commit does not
        # wait for the disk (WAL, synchronous NORMAL), so proposing as one tags keeps
        # within an edit's time. A person's edits, before and after, are FULL as ever.
        relaxed = not conn.in_transaction
        if relaxed:
            conn.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.store.transaction() as conn:
                layer_id = self.layers.ensure(suggestion_layer(source))
                if replace:
                    conn.execute(
                        "DELETE FROM spans WHERE document_id = ? AND layer_id = ?",
                        (document_id, layer_id),
                    )
                for start, end, label in proposals:
                    label_id = self.labels.get(label).id
                    if (start, end, label_id) in rejected:
                        continue
                    if self.spans.insert(
                        document_id,
                        text,
                        start,
                        end,
                        label_id,
                        None,
                        layer_id=layer_id,
                        stamp=stamp,
                    ):
                        added += 1
        finally:
            if relaxed:
                conn.execute("PRAGMA synchronous = FULL")
        return added

    def accept(self, span_id: int) -> Span:
        """Make the suggestion a span of the current person (an undo step)."""
        suggestion = self._suggestion(span_id)
        return self.spans.add_span(
            suggestion.document_id, suggestion.start, suggestion.end, suggestion.label
        )

    def accept_all(self, document_id: int, source: str) -> list[Span]:
        """Accept every pending suggestion of one source in the document, as one step."""
        pending = self.pending(document_id, [source])
        return self.spans.add_labelled(
            document_id,
            [(s.start, s.end, s.label) for s in pending],
            description=f"accept {len(pending)} suggestions of {source}",
        )

    def reject(self, span_id: int) -> None:
        """Remember that the suggestion is wrong here (an undo step)."""
        self.store.writable()
        suggestion = self._suggestion(span_id)
        label_id = self.labels.get(suggestion.label).id
        key = (suggestion.document_id, suggestion.start, suggestion.end, label_id)

        def write(on: bool) -> None:
            with self.store.transaction() as conn:
                if on:
                    conn.execute(
                        'INSERT OR IGNORE INTO rejections (document_id, start, "end", label_id,'
                        " layer_id, created) VALUES (?, ?, ?, ?, ?, ?)",
                        (*key, self.layers.ensure(self.layers.current), now()),
                    )
                else:
                    conn.execute(
                        'DELETE FROM rejections WHERE document_id = ? AND start = ? AND "end" = ?'
                        " AND label_id = ?",
                        key,
                    )
            self.store.emit(
                Change(
                    "spans", suggestion.document_id, suggestion.start, suggestion.end, (span_id,)
                )
            )

        write(True)
        self.history.push(
            Step(
                f"reject {suggestion.label} {quote(suggestion.text)}",
                suggestion.document_id,
                apply=lambda: write(True),
                revert=lambda: write(False),
            )
        )

    def _suggestion(self, span_id: int) -> Span:
        span = self.spans.span(span_id)
        if not is_suggestion(span.annotator):
            raise SpanError(f"span {span_id} is {span.annotator}'s, not a suggestion")
        return span
