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
from annotator.core.records import Change, now, quote
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
        proposed = self.spans.spans(document_id, layers)
        if not proposed:
            return []
        answered = self._answered(document_id, answered_by)
        pending: list[Span] = []
        seen: set[Proposal] = set()
        for span in proposed:
            key = (span.start, span.end, span.label)
            if key in answered or key in seen:
                continue
            seen.add(key)
            pending.append(span)
        return pending

    def _answered(self, document_id: int, layers: Iterable[str] | None) -> set[Proposal]:
        """Extents and labels the people have as spans, or someone has rejected."""
        people = [self.layers.current] if layers is None else list(layers)
        mine = {(s.start, s.end, s.label) for s in self.spans.spans(document_id, people)}
        rejected = {
            (start, end, self.labels.by_id(label_id).name)
            for start, end, label_id in self.store.conn.execute(
                'SELECT start, "end", label_id FROM rejections WHERE document_id = ?',
                (document_id,),
            )
        }
        return mine | rejected

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
                    document_id, text, start, end, label_id, None, layer_id=layer_id, stamp=stamp
                ):
                    added += 1
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
