"""How well coders agree: span F1 per pair, Cohen's kappa per pair and
Krippendorff's alpha across all coders, from plain data (no store).

The input is one :class:`CodedDocument` per document: its text and, per coder,
that coder's spans as ``(start, end, label)``, or ``None`` where the coder has
no finished layer there. ``None`` is missing data: such a document is left out
of every pair with that coder, and gives alpha no value for that coder.

- **Span agreement** (A is the reference, B the candidate): precision = matched
  / B's spans, recall = matched / A's spans, F1 = 2 matched / (A's + B's), per
  label and over all labels (micro). ``exact``: same start, end and label.
  ``overlap``: same label and at least one character in common, each span
  matched at most once, by a maximum matching (:func:`overlap_matches`).
- **Tokens** are those of the CoNLL export (:mod:`.formats.tokens`, white space
  left out). A token's category is the label of the innermost span that
  overlaps it, or ``O``: the shortest span; of equal lengths the one starting
  later; of one extent, the label first in label order.
- **Cohen's kappa** per pair on the tokens of the documents both finished, over
  all categories, and per label on "L or not L".
- **Krippendorff's alpha** (nominal) across the coders, each token a unit, by
  the coincidence-matrix formula; a token with fewer than two values is left out.

A measure that cannot be computed is ``None`` (``null`` in JSON), never 0 or 1:
F1 when neither coder has a span, kappa and alpha when every token has one and
the same category (chance agreement is then total, so agreement cannot be told
from it). docs/agreement.md works an example through.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from annotator.core.formats.tokens import Token, tokenize
from annotator.core.gc_pause import collection_paused

SpanTuple = tuple[int, int, str]
OUTSIDE = "O"
ONLY_A = "only A"
ONLY_B = "only B"
_label = itemgetter(2)


@dataclass(frozen=True)
class CodedDocument:
    """One document as the coders left it: ``spans[coder]`` is None where unfinished."""

    name: str
    text: str
    spans: Mapping[str, Sequence[SpanTuple] | None]


@dataclass(frozen=True)
class Scores:
    """Span counts of one comparison, and the precision, recall and F1 they give."""

    matched: int = 0
    reference: int = 0  # A's spans
    candidate: int = 0  # B's spans

    @property
    def precision(self) -> float | None:
        return self.matched / self.candidate if self.candidate else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        total = self.reference + self.candidate
        return 2 * self.matched / total if total else None

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.matched + other.matched,
            self.reference + other.reference,
            self.candidate + other.candidate,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "matched": self.matched,
            "reference": self.reference,
            "candidate": self.candidate,
        }


@dataclass(frozen=True)
class LabelAgreement:
    exact: Scores
    overlap: Scores
    kappa: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "exact": self.exact.as_json(),
            "overlap": self.overlap.as_json(),
            "kappa": self.kappa,
        }


@dataclass(frozen=True)
class PairAgreement:
    """Coder ``a`` (reference) against coder ``b`` (candidate) on the documents both finished.

    ``confusion[(row, column)]`` counts spans: rows are A's labels and ``ONLY_B``,
    columns B's labels and ``ONLY_A`` (see :func:`span_confusion`)."""

    a: str
    b: str
    documents: int
    tokens: int
    exact: Scores
    overlap: Scores
    kappa: float | None
    labels: dict[str, LabelAgreement]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def confusion_table(
        self, labels: Sequence[str]
    ) -> tuple[list[str], list[str], list[list[int]]]:
        rows = [*labels, ONLY_B]
        columns = [*labels, ONLY_A]
        return rows, columns, [[self.confusion[(r, c)] for c in columns] for r in rows]

    def as_json(self, labels: Sequence[str]) -> dict[str, Any]:
        rows, columns, counts = self.confusion_table(labels)
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "tokens": self.tokens,
            "exact": self.exact.as_json(),
            "overlap": self.overlap.as_json(),
            "kappa": self.kappa,
            "labels": {name: self.labels[name].as_json() for name in labels},
            "confusion": {"rows": rows, "columns": columns, "counts": counts},
        }


@dataclass(frozen=True)
class Agreement:
    """Everything ``annotator agree`` reports on one set of coders."""

    documents: int  # documents at least two of the coders finished
    annotators: list[str]
    labels: list[str]
    alpha: float | None
    tokens: int  # tokens that gave alpha at least two values
    pairs: list[PairAgreement]

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "annotators": list(self.annotators),
            "alpha": self.alpha,
            "tokens": self.tokens,
            "labels": list(self.labels),
            "pairs": [pair.as_json(self.labels) for pair in self.pairs],
        }


