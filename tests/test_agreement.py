"""Agreement numbers proved against independent implementations: nltk's AnnotationTask
and the krippendorff package for kappa and alpha, an exhaustive matcher for the
overlap matching, and the worked example of docs/agreement.md."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask

from annotator.core.agreement import (
    ONLY_A,
    ONLY_B,
    CodedDocument,
    SpanTuple,
    agreement,
    overlap_matches,
    token_categories,
    word_tokens,
)
from annotator.core.agreement_report import render_html, render_text

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["PERSON", "PLACE", "QUOTE", "HEDGE"]
WORDS = ["Kim", "met", "Putin", "in", "Vladivostok", ",", "officials", "said", ".", "🇰🇷", "e\u0301"]


# --- independent references ------------------------------------------------------------


def naive_categories(text: str, spans: list[SpanTuple], order: list[str]) -> list[str]:
    """Token by token: the shortest overlapping span, later start, then label order."""
    result = []
    for token in word_tokens(text):
        over = [s for s in set(spans) if s[0] < token.end and token.start < s[1]]
        if not over:
            result.append("O")
            continue
        rank = {name: i for i, name in enumerate(order)}
        best = min(over, key=lambda s: (s[1] - s[0], -s[0], rank.get(s[2], len(order)), s[2]))
        result.append(best[2])
    return result


def max_matching_size(a: list[SpanTuple], b: list[SpanTuple]) -> int:
    """Kuhn's augmenting paths over every overlapping pair: a maximum matching, no greed."""
    a, b = sorted(set(a)), sorted(set(b))
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, y in enumerate(b):
            if j in seen or not (a[i][0] < y[1] and y[0] < a[i][1]):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(a)))


def reference_units(documents, coders, order):
    """{(document, token): {coder: category}} over documents at least two coders finished."""
    units: dict[tuple[int, int], dict[str, str]] = {}
    for d, doc in enumerate(documents):
        finished = [c for c in coders if doc.spans.get(c) is not None]
        if len(finished) < 2:
            continue
        for c in finished:
            for t, category in enumerate(naive_categories(doc.text, list(doc.spans[c]), order)):
                units.setdefault((d, t), {})[c] = category
    return units


def nltk_kappa(units, a: str, b: str, fold: str | None = None) -> float | None:
    data = []
    for item, values in units.items():
        if a in values and b in values:
            for coder in (a, b):
                value = values[coder] if fold is None else str(values[coder] == fold)
                data.append((coder, str(item), value))
    if not data:
        return None
    if len({value for _, _, value in data}) == 1:
        # One category only: undefined for us; nltk 3.10.4 says 1.0 (older versions differ).
        return None
    return float(AnnotationTask(data=data).kappa_pairwise(a, b))


def krippendorff_alpha(units, coders) -> float | None:
    categories = sorted({v for values in units.values() for v in values.values()})
    if len(categories) < 2:
        return None  # the package refuses a one-value domain
    code = {name: float(i) for i, name in enumerate(categories)}
    matrix = np.full((len(coders), len(units)), np.nan)
    for u, values in enumerate(units.values()):
        for c, coder in enumerate(coders):
            if coder in values:
                matrix[c, u] = code[values[coder]]
    return float(
        krippendorff.alpha(
            reliability_data=matrix,
            value_domain=list(code.values()),
            level_of_measurement="nominal",
        )
    )


def nltk_alpha(units) -> float:
    data = [(c, str(item), v) for item, values in units.items() for c, v in values.items()]
    return float(AnnotationTask(data=data).alpha())


