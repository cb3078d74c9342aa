"""CoNLL-2003 / IOB2 and Hugging Face token tags: layout, what one tag per token
cannot hold (counted), and the --layer choice."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import Project
from annotator.core.formats import write_output
from annotator.core.formats.conll import NESTED, SPLIT, WIDENED
from annotator.core.formats.tokens import sentences, tokenize
from annotator.core.incoming import NewDocument

TEXT = "Moon Jae-in met Kim in 🇰🇷 Seoul.\r\nThe Cafe\u0301 owner said: no."


def _span(sub: str, label: str) -> dict:
    start = TEXT.index(sub)
    return {"start": start, "end": start + len(sub), "label": label}


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "p.annotator") as created:
        created.add_label("NEWS ORG")
        created.add_documents(
            [
                NewDocument(
                    text=TEXT,
                    spans=[
                        {**_span("Moon Jae-in", "PERSON"), "id": "m"},
                        {**_span("Kim", "PERSON"), "id": "k"},
                        _span("🇰🇷 Seoul", "PLACE"),
                        _span("Seoul", "PLACE"),  # nested: left out, counted
                        _span("Kim in", "QUOTE"),  # outer to Kim, which is left out
                        _span("Cafe\u0301", "NEWS ORG"),
                        _span("oon", "HEDGE"),  # overlaps Moon: left out, counted
                        _span("Seoul.\r\nThe", "HEDGE"),  # overlaps Seoul: left out
                    ],
                    relations=[{"head": "m", "child": "k", "label": "met"}],
                ),
                NewDocument(text="Second document, no spans."),
            ]
        )
        yield created


def test_layout_and_losses(project: Project, tmp_path: Path) -> None:
    report = write_output(project, tmp_path / "out.conll")
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").split("\n")
    assert lines[:10] == [
        "-DOCSTART- -X- -X- O",
        "",
        "Moon -X- _ B-PERSON",
        "Jae-in -X- _ I-PERSON",
        "met -X- _ O",
        "Kim -X- _ B-QUOTE",
        "in -X- _ I-QUOTE",
        "🇰🇷 -X- _ B-PLACE",
        "Seoul -X- _ I-PLACE",
        ". -X- _ O",
    ]
    assert lines[10:13] == ["", "The -X- _ O", "Cafe\u0301 -X- _ B-NEWS_ORG"]
    assert lines.count("-DOCSTART- -X- -X- O") == 2
    assert report.documents == 2 and report.spans == 4
    assert report.lost == {
        NESTED: 4,
        "label 'NEWS ORG' written as 'NEWS_ORG' (no spaces in a tag)": 1,
        "relations left out (tags cannot hold them)": 1,
    }
    for line in lines:
        assert line == "" or len(line.split(" ")) == 4


def test_layer_chooses_labels_and_reports_widening(project: Project, tmp_path: Path) -> None:
    report = write_output(project, tmp_path / "out.conll", layer="HEDGE")
    tags = [
        line.split(" ")[-1] for line in (tmp_path / "out.conll").read_text().splitlines() if line
    ]
    # "oon" widened to "Moon"; "Seoul.\r\nThe" split at the sentence end.
    assert [t for t in tags if t != "O"] == ["B-HEDGE", "B-HEDGE", "I-HEDGE", "B-HEDGE"]
    assert report.lost == {WIDENED: 1, SPLIT: 1}
    with pytest.raises(ValueError, match="NOPE"):
        write_output(project, tmp_path / "x.conll", layer="HEDGE,NOPE")


def test_hugging_face_token_classification_lines(project: Project, tmp_path: Path) -> None:
    write_output(project, tmp_path / "hf.jsonl", "hf-tokens", layer="PERSON,PLACE")
    records = [orjson.loads(line) for line in (tmp_path / "hf.jsonl").read_bytes().splitlines()]
    assert records[0]["tokens"][:3] == ["Moon", "Jae-in", "met"]
    assert records[0]["ner_tags"][:3] == ["B-PERSON", "I-PERSON", "O"]
    assert all(len(r["tokens"]) == len(r["ner_tags"]) for r in records)
    assert [r["id"] for r in records] == ["1-0", "1-1", "2-0"]


def test_sentence_splitter() -> None:
    text = 'He said "Go." Then left!\nNew line\r\nand CRLF. 3.5 stays whole.'
    got = [" ".join(t.text for t in s) for s in sentences(tokenize(text))]
    assert got == ['He said " Go . "', "Then left !", "New line", "and CRLF .", "3.5 stays whole ."]
