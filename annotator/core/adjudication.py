"""Adjudication: two coders' layers side by side, their disagreements by kind, and
the choices that build the ``gold`` layer.

Spans both coders made alike (same start, end and label) are agreed, and are
copied to gold in one step. Every other span of either coder is part of one
disagreement: a span of A and a span of B over the same extent with another
label (``label``), over overlapping extents (``boundary``), or a span only one
of them has (``only A`` / ``only B``). Overlapping spans are paired in reading
order, each at most once, preferring the same label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from annotator.core.layers import GOLD
from annotator.core.model import Span
from annotator.core.project import Project

Kind = Literal["only A", "only B", "label", "boundary"]


@dataclass(frozen=True, slots=True)
class Disagreement:
    kind: Kind
    a: Span | None
    b: Span | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.a, self.b) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.a, self.b) if s is not None)

    def describe(self) -> str:
        a = f"{self.a.label} {self.a.text!r}" if self.a else "nothing"
        b = f"{self.b.label} {self.b.text!r}" if self.b else "nothing"
        return f"{self.kind}: A has {a}, B has {b}"


@dataclass(frozen=True, slots=True)
class Comparison:
    agreed: list[tuple[Span, Span]]
    disagreements: list[Disagreement]


def _overlap(x: Span, y: Span) -> bool:
    return x.start < y.end and y.start < x.end


def compare(project: Project, document_id: int, a: str, b: str) -> Comparison:
    """Layers ``a`` and ``b`` of one document, agreed spans and disagreements in
    reading order."""
    spans_a = project.spans(document_id, [a])
    spans_b = project.spans(document_id, [b])
    key_b = {(s.start, s.end, s.label): s for s in spans_b}
    agreed: list[tuple[Span, Span]] = []
    rest_a: list[Span] = []
    for span in spans_a:
        twin = key_b.pop((span.start, span.end, span.label), None)
        if twin is None:
            rest_a.append(span)
        else:
            agreed.append((span, twin))
    rest_b = [s for s in spans_b if (s.start, s.end, s.label) in key_b]
    found: list[Disagreement] = []
    unpaired_b = list(rest_b)
    for span in rest_a:
        candidates = [other for other in unpaired_b if _overlap(span, other)]
        if not candidates:
            found.append(Disagreement("only A", span, None))
            continue
        same_extent = [o for o in candidates if (o.start, o.end) == (span.start, span.end)]
        same_label = [o for o in candidates if o.label == span.label]
        partner = (same_extent or same_label or candidates)[0]
        unpaired_b.remove(partner)
        same = (partner.start, partner.end) == (span.start, span.end)
        found.append(Disagreement("label" if same else "boundary", span, partner))
    found += [Disagreement("only B", None, span) for span in unpaired_b]
    found.sort(key=lambda d: (d.start, -d.end))
    return Comparison(agreed, found)


def copy_agreed(project: Project, document_id: int, a: str, b: str) -> list[Span]:
    """Copy every span both coders made alike into gold, as one undo step."""
    agreed = compare(project, document_id, a, b).agreed
    return project.add_labelled(
        document_id,
        [(x.start, x.end, x.label) for x, _ in agreed],
        annotator=GOLD,
        description=f"copy {len(agreed)} agreed spans to gold",
    )


def take(project: Project, span: Span) -> Span:
    """Put one coder's span into gold (an undo step)."""
    return project.add_span(
        span.document_id, span.start, span.end, span.label, note=span.note, annotator=GOLD
    )


def resolved(project: Project, disagreement: Disagreement) -> bool:
    """Whether gold already holds either side of the disagreement."""
    sides = [s for s in (disagreement.a, disagreement.b) if s is not None]
    document_id = sides[0].document_id
    return any(
        project.find_span(document_id, s.start, s.end, s.label, GOLD) is not None for s in sides
    )