# --- spans ---------------------------------------------------------------------------


def overlap_matches(
    a: Iterable[SpanTuple], b: Iterable[SpanTuple]
) -> list[tuple[SpanTuple, SpanTuple]]:
    """A maximum matching of A's spans to B's where they share a character.

    A's spans are taken in order of end; each takes the free B span that ends
    first among those it overlaps. For intervals this greedy rule finds a
    maximum matching (the exchange argument is in docs/agreement.md) and is
    checked against an exhaustive matcher in the tests. Labels are not looked at.
    """
    free = sorted(set(b), key=lambda s: (s[1], s[0], s[2]))
    pairs: list[tuple[SpanTuple, SpanTuple]] = []
    for span in sorted(set(a), key=lambda s: (s[1], s[0], s[2])):
        start, end = span[0], span[1]
        for j, other in enumerate(free):
            if other[0] < end and start < other[1]:
                pairs.append((span, other))
                del free[j]
                break
    return pairs


def _by_label(spans: Iterable[SpanTuple]) -> dict[str, list[SpanTuple]]:
    grouped: dict[str, list[SpanTuple]] = {}
    for span in spans:
        grouped.setdefault(span[2], []).append(span)
    return grouped


def span_confusion(a: Collection[SpanTuple], b: Collection[SpanTuple]) -> Counter[tuple[str, str]]:
    """Spans of one document paired across labels: first same-label overlap
    matches (the diagonal, as in ``overlap`` mode), then the rest by overlap
    whatever their labels; what is left is (label, ONLY_A) or (ONLY_B, label)."""
    counts: Counter[tuple[str, str]] = Counter()
    left_a, left_b = set(a), set(b)
    grouped_b = _by_label(left_b)
    for label, spans in _by_label(left_a).items():
        for x, y in overlap_matches(spans, grouped_b.get(label, ())):
            counts[(label, label)] += 1
            left_a.discard(x)
            left_b.discard(y)
    for x, y in overlap_matches(left_a, left_b):
        counts[(x[2], y[2])] += 1
        left_a.discard(x)
        left_b.discard(y)
    for x in left_a:
        counts[(x[2], ONLY_A)] += 1
    for y in left_b:
        counts[(ONLY_B, y[2])] += 1
    return counts


def overlap_scores(
    pairs: Iterable[tuple[Collection[SpanTuple], Collection[SpanTuple]]],
) -> tuple[Scores, dict[str, Scores]]:
    """Overlap-mode scores over documents given as (A's spans, B's spans): all, and per label."""
    matched: Counter[str] = Counter()
    reference: Counter[str] = Counter()
    candidate: Counter[str] = Counter()
    for spans_a, spans_b in pairs:
        by_a, by_b = _by_label(set(spans_a)), _by_label(set(spans_b))
        for label, spans in by_a.items():
            reference[label] += len(spans)
            if label in by_b:
                matched[label] += len(overlap_matches(spans, by_b[label]))
        for label, spans in by_b.items():
            candidate[label] += len(spans)
    return _totals(matched, reference, candidate)


def _totals(
    matched: Counter[str], reference: Counter[str], candidate: Counter[str]
) -> tuple[Scores, dict[str, Scores]]:
    per_label = {
        label: Scores(matched[label], reference[label], candidate[label])
        for label in reference.keys() | candidate.keys()
    }
    total = Scores(matched.total(), reference.total(), candidate.total())
    return total, per_label


# --- tokens ------------------------------------------------------------------------


def word_tokens(text: str) -> list[Token]:
    """The tokens the CoNLL export writes: every token but white space."""
    return [token for token in tokenize(text) if not token.is_space]


def token_categories(
    tokens: Sequence[Token], spans: Iterable[SpanTuple], label_rank: Mapping[str, int]
) -> list[str]:
    """Each token's category: the label of the innermost span overlapping it, or ``O``."""
    categories = [OUTSIDE] * len(tokens)
    if not tokens:
        return categories
    starts = [token.start for token in tokens]
    ends = [token.end for token in tokens]
    last = len(label_rank)
    # Painted outermost first, so that the innermost span is painted last and wins.
    order = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], -label_rank.get(s[2], last), s[2]))
    for start, end, label in order:
        # Tokens ending after the start and starting before the end, as Aligner finds them.
        for i in range(bisect_right(ends, start), bisect_left(starts, end)):
            categories[i] = label
    return categories


