"""doccano: both shapes, UTF-16 offsets converted or detected, nothing imported on error."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import Project
from annotator.core.errors import InputError
from annotator.core.formats import read_inputs, write_output
from annotator.core.incoming import NewDocument

DATA = Path(__file__).parent / "data" / "formats"


def _import(
    tmp_path: Path, source: Path, **options: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(read_inputs([source], "doccano", **options))
        return [
            (document.text, [(s.text, s.label) for s in spans])
            for document, spans, _ in project.iter_annotated()
        ]


def test_utf16_export_gives_code_point_spans(tmp_path: Path) -> None:
    documents = _import(tmp_path, DATA / "doccano_utf16.jsonl", offsets="utf16")
    assert [spans for _, spans in documents] == [
        [("Kim Jong-un", "PERSON"), ("Seoul", "PLACE")],
        [("Café", "PLACE"), ("Lee", "PERSON")],
        [("Park", "PERSON")],
    ]


def test_utf16_offsets_are_detected_and_nothing_is_imported(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(InputError) as caught:
            project.add_documents(read_inputs([DATA / "doccano_utf16.jsonl"], "doccano"))
        assert project.count_documents() == 0
    message = str(caught.value)
    assert "doccano_utf16.jsonl, line 1" in message
    assert "only fits the text as UTF-16 offsets" in message
    assert "--offsets utf16" in message


def test_offsets_past_the_end_hint_at_utf16(tmp_path: Path) -> None:
    source = tmp_path / "d.jsonl"
    text = "Seoul 👍🏽 Kim"
    source.write_bytes(orjson.dumps({"text": text, "label": [[11, 14, "PERSON"]]}) + b"\n")
    with pytest.raises(InputError, match=r"line 1: label 1 \(11-14\) .*UTF-16"):
        _import(tmp_path, source)
    (tmp_path / "again").mkdir()
    assert _import(tmp_path / "again", source, offsets="utf16") == [(text, [("Kim", "PERSON")])]


def test_relation_variant_and_metadata(tmp_path: Path) -> None:
    source = tmp_path / "rel.jsonl"
    record = {
        "id": 4,
        "text": "Kim 😀 met Moon.",
        "entities": [
            {"id": 10, "label": "PERSON", "start_offset": 0, "end_offset": 3},
            {"id": 11, "label": "PERSON", "start_offset": 10, "end_offset": 14},
        ],
        "relations": [{"id": 1, "from_id": 10, "to_id": 11, "type": "met"}],
        "Comments": [],
        "source": "wire",
    }
    source.write_bytes(orjson.dumps(record) + b"\n")
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(read_inputs([source], "doccano", offsets="codepoints"))
        ((document, spans, relations),) = list(project.iter_annotated())
    assert [s.text for s in spans] == ["Kim", "Moon"]
    assert relations[0].label == "met"
    assert document.meta == {"source": "wire"}


def test_export_plain_reports_relations_and_writes_utf16_on_request(tmp_path: Path) -> None:
    text = "Kim 😀 met Moon."
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents(
            [
                NewDocument(
                    text=text,
                    spans=[
                        {"id": "a", "start": 0, "end": 3, "label": "PERSON"},
                        {"id": "b", "start": 10, "end": 14, "label": "PERSON", "note": "n"},
                    ],
                    relations=[{"head": "a", "child": "b", "label": "met"}],
                )
            ]
        )
        plain = write_output(project, tmp_path / "plain.jsonl", "doccano")
        utf16 = write_output(project, tmp_path / "utf16.jsonl", "doccano", offsets="utf16")
    assert plain.lost == {
        "relations left out of doccano's plain variant (use doccano-relations)": 1,
        "span notes left out of doccano": 1,
    }
    assert utf16.documents == 1
    assert orjson.loads((tmp_path / "plain.jsonl").read_bytes())["label"] == [
        [0, 3, "PERSON"],
        [10, 14, "PERSON"],
    ]
    # As doccano's interface counts: the emoji is two units.
    assert orjson.loads((tmp_path / "utf16.jsonl").read_bytes())["label"] == [
        [0, 3, "PERSON"],
        [11, 15, "PERSON"],
    ]


def test_bad_span_on_a_later_line_imports_nothing(tmp_path: Path) -> None:
    source = tmp_path / "d.jsonl"
    lines = [
        orjson.dumps({"text": "Kim met Moon.", "label": [[0, 3, "PERSON"]]}),
        orjson.dumps({"text": "Lee met Park.", "label": [[0, 3, "PERSON"]]}),
        orjson.dumps({"text": "Broken.", "label": [[0, 3]]}),
    ]
    source.write_bytes(b"\n".join(lines) + b"\n")
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(
            InputError, match=r"d\.jsonl, line 3: label 1 must be \[start, end, \"LABEL\"\]"
        ):
            project.add_documents(read_inputs([source], "doccano"))
        assert project.count_documents() == 0


def test_utf16_export_reads_back_with_utf16(tmp_path: Path) -> None:
    text = "👍🏽 Kim met 𠀋 Moon in 🇰🇷 Seoul.\r\nCafe\u0301 closed."
    pieces = ["Kim", "Moon", "🇰🇷 Seoul", "Cafe\u0301", "👍🏽"]
    spans = [
        {"start": text.index(p), "end": text.index(p) + len(p), "label": "PLACE"} for p in pieces
    ]
    with Project.create(tmp_path / "p.annotator") as project:
        project.add_documents([NewDocument(text=text, spans=spans)])
        write_output(project, tmp_path / "u.jsonl", "doccano", offsets="utf16")
    (tmp_path / "back").mkdir()
    ((_, got),) = _import(tmp_path / "back", tmp_path / "u.jsonl", offsets="utf16")
    assert sorted(t for t, _ in got) == sorted(pieces)
    with pytest.raises(InputError, match="--offsets utf16"):
        list(read_inputs([tmp_path / "u.jsonl"], "doccano"))