def close(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours is theirs
    return math.isclose(ours, theirs, rel_tol=0, abs_tol=1e-9)


# --- hypothesis-generated studies ------------------------------------------------------


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[CodedDocument], list[str]]:
    coders = ["maria", "olga", "chen", "ana"][: draw(st.integers(2, 4))]
    documents = []
    for n in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
        text = " ".join(words)
        spans: dict[str, list[SpanTuple] | None] = {}
        for coder in coders:
            if draw(st.integers(0, 4)) == 0:
                spans[coder] = None  # not finished: missing data
                continue
            spans[coder] = [
                (start, start + length, label)
                for start, length, label in draw(
                    st.lists(
                        st.tuples(
                            st.integers(0, len(text) - 1),
                            st.integers(1, 12),
                            st.sampled_from(LABELS[:3]),
                        ),
                        max_size=5,
                    )
                )
                if start + length <= len(text)
            ]
        documents.append(CodedDocument(f"doc{n}", text, spans))
    return documents, coders


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_kappa_and_alpha_equal_nltk_and_krippendorff(study) -> None:
    documents, coders = study
    result = agreement(documents, label_order=LABELS)
    units = reference_units(documents, coders, LABELS)
    assert result.tokens == len(units)
    for pair in result.pairs:
        assert close(pair.kappa, nltk_kappa(units, pair.a, pair.b)), (pair.a, pair.b)
        for label in result.labels:
            expected = nltk_kappa(units, pair.a, pair.b, fold=label)
            assert close(pair.labels[label].kappa, expected), label
    assert close(result.alpha, krippendorff_alpha(units, coders))
    if result.alpha is not None:
        assert close(result.alpha, nltk_alpha(units))


@settings(max_examples=300, deadline=None)
@given(studies(), st.none() | st.sets(st.sampled_from(LABELS[:3]), max_size=2))
def test_span_scores_equal_a_plain_count(study, chosen) -> None:
    documents, _ = study
    result = agreement(documents, label_order=LABELS, labels=chosen)

    def kept(spans) -> set[SpanTuple]:
        return {s for s in spans if chosen is None or s[2] in chosen}

    for pair in result.pairs:
        both = [
            (kept(d.spans[pair.a]), kept(d.spans[pair.b]))
            for d in documents
            if d.spans[pair.a] is not None and d.spans[pair.b] is not None
        ]
        assert pair.documents == len(both)
        exact = sum(len(x & y) for x, y in both)
        overlap = sum(
            max_matching_size([s for s in x if s[2] == label], [s for s in y if s[2] == label])
            for x, y in both
            for label in LABELS
        )
        size_a, size_b = sum(len(x) for x, _ in both), sum(len(y) for _, y in both)
        assert (pair.exact.matched, pair.exact.reference, pair.exact.candidate) == (
            exact,
            size_a,
            size_b,
        )
        assert pair.overlap.matched == overlap
        if size_a + size_b:
            assert pair.exact.f1 == pytest.approx(2 * exact / (size_a + size_b))
        # Every span lands once in the confusion matrix; its diagonal is the overlap match.
        assert sum(n for (r, _), n in pair.confusion.items() if r != ONLY_B) == size_a
        assert sum(n for (_, c), n in pair.confusion.items() if c != ONLY_A) == size_b
        diagonal = sum(n for (r, c), n in pair.confusion.items() if r == c)
        assert diagonal == overlap


spans_list = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 10)).map(lambda t: (t[0], t[0] + t[1], "X")),
    max_size=7,
)


@settings(max_examples=500, deadline=None)
@given(spans_list, spans_list)
def test_greedy_overlap_matching_is_maximum(a, b) -> None:
    pairs = overlap_matches(a, b)
    assert len(pairs) == max_matching_size(a, b)
    assert len({x for x, _ in pairs}) == len({y for _, y in pairs}) == len(pairs)
    assert all(x[0] < y[1] and y[0] < x[1] for x, y in pairs)


@settings(max_examples=300, deadline=None)
@given(studies())
def test_token_categories_are_the_innermost_span(study) -> None:
    documents, _ = study
    rank = {name: i for i, name in enumerate(LABELS)}
    for document in documents:
        for spans in document.spans.values():
            if spans is not None:
                tokens = word_tokens(document.text)
                assert token_categories(tokens, spans, rank) == naive_categories(
                    document.text, list(spans), LABELS
                )


