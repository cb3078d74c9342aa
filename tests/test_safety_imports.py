"""Imports never drop in silence: the format is recognised, unread keys are refused,
the summary counts what came in and names what did not."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core import Project

TEXT = "Kim met Putin in Moscow."


def run(*args: str | Path, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


def lines(path: Path, *records: dict) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    project = tmp_path / "g.annotator"
    run("new", project)
    return project


def spans_of(project: Path) -> list[tuple[int, int, str]]:
    with Project.open(project, read_only=True) as opened:
        return [(s.start, s.end, s.label) for _, spans, _ in opened.iter_annotated() for s in spans]


def test_a_doccano_file_without_format_is_read_as_doccano(empty: Path, tmp_path: Path) -> None:
    source = lines(
        tmp_path / "out-doccano.jsonl",
        {"text": TEXT, "label": [[0, 3, "PERSON"], [8, 13, "PERSON"], [17, 23, "PLACE"]]},
    )
    assert "Added 1 document, 3 spans and 0 relations." in run("add", empty, source)
    assert spans_of(empty) == [(0, 3, "PERSON"), (8, 13, "PERSON"), (17, 23, "PLACE")]


def test_a_doccano_relations_file_without_format_keeps_its_relations(
    empty: Path, tmp_path: Path
) -> None:
    source = lines(
        tmp_path / "rel.jsonl",
        {
            "text": TEXT,
            "entities": [
                {"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 3},
                {"id": 2, "label": "PERSON", "start_offset": 8, "end_offset": 13},
            ],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "met"}],
        },
    )
    assert "Added 1 document, 2 spans and 1 relation." in run("add", empty, source)


def test_a_prodigy_file_without_format_is_read_as_prodigy(empty: Path, tmp_path: Path) -> None:
    task = {
        "text": TEXT,
        "_input_hash": 1,
        "_task_hash": 2,
        "tokens": [{"text": "Kim", "start": 0, "end": 3, "id": 0, "ws": True}],
        "spans": [{"start": 0, "end": 3, "token_start": 0, "token_end": 0, "label": "PERSON"}],
        "relations": [
            {
                "head": 0,
                "child": 0,
                "head_span": {"start": 0, "end": 3, "label": "PERSON"},
                "child_span": {"start": 17, "end": 23, "label": "PLACE"},
                "label": "IN",
            }
        ],
        "answer": "accept",
    }
    source = lines(tmp_path / "prodigy.jsonl", task)
    assert "Added 1 document, 2 spans and 1 relation." in run("add", empty, source)


def test_a_label_studio_export_without_format_is_read(empty: Path, tmp_path: Path) -> None:
    source = tmp_path / "tasks.json"
    result = {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text"}
    result["value"] = {"start": 0, "end": 3, "text": "Kim", "labels": ["PERSON"]}
    source.write_bytes(
        orjson.dumps([{"data": {"text": TEXT}, "annotations": [{"result": [result]}]}])
    )
    assert "Added 1 document, 1 span and 0 relations." in run("add", empty, source)


@pytest.mark.parametrize(
    ("record", "fmt", "message"),
    [
        (
            {"text": TEXT, "label": [[0, 3, "PERSON"]]},
            "jsonl",
            '"label" is not a key of annotator JSONL; this looks like doccano: '
            "use --format doccano",
        ),
        (
            {"text": TEXT, "span": [{"start": 0, "end": 3, "label": "PERSON"}]},
            None,
            '"span" is not a key of annotator JSONL (it reads id, meta, name, relations, spans,'
            " status, statuses, suggestions, text)",
        ),
        (
            {"text": TEXT, "tokens": [], "spans": []},
            "jsonl",
            '"tokens" is not a key of annotator JSONL; this looks like prodigy: '
            "use --format prodigy",
        ),
        (
            {"text": TEXT, "label": [[0, 3, "PERSON"]]},
            "prodigy",
            '"label" is not a key of Prodigy JSONL; this looks like doccano: use --format doccano',
        ),
        (
            {"text": TEXT, "spans": [{"start": 0, "end": 3, "label": "PERSON"}]},
            "doccano",
            '"spans" is not a key of doccano JSONL; this looks like annotator JSONL: '
            "use --format jsonl",
        ),
        (
            {"text": TEXT, "spans": [{"start": 0, "end": 3, "lable": "PERSON"}]},
            None,
            '"lable" is not a key of annotator JSONL spans',
        ),
    ],
)
def test_a_key_the_format_does_not_read_is_refused_naming_one_that_does(
    empty: Path, tmp_path: Path, record: dict, fmt: str | None, message: str
) -> None:
    source = lines(tmp_path / "in.jsonl", record)
    before = empty.read_bytes()
    out = run("add", empty, source, *(["--format", fmt] if fmt else []), ok=False)
    assert f"{source}, line 1: {message}" in out
    assert empty.read_bytes() == before


def test_the_summary_says_what_was_not_imported_and_why(empty: Path, tmp_path: Path) -> None:
    first = lines(
        tmp_path / "a.jsonl", {"text": TEXT, "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    )
    run("add", empty, first)
    again = lines(
        tmp_path / "b.jsonl",
        {"text": TEXT, "spans": [{"start": 0, "end": 3, "label": "PERSON"}]},
        {
            "text": "Another article.",
            "spans": [
                {"start": 0, "end": 7, "label": "PERSON"},
                {"start": 0, "end": 7, "label": "PERSON"},
            ],
        },
    )
    out = run("add", empty, again)
    assert "Added 1 document, 1 span and 0 relations." in out
    # The known text is matched and its span is the same annotator's, exactly: not
    # added again; nor is the second article's span given twice.
    assert "Matched 1 document already in the project by their text" in out
    assert "Not added: 2 spans and 0 relations already there" in out


def test_a_folder_names_what_it_passed_over_and_keeps_paths_apart(
    empty: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    for name, text in [("x/a.txt", "Alpha text."), ("y/a.txt", "Beta text.")]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG")
    (folder / "paper.pdf").write_bytes(b"%PDF")
    (folder / "README").parent.mkdir(exist_ok=True)
    (folder / "README").write_text("read me", "utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "z.txt").write_text("hidden", "utf-8")
    out = run("add", empty, folder)
    assert "Added 2 documents" in out
    assert "Passed over 4 files" in out
    for name in (".hidden/", "README", "paper.pdf", "photo.png"):
        assert name in out
    with Project.open(empty, read_only=True) as opened:
        documents = [d for d, _, _ in opened.iter_annotated()]
    assert [(d.name, d.meta["file"]) for d in documents] == [("x/a", "x/a.txt"), ("y/a", "y/a.txt")]
