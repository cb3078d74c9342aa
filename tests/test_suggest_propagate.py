"""``propagate``: a person's spans proposed wherever their exact text stands, on whole words."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import Project
from annotator.core.importing import split_header
from annotator.core.suggest import Suggestion
from annotator.core.suggest.propagate import (
    Propagator,
    candidate_documents,
    propagate,
    propagate_one,
)

SAMPLE = Path(__file__).resolve().parents[1] / "projects" / "kim-train-to-russia.txt"


def _span(text: str, part: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part), label


def _texts(text: str, found: list[Suggestion]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in found]


def test_whole_words_only_and_possessives_count() -> None:
    text = "Russia and Russia's allies; Russian trains; RUSSIA; Russia."
    found = propagate(text, [_span(text, "Russia", "PLACE")])
    assert [(s.start, s.end) for s in found] == [(11, 17), (52, 58)]
    assert all(text[s.start : s.end] == "Russia" for s in found)
    assert {s.source for s in found} == {"propagate"}


def test_longest_match_wins_and_a_shorter_phrase_still_stands_alone() -> None:
    text = "Kim Jong Un met Kim. Later Kim Jong Un left; Kim stayed. Kimberley did not."
    spans = [_span(text, "Kim Jong Un", "PERSON"), _span(text, "Kim", "PERSON", nth=1)]
    found = propagate(text, spans)
    assert _texts(text, found) == [("Kim Jong Un", "PERSON"), ("Kim", "PERSON")]
    assert found[0].start == text.index("Kim Jong Un", 1)


def test_a_spot_covered_by_that_label_is_passed_over_but_not_by_another_label() -> None:
    text = "Georgia said: Georgia is far. Georgia!"
    person = _span(text, "Georgia", "PERSON")
    quote = (14, 29, "QUOTE")  # covers the second Georgia, with another label
    place = _span(text, "Georgia", "PLACE", nth=2)  # the third is a PLACE already
    found = propagate(text, [person, quote, place])
    # PERSON: the second (a QUOTE covers it, not a PERSON) and the third (a PLACE).
    assert [s.start for s in found if s.label == "PERSON"] == [14, 30]
    # PLACE: the first two, not the third, which is a PLACE already.
    assert [s.start for s in found if s.label == "PLACE"] == [0, 14]
    assert [s for s in found if s.label == "QUOTE"] == []


def test_case_sensitive_and_non_ascii_word_edges() -> None:
    text = "José Müller met josé müller and José Müllerová; São Paulo, São Pauloan, São Paulo's."
    spans = [_span(text, "José Müller", "PERSON"), _span(text, "São Paulo", "PLACE")]
    assert _texts(text, propagate(text, spans)) == [("São Paulo", "PLACE")]
    assert propagate(text, spans)[0].start == text.index("São Paulo's")
    # A combining accent is part of its word: "Jose" is not proposed in "Jose\u0301".
    decomposed = "Jose met Jose\u0301 and Jose."
    assert [s.start for s in propagate(decomposed, [(0, 4, "PERSON")])] == [
        decomposed.rindex("Jose")
    ]


def test_phrases_with_punctuation_at_their_edges() -> None:
    text = "The U.S. and the U.S. Army; U.S.A. is not U.S. (U.S.)"
    found = propagate(text, [_span(text, "U.S.", "PLACE")])
    # Word edges are checked only where the phrase has a word character: after the
    # final "." anything may follow, so "U.S." is proposed in "U.S.A." too.
    assert [s.start for s in found] == [17, 28, 42, 48]
    found = propagate(text, [_span(text, "U.S. Army", "PLACE")])
    assert found == []


def _brute_force(text: str, spans: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """An independent reading of the rule, label by label: every whole-word occurrence of
    the label's phrases, the longest at each start, left to right without overlaps,
    less the spots a span of that label covers."""

    def word(ch: str) -> bool:
        return bool(re.match(r"\w", ch)) or "\u0300" <= ch <= "\u036f"

    out: set[tuple[int, int, str]] = set()
    for label in {lab for _, _, lab in spans}:
        phrases = sorted({text[s:e] for s, e, lab in spans if lab == label}, key=len, reverse=True)
        pos = 0
        while pos < len(text):
            best = None
            for phrase in phrases:
                end = pos + len(phrase)
                if text.startswith(phrase, pos) and not (
                    (word(phrase[0]) and pos > 0 and word(text[pos - 1]))
                    or (word(phrase[-1]) and end < len(text) and word(text[end]))
                ):
                    best = phrase
                    break
            if best is None:
                pos += 1
                continue
            end = pos + len(best)
            if not any(s < end and pos < e and lab == label for s, e, lab in spans):
                out.add((pos, end, label))
            pos = end
    return out


WORDS = st.sampled_from(["Kim", "Jong", "Un", "Kimm", "Russia", "Russian", "'s", "é", "a"])
SEPARATORS = st.sampled_from([" ", ", ", ". ", "-", "\n", "", "’"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=30),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 12), st.sampled_from("PQ"))),
)
def test_agrees_with_a_brute_force_reading_of_the_rule(
    parts: list[tuple[str, str]], picks: list[tuple[int, int, str]]
) -> None:
    text = "".join(word + sep for word, sep in parts)
    spans = []
    for start, length, label in picks:
        start %= len(text)
        end = min(len(text), start + length)
        if text[start:end].strip():
            spans.append((start, end, label))
    found = propagate(text, spans)
    assert {(s.start, s.end, s.label) for s in found} == _brute_force(text, spans)
    assert len(found) == len(set(found))


def test_propagate_one_gives_what_the_whole_run_gives_for_that_span() -> None:
    text = "Kim Jong Un, Putin and Kim Jong Un. Putin met Kim Jong Un in Vladivostok."
    putin = _span(text, "Putin", "PERSON")
    kim = _span(text, "Kim Jong Un", "PERSON")
    also = _span(text, "Kim Jong Un", "PERSON", nth=2)  # the third one is tagged already
    found = propagate_one(text, kim, [putin, kim, also])
    assert [s.start for s in found] == [text.index("Kim Jong Un", 1)]
    assert found == [
        s for s in propagate(text, [putin, kim, also]) if text[s.start : s.end] != "Putin"
    ]
    # The new span need not be among the spans given.
    assert propagate_one(text, putin) == [
        Suggestion(text.index("Putin", 20), text.index("Putin", 20) + 5, "PERSON", "propagate")
    ]


def test_a_propagator_compiled_once_serves_many_documents() -> None:
    propagator = Propagator([("Kim Jong Un", "PERSON"), ("Russia", "PLACE"), ("Russia", "PERSON")])
    first = "Kim Jong Un went to Russia."
    assert sorted(_texts(first, propagator.run(first))) == [
        ("Kim Jong Un", "PERSON"),
        ("Russia", "PERSON"),
        ("Russia", "PLACE"),
    ]
    second = "Russia's leader."
    assert _texts(second, propagator.run(second, [(0, 6, "PLACE")])) == [("Russia", "PERSON")]
    assert Propagator([("  ", "PERSON")]).run("a  b") == []


def test_sample_article_one_kim_and_one_russia_propose_every_other_occurrence() -> None:
    _meta, text = split_header(SAMPLE.read_text(encoding="utf-8"))
    assert text.startswith("The South Korean")
    kim = _span(text, "Kim Jong Un", "PERSON")
    russia = _span(text, "Russia", "PLACE")
    found = propagate(text, [kim, russia])

    def every(word: str) -> list[int]:
        return [m.start() for m in re.finditer(rf"(?<!\w){word}(?!\w)", text)]

    assert [s.start for s in found if s.label == "PERSON"] == every("Kim Jong Un")[1:]
    assert [s.start for s in found if s.label == "PLACE"] == every("Russia")[1:]
    assert len(every("Kim Jong Un")) == 6 and len(every("Russia")) == 4
    # "Russian" stands three times in the article and is never proposed.
    assert text.count("Russian") == 3
    assert all(text[s.start : s.end] in ("Kim Jong Un", "Russia") for s in found)
    # As you tag: the same, one span at a time.
    assert propagate_one(text, kim, [kim, russia]) == [s for s in found if s.label == "PERSON"]


def test_candidate_documents_reads_only_documents_holding_the_phrase(project_path: Path) -> None:
    with Project.create(project_path) as project:
        ids = [
            project.add_document(text).id  # type: ignore[union-attr]
            for text in (
                "Kim Jong Un arrived in Russia.",
                "Russian Railways towed the train.",
                "Russia's border town of Khasan.",
                "Nothing here about Kim.",
                "Talks with Jong Un Kim?",
            )
        ]
    conn = sqlite3.connect(project_path)
    try:
        assert candidate_documents(conn, ["Russia"]) == [ids[0], ids[2]]
        assert candidate_documents(conn, ["Kim Jong Un"]) == [ids[0]]
        assert candidate_documents(conn, ["Kim Jong Un", "Khasan"]) == [ids[0], ids[2]]
        assert candidate_documents(conn, ['say "no"']) == []
        assert candidate_documents(conn, []) == []
        # A phrase with no word in it cannot be looked up: every document is a candidate.
        assert candidate_documents(conn, ["Kim", "—"]) == ids
        # Many phrases are asked in chunks and give the same answer.
        many = [f"Name{n}" for n in range(450)] + ["Khasan"]
        assert candidate_documents(conn, many, chunk=100) == [ids[2]]
    finally:
        conn.close()