def cohen_kappa(pairs: Counter[tuple[str, str]]) -> float | None:
    """Cohen's kappa from counts of (A's category, B's category); None if chance agreement is 1."""
    n = pairs.total()
    if n == 0:
        return None
    agree = sum(count for (x, y), count in pairs.items() if x == y)
    row: Counter[str] = Counter()
    column: Counter[str] = Counter()
    for (x, y), count in pairs.items():
        row[x] += count
        column[y] += count
    chance = sum(row[k] * column[k] for k in row) / (n * n)
    if chance >= 1.0:
        return None
    return (agree / n - chance) / (1.0 - chance)


def binary_kappa(pairs: Counter[tuple[str, str]], label: str) -> float | None:
    """Kappa on "``label`` or not" from the same counts."""
    folded: Counter[tuple[str, str]] = Counter()
    for (x, y), count in pairs.items():
        folded[(str(x == label), str(y == label))] += count
    return cohen_kappa(folded)


class AlphaCounts:
    """Krippendorff's alpha (nominal) gathered unit by unit.

    With n_uc the values c in unit u, m_u = sum_c n_uc (>= 2), n_c = sum_u n_uc
    and n = sum_c n_c: alpha = 1 - (n - 1) * D / (n^2 - sum_c n_c^2), where
    D = sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) is the coincidence matrix's
    off-diagonal total. Units with fewer than two values are not pairable.
    """

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()
        self.disagreement = 0.0
        self.units = 0

    def add(self, unit: Sequence[str], times: int = 1) -> None:
        """One unit's values (one per coder who gave one), or ``times`` units alike."""
        m = len(unit)
        if m < 2:
            return
        counts = Counter(unit)
        for value, count in counts.items():
            self.values[value] += count * times
        self.disagreement += times * (m * m - sum(c * c for c in counts.values())) / (m - 1)
        self.units += times

    @property
    def alpha(self) -> float | None:
        n = self.values.total()
        expected = n * n - sum(c * c for c in self.values.values())
        if expected == 0:
            return None
        return 1.0 - (n - 1) * self.disagreement / expected


# --- the whole report ----------------------------------------------------------------


def _coders(documents: Sequence[CodedDocument], annotators: Sequence[str] | None) -> list[str]:
    known = sorted(set().union(*(document.spans.keys() for document in documents)))
    if annotators is None:
        return known
    unknown = [name for name in annotators if name not in known]
    if unknown:
        raise ValueError(f"no layer of {', '.join(unknown)} in any document")
    return list(dict.fromkeys(annotators))


def finished_layers(
    documents: Iterable[CodedDocument],
    coders: Sequence[str],
    labels: Collection[str] | None = None,
) -> list[tuple[CodedDocument, dict[str, frozenset[SpanTuple]]]]:
    """Documents at least two of ``coders`` finished, with each finished coder's spans
    (of ``labels`` only, if given) as a set; unfinished coders are left out."""
    chosen = None if labels is None else frozenset(labels)
    kept: list[tuple[CodedDocument, dict[str, frozenset[SpanTuple]]]] = []
    for document in documents:
        finished: dict[str, frozenset[SpanTuple]] = {}
        for coder in coders:
            spans = document.spans.get(coder)
            if spans is None:
                continue
            if chosen is not None:
                spans = [s for s in spans if s[2] in chosen]
            finished[coder] = frozenset(spans)
        if len(finished) >= 2:
            kept.append((document, finished))
    return kept


class PairScores(NamedTuple):
    a: str
    b: str
    total: Scores  # over all labels (micro)
    labels: dict[str, Scores]