# --- hand-made cases -------------------------------------------------------------------

TEXT = "President Kim Jong Un met Vladimir Putin in Vladivostok, officials said."


def at(text: str, part: str, label: str) -> SpanTuple:
    start = text.index(part)
    return (start, start + len(part), label)


MARIA = [at(TEXT, "Kim Jong Un", "PERSON"), at(TEXT, "Vladimir Putin", "PERSON")]
MARIA.append(at(TEXT, "Vladivostok", "PLACE"))
OLGA = [at(TEXT, "President Kim Jong Un", "PERSON"), at(TEXT, "Vladimir Putin", "PERSON")]
OLGA += [at(TEXT, "Vladivostok", "PERSON"), at(TEXT, "officials said", "HEDGE")]


def test_worked_example_in_docs() -> None:
    """The numbers of docs/agreement.md, and the page says them."""
    page = (ROOT / "docs" / "agreement.md").read_text(encoding="utf-8")
    assert TEXT in page
    for span in MARIA + OLGA:
        assert f"`{TEXT[span[0] : span[1]]}` ({span[0]}–{span[1]})" in page
    result = agreement(
        [CodedDocument("kim", TEXT, {"maria": MARIA, "olga": OLGA})], label_order=LABELS
    )
    (pair,) = result.pairs
    assert (pair.a, pair.b, pair.documents, pair.tokens) == ("maria", "olga", 1, 13)
    e, o = pair.exact, pair.overlap
    assert (e.matched, e.reference, e.candidate) == (1, 3, 4)
    assert (e.precision, e.recall, e.f1) == (1 / 4, 1 / 3, 2 / 7)
    assert (o.precision, o.recall, o.f1) == (2 / 4, 2 / 3, 4 / 7)
    person = pair.labels["PERSON"]
    assert (person.exact.precision, person.exact.recall, person.exact.f1) == (1 / 3, 1 / 2, 0.4)
    assert (person.overlap.precision, person.overlap.recall, person.overlap.f1) == (2 / 3, 1, 0.8)
    place, hedge = pair.labels["PLACE"], pair.labels["HEDGE"]
    assert (place.exact.precision, place.exact.recall, place.exact.f1) == (None, 0, 0)
    assert (hedge.exact.precision, hedge.exact.recall, hedge.exact.f1) == (0, None, 0)
    assert pair.kappa == pytest.approx(27 / 53, abs=1e-12)
    assert person.kappa == pytest.approx(30 / 43, abs=1e-12)
    assert place.kappa == hedge.kappa == 0
    assert result.alpha == pytest.approx(103 / 203, abs=1e-12)
    assert result.labels == ["PERSON", "PLACE", "HEDGE"]
    assert pair.confusion == Counter(
        {("PERSON", "PERSON"): 2, ("PLACE", "PERSON"): 1, (ONLY_B, "HEDGE"): 1}
    )
    for shown in ("0.250", "0.333", "0.286", "0.500", "0.667", "0.571", "0.800"):
        assert shown in page
    for shown in ("27/53 = **0.509**", "30/43 = **0.698**", "103/203 = **0.507**"):
        assert shown in page
    assert f"{pair.kappa:.3f}" == "0.509" and f"{result.alpha:.3f}" == "0.507"
    row = next(line for line in render_text(result).splitlines() if line.startswith("all"))
    shown = ["0.250", "0.333", "0.286", "0.500", "0.667", "0.571", "0.509"]
    assert row.split() == ["all", "3", "4", *shown]


