"""Propagation as you tag: one new span's other occurrences in its document,
proposed and stored at once in ``suggest:propagate``, read back with their ids.

Only what is new is written: proposals already pending or rejected before are
passed over, so tagging the same name twice writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.layers import suggestion_layer
from annotator.core.model import Span
from annotator.core.records import SPAN_COLUMNS, SPAN_FROM, row_to_span
from annotator.core.suggest.model import SpanTuple
from annotator.core.suggest.propagate import SOURCE, propagate_one

if TYPE_CHECKING:
    from annotator.core.project import Project


def rejected(project: Project, document_id: int) -> set[SpanTuple]:
    """Extents and labels someone has rejected in the document."""
    return set(
        project.conn.execute(
            'SELECT r.start, r."end", l.name FROM rejections r JOIN labels l'
            " ON l.id = r.label_id WHERE r.document_id = ?",
            (document_id,),
        ).fetchall()
    )


def propagate_tag(
    project: Project,
    document_id: int,
    text: str,
    span: SpanTuple,
    same_label: Iterable[SpanTuple],
    pending: set[SpanTuple],
) -> list[Span]:
    """Store the occurrences ``span`` proposes (``same_label``: the person's spans of
    its label, for coverage; ``pending``: extents already proposed) and return the
    new suggestions, in reading order."""
    found = propagate_one(text, span, same_label)
    new = [(s.start, s.end, s.label) for s in found if (s.start, s.end, s.label) not in pending]
    if new:
        refused = rejected(project, document_id)
        new = [item for item in new if item not in refused]
    if not new:
        return []
    # Rows are added with ids above every id there is: read back only those.
    (last,) = project.conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()
    project.fill_suggestions(document_id, SOURCE, new)
    layer_id = project.layer_store.find(suggestion_layer(SOURCE))
    rows = project.conn.execute(
        f"SELECT {SPAN_COLUMNS} FROM {SPAN_FROM} WHERE s.id > ? AND s.document_id = ?"
        " AND s.layer_id = ?",
        (last, document_id, layer_id),
    ).fetchall()
    return sorted(map(row_to_span, rows), key=lambda s: (s.start, -s.end))
