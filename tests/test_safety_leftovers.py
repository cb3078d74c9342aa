"""Reading commands leave nothing beside a project; check leaves any file as found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE

from annotator.cli import cli
from annotator.core import Project


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "projects"
    folder.mkdir()
    project = folder / "study.annotator"
    assert invoke("new", project)[0] == 0
    assert invoke("add", project, SAMPLE)[0] == 0
    return project


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["stats"],
        ["stats", "--json"],
        ["export", "-o", "-"],
        ["check"],
        ["labels"],
        ["backups"],
        ["backups", "--now"],
    ],
)
def test_a_reading_command_leaves_no_wal_or_shm(study: Path, command: list[str]) -> None:
    before = folder_state(study.parent)
    assert sorted(before) == ["study.annotator"]
    code, out = invoke(command[0], study, *command[1:])
    assert code == 0, out
    assert folder_state(study.parent) == before


def test_reading_while_the_window_edits_leaves_the_editor_its_files(study: Path) -> None:
    with Project.open(study) as editing:
        document_id = editing.document_ids()[0]
        editing.set_status(document_id, "done")
        assert invoke("stats", study)[0] == 0
        assert Path(f"{study}-wal").exists() and Path(f"{study}-shm").exists()
        editing.set_status(document_id, "skipped")  # the editor goes on writing
    assert sorted(p.name for p in study.parent.iterdir()) == ["study.annotator"]
    assert "skipped" in invoke("list", study)[1]


def test_check_leaves_a_damaged_project_exactly_as_found(study: Path) -> None:
    data = bytearray(study.read_bytes())
    page = 4096
    data[3 * page : 4 * page] = b"\xff" * page  # a page of the tables is garbage
    study.write_bytes(bytes(data))
    before = folder_state(study.parent)
    code, out = invoke("check", study)
    assert code == 1
    assert folder_state(study.parent) == before
    assert f"annotator backups {study}" in out  # ours, damaged: its backups may help


def test_check_on_a_file_that_is_not_a_project_suggests_no_backups(tmp_path: Path) -> None:
    notes = tmp_path / "notproj.txt"
    notes.write_text("my notes\n", "utf-8")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("PRAGMA journal_mode = WAL").connection.close()
    for path in (notes, other):
        before = folder_state(tmp_path)
        code, out = invoke("check", path)
        assert code == 1
        assert "not an annotator project" in out
        assert "annotator backups" not in out
        assert folder_state(tmp_path) == before