def test_json_has_the_shape_of_the_issue() -> None:
    result = agreement(
        [CodedDocument("kim", TEXT, {"maria": MARIA, "olga": OLGA})], label_order=LABELS
    )
    data = json.loads(json.dumps(result.as_json()))
    assert {"documents", "annotators", "alpha", "pairs"} <= data.keys()
    assert data["documents"] == 1 and data["annotators"] == ["maria", "olga"]
    (pair,) = data["pairs"]
    assert {"a", "b", "documents", "exact", "overlap", "kappa", "labels"} <= pair.keys()
    for mode in ("exact", "overlap"):
        assert {"precision", "recall", "f1"} <= pair[mode].keys()
    assert pair["labels"]["PERSON"]["overlap"]["f1"] == 0.8
    assert pair["labels"]["PLACE"]["exact"]["precision"] is None
    assert {"exact", "overlap", "kappa"} <= pair["labels"]["PERSON"].keys()
    assert pair["confusion"]["rows"] == ["PERSON", "PLACE", "HEDGE", ONLY_B]
    assert pair["confusion"]["counts"][1] == [1, 0, 0, 0]  # PLACE in A, PERSON in B


def test_no_spans_at_all_leave_every_measure_undefined() -> None:
    """One category (O) only: chance agreement is total, so kappa and alpha say nothing."""
    docs = [CodedDocument("d", TEXT, {"maria": [], "olga": [], "chen": []})]
    result = agreement(docs)
    assert result.documents == 1 and result.tokens == 13 and result.labels == []
    assert result.alpha is None
    for pair in result.pairs:
        assert pair.kappa is None and pair.tokens == 13
        assert pair.exact.f1 is None and pair.overlap.precision is None
    same = AnnotationTask(data=[(c, t, "O") for c in ("a", "b") for t in "xyz"])
    assert same.alpha() == 1.0  # nltk's choice for one category
    with pytest.raises(ValueError, match="more than one value"):
        krippendorff.alpha(reliability_data=[[0, 0], [0, 0]], level_of_measurement="nominal")
    assert "—" in render_text(result)


def test_one_coder_gives_no_pair_and_no_alpha() -> None:
    result = agreement([CodedDocument("d", TEXT, {"maria": MARIA, "olga": None})])
    assert result.pairs[0].documents == 0 and result.pairs[0].kappa is None
    alone = agreement([CodedDocument("d", TEXT, {"maria": MARIA})])
    assert (alone.documents, alone.pairs, alone.alpha) == (0, [], None)
    assert "No pair of coders" in render_text(alone)


def test_perfect_agreement_is_one() -> None:
    docs = [CodedDocument("d", TEXT, {"maria": MARIA, "olga": MARIA, "chen": MARIA})]
    result = agreement(docs)
    assert result.alpha == 1
    for pair in result.pairs:
        assert pair.kappa == 1 and pair.exact.f1 == 1 and pair.overlap.f1 == 1
        assert all(label.kappa == 1 for label in pair.labels.values())


def test_all_o_against_some_labels_is_chance() -> None:
    """A marks nothing, B marks a few tokens: every agreement is what chance predicts."""
    docs = [CodedDocument("d", TEXT, {"maria": [], "olga": MARIA})]
    result = agreement(docs)
    assert result.pairs[0].kappa == 0
    assert result.alpha is not None and result.alpha < 0
    assert result.pairs[0].exact.recall is None and result.pairs[0].exact.precision == 0


def test_missing_data_is_not_disagreement() -> None:
    """chen did not finish doc 2: it is left out of chen's pairs and of chen's alpha values,
    so alpha is the same as if chen's unfinished layer were not there."""
    other = "Olga Petrova met Chen Wei in Lagos."
    olga_2 = [at(other, "Olga Petrova", "PERSON"), at(other, "Lagos", "PLACE")]
    docs = [
        CodedDocument("one", TEXT, {"maria": MARIA, "olga": OLGA, "chen": MARIA}),
        CodedDocument("two", other, {"maria": olga_2, "olga": olga_2, "chen": None}),
    ]
    result = agreement(docs)
    pairs = {(p.a, p.b): p for p in result.pairs}
    assert pairs[("chen", "maria")].documents == 1
    assert pairs[("maria", "olga")].documents == 2
    empty_instead = agreement(
        [docs[0], CodedDocument("two", other, {"maria": olga_2, "olga": olga_2, "chen": []})]
    )
    assert result.alpha != empty_instead.alpha
    units = reference_units(docs, ["chen", "maria", "olga"], [])
    assert close(result.alpha, krippendorff_alpha(units, ["chen", "maria", "olga"]))


