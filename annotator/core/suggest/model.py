"""The record every source returns, and the question "is this spot already covered?"."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from typing import NamedTuple

from annotator.core.errors import AnnotatorError

# A span as the sources read it: (start, end, label), code points, end exclusive.
SpanTuple = tuple[int, int, str]


class SuggestError(AnnotatorError):
    """A source that cannot run (spaCy missing, no such pipeline, a bad lexicon line)."""


class Suggestion(NamedTuple):
    """A proposed span: code points, end exclusive, ``text[start:end]`` is what it proposes.

    ``source`` names what proposed it (``propagate``, ``quotes``, ``hedges``,
    ``spacy:NAME``): the suggestion layer it belongs in is ``suggest:`` + source.
    A named tuple: sources make hundreds of thousands of them in a project-wide run.
    """

    start: int
    end: int
    label: str
    source: str


class Coverage:
    """Which stretches of one document spans of one label cover, asked in O(log n).

    Spans sorted by start with the running maximum of their ends: something
    overlaps ``[start, end)`` exactly when, among the spans starting before
    ``end``, the furthest end lies beyond ``start``.
    """

    __slots__ = ("_max_ends", "_starts")

    def __init__(self, extents: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(extents)
        self._starts = [start for start, _ in ordered]
        self._max_ends = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._starts, end)
        return index > 0 and self._max_ends[index - 1] > start


def coverage_by_label(spans: Iterable[SpanTuple]) -> dict[str, Coverage]:
    """One :class:`Coverage` per label of ``spans``."""
    extents: dict[str, list[tuple[int, int]]] = {}
    for start, end, label in spans:
        extents.setdefault(label, []).append((start, end))
    return {label: Coverage(items) for label, items in extents.items()}
