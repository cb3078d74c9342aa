"""Adjudication: two coders' layers side by side, their disagreements by kind, and
the choices that build the ``gold`` layer.

Spans both coders made alike (same start, end and label) are agreed, and are
copied to gold in one step. Every other span of either coder is part of one
disagreement: a span of A and a span of B over the same extent with another
label (``label``), over overlapping extents (``boundary``), or a span only one
of them has (``only A`` / ``only B``). Overlapping spans are paired in reading
order, each at most once, preferring the same label.

On each disagreement the adjudicator takes A's span, B's span, neither (the
sides are remembered as dismissed, in the project's settings), or edits gold
by hand. Every choice is one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import orjson

from annotator.core.history import Step
from annotator.core.layers import GOLD
from annotator.core.model import Span
from annotator.core.project import Project
from annotator.core.records import Change, quote

Kind = Literal["only A", "only B", "label", "boundary"]
KINDS: tuple[Kind, ...] = ("only A", "only B", "label", "boundary")
Side = Literal["A", "B"]
# How a disagreement stands: the side gold took ("A", "B", "both"), "neither"
# (dismissed), "edited" (gold has a span of its own there), or None (open).
Resolution = Literal["A", "B", "both", "neither", "edited"] | None
Extent = tuple[int, int, str]  # start, end, label


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


def _key(span: Span) -> Extent:
    return (span.start, span.end, span.label)


def _dismissed_key(document_id: int) -> str:
    return f"adjudication.dismissed.{document_id}"


def dismissed(project: Project, document_id: int) -> set[Extent]:
    """The spans the adjudicator kept out of gold in this document (took neither)."""
    raw = project.settings.get(_dismissed_key(document_id))
    return {(int(s), int(e), str(label)) for s, e, label in orjson.loads(raw)} if raw else set()


def _write_dismissed(project: Project, document_id: int, keys: set[Extent]) -> None:
    if keys:
        project.settings.set(_dismissed_key(document_id), orjson.dumps(sorted(keys)).decode())
    else:
        project.settings.remove(_dismissed_key(document_id))
    project.store.emit(Change("adjudication", document_id))


def _sides(disagreement: Disagreement) -> list[Span]:
    return [s for s in (disagreement.a, disagreement.b) if s is not None]


def _remove_from_gold(project: Project, spans: Sequence[Span]) -> None:
    for span in spans:
        found = project.find_span(span.document_id, span.start, span.end, span.label, GOLD)
        if found is not None:
            project.delete_span(found.id)


def choose(project: Project, disagreement: Disagreement, side: Side) -> Span:
    """Take one side into gold, taking the other side out of it where it was there
    (one undo step: "take A PERSON 'Kim'")."""
    span = disagreement.a if side == "A" else disagreement.b
    if span is None:
        raise ValueError(f"{side} has no span in this disagreement ({disagreement.kind})")
    other = disagreement.b if side == "A" else disagreement.a
    history = project.history
    mark = history.size
    if other is not None and _key(other) != _key(span):
        _remove_from_gold(project, [other])
    taken = take(project, span)
    history.combine(mark, f"take {side} {span.label} {quote(span.text)}")
    return taken


def take_neither(project: Project, disagreement: Disagreement) -> None:
    """Keep both sides out of gold: remove them where they were there and remember
    them as dismissed, so the disagreement counts as settled (one undo step)."""
    sides = _sides(disagreement)
    document_id = sides[0].document_id
    history = project.history
    mark = history.size
    _remove_from_gold(project, sides)
    before = dismissed(project, document_id)
    after = before | {_key(s) for s in sides}
    _write_dismissed(project, document_id, after)
    history.push(
        Step(
            "dismiss",
            document_id,
            apply=lambda: _write_dismissed(project, document_id, after),
            revert=lambda: _write_dismissed(project, document_id, before),
        )
    )
    history.combine(mark, f"take neither at {quote(sides[0].text)}")


def resolutions(project: Project, document_id: int, comparison: Comparison) -> list[Resolution]:
    """How each disagreement of ``comparison`` stands against the gold layer now.

    Taken: gold holds a side exactly. Neither: every side was dismissed. Edited:
    gold holds a span neither coder made, over the disagreement, with a side's
    extent or label (a side taken and then resized or relabelled).
    """
    gold = project.spans(document_id, [GOLD])
    gold_keys = {_key(s) for s in gold}
    coded = {_key(a) for a, _ in comparison.agreed}
    for d in comparison.disagreements:
        coded.update(_key(s) for s in _sides(d))
    own = [s for s in gold if _key(s) not in coded]
    gone = dismissed(project, document_id)
    found: list[Resolution] = []
    for d in comparison.disagreements:
        in_a = d.a is not None and _key(d.a) in gold_keys
        in_b = d.b is not None and _key(d.b) in gold_keys
        sides = _sides(d)
        if in_a and in_b:
            found.append("both")
        elif in_a:
            found.append("A")
        elif in_b:
            found.append("B")
        elif all(_key(s) in gone for s in sides):
            found.append("neither")
        elif any(
            g.start < s.end
            and s.start < g.end
            and (g.label == s.label or (g.start == s.start and g.end == s.end))
            for g in own
            for s in sides
        ):
            found.append("edited")
        else:
            found.append(None)
    return found