def span_agreement(
    documents: Sequence[CodedDocument],
    *,
    annotators: Sequence[str] | None = None,
    labels: Collection[str] | None = None,
    exact: bool = True,
) -> list[PairScores]:
    """Span scores alone (no tokens), per pair of ``annotators`` (default: all, by name).

    The same numbers as :func:`agreement`, in one pass over the documents and no
    set kept past its document: each coder's labels are counted once, and a pair
    takes away those in documents the other coder did not finish."""
    annotators = _coders(documents, annotators)
    chosen = None if labels is None else frozenset(labels)
    pairs = [(i, j) for i in range(len(annotators)) for j in range(i + 1, len(annotators))]
    own: list[list[str]] = [[] for _ in annotators]
    matched: list[list[str]] = [[] for _ in pairs]
    lost: list[tuple[list[str], list[str]]] = [([], []) for _ in pairs]
    both: list[list[tuple[frozenset[SpanTuple], frozenset[SpanTuple]]]] = [[] for _ in pairs]
    for document in documents:
        sets = [
            None if spans is None else frozenset(spans)
            for spans in map(document.spans.get, annotators)
        ]
        if chosen is not None:
            sets = [None if x is None else frozenset(s for s in x if s[2] in chosen) for x in sets]
        for n, x in enumerate(sets):
            if x:
                own[n].extend(map(_label, x))
        for p, (i, j) in enumerate(pairs):
            x, y = sets[i], sets[j]
            if x is None or y is None:
                if x:
                    lost[p][0].extend(map(_label, x))
                if y:
                    lost[p][1].extend(map(_label, y))
            elif not exact:
                both[p].append((x, y))
            elif x and y:
                matched[p].extend(map(_label, x & y))
    totals = [Counter(labels_) for labels_ in own]
    result = []
    for p, (i, j) in enumerate(pairs):
        a, b = annotators[i], annotators[j]
        if not exact:
            result.append(PairScores(a, b, *overlap_scores(both[p])))
            continue
        reference = totals[i] - Counter(lost[p][0])
        candidate = totals[j] - Counter(lost[p][1])
        result.append(PairScores(a, b, *_totals(Counter(matched[p]), reference, candidate)))
    return result


def agreement(
    documents: Sequence[CodedDocument],
    *,
    annotators: Sequence[str] | None = None,
    labels: Collection[str] | None = None,
    label_order: Sequence[str] = (),
) -> Agreement:
    """Agreement of ``annotators`` (default: every coder, by name) on ``labels``
    (default: all). Pairs follow the order of ``annotators``; ``label_order`` is the
    project's, for the tables and for ties of one extent (other labels follow by name)."""
    with collection_paused():
        return _agreement(documents, annotators, labels, label_order)


def _agreement(
    documents: Sequence[CodedDocument],
    annotators: Sequence[str] | None,
    labels: Collection[str] | None,
    label_order: Sequence[str],
) -> Agreement:
    coders = _coders(documents, annotators)
    kept = finished_layers(documents, coders, labels)
    names = {s[2] for _, finished in kept for spans in finished.values() for s in spans}
    if labels is not None:
        names = set(labels)
    ordered = [name for name in label_order if name in names]
    ordered += sorted(names - set(ordered))
    rank = {name: i for i, name in enumerate(ordered)}

    categories: list[dict[str, list[str]]] = []
    units: Counter[tuple[str, ...]] = Counter()  # tokens by their values: few kinds
    for document, finished in kept:
        tokens = word_tokens(document.text)
        per_coder = {c: token_categories(tokens, s, rank) for c, s in finished.items()}
        categories.append(per_coder)
        units.update(zip(*per_coder.values(), strict=True))
    alpha = AlphaCounts()
    for unit, times in units.items():
        alpha.add(unit, times)

    exact = span_agreement(documents, annotators=coders, labels=labels)
    overlap = span_agreement(documents, annotators=coders, labels=labels, exact=False)
    pairs = [
        _pair(kept, categories, ordered, by_exact, by_overlap)
        for by_exact, by_overlap in zip(exact, overlap, strict=True)
    ]
    return Agreement(
        documents=len(kept),
        annotators=coders,
        labels=ordered,
        alpha=alpha.alpha,
        tokens=alpha.units,
        pairs=pairs,
    )


def _pair(
    kept: Sequence[tuple[CodedDocument, dict[str, frozenset[SpanTuple]]]],
    categories: Sequence[dict[str, list[str]]],
    labels: Sequence[str],
    exact: PairScores,
    overlap: PairScores,
) -> PairAgreement:
    a, b = exact.a, exact.b
    both = [
        (finished[a], finished[b], cats[a], cats[b])
        for (_, finished), cats in zip(kept, categories, strict=True)
        if a in finished and b in finished
    ]
    confusion: Counter[tuple[str, str]] = Counter()
    tokens: Counter[tuple[str, str]] = Counter()
    for x, y, cats_a, cats_b in both:
        confusion.update(span_confusion(x, y))
        tokens.update(zip(cats_a, cats_b, strict=True))
    empty = Scores()
    per_label = {
        label: LabelAgreement(
            exact.labels.get(label, empty),
            overlap.labels.get(label, empty),
            binary_kappa(tokens, label),
        )
        for label in labels
    }
    return PairAgreement(
        a=a,
        b=b,
        documents=len(both),
        tokens=tokens.total(),
        exact=exact.total,
        overlap=overlap.total,
        kappa=cohen_kappa(tokens),
        labels=per_label,
        confusion=confusion,
    )
