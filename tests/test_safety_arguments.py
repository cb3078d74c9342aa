"""Filters and arguments: a slip is refused in our words, never done silently."""

from __future__ import annotations

import json
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


@pytest.fixture
def study(tmp_path: Path) -> Path:
    project = tmp_path / "study.annotator"
    run("new", project)
    source = tmp_path / "in.jsonl"
    records = [
        {
            "text": TEXT,
            "name": "kim",
            "spans": [
                {"id": "a", "start": 0, "end": 3, "label": "PERSON"},
                {"id": "b", "start": 17, "end": 23, "label": "PLACE"},
            ],
            "relations": [{"head": "a", "child": "b", "label": "IN"}],
        },
        {"text": "Second article.", "name": "second"},
        {"text": "Third article.", "name": "third"},
    ]
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    run("add", project, source)
    return project


def test_an_unknown_label_is_refused_listing_the_ones_the_project_has(
    study: Path, tmp_path: Path
) -> None:
    out = run("export", study, "-o", tmp_path / "out.jsonl", "--label", "PERSN", ok=False)
    assert "has no label PERSN (it has PERSON, PLACE, QUOTE, HEDGE)" in out
    assert not (tmp_path / "out.jsonl").exists()


def test_an_unknown_status_is_refused_listing_the_statuses(study: Path, tmp_path: Path) -> None:
    out = run("export", study, "-o", tmp_path / "out.jsonl", "--status", "dne", ok=False)
    assert "'todo', 'done', 'skipped'" in out


def test_restore_with_the_arguments_swapped_creates_nothing(study: Path, tmp_path: Path) -> None:
    run("backups", study, "--now")
    latest = tmp_path / "latest"
    out = run("restore", latest, study, ok=False)
    assert "does not exist, and a new project's name ends in .annotator" in out
    assert not latest.exists()


def test_restore_never_replaces_a_file_that_is_not_a_project(study: Path, tmp_path: Path) -> None:
    run("backups", study, "--now")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", "utf-8")
    out = run("restore", notes, "latest", ok=False)
    assert "is not an annotator project" in out
    assert notes.read_text("utf-8") == "my notes\n"
    backup = tmp_path / "copy.annotator"
    run("restore", backup, str(next(iter(_backups(study)))))
    assert "kim" in run("list", backup)


def _backups(project: Path) -> list[Path]:
    from annotator.core.backup import Backups

    return [b.path for b in Backups(project).list()]


def test_renaming_a_label_onto_another_says_so_in_our_words(study: Path) -> None:
    out = run("labels", study, "--rename", "PLACE", "PERSON", ok=False)
    assert "cannot rename PLACE to PERSON: there is already a label PERSON" in out
    assert "UNIQUE" not in out


def test_a_label_file_of_plain_names_is_accepted(tmp_path: Path) -> None:
    names = tmp_path / "labels.json"
    names.write_text('["PERSON", "ORG"]', "utf-8")
    assert "with labels PERSON, ORG" in run("new", tmp_path / "a.annotator", "--label-file", names)


def test_empty_labels_are_an_error_not_the_defaults(tmp_path: Path) -> None:
    out = run("new", tmp_path / "a.annotator", "--labels", "", ok=False)
    assert "--labels names no label" in out
    assert not (tmp_path / "a.annotator").exists()


def test_a_word_that_is_neither_command_nor_file_lists_the_commands(tmp_path: Path) -> None:
    out = run("frobnicate", ok=False)
    assert "no such command or project file: frobnicate" in out
    assert "Commands: new, add, export" in out and "status, remove" in out
    out = run("open", tmp_path / "notes.txt", ok=False)
    assert "no such command or project file" in out


def test_counts_are_pluralised(study: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    one.write_bytes(
        orjson.dumps(
            {
                "text": "Lee went to Busan.",
                "spans": [
                    {"id": 1, "start": 0, "end": 3, "label": "PERSON"},
                    {"id": 2, "start": 12, "end": 17, "label": "PLACE"},
                ],
                "relations": [{"head": 1, "child": 2, "label": "TO"}],
            }
        )
        + b"\n"
    )
    assert "Added 1 document, 2 spans and 1 relation." in run("add", study, one)
    out = run(
        "export", study, "-o", tmp_path / "d.jsonl", "--format", "doccano", "--label", "PERSON"
    )
    assert "0 relations" not in out
    out = run(
        "export", study, "-o", tmp_path / "e.jsonl", "--format", "doccano", "--status", "todo"
    )
    assert "2 relations left out of doccano's plain variant" in out
    single = tmp_path / "single.annotator"
    run("new", single)
    run("add", single, one)
    out = run("export", single, "-o", tmp_path / "f.jsonl", "--format", "doccano")
    assert "1 relation left out of doccano's plain variant" in out
    assert "1 relations" not in out


def test_list_and_stats_speak_json(study: Path) -> None:
    rows = [json.loads(line) for line in run("list", study, "--json").splitlines()]
    assert rows[0] == {"id": 1, "name": "kim", "status": "todo", "spans": 2, "suggestions": 0}
    assert [r["name"] for r in rows] == ["kim", "second", "third"]
    figures = json.loads(run("stats", study, "--json"))
    assert figures["documents"] == 3 and figures["spans"] == 2 and figures["relations"] == 1
    assert figures["by_label"]["PERSON"] == 1 and figures["by_status"]["todo"] == 3


def test_status_sets_documents_by_id_or_name(study: Path) -> None:
    assert "Marked 2 documents done." in run("status", study, "1", "third", "--set", "done")
    rows = [json.loads(line) for line in run("list", study, "--json").splitlines()]
    assert [r["status"] for r in rows] == ["done", "todo", "done"]
    out = run("status", study, "nosuch", "--set", "skipped", ok=False)
    assert "no document with id or name 'nosuch'" in out


def test_remove_takes_a_backup_then_removes_documents_and_their_spans(study: Path) -> None:
    out = run("remove", study, "kim", "3")
    assert "Removed 2 documents" in out and "before-remove" in out
    rows = [json.loads(line) for line in run("list", study, "--json").splitlines()]
    assert [r["name"] for r in rows] == ["second"]
    with Project.open(study, read_only=True) as opened:
        assert opened.stats()["spans"] == 0 and opened.stats()["relations"] == 0
        assert opened.conn.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Putin'"
        ).fetchone() == (0,)
    [backup] = _backups(study)
    with Project.open(backup, read_only=True) as kept:
        assert kept.stats()["documents"] == 3
