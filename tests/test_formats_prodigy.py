"""Prodigy JSONL: tokens that rebuild the text, token indices, answers, relations;
and spaCy finds every token-aligned span of what we write."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import Project
from annotator.core.errors import InputError
from annotator.core.formats import read_inputs, write_output
from annotator.core.formats.prodigy import NOT_ALIGNED
from annotator.core.formats.tokens import tokenize
from annotator.core.incoming import NewDocument

TEXT = 'Moon Jae-in 👍🏽 met Kim in 🇰🇷 Seoul.\r\n  "Cafe\u0301 𠀋," he said.'


def _span(text: str, sub: str, label: str, **extra: str) -> dict:
    start = text.index(sub)
    return {"id": sub, "start": start, "end": start + len(sub), "label": label, **extra}


@pytest.fixture
def exported(tmp_path: Path) -> list[dict]:
    spans = [
        _span(TEXT, "Moon Jae-in", "PERSON"),
        _span(TEXT, "Kim", "PERSON"),
        _span(TEXT, "🇰🇷 Seoul", "PLACE"),
        _span(TEXT, "Seoul", "PLACE"),
        _span(TEXT, "Cafe\u0301 𠀋", "QUOTE"),
        _span(TEXT, "oo", "HEDGE"),  # cuts the token "Moon"
    ]
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(
            [
                NewDocument(
                    text=TEXT,
                    status="done",
                    meta={"source": "wire"},
                    spans=spans,
                    relations=[{"head": "Moon Jae-in", "child": "Kim", "label": "met"}],
                ),
                NewDocument(text="A second, plain one.", status="skipped"),
                NewDocument(text="Still to do."),
            ]
        )
        report = write_output(project, tmp_path / "out.jsonl", "prodigy")
    assert report.lost == {NOT_ALIGNED: 1}
    assert (report.documents, report.spans, report.relations) == (3, 6, 1)
    return [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]


def test_tokens_rebuild_the_text(exported: list[dict]) -> None:
    for task in exported:
        tokens = task["tokens"]
        assert "".join(t["text"] + " " * t["ws"] for t in tokens) == task["text"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        for token in tokens:
            assert task["text"][token["start"] : token["end"]] == token["text"]


def test_spans_carry_offsets_and_inclusive_token_indices(exported: list[dict]) -> None:
    task = exported[0]
    tokens = task["tokens"]
    by_text = {s["text"]: s for s in task["spans"]}
    seoul = by_text["🇰🇷 Seoul"]
    assert tokens[seoul["token_start"]]["text"] == "🇰🇷"
    assert tokens[seoul["token_end"]]["text"] == "Seoul"
    cafe = by_text["Cafe\u0301 𠀋"]
    assert [t["text"] for t in tokens[cafe["token_start"] : cafe["token_end"] + 1]] == [
        "Cafe\u0301",
        "𠀋",
    ]
    cut = by_text["oo"]
    assert cut["token_start"] == cut["token_end"] == 0  # widened to "Moon", counted as lost


def test_answers_hashes_and_relations(exported: list[dict]) -> None:
    assert [t.get("answer") for t in exported] == ["accept", "ignore", None]
    assert all(
        isinstance(t["_input_hash"], int) and isinstance(t["_task_hash"], int) for t in exported
    )
    assert exported[0]["meta"] == {"source": "wire"}
    (relation,) = exported[0]["relations"]
    assert relation["label"] == "met"
    assert (
        relation["head_span"]["start"] == 0
        and relation["child_span"]["end"] == TEXT.index("Kim") + 3
    )
    tokens = exported[0]["tokens"]
    assert tokens[relation["head"]]["text"] == "Jae-in"  # the head span's last token
    assert tokens[relation["child"]]["text"] == "Kim"


def test_spacy_finds_every_token_aligned_span(exported: list[dict]) -> None:
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    checked = 0
    for task in exported:
        doc = Doc(
            nlp.vocab,
            words=[t["text"] for t in task["tokens"]],
            spaces=[t["ws"] for t in task["tokens"]],
        )
        assert doc.text == task["text"]
        for span in task["spans"]:
            found = doc.char_span(
                span["start"], span["end"], label=span["label"], alignment_mode="strict"
            )
            aligned = (
                task["tokens"][span["token_start"]]["start"] == span["start"]
                and task["tokens"][span["token_end"]]["end"] == span["end"]
            )
            if aligned:
                assert found is not None and found.text == span["text"]
                assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
                checked += 1
            else:
                assert found is None
    assert checked == 5
    # spaCy's own tokenizer agrees on plain words too.
    doc = nlp(exported[0]["text"])
    assert doc.char_span(0, 11, alignment_mode="strict") is not None


def test_tokenizer_keeps_characters_whole() -> None:
    texts = [t.text for t in tokenize("👍🏽 🇰🇷🇯🇵 e\u0301te 👨\u200d👩\u200d👧 don't 3.5")]
    assert texts == ["👍🏽", "🇰🇷", "🇯🇵", "e\u0301te", "👨\u200d👩\u200d👧", "don't", "3.5"]


def test_reads_prodigy_tasks(tmp_path: Path) -> None:
    source = tmp_path / "prodigy.jsonl"
    task = {
        "text": "Kim met Moon.",
        "tokens": [
            {"text": "Kim", "start": 0, "end": 3, "id": 0, "ws": True},
            {"text": "met", "start": 4, "end": 7, "id": 1, "ws": True},
            {"text": "Moon", "start": 8, "end": 12, "id": 2, "ws": False},
            {"text": ".", "start": 12, "end": 13, "id": 3, "ws": False},
        ],
        "spans": [{"token_start": 0, "token_end": 0, "label": "PERSON"}],
        "relations": [
            {
                "head": 0,
                "child": 2,
                "head_span": {
                    "start": 0,
                    "end": 3,
                    "token_start": 0,
                    "token_end": 0,
                    "label": "PERSON",
                },
                "child_span": {
                    "start": 8,
                    "end": 12,
                    "token_start": 2,
                    "token_end": 2,
                    "label": "PERSON",
                },
                "label": "MET",
            }
        ],
        "answer": "reject",
        "meta": {"source": "x"},
    }
    source.write_bytes(orjson.dumps(task) + b"\n")
    with Project.create(tmp_path / "p.annotator") as project:
        report = project.add_documents(read_inputs([source], "prodigy"))
        assert (report.added, report.spans, report.relations) == (1, 2, 1)
        ((document, spans, relations),) = list(project.iter_annotated())
    assert document.status == "skipped" and document.meta == {"source": "x", "answer": "reject"}
    assert [(s.text, s.label) for s in spans] == [("Kim", "PERSON"), ("Moon", "PERSON")]
    assert relations[0].label == "MET"


def test_bad_line_imports_nothing(tmp_path: Path) -> None:
    source = tmp_path / "prodigy.jsonl"
    good = orjson.dumps(
        {"text": "Kim met Moon.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    )
    bad = orjson.dumps({"text": "Short.", "spans": [{"start": 0, "end": 30, "label": "PERSON"}]})
    source.write_bytes(good + b"\n" + good.replace(b"Kim", b"Lee") + b"\n" + bad + b"\n")
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(
            InputError, match=r"prodigy\.jsonl, line 3: span 1 \(0-30\) does not fit"
        ):
            project.add_documents(read_inputs([source], "prodigy"))
        assert project.count_documents() == 0
        assert project.stats()["spans"] == 0
