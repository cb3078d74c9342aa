"""ours -> format -> ours gives back the same documents and spans, on text that
trips offset arithmetic: emoji with skin tone, flags, astral CJK, combining
marks, CRLF."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import Project
from annotator.core.formats import FORMATS, read_inputs, write_output
from annotator.core.incoming import NewDocument
from annotator.core.offsets import widen_to_characters

TRICKY = [
    'Moon Jae-in 👍🏽 met Kim Jong-un in 🇰🇷 Seoul.\r\nHe said: "We agree," and left.',
    "Cafe\u0301 owner 𠀋 Lee spoke\r\nto 👨\u200d👩\u200d👧 families in Busan 🇯🇵🇰🇷.",
    "Plain ASCII news from Pyongyang, said Park.",
]


def _spans(text: str, *pieces: tuple[str, str]) -> list[dict]:
    spans = []
    for sub, label in pieces:
        start = text.index(sub)
        spans.append(
            {"id": f"{sub}/{label}", "start": start, "end": start + len(sub), "label": label}
        )
    return spans


def tricky_documents() -> list[NewDocument]:
    first = _spans(
        TRICKY[0],
        ("Moon Jae-in", "PERSON"),
        ("👍🏽", "HEDGE"),
        ("Kim Jong-un", "PERSON"),
        ("🇰🇷 Seoul", "PLACE"),
        ("Seoul", "PLACE"),  # nested in the one above
        ("Seoul.\r\nHe said", "QUOTE"),  # across a CRLF
        ("We agree,", "QUOTE"),
    )
    first[2]["note"] = "the leader"
    second = _spans(
        TRICKY[1],
        ("Cafe\u0301", "PLACE"),
        ("𠀋", "PERSON"),
        ("Lee", "PERSON"),
        ("👨\u200d👩\u200d👧", "HEDGE"),
        ("Busan", "PLACE"),
        ("🇯🇵", "PLACE"),
    )
    return [
        NewDocument(
            text=TRICKY[0],
            name="summit",
            meta={"source": "wire"},
            status="done",
            spans=first,
            relations=[
                {"head": "Moon Jae-in/PERSON", "child": "Kim Jong-un/PERSON", "label": "met"}
            ],
        ),
        NewDocument(text=TRICKY[1], name="cafe", status="todo", spans=second),
        NewDocument(text=TRICKY[2], name="plain", status="skipped"),
    ]


def snapshot(project: Project, *, notes: bool = True, relations: bool = True) -> list:
    """Documents as comparable values: text, spans by extent, relations by span extent."""
    out = []
    for document, spans, rels in project.iter_annotated():
        by_id = {s.id: (s.start, s.end, s.label) for s in spans}
        out.append(
            (
                document.text,
                sorted((s.start, s.end, s.label, s.text, s.note if notes else "") for s in spans),
                sorted((by_id[r.head], by_id[r.child], r.label) for r in rels) if relations else [],
            )
        )
    return sorted(out)


OUTPUTS = {
    "jsonl": ("out.jsonl", {"notes": True, "relations": True}),
    "prodigy": ("out.jsonl", {"notes": True, "relations": True}),
    "doccano": ("out.jsonl", {"notes": False, "relations": False}),
    "doccano-relations": ("out.jsonl", {"notes": False, "relations": True}),
    "brat": ("out-folder", {"notes": True, "relations": True}),
    "brat-zip": ("out.zip", {"notes": True, "relations": True}),
    "label-studio": ("out.json", {"notes": True, "relations": True}),
}


def round_trip(source: Project, folder: Path, name: str, **options: str) -> tuple[Project, dict]:
    filename, kept = OUTPUTS[name]
    fmt = name.removesuffix("-zip")
    output = folder / filename
    write_output(source, output, fmt)
    target = Project.create(folder / f"back-{name}.annotator")
    target.add_documents(read_inputs([output], fmt, **options))
    return target, kept


def test_every_format_that_reads_is_covered() -> None:
    readable = {f.name for f in FORMATS.values() if f.read and f.write}
    assert readable == {name.removesuffix("-zip") for name in OUTPUTS}


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_round_trip_keeps_documents_and_spans(tmp_path: Path, name: str) -> None:
    with Project.create(tmp_path / "source.annotator") as source:
        source.add_documents(tricky_documents())
        target, kept = round_trip(source, tmp_path, name)
        with target:
            assert snapshot(target, **kept) == snapshot(source, **kept)
            assert len(snapshot(target)[0][1]) > 0


@pytest.mark.parametrize("name", ["jsonl", "prodigy", "doccano", "label-studio"])
def test_round_trip_keeps_status_and_names(tmp_path: Path, name: str) -> None:
    with Project.create(tmp_path / "source.annotator") as source:
        source.add_documents(tricky_documents())
        target, _ = round_trip(source, tmp_path, name)
        with target:
            got = sorted((d.name, d.status) for d in target.documents())
            assert got == [("cafe", "todo"), ("plain", "skipped"), ("summit", "done")]


# Text drawn from the characters that break offset arithmetic.
_ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        "K",
        " ",
        " ",
        "\n",
        "\r\n",
        "é",
        "e\u0301",
        "👍🏽",
        "🇰🇷",
        "𠀋",
        "😀",
        ",",
        "-",
        "\t",
    ]
)


@st.composite
def annotated_text(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = "x" + "".join(draw(st.lists(_ALPHABET, min_size=1, max_size=30)))
    spans = set()
    for _ in range(draw(st.integers(0, 5))):
        a, b = sorted(draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
        a, b = widen_to_characters(text, a, b)
        # Spans as the window makes them: whole characters, no white space at the edges.
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        a, b = widen_to_characters(text, a, b)
        if a < b:
            spans.add((a, b, draw(st.sampled_from(["PERSON", "PLACE"]))))
    return text, sorted(spans)


@pytest.mark.parametrize("name", list(OUTPUTS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=annotated_text())
def test_round_trip_any_text(name: str, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, spans = case
    with (
        tempfile.TemporaryDirectory() as folder,
        Project.create(Path(folder) / "s.annotator") as source,
    ):
        source.add_documents(
            [
                NewDocument(
                    text=text, spans=[{"start": a, "end": b, "label": lab} for a, b, lab in spans]
                )
            ]
        )
        # A span may cut a word after an emoji here, which the doccano reader's
        # UTF-16 guess would question: say that these offsets are code points.
        options = {"offsets": "codepoints"} if name.startswith("doccano") else {}
        target, kept = round_trip(source, Path(folder), name, **options)
        with target:
            assert snapshot(target, **kept) == snapshot(source, **kept)
