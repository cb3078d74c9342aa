"""spaCy reads our .spacy files: DocBin loads them, and ``spacy train`` trains on them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.core import Project
from annotator.core.formats import write_output
from annotator.core.incoming import NewDocument

TEXTS = [
    "Moon Jae-in 👍🏽 met Kim Jong-un in 🇰🇷 Seoul.\r\nCafe\u0301 owner Lee 𠀋 spoke.",
    "President Yoon visited Busan on Monday.",
    "Park and Choi flew to Tokyo from Incheon.",
    "Lee met Kim in Pyongyang.",
]
PIECES = [
    [("Moon Jae-in", "PERSON"), ("Kim Jong-un", "PERSON"), ("🇰🇷 Seoul", "PLACE"),
     ("Seoul", "PLACE"), ("Cafe\u0301", "PLACE"), ("ee", "HEDGE")],
    [("Yoon", "PERSON"), ("Busan", "PLACE")],
    [("Park", "PERSON"), ("Choi", "PERSON"), ("Tokyo", "PLACE"), ("Incheon", "PLACE")],
    [("Lee", "PERSON"), ("Kim", "PERSON"), ("Pyongyang", "PLACE")],
]  # fmt: skip


def _spans(text: str, pieces: list[tuple[str, str]]) -> list[dict]:
    out = []
    for sub, label in pieces:
        start = text.index(sub)
        out.append({"start": start, "end": start + len(sub), "label": label})
    return out


@pytest.fixture
def docbin(tmp_path: Path) -> Path:
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(
            NewDocument(text=t, status="done", spans=_spans(t, p))
            for t, p in zip(TEXTS, PIECES, strict=True)
        )
        report = write_output(project, tmp_path / "train.spacy")
    assert report.documents == 4 and report.spans == 15
    assert report.lost == {
        "spans not on token boundaries widened to whole tokens": 1,
        "nested or overlapping spans kept in doc.spans only, not doc.ents": 1,
    }
    return tmp_path / "train.spacy"


def test_docbin_loads_with_every_span(docbin: Path) -> None:
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    assert [doc.text for doc in docs] == TEXTS
    first = docs[0]
    assert {(s.text, s.label_) for s in first.spans["sc"]} == {
        ("Moon Jae-in", "PERSON"),
        ("Kim Jong-un", "PERSON"),
        ("🇰🇷 Seoul", "PLACE"),
        ("Seoul", "PLACE"),
        ("Cafe\u0301", "PLACE"),
        ("Lee", "HEDGE"),  # "ee" widened to its token
    }
    assert [(e.text, e.label_) for e in first.ents] == [
        ("Moon Jae-in", "PERSON"),
        ("Kim Jong-un", "PERSON"),
        ("🇰🇷 Seoul", "PLACE"),
        ("Cafe\u0301", "PLACE"),
        ("Lee", "HEDGE"),
    ]
    assert first.user_data["annotator"]["status"] == "done"
    assert [(e.text, e.label_) for e in docs[3].ents] == [
        ("Lee", "PERSON"),
        ("Kim", "PERSON"),
        ("Pyongyang", "PLACE"),
    ]


@pytest.mark.slow
def test_spacy_train_runs_one_epoch(docbin: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.cfg"
    spacy_cli = [sys.executable, "-m", "spacy"]
    subprocess.run(
        [*spacy_cli, "init", "config", str(config), "--lang", "en", "--pipeline", "ner,spancat"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(
        [
            *spacy_cli,
            "train",
            str(config),
            "--paths.train",
            str(docbin),
            "--paths.dev",
            str(docbin),
            "--training.max_epochs",
            "1",
            "--output",
            str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "model" / "model-last" / "ner").is_dir()
    assert "ENTS_F" in result.stdout


def test_spacy_finds_the_spans_of_our_jsonl(tmp_path: Path) -> None:
    """Our JSONL offsets are what spaCy's own tokenizer counts, emoji and all."""
    import orjson

    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(
            NewDocument(text=t, spans=_spans(t, p)) for t, p in zip(TEXTS, PIECES, strict=True)
        )
        write_output(project, tmp_path / "out.jsonl")
    nlp = spacy.blank("en")
    found = 0
    for line in (tmp_path / "out.jsonl").read_bytes().splitlines():
        record = orjson.loads(line)
        doc = nlp(record["text"])
        starts, ends = {t.idx for t in doc}, {t.idx + len(t) for t in doc}
        for span in record["spans"]:
            item = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            if span["start"] in starts and span["end"] in ends:
                assert item is not None and item.text == span["text"]
                found += 1
            else:
                assert item is None
    assert found == 14  # all but "ee", which cuts a word