def test_annotators_and_label_filters() -> None:
    docs = [CodedDocument("d", TEXT, {"maria": MARIA, "olga": OLGA, "chen": OLGA})]
    two = agreement(docs, annotators=["olga", "maria"])
    assert two.annotators == ["olga", "maria"]
    assert [(p.a, p.b) for p in two.pairs] == [("olga", "maria")]
    # olga is now the reference: precision and recall trade places.
    assert (two.pairs[0].exact.precision, two.pairs[0].exact.recall) == (1 / 3, 1 / 4)
    person = agreement(docs, annotators=["maria", "olga"], labels=["PERSON"])
    assert person.labels == ["PERSON"]
    (pair,) = person.pairs
    assert (pair.exact.reference, pair.exact.candidate) == (2, 3)
    # Tokens are now PERSON or O: Vladivostok is PERSON for olga only, "officials said" O.
    assert pair.kappa == pytest.approx(30 / 43)
    with pytest.raises(ValueError, match="no layer of ana"):
        agreement(docs, annotators=["maria", "ana"])


def test_innermost_span_gives_the_category() -> None:
    text = "He said Kim Jong Un will come."
    quote = at(text, "Kim Jong Un will come", "QUOTE")
    person = at(text, "Kim Jong Un", "PERSON")
    cut = (person[0] + 1, person[0] + 2, "PLACE")  # inside "Kim": widened to the token
    rank = {name: i for i, name in enumerate(LABELS)}
    tokens = word_tokens(text)
    assert token_categories(tokens, [quote, person], rank) == [
        "O", "O", "PERSON", "PERSON", "PERSON", "QUOTE", "QUOTE", "O",
    ]  # fmt: skip
    assert token_categories(tokens, [quote, cut], rank)[2] == "PLACE"
    same = [(person[0], person[1], "HEDGE"), person]
    assert token_categories(tokens, same, rank)[2] == "PERSON"  # PERSON comes first in order
    only_space = (2, 3, "PLACE")  # the space after "He" covers no token
    assert token_categories(tokens, [only_space], rank) == ["O"] * len(tokens)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    odd = '<b>"&'
    docs = [
        CodedDocument(
            "d",
            TEXT,
            {"<i>maria</i>": [(s[0], s[1], odd) for s in MARIA], "olga": OLGA},
        )
    ]
    page = render_html(agreement(docs), title="Study <1>")
    (tmp_path / "agreement.html").write_text(page, encoding="utf-8")
    assert "<b>" not in page and "<i>" not in page
    assert "&lt;b&gt;&quot;&amp;" in page and "&lt;i&gt;maria&lt;/i&gt;" in page
    parsed = _Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not [v for k, v in parsed.attrs if k in ("src", "href")]
    # The one address is the SVG namespace: a name, never fetched.
    assert re.findall(r"https?://[^\"]*", page) == ["http://www.w3.org/2000/svg"]
    assert parsed.tags.count("svg") == 1 and parsed.tags.count("table") == 2
    text = "".join(parsed.text)
    assert odd in text and "only A" in text and "only B" in text
    # one pair of bars (exact, overlap) per label and for all
    assert parsed.tags.count("rect") == 2 * (len(agreement(docs).labels) + 1) + 2


def test_text_table_lists_every_pair_and_label() -> None:
    docs = [CodedDocument("d", TEXT, {"maria": MARIA, "olga": OLGA, "chen": OLGA})]
    text = render_text(agreement(docs, label_order=LABELS))
    assert text.splitlines()[0].startswith("1 document finished by two or more of chen, maria")
    for a, b in combinations(["chen", "maria", "olga"], 2):
        assert f"{a} (A, reference) vs {b} (B, candidate)" in text
    assert text.count("\nPERSON ") == 3 and text.count("\nall ") == 3
