"""What the project file says it is, what is refused, and migration from older schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import Project, ProjectError, schema


def _snapshot(path: Path) -> tuple[bytes, list[str]]:
    """The file's bytes and the names of every file beside it."""
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_project_file_names_itself(project: Project, project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def _refused(path: Path, message: str) -> None:
    before = _snapshot(path)
    with pytest.raises(ProjectError, match=message) as caught:
        Project.open(path)
    assert str(path) in str(caught.value)
    assert _snapshot(path) == before


def test_newer_project_is_refused_and_left_unchanged(project_path: Path) -> None:
    Project.create(project_path).close()
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    _refused(project_path, "newer version")


def test_sqlite_file_of_another_application_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    other = tmp_path / "photos.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('a.jpg')")
    conn.commit()
    conn.close()
    _refused(other, "another application")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"date 2023-09-12 The South Korean defence ministry...\n" * 10, "not a SQLite"),
        (b"", "empty file"),
        (b"SQLite format 3\x00", "not a SQLite"),
    ],
)
def test_files_that_are_not_projects_are_refused_and_left_unchanged(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "article.annotator"
    path.write_bytes(content)
    _refused(path, message)


def test_missing_file_and_existing_target_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(tmp_path / "nowhere.annotator")
    (tmp_path / "taken.annotator").write_text("x")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "taken.annotator")
    assert (tmp_path / "taken.annotator").read_text() == "x"


def _make_version_1(path: Path) -> None:
    """A project as the first version wrote it, with a document and a span."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in schema.V1:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO labels (name, colour, hotkey, description, position)"
        " VALUES ('PERSON', '#0072B2', 'p', 'A person.', 0)"
    )
    conn.execute(
        "INSERT INTO documents (name, text, meta, status, hash, position, created, updated)"
        " VALUES ('old', 'Kim Jong Un arrived.', '{}', 'todo', 'h1', 0, 't', 't')"
    )
    conn.execute(
        'INSERT INTO spans (document_id, start, "end", label_id, text, created, updated)'
        " VALUES (1, 0, 11, 1, 'Kim Jong Un', 't', 't')"
    )
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_older_project_is_migrated_when_opened(project_path: Path) -> None:
    _make_version_1(project_path)
    with Project.open(project_path) as project:
        assert [s.text for s in project.spans(1)] == ["Kim Jong Un"]
        assert project.search("arrived") == [1]  # the index added by version 2 is built
    assert schema.read_header(project_path) == (schema.APPLICATION_ID, schema.SCHEMA_VERSION)


def test_a_failed_migration_leaves_the_older_file_as_it_was(
    project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_version_1(project_path)
    broken = [*schema.MIGRATIONS[1], "THIS IS NOT SQL"]
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(ProjectError, match="could not be upgraded"):
        Project.open(project_path)
    assert schema.read_header(project_path)[1] == 1
    conn = sqlite3.connect(project_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "documents_fts" not in tables


def test_read_only_open_of_an_older_project_asks_for_an_upgrade(project_path: Path) -> None:
    _make_version_1(project_path)
    with pytest.raises(ProjectError, match="older project"):
        Project.open(project_path, read_only=True)


def test_file_with_a_foreign_trigger_is_refused(project_path: Path) -> None:
    Project.create(project_path).close()
    conn = sqlite3.connect(project_path)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON spans BEGIN DELETE FROM documents; END")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="trigger 'wipe'"):
        Project.open(project_path)
