"""How good the sources are: precision and recall against spans labelled by hand.

A suggestion counts when it matches a gold span exactly (start, end, label);
the lenient figures count it when it overlaps a gold span of its label, which
says whether a source finds the right spot with the wrong edges.

``propagate`` is measured as it is used: in each document the first occurrence
of each gold span's text (with its label) is the seed, as if a person had
tagged it; the other gold spans are what it should find, and the seeds
themselves count neither way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.suggest.hedges import HedgeLexicon, default_lexicon
from annotator.core.suggest.model import SpanTuple, Suggestion
from annotator.core.suggest.propagate import propagate
from annotator.core.suggest.quotes import suggest_quotes

LABELS = ("PERSON", "PLACE", "QUOTE", "HEDGE")


@dataclass
class Counts:
    """True positives, false positives, false negatives: exact, and lenient (overlap)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    lenient_found: int = 0  # predictions overlapping a gold span of their label
    lenient_hit: int = 0  # gold spans overlapped by a prediction of their label

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def lenient_precision(self) -> float | None:
        return self.lenient_found / self.predicted if self.predicted else None

    @property
    def lenient_recall(self) -> float | None:
        return self.lenient_hit / self.gold if self.gold else None

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.lenient_found += other.lenient_found
        self.lenient_hit += other.lenient_hit


def _overlaps(span: SpanTuple, others: Iterable[SpanTuple]) -> bool:
    start, end, label = span
    return any(s < end and start < e and lab == label for s, e, lab in others)


def score(gold: Iterable[SpanTuple], predicted: Iterable[SpanTuple]) -> dict[str, Counts]:
    """Counts per label of ``predicted`` against ``gold`` (each a set of extents)."""
    gold_set, predicted_set = set(gold), set(predicted)
    out: dict[str, Counts] = {}
    for label in {lab for _, _, lab in gold_set | predicted_set}:
        g = {s for s in gold_set if s[2] == label}
        p = {s for s in predicted_set if s[2] == label}
        out[label] = Counts(
            tp=len(g & p),
            fp=len(p - g),
            fn=len(g - p),
            lenient_found=sum(_overlaps(s, g) for s in p),
            lenient_hit=sum(_overlaps(s, p) for s in g),
        )
    return out


def _extents(suggestions: Iterable[Suggestion]) -> set[SpanTuple]:
    return {(s.start, s.end, s.label) for s in suggestions}


def seeds_of(text: str, gold: Sequence[SpanTuple]) -> list[SpanTuple]:
    """The first occurrence of each gold span's (text, label): what a person tags once."""
    first: dict[tuple[str, str], SpanTuple] = {}
    for span in sorted(gold):
        first.setdefault((text[span[0] : span[1]], span[2]), span)
    return list(first.values())


def score_propagate(text: str, gold: Sequence[SpanTuple]) -> dict[str, Counts]:
    seeds = seeds_of(text, gold)
    expected = set(gold) - set(seeds)
    return score(expected, _extents(propagate(text, seeds)))


def rule_sources(
    lexicon: HedgeLexicon | None = None,
) -> dict[str, tuple[str, Callable[[str], list[Suggestion]]]]:
    """The rule sources measured against one label each: name -> (label, source)."""
    hedges = lexicon or default_lexicon()
    return {"quotes": ("QUOTE", suggest_quotes), "hedges": ("HEDGE", hedges.run)}


@dataclass
class Report:
    """Counts per (corpus, source, label), summed over the corpus's documents."""

    counts: dict[tuple[str, str, str], Counts] = field(default_factory=dict)

    def add(self, corpus: str, source: str, per_label: Mapping[str, Counts]) -> None:
        for label, counts in per_label.items():
            self.counts.setdefault((corpus, source, label), Counts()).add(counts)

    def get(self, corpus: str, source: str, label: str) -> Counts:
        return self.counts.get((corpus, source, label), Counts())


def evaluate(
    corpus: str,
    documents: Iterable[tuple[str, Sequence[SpanTuple]]],
    report: Report | None = None,
    lexicon: HedgeLexicon | None = None,
) -> Report:
    """Run every rule source and ``propagate`` over (text, gold spans) documents."""
    report = report or Report()
    sources = rule_sources(lexicon)
    for text, gold in documents:
        report.add(corpus, "propagate", score_propagate(text, gold))
        for name, (label, run) in sources.items():
            of_label = [span for span in gold if span[2] == label]
            report.add(corpus, name, score(of_label, _extents(run(text))))
    return report


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(report: Report) -> str:
    """The report as a Markdown table, one row per corpus, source and label."""
    lines = [
        "| Corpus | Source | Label | Gold | Proposed | Precision | Recall | F1 |"
        " Lenient P | Lenient R |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = {label: n for n, label in enumerate(LABELS)}
    sources = {"propagate": 0, "quotes": 1, "hedges": 2}
    for (corpus, source, label), c in sorted(
        report.counts.items(),
        key=lambda item: (item[0][0], sources.get(item[0][1], 9), order.get(item[0][2], 9)),
    ):
        p, r = c.precision, c.recall
        f1 = None if p is None or r is None or p + r == 0 else 2 * p * r / (p + r)
        lines.append(
            f"| {corpus} | {source} | {label} | {c.gold} | {c.predicted} | {_fmt(p)} | {_fmt(r)}"
            f" | {_fmt(f1)} | {_fmt(c.lenient_precision)} | {_fmt(c.lenient_recall)} |"
        )
    return "\n".join(lines)
